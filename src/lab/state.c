// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/fsutil.h"
#include "topo/topo.h"

#define META_FILE "lab.json"
#define TOPO_FILE "topology.yaml"

const char *state_root(void)
{
	const char *r = getenv("NSLAB_RUN_DIR");

	return r && *r ? r : "/run/nslab";
}

int state_path(const char *lab, const char *file, char *buf, size_t len)
{
	int n;

	if (file)
		n = snprintf(buf, len, "%s/%s/%s", state_root(), lab, file);
	else
		n = snprintf(buf, len, "%s/%s", state_root(), lab);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Whether the locked fd is still the file at path: a run that removed the
 * lab (down, a rolled back first up) deletes its directory, lock and all,
 * before it lets go of the lock. */
static bool still_there(int fd, const char *path)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat(path, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int state_lock(const char *lab, int *fdp)
{
	char dir[4096], path[4096];
	bool said = false;
	int fd, rc;

	rc = state_path(lab, NULL, dir, sizeof(dir));
	if (!rc)
		rc = state_path(lab, "lock", path, sizeof(path));
	if (rc)
		return rc;
	for (;;) {
		rc = fs_mkdir_p(dir, 0700);
		if (rc)
			return err_set(rc, "creating %s", dir);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return err_set(-errno, "opening %s", path);
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			if (errno != EWOULDBLOCK) {
				rc = err_set(-errno, "locking %s", path);
				close(fd);
				return rc;
			}
			if (!said)
				fprintf(stderr, "nslab: %s: waiting for another nslab working on this lab\n",
					lab);
			said = true;
			if (flock(fd, LOCK_EX)) {
				rc = err_set(-errno, "locking %s", path);
				close(fd);
				return rc;
			}
		}
		if (still_there(fd, path))
			break;
		/* The lab went while we waited: start again with none. */
		close(fd);
	}
	*fdp = fd;
	return 0;
}

void state_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

void state_meta_free(struct lab_meta *m)
{
	free(m->name);
	free(m->file);
	free(m->uplink);
	free(m->uplink6);
	memset(m, 0, sizeof(*m));
}

int state_meta_read(const char *lab, struct lab_meta *m)
{
	char path[4096];
	json_error_t jerr;
	json_t *j, *v;
	bool has_file;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = state_path(lab, META_FILE, path, sizeof(path));
	if (rc)
		return rc;
	j = json_load_file(path, 0, &jerr);
	if (!j) {
		if (access(path, F_OK))
			return -ENOENT;
		return err_msg(-EINVAL, "%s: %s", path, jerr.text);
	}
	m->name = strdup(lab);
	m->sandbox = json_is_true(json_object_get(j, "sandbox"));
	m->builtin = json_is_true(json_object_get(j, "builtin"));
	v = json_object_get(j, "file");
	has_file = json_is_string(v);
	if (has_file)
		m->file = strdup(json_string_value(v));
	v = json_object_get(j, "uplink6");
	if (json_is_string(v))
		m->uplink6 = strdup(json_string_value(v));
	v = json_object_get(j, "uplink");
	if ((json_is_string(v) && !(m->uplink = strdup(json_string_value(v)))) ||
	    (json_is_string(json_object_get(j, "uplink6")) && !m->uplink6)) {
		json_decref(j);
		state_meta_free(m);
		return -ENOMEM;
	}
	m->created = json_integer_value(json_object_get(j, "created"));
	m->host_ino = (unsigned long)json_integer_value(json_object_get(j, "host_netns_ino"));
	m->group = (uint32_t)json_integer_value(json_object_get(j, "group"));
	json_decref(j);
	if (!m->name || (has_file && !m->file)) {
		state_meta_free(m);
		return -ENOMEM;
	}
	return 0;
}

int state_meta_write(const struct lab_meta *m)
{
	char path[4096], *text = NULL;
	json_t *j;
	int rc;

	rc = state_path(m->name, META_FILE, path, sizeof(path));
	if (rc)
		return rc;
	j = json_pack("{s:i, s:s, s:b, s:b, s:I, s:I, s:I}", "version", 1, "name", m->name,
		      "sandbox", m->sandbox, "builtin", m->builtin, "created",
		      (json_int_t)m->created, "host_netns_ino", (json_int_t)m->host_ino, "group",
		      (json_int_t)m->group);
	if (!j)
		return -ENOMEM;
	if ((m->file && json_object_set_new(j, "file", json_string(m->file))) ||
	    (m->uplink && json_object_set_new(j, "uplink", json_string(m->uplink))) ||
	    (m->uplink6 && json_object_set_new(j, "uplink6", json_string(m->uplink6)))) {
		json_decref(j);
		return -ENOMEM;
	}
	text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (!text)
		return -ENOMEM;
	rc = fs_write_atomic(path, text, strlen(text), 0600);
	free(text);
	return rc ? err_set(rc, "writing %s", path) : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list(char ***namesp, size_t *np)
{
	char **names = NULL, **nn;
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	*namesp = NULL;
	*np = 0;
	d = opendir(state_root());
	if (!d)
		return errno == ENOENT ? 0 : err_set(-errno, "reading %s", state_root());
	while ((de = readdir(d))) {
		char p[4096];

		if (de->d_name[0] == '.')
			continue;
		if (state_path(de->d_name, "journal", p, sizeof(p)) || access(p, F_OK)) {
			if (state_path(de->d_name, META_FILE, p, sizeof(p)) || access(p, F_OK))
				continue;
		}
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			goto nomem;
		names = nn;
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto nomem;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*namesp = names;
	*np = n;
	return 0;
nomem:
	closedir(d);
	state_list_free(names, n);
	return -ENOMEM;
}

void state_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int state_remove(const char *lab)
{
	char dir[4096];
	int rc = state_path(lab, NULL, dir, sizeof(dir));

	return rc ? rc : fs_remove_tree(dir);
}

int state_save_topo(const char *lab, const char *buf, size_t len)
{
	char path[4096];
	int rc = state_path(lab, TOPO_FILE, path, sizeof(path));

	if (rc)
		return rc;
	rc = fs_write_atomic(path, buf, len, 0600);
	return rc ? err_set(rc, "writing %s", path) : 0;
}

bool state_finished(const struct lab_meta *m)
{
	char path[4096];

	return m->builtin ||
	       (!state_path(m->name, TOPO_FILE, path, sizeof(path)) && access(path, F_OK) == 0);
}

int state_load_topo(const struct lab_meta *m, struct topo **t)
{
	struct topo_diag diag = { 0 };
	char path[4096];
	int rc;

	if (m->builtin) {
		*t = topo_seed();
		return *t ? 0 : -ENOMEM;
	}
	rc = state_path(m->name, TOPO_FILE, path, sizeof(path));
	if (rc)
		return rc;
	rc = topo_parse_file(path, t, &diag);
	if (!rc) {
		/* The copy's file name is not the lab's: keep what up used. */
		char *name = strdup(m->name), *file = m->file ? strdup(m->file) : NULL;

		if (!name || (m->file && !file)) {
			free(name);
			free(file);
			topo_free(*t);
			*t = NULL;
			rc = -ENOMEM;
		} else {
			free((*t)->name);
			free((*t)->file);
			(*t)->name = name;
			(*t)->file = file;
		}
	} else if (rc == -EINVAL && diag.n)
		err_msg(rc, "%s", diag.lines[0]);
	else if (rc)
		err_set(rc, "reading %s", path);
	topo_diag_free(&diag);
	return rc;
}
