// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/fsutil.h"

#define JOURNAL_HEADER "nslab-journal 1\n"
#define JOURNAL_MAX (256u << 20)

int journal_open(const char *path, struct journal **out)
{
	struct journal *j = calloc(1, sizeof(*j));
	struct stat st;
	int rc;

	if (!j)
		return -ENOMEM;
	j->fd = -1;
	j->path = strdup(path);
	if (!j->path) {
		rc = -ENOMEM;
		goto fail;
	}
	j->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		rc = err_set(-errno, "opening journal %s", path);
		goto fail;
	}
	if (fstat(j->fd, &st) == 0 && st.st_size == 0)
		sb_puts(&j->pending, JOURNAL_HEADER);
	*out = j;
	return 0;
fail:
	journal_close(j);
	return rc;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	sb_free(&j->pending);
	free(j->path);
	free(j);
}

int journal_load(const char *path, struct objset *cur)
{
	char *buf = NULL, *line, *save = NULL;
	int rc, lineno = 0;

	rc = fs_read_file(path, JOURNAL_MAX, &buf, NULL);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return err_set(rc, "reading journal %s", path);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct obj *o;

		lineno++;
		if (lineno == 1 && !strncmp(line, "nslab-journal ", 14))
			continue;
		if (!strcmp(line, "=")) {
			for (size_t i = 0; i < cur->n; i++)
				cur->v[i]->flags |= OBJ_F_CONFIRMED;
			continue;
		}
		if ((line[0] != '+' && line[0] != '-') || line[1] != ' ')
			goto bad;
		if (line[0] == '+') {
			rc = obj_parse(line + 2, &o);
			if (rc == -EINVAL)
				goto bad;
			if (rc)
				goto out;
			o->flags &= ~OBJ_F_CONFIRMED;
			rc = objset_put(cur, o);
			if (rc)
				goto out;
		} else {
			char kind[32], ns[256], name[256];
			enum obj_kind k;

			if (sscanf(line + 2, "%31s %255s %255s", kind, ns, name) != 3 ||
			    obj_kind_parse(kind, &k))
				goto bad;
			objset_del(cur, &(struct obj){ .kind = k, .ns = ns, .name = name });
		}
	}
	rc = 0;
	goto out;
bad:
	/* A torn last line is what a crash mid-write leaves: everything before
	 * it is still good, and the object it was about to record was not
	 * created yet (records are written before the kernel is asked). */
	if (!strtok_r(NULL, "\n", &save)) {
		rc = 0;
		goto out;
	}
	rc = err_msg(-EINVAL, "journal %s: line %d is malformed", path, lineno);
out:
	free(buf);
	return rc;
}

int journal_add(struct journal *j, const struct obj *o)
{
	char *s = obj_format(o);

	if (!s)
		return -ENOMEM;
	sb_printf(&j->pending, "+ %s\n", s);
	free(s);
	return sb_error(&j->pending);
}

int journal_del(struct journal *j, const struct obj *o)
{
	sb_printf(&j->pending, "- %s %s %s\n", obj_kind_name(o->kind), o->ns, o->name);
	return sb_error(&j->pending);
}

int journal_commit(struct journal *j)
{
	sb_puts(&j->pending, "=\n");
	return journal_write(j);
}

int journal_write(struct journal *j)
{
	const char *p = sb_str(&j->pending);
	size_t left = j->pending.len;
	int rc = sb_error(&j->pending);

	if (rc)
		return rc;
	while (left) {
		ssize_t n = write(j->fd, p, left);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_set(-errno, "writing journal %s", j->path);
		}
		p += n;
		left -= (size_t)n;
	}
	sb_reset(&j->pending);
	return 0;
}

int journal_compact(struct journal *j, const struct objset *cur)
{
	struct strbuf sb = STRBUF_INIT;
	int rc, fd;

	sb_puts(&sb, JOURNAL_HEADER);
	for (size_t i = 0; i < cur->n; i++) {
		char *s = obj_format(cur->v[i]);

		if (!s) {
			rc = -ENOMEM;
			goto out;
		}
		sb_printf(&sb, "+ %s\n", s);
		free(s);
	}
	sb_puts(&sb, "=\n");
	rc = sb_error(&sb);
	if (rc)
		goto out;
	rc = fs_write_atomic(j->path, sb.s, sb.len, 0600);
	if (rc) {
		err_set(rc, "rewriting journal %s", j->path);
		goto out;
	}
	/* The old fd points at the replaced file: reopen. */
	fd = open(j->path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		rc = err_set(-errno, "reopening journal %s", j->path);
		goto out;
	}
	close(j->fd);
	j->fd = fd;
	sb_reset(&j->pending);
out:
	sb_free(&sb);
	return rc;
}
