// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/hostsysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/fsutil.h"
#include "common/strbuf.h"
#include "kernel/netns.h"
#include "kernel/sysctl.h"
#include "lab/state.h"

/* The record file: "saved VALUE\n" then one "holder LAB\n" per lab. */
struct record {
	char saved[64];
	char **holders;
	size_t n;
};

static void record_free(struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->holders[i]);
	free(r->holders);
	memset(r, 0, sizeof(*r));
}

static int record_read(const char *path, struct record *r)
{
	char *buf, *line, *save = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = fs_read_file(path, 1 << 20, &buf, NULL);
	if (rc)
		return rc;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "saved ", 6)) {
			snprintf(r->saved, sizeof(r->saved), "%s", line + 6);
		} else if (!strncmp(line, "holder ", 7)) {
			char **h = realloc(r->holders, (r->n + 1) * sizeof(*h));

			if (!h || !(h[r->n] = strdup(line + 7))) {
				if (h)
					r->holders = h;
				rc = -ENOMEM;
				break;
			}
			r->holders = h;
			r->n++;
		}
	}
	free(buf);
	if (rc)
		record_free(r);
	return rc;
}

static int record_write(const char *path, const struct record *r)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	sb_printf(&sb, "saved %s\n", r->saved);
	for (size_t i = 0; i < r->n; i++)
		sb_printf(&sb, "holder %s\n", r->holders[i]);
	rc = sb_error(&sb);
	if (!rc)
		rc = fs_write_atomic(path, sb.s, sb.len, 0600);
	sb_free(&sb);
	return rc;
}

static int open_locked(const char *key, char *path, size_t len, int *lockfd)
{
	char dir[4096], lock[4096];
	unsigned long ino;
	int rc, fd;

	rc = netns_self_ino(&ino);
	if (rc)
		return rc;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/.host", state_root()) >= sizeof(dir) - sizeof("/lock"))
		return err_set(-ENAMETOOLONG, "state directory %s", state_root());
	rc = fs_mkdir_p(dir, 0700);
	if (rc)
		return err_set(rc, "creating %s", dir);
	snprintf(lock, sizeof(lock), "%.*s/lock", (int)(sizeof(lock) - sizeof("/lock")), dir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(-errno, "opening %s", lock);
	if (flock(fd, LOCK_EX)) {
		rc = -errno;
		close(fd);
		return err_set(rc, "locking %s", lock);
	}
	if ((size_t)snprintf(path, len, "%s/sysctl-%lu-%s", dir, ino, key) >= len) {
		close(fd);
		return err_set(-ENAMETOOLONG, "state file for %s", key);
	}
	*lockfd = fd;
	return 0;
}

int hostsysctl_acquire(const char *lab, const char *key, const char *value)
{
	struct record r;
	char path[4096], cur[64];
	bool held = false;
	int rc, lockfd;

	rc = open_locked(key, path, sizeof(path), &lockfd);
	if (rc)
		return rc;
	rc = record_read(path, &r);
	if (rc == -ENOENT) {
		memset(&r, 0, sizeof(r));
		rc = sysctl_read(-1, key, cur, sizeof(cur));
		if (!rc)
			snprintf(r.saved, sizeof(r.saved), "%s", cur);
	}
	if (rc)
		goto out;
	for (size_t i = 0; i < r.n; i++)
		held |= !strcmp(r.holders[i], lab);
	if (!held) {
		char **h = realloc(r.holders, (r.n + 1) * sizeof(*h));

		if (!h) {
			rc = -ENOMEM;
			goto out;
		}
		r.holders = h;
		r.holders[r.n] = strdup(lab);
		if (!r.holders[r.n]) {
			rc = -ENOMEM;
			goto out;
		}
		r.n++;
	}
	/* Record first: if we die after writing the sysctl, the record still
	 * says what to restore. */
	rc = record_write(path, &r);
	if (!rc)
		rc = sysctl_write(-1, key, value);
out:
	record_free(&r);
	close(lockfd);
	return rc ? err_ctx(rc, "setting %s=%s", key, value) : 0;
}

int hostsysctl_release(const char *lab, const char *key)
{
	struct record r;
	char path[4096];
	int rc, lockfd;
	size_t k = 0;

	rc = open_locked(key, path, sizeof(path), &lockfd);
	if (rc)
		return rc;
	rc = record_read(path, &r);
	if (rc == -ENOENT) {
		rc = 0;
		goto out_nofree;
	}
	if (rc)
		goto out_nofree;
	for (size_t i = 0; i < r.n; i++) {
		if (strcmp(r.holders[i], lab))
			r.holders[k++] = r.holders[i];
		else
			free(r.holders[i]);
	}
	r.n = k;
	if (r.n) {
		rc = record_write(path, &r);
	} else {
		rc = sysctl_write(-1, key, r.saved);
		if (!rc && unlink(path) && errno != ENOENT)
			rc = -errno;
	}
	record_free(&r);
out_nofree:
	close(lockfd);
	return rc ? err_ctx(rc, "restoring %s", key) : 0;
}
