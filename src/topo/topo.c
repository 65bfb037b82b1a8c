// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading a topology: file -> YAML tree -> model, validated, with defaults. */
#include "topo/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/errmsg.h"
#include "common/fsutil.h"

static void pctx_free(struct topo_pctx *ctx)
{
	const struct topo *t = ctx->t;

	if (ctx->host_src) {
		for (size_t h = 0; h < t->n_hosts; h++) {
			const struct topo_host_src *hs = &ctx->host_src[h];

			for (size_t i = 0; hs->ifaces && i < t->hosts[h].n_ifaces; i++)
				free(hs->ifaces[i].addr_pos);
			free(hs->ifaces);
			free(hs->routes);
		}
	}
	free(ctx->host_src);
	free(ctx->sw_src);
	free(ctx->sw_idx);
	free(ctx->host_idx);
	free(ctx->iface_idx);
	topo_reports_free(ctx);
}

int topo_parse_buffer(const char *display_name, const char *buf, size_t len, struct topo **out,
		      struct topo_diag *diag)
{
	struct topo_pctx ctx = { .file = display_name, .suggest_budget = TOPO_SUGGEST_BUDGET };
	struct topo_ytree tree = { 0 };
	int rc;

	*out = NULL;
	if (len > TOPO_FILE_MAX)
		return err_msg(-EFBIG, "%s: %zu bytes is larger than a topology may be (%u); split the lab",
			       display_name, len, TOPO_FILE_MAX);
	ctx.t = calloc(1, sizeof(*ctx.t));
	if (!ctx.t)
		return err_set(-ENOMEM, "%s", display_name);
	ctx.t->file = strdup(display_name);
	if (!ctx.t->file) {
		rc = -ENOMEM;
		goto out;
	}
	rc = topo_ytree_load(&ctx, buf, len, &tree);
	if (!rc) {
		/* Every stage runs despite earlier problems (each leaves out
		 * what it refused), so the user sees all of them at once. */
		topo_parse_root(&ctx, tree.root);
		if (!ctx.err)
			topo_validate(&ctx);
		if (!ctx.err)
			topo_defaults(&ctx);
	} else if (rc == -EINVAL) {
		rc = 0; /* loading stopped at a reported problem */
	}
	if (!rc)
		rc = ctx.err;
	if (!rc && (ctx.n_reports || ctx.n_dropped)) {
		rc = topo_reports_emit(&ctx, diag);
		if (!rc)
			rc = err_msg(-EINVAL, "%s: %zu problem%s in the topology", display_name,
				     ctx.n_reports + ctx.n_dropped,
				     ctx.n_reports + ctx.n_dropped == 1 ? "" : "s");
	}
	if (rc == -ENOMEM)
		err_set(rc, "reading %s", display_name);
out:
	topo_ytree_free(&tree);
	pctx_free(&ctx);
	if (rc)
		topo_free(ctx.t);
	else
		*out = ctx.t;
	return rc;
}

int topo_read_file(const char *path, char **buf, size_t *len, const char **display)
{
	int rc;

	*display = strcmp(path, "-") ? path : TOPO_STDIN;
	/* One byte over the limit is enough to know it is too big. */
	rc = fs_read_file(strcmp(path, "-") ? path : "/dev/stdin", TOPO_FILE_MAX, buf, len);
	if (rc == -EFBIG)
		return err_msg(rc, "%s: larger than a topology may be (%u bytes); split the lab",
			       *display, TOPO_FILE_MAX);
	return rc ? err_set(rc, "%s", *display) : 0;
}

int topo_parse_file(const char *path, struct topo **out, struct topo_diag *diag)
{
	const char *display;
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	rc = topo_read_file(path, &buf, &len, &display);
	if (rc)
		return rc;
	rc = topo_parse_buffer(display, buf, len, out, diag);
	free(buf);
	return rc;
}
