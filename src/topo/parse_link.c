// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Direct links (veth pairs between two hosts, no switch) and reachability
 * expectations: both name hosts, so both are read after the hosts.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static const char *const expect_keys[] = { "from", "to", "reach", NULL };

#define ANY_HOST "*"

static void report_undefined_host(struct topo_pctx *ctx, struct topo_pos pos, const char *name,
				  const char *where)
{
	const struct topo *t = ctx->t;
	const char *like = topo_suggest(ctx, name, t->hosts, t->n_hosts, sizeof(*t->hosts),
					offsetof(struct topo_host, name));

	if (like)
		topo_report(ctx, pos, "undefined host '%s' %s; did you mean '%s'?", topo_q(name), where,
			    topo_q(like));
	else
		topo_report(ctx, pos, "undefined host '%s' %s; define it under 'hosts:'", topo_q(name),
			    where);
}

/* One end "HOST" or "HOST:IFACE" -> host and interface indexes. Returns
 * false (having reported, unless the host was already refused) if it does
 * not name a usable interface. */
static bool link_end(struct topo_pctx *ctx, const struct topo_ynode *n, const char *where,
		     size_t *hp, size_t *ip)
{
	const struct topo *t = ctx->t;
	const char *s, *colon, *ifname = "eth0", *like;
	char hname[TOPO_HOST_MAX + 2];
	const struct topo_host *h;
	size_t hl, hi, ii;

	if (!topo_yget_str(ctx, n, "link end", where, &s))
		return false;
	colon = strchr(s, ':');
	hl = colon ? (size_t)(colon - s) : strlen(s);
	if (colon)
		ifname = colon + 1;
	if (hl == 0 || hl >= sizeof(hname) || !*ifname) {
		topo_report(ctx, n->pos, "link end '%s' %s is not HOST or HOST:INTERFACE; write e.g. red:eth1",
			    topo_q(s), where);
		return false;
	}
	memcpy(hname, s, hl);
	hname[hl] = '\0';
	hi = topo_index_host(ctx, hname);
	if (hi == SIZE_MAX) {
		report_undefined_host(ctx, n->pos, hname, where);
		return false;
	}
	h = &t->hosts[hi];
	if (ctx->host_src[hi].broken)
		return false;
	ii = topo_index_iface(ctx, hi, ifname);
	if (ii == SIZE_MAX) {
		like = topo_suggest(ctx, ifname, h->ifaces, h->n_ifaces, sizeof(*h->ifaces),
				    offsetof(struct topo_iface, name));
		if (like)
			topo_report(ctx, n->pos, "host '%s' has no interface '%s' (%s); did you mean '%s'?",
				    topo_q(hname), topo_q(ifname), where + 3, topo_q(like));
		else
			topo_report(ctx, n->pos, "host '%s' has no interface '%s' (%s); declare it under the host's 'interfaces:'",
				    topo_q(hname), topo_q(ifname), where + 3);
		return false;
	}
	if (ctx->host_src[hi].ifaces[ii].broken)
		return false;
	*hp = hi;
	*ip = ii;
	return true;
}

static void parse_link(struct topo_pctx *ctx, const struct topo_ynode *n, size_t num)
{
	struct topo *t = ctx->t;
	char where[TOPO_WHERE_MAX];
	size_t h[2], i[2];
	bool ok[2];
	struct topo_iface_src *src[2] = { NULL, NULL };

	snprintf(where, sizeof(where), "in link %zu", num + 1);
	if (n->type != TOPO_YSEQ) {
		topo_report(ctx, n->pos, "link %zu must be a pair of ends such as [red:eth1, blue:eth1], not %s",
			    num + 1, topo_ydesc(n));
		ctx->links_broken = true;
		return;
	}
	if (n->n != 2) {
		topo_report(ctx, n->pos, "link %zu has %zu ends; a link joins exactly two, e.g. [red:eth1, blue:eth1]",
			    num + 1, n->n);
		ctx->links_broken = true;
		return;
	}
	for (int e = 0; e < 2; e++) {
		const struct topo_iface *iface;

		ok[e] = link_end(ctx, n->items[e], where, &h[e], &i[e]);
		if (!ok[e]) {
			/* It may have meant any interface. */
			ctx->links_broken = true;
			continue;
		}
		iface = &t->hosts[h[e]].ifaces[i[e]];
		src[e] = &ctx->host_src[h[e]].ifaces[i[e]];
		if (e == 1 && ok[0] && h[0] == h[1] && i[0] == i[1]) {
			topo_report(ctx, n->items[1]->pos, "link %zu joins '%s' to itself; a link joins two different interfaces",
				    num + 1, topo_qiface(&t->hosts[h[1]], iface));
			ok[0] = ok[1] = false;
			break;
		}
		if (src[e]->sw_named) {
			topo_report(ctx, n->items[e]->pos, "'%s' %s is a switch port; a link end must be an interface without 'switch:', give the host another interface",
				    topo_qiface(&t->hosts[h[e]], iface), where);
			ok[e] = false;
			continue;
		}
		if (src[e]->link) {
			topo_report(ctx, n->items[e]->pos, "'%s' %s is already an end of the link at %s; an interface can end one link only",
				    topo_qiface(&t->hosts[h[e]], iface), where,
				    topo_qpos(src[e]->link_pos));
			ok[e] = false;
			continue;
		}
		/* Marked even if the other end is wrong, so this one is not
		 * also reported as unconnected. */
		src[e]->link = num + 1;
		src[e]->link_pos = n->pos;
	}
	if (!ok[0] || !ok[1])
		return;
	{
		struct topo_link *l = &t->links[t->n_links++];

		l->pos = n->pos;
		for (int e = 0; e < 2; e++) {
			l->end[e].host = &t->hosts[h[e]];
			l->end[e].iface = &t->hosts[h[e]].ifaces[i[e]];
		}
	}
}

void topo_parse_links(struct topo_pctx *ctx, const struct topo_ynode *n)
{
	struct topo *t = ctx->t;

	if (n->type == TOPO_YSCALAR && n->null)
		return;
	if (n->type != TOPO_YSEQ) {
		topo_report(ctx, n->pos, "'links' must be a list of pairs such as [[red:eth1, blue:eth1]], not %s",
			    topo_ydesc(n));
		ctx->links_broken = true;
		return;
	}
	t->links = calloc(n->n ? n->n : 1, sizeof(*t->links));
	if (!t->links) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t k = 0; k < n->n; k++)
		parse_link(ctx, n->items[k], k);
}

/* ---- expectations ---- */

struct hostset {
	size_t *idx;
	size_t n;
	bool ok;
};

static void expect_hosts(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
			 const char *where, struct hostset *set)
{
	const struct topo *t = ctx->t;
	const struct topo_ynode *const *items = &n;
	size_t count = 1, cap = 0;
	bool all = false;

	set->idx = NULL;
	set->n = 0;
	set->ok = false;
	if (n->type == TOPO_YSEQ) {
		items = (const struct topo_ynode *const *)n->items;
		count = n->n;
		if (!count) {
			topo_report(ctx, n->pos, "'%s' %s is empty; name a host, a list of hosts, or \"*\"",
				    key, where);
			return;
		}
	} else if (n->type != TOPO_YSCALAR || n->null) {
		topo_report(ctx, n->pos, "'%s' %s must be a host, a list of hosts, or \"*\" for every host, not %s",
			    key, where, topo_ydesc(n));
		return;
	}
	set->ok = true;
	for (size_t k = 0; k < count; k++) {
		const char *s;
		size_t h;

		if (!topo_yget_str(ctx, items[k], key, where, &s)) {
			set->ok = false;
			continue;
		}
		if (!strcmp(s, ANY_HOST)) {
			all = true;
			continue;
		}
		h = topo_index_host(ctx, s);
		if (h == SIZE_MAX) {
			report_undefined_host(ctx, items[k]->pos, s, where);
			set->ok = false;
			continue;
		}
		if (all)
			continue;
		if (array_reserve(&set->idx, &cap, set->n + 1, sizeof(*set->idx))) {
			ctx->err = -ENOMEM;
			return;
		}
		set->idx[set->n++] = h;
	}
	if (all) {
		/* "*" once stands for every host, in file order; repeating
		 * it or naming hosts besides adds nothing. */
		free(set->idx);
		set->idx = calloc(t->n_hosts ? t->n_hosts : 1, sizeof(*set->idx));
		if (!set->idx) {
			ctx->err = -ENOMEM;
			return;
		}
		for (set->n = 0; set->n < t->n_hosts; set->n++)
			set->idx[set->n] = set->n;
	}
}

/* Returns false once the expansion limit was hit (reported). */
static bool parse_expect(struct topo_pctx *ctx, const struct topo_ynode *n, size_t num,
			 size_t *cap)
{
	struct topo *t = ctx->t;
	const struct topo_ynode *from, *to, *reach;
	struct hostset fs = { 0 }, ts = { 0 };
	char where[TOPO_WHERE_MAX];
	bool r = true, more = true, bad = false, added = false;
	size_t unknown;

	snprintf(where, sizeof(where), "in expect %zu", num);
	if (n->type != TOPO_YMAP) {
		topo_report(ctx, n->pos, "expect %zu must be a mapping such as {from: red, to: blue}, not %s",
			    num, topo_ydesc(n));
		return true;
	}
	unknown = topo_ycheck_keys(ctx, n, expect_keys, where);
	from = topo_ymap_get(n, "from", NULL);
	to = topo_ymap_get(n, "to", NULL);
	reach = topo_ymap_get(n, "reach", NULL);
	if (unknown) /* a missing key is probably the misspelt one */
		bad = true;
	else if (!from)
		topo_report(ctx, n->pos, "no 'from' %s; add the host(s) to ping from, or \"*\"", where);
	if (!to && !unknown)
		topo_report(ctx, n->pos, "no 'to' %s; add the host(s) to ping, or \"*\"", where);
	if (reach && !topo_yget_bool(ctx, reach, "reach", where, &r))
		bad = true;
	if (from)
		expect_hosts(ctx, from, "from", where, &fs);
	if (to)
		expect_hosts(ctx, to, "to", where, &ts);
	if (bad || !fs.ok || !ts.ok || ctx->err)
		goto out;
	if (fs.n && ts.n > (TOPO_EXPECT_MAX - t->n_expects) / fs.n) {
		topo_report(ctx, n->pos, "the expectations expand to more than %d host pairs; name fewer hosts",
			    TOPO_EXPECT_MAX);
		more = false;
		goto out;
	}
	if (array_reserve(&t->expects, cap, t->n_expects + fs.n * ts.n, sizeof(*t->expects))) {
		ctx->err = -ENOMEM;
		goto out;
	}
	for (size_t a = 0; a < fs.n; a++) {
		for (size_t b = 0; b < ts.n; b++) {
			struct topo_expect *e;

			if (fs.idx[a] == ts.idx[b]) /* a host always reaches itself */
				continue;
			e = &t->expects[t->n_expects++];
			e->from = &t->hosts[fs.idx[a]];
			e->to = &t->hosts[ts.idx[b]];
			e->reach = r;
			e->pos = n->pos;
			added = true;
		}
	}
	if (!added)
		topo_report(ctx, n->pos, "expect %zu only pairs a host with itself, which it always reaches; name other hosts in 'to'",
			    num);
out:
	free(fs.idx);
	free(ts.idx);
	return more;
}

static int expect_cmp(const void *pa, const void *pb)
{
	const struct topo_expect *a = *(const struct topo_expect *const *)pa;
	const struct topo_expect *b = *(const struct topo_expect *const *)pb;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The same pair may be named more than once ("*" first, then exceptions):
 * the last expectation for a pair wins, in its place. */
static void expects_dedup(struct topo_pctx *ctx)
{
	struct topo *t = ctx->t;
	struct topo_expect **order;
	bool *drop;
	size_t out = 0;

	if (t->n_expects < 2)
		return;
	order = malloc(t->n_expects * sizeof(*order));
	drop = calloc(t->n_expects, sizeof(*drop));
	if (!order || !drop) {
		ctx->err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t->n_expects; i++)
		order[i] = &t->expects[i];
	qsort(order, t->n_expects, sizeof(*order), expect_cmp);
	for (size_t i = 0; i + 1 < t->n_expects; i++)
		if (order[i]->from == order[i + 1]->from && order[i]->to == order[i + 1]->to)
			drop[order[i] - t->expects] = true;
	for (size_t i = 0; i < t->n_expects; i++)
		if (!drop[i])
			t->expects[out++] = t->expects[i];
	t->n_expects = out;
out:
	free(order);
	free(drop);
}

void topo_parse_expects(struct topo_pctx *ctx, const struct topo_ynode *n)
{
	size_t cap = 0;

	if (n->type == TOPO_YSCALAR && n->null)
		return;
	if (n->type != TOPO_YSEQ) {
		topo_report(ctx, n->pos, "'expect' must be a list such as [{from: red, to: blue}], not %s",
			    topo_ydesc(n));
		return;
	}
	for (size_t k = 0; k < n->n && !ctx->err; k++)
		if (!parse_expect(ctx, n->items[k], k + 1, &cap))
			break;
	expects_dedup(ctx);
}
