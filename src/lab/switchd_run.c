// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/switchd_run.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/fsutil.h"
#include "common/util.h"
#include "kernel/netns.h"
#include "lab/obj.h"
#include "lab/state.h"
#include "lab/swclient.h"

#define SWITCHD_TIMEOUT_MS 10000

int switchd_path(const char *lab, const char *sw, const char *ext, char *buf, size_t len)
{
	char file[64];

	snprintf(file, sizeof(file), "%s.%s", sw, ext);
	return state_path(lab, file, buf, len);
}

const char *switchd_program(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("NSLAB_SWITCHD");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", path, sizeof(path) - 20);
	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash + 1, "nslab-switchd");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return "nslab-switchd";
}

/* "a:v1,b:t10.20n1" -> the config's "ports" array. */
static json_t *ports_json(const char *spec)
{
	json_t *ports = json_array();
	char *copy = strdup(spec), *save = NULL;

	if (!ports || !copy)
		goto fail;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(p, ':');
		json_t *port;

		if (!colon)
			goto fail;
		*colon = '\0';
		port = json_pack("{s:s}", "name", p);
		if (!port || json_array_append_new(ports, port))
			goto fail;
		if (colon[1] == 'v') {
			json_object_set_new(port, "vlan", json_integer(atoi(colon + 2)));
		} else if (colon[1] == 't') {
			json_t *vids = json_array();
			char *q = colon + 2, *end;

			json_object_set_new(port, "trunk", vids);
			while (*q && *q != 'n') {
				json_array_append_new(vids, json_integer(strtol(q, &end, 10)));
				q = *end == '.' ? end + 1 : end;
			}
			if (*q == 'n')
				json_object_set_new(port, "native", json_integer(atoi(q + 1)));
		}
	}
	free(copy);
	return ports;
fail:
	free(copy);
	json_decref(ports);
	return NULL;
}

int switchd_write_config(const char *lab, const struct obj *o)
{
	char path[4096], ports[1 << 16], *text;
	long size = obj_get_long(o->attrs, "fdb_size", 0);
	long aging = obj_get_long(o->attrs, "fdb_aging", 0);
	json_t *cfg, *fdb, *pj;
	int rc;

	rc = switchd_path(lab, o->name, "json", path, sizeof(path));
	if (rc)
		return rc;
	/* The ports list can be long: take it straight from the attributes. */
	{
		size_t n;
		const char *p = obj_attr(o->attrs, "ports", &n);

		if (n >= sizeof(ports))
			return -E2BIG;
		memcpy(ports, p ? p : "", n);
		ports[n] = '\0';
	}
	pj = ports_json(ports);
	fdb = json_object();
	cfg = json_object();
	if (!pj || !fdb || !cfg) {
		json_decref(pj);
		json_decref(fdb);
		json_decref(cfg);
		return -ENOMEM;
	}
	if (size)
		json_object_set_new(fdb, "size", json_integer(size));
	if (obj_get_long(o->attrs, "ring_ports", 0) > 0)
		json_object_set_new(cfg, "ring_ports",
				    json_integer(obj_get_long(o->attrs, "ring_ports", 0)));
	if (aging)
		json_object_set_new(fdb, "aging", json_integer(aging));
	json_object_set_new(cfg, "switch", json_string(o->name));
	json_object_set_new(cfg, "fdb", fdb);
	{
		char fast[8];

		if (obj_get(o->attrs, "fast_path", fast, sizeof(fast)) && !strcmp(fast, "off"))
			json_object_set_new(cfg, "fast_path", json_false());
		if (obj_get(o->attrs, "mld_snooping", fast, sizeof(fast)) && !strcmp(fast, "off"))
			json_object_set_new(cfg, "mld_snooping", json_false());
		if (obj_get(o->attrs, "igmp_snooping", fast, sizeof(fast)) && !strcmp(fast, "off"))
			json_object_set_new(cfg, "igmp_snooping", json_false());
	}
	json_object_set_new(cfg, "ports", pj);
	text = json_dumps(cfg, JSON_INDENT(1));
	json_decref(cfg);
	if (!text)
		return -ENOMEM;
	rc = fs_write_atomic(path, text, strlen(text), 0600);
	free(text);
	return rc ? err_set(rc, "writing %s", path) : 0;
}

/*
 * Whether pid is a live nslab-switchd (not a recycled pid). A zombie is not
 * live: the daemon has closed its ports, and it may stay a zombie for a
 * while, since whoever inherits it (init on some machines) reaps lazily.
 * Nor is a daemon that is dying (killed, exiting): right after `kill -9`
 * it still runs for milliseconds, closing its sockets.
 */
#define TASK_PF_EXITING 0x4u /* include/linux/sched.h */

enum daemon_state { DAEMON_NONE, DAEMON_DYING, DAEMON_LIVE };

static bool sigkill_pending(pid_t pid)
{
	char path[64], *st, *p;
	bool yes = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (fs_read_file(path, 16384, &st, NULL))
		return false;
	for (p = st; p && !yes; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "SigPnd:", 7) || !strncmp(p, "ShdPnd:", 7))
			yes = (strtoull(p + 7, NULL, 16) >> (SIGKILL - 1)) & 1;
	free(st);
	return yes;
}

static enum daemon_state daemon_state(pid_t pid)
{
	char path[64], *stat, *name, *end, *f;
	enum daemon_state ds = DAEMON_NONE;
	unsigned long flags;

	if (pid <= 0 || kill(pid, 0))
		return DAEMON_NONE;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (fs_read_file(path, 4096, &stat, NULL))
		return DAEMON_NONE;
	/* "pid (comm) S ppid pgrp session tty tpgid flags ...": comm may
	 * hold spaces and parentheses. */
	name = strchr(stat, '(');
	end = strrchr(stat, ')');
	if (name && end && end > name && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X' &&
	    !strncmp(name + 1, "nslab-switchd)", 14)) {
		f = end + 2;
		for (int i = 0; f && i < 6; i++)
			f = (f = strchr(f, ' ')) ? f + 1 : NULL;
		flags = f ? strtoul(f, NULL, 10) : 0;
		ds = (flags & TASK_PF_EXITING) || sigkill_pending(pid) ? DAEMON_DYING : DAEMON_LIVE;
	}
	free(stat);
	return ds;
}

static pid_t read_pid_file(const char *lab, const char *sw)
{
	char path[4096], *buf;
	long pid;

	if (switchd_path(lab, sw, "pid", path, sizeof(path)) ||
	    fs_read_file(path, 64, &buf, NULL))
		return 0;
	pid = strtol(buf, NULL, 10);
	free(buf);
	return pid > 0 && pid <= INT_MAX ? (pid_t)pid : 0;
}

/* The daemon's pid: its pid file's, or, with that file gone or stale (a
 * hand deleted it), the one its control socket reports, so that a daemon
 * that runs is never started twice (two on the same ports copy every
 * flood) nor left behind by down. */
static pid_t read_pid(const char *lab, const char *sw)
{
	pid_t pid = read_pid_file(lab, sw);
	char sock[4096];
	json_t *reply;
	json_int_t p;

	if (pid && daemon_state(pid) != DAEMON_NONE)
		return pid;
	if (switchd_path(lab, sw, "sock", sock, sizeof(sock)) || access(sock, F_OK))
		return pid;
	if (swclient_cmd(sock, "status", 1000, &reply)) {
		err_clear();
		return pid;
	}
	p = json_integer_value(json_object_get(reply, "pid"));
	json_decref(reply);
	return p > 0 && p <= INT_MAX && daemon_state((pid_t)p) != DAEMON_NONE ? (pid_t)p : pid;
}

bool switchd_alive(const char *lab, const char *sw)
{
	return daemon_state(read_pid(lab, sw)) == DAEMON_LIVE;
}

/* One daemon being started: its detaching parent and what it says. */
struct spawn {
	const struct obj *o;
	pid_t child;
	int fd;             /* the read end of its stderr; -1 once closed */
	bool exited;
	int status;
	char err[1024];
	size_t elen;
};

static int spawn_one(const char *lab, const struct switchd_start_req *r, struct spawn *sp)
{
	char cfg[4096], sock[4096], pid[4096], log[4096];
	const char *prog = switchd_program();
	int pipefd[2], rc;

	sp->o = r->o;
	sp->fd = -1;
	sp->child = -1;
	if (switchd_path(lab, r->o->name, "json", cfg, sizeof(cfg)) ||
	    switchd_path(lab, r->o->name, "sock", sock, sizeof(sock)) ||
	    switchd_path(lab, r->o->name, "pid", pid, sizeof(pid)) ||
	    switchd_path(lab, r->o->name, "log", log, sizeof(log)))
		return -ENAMETOOLONG;
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	sp->child = fork();
	if (sp->child < 0) {
		rc = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return rc;
	}
	if (sp->child == 0) {
		int devnull = open("/dev/null", O_RDWR);

		/* Out of the terminal's process group: a Ctrl-C meant for nslab
		 * must not kill the launcher before its daemon has detached
		 * (nslab stops and rolls back, and stops the daemon with it). */
		setpgid(0, 0);
		if (r->nsfd >= 0 && setns(r->nsfd, 0))
			_exit(126);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(pipefd[1], 2);
		execlp(prog, prog, "--config", cfg, "--control", sock, "--log", log, "--pidfile",
		       pid, "--detach", (char *)NULL);
		dprintf(2, "cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	sp->fd = pipefd[0];
	return 0;
}

static void spawn_read(struct spawn *sp)
{
	ssize_t n;

	while (sp->fd >= 0 && sp->elen < sizeof(sp->err) - 1 &&
	       (n = read(sp->fd, sp->err + sp->elen, sizeof(sp->err) - 1 - sp->elen)) > 0)
		sp->elen += (size_t)n;
}

/* Its verdict, once it exited or the deadline passed. */
static int spawn_result(struct spawn *sp)
{
	const char *last;

	if (sp->child <= 0)
		return 0;
	spawn_read(sp);
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
	sp->err[sp->elen] = '\0';
	while (sp->elen && sp->err[sp->elen - 1] == '\n')
		sp->err[--sp->elen] = '\0';
	if (!sp->exited) {
		kill(sp->child, SIGKILL);
		waitpid(sp->child, NULL, 0);
		return err_msg(-ETIMEDOUT, "%s: nslab-switchd did not start within %d s",
			       sp->o->name, SWITCHD_TIMEOUT_MS / 1000);
	}
	if (!WIFEXITED(sp->status) || WEXITSTATUS(sp->status)) {
		last = strrchr(sp->err, '\n');
		return err_msg(-EIO, "%s: starting nslab-switchd: %s", sp->o->name,
			       sp->elen ? (last ? last + 1 : sp->err) : "it failed");
	}
	return 0;
}

int switchd_start_many(const char *lab, const struct switchd_start_req *reqs, size_t n)
{
	struct spawn *sp = calloc(n ? n : 1, sizeof(*sp));
	struct pollfd *pf = calloc(n ? n : 1, sizeof(*pf));
	const char **names = calloc(n ? n : 1, sizeof(*names));
	uint64_t deadline;
	size_t left = 0;
	int rc = 0;

	if (!sp || !pf || !names) {
		rc = -ENOMEM;
		goto out;
	}
	/* A dead one's leftovers go first. A killed one still closing its
	 * sockets holds its pid file's lock, but on the file removed here:
	 * the new daemon locks a file of its own. */
	for (size_t i = 0; i < n; i++)
		names[i] = reqs[i].o->name;
	rc = switchd_stop_many(lab, names, n);
	for (size_t i = 0; !rc && i < n; i++)
		rc = switchd_write_config(lab, reqs[i].o);
	/* Started together: each opens its ports and loads its BPF programs
	 * while the others do. */
	for (size_t i = 0; !rc && i < n; i++, left++)
		rc = spawn_one(lab, &reqs[i], &sp[i]);
	/* Read their words until they exit; a detached daemon must not keep
	 * our pipe open, but a short poll keeps us safe if it does. */
	deadline = time_mono_ns() + (uint64_t)SWITCHD_TIMEOUT_MS * 1000000u;
	for (size_t busy = left; busy && time_mono_ns() < deadline;) {
		for (size_t i = 0; i < left; i++) {
			pf[i].fd = sp[i].exited ? -1 : sp[i].fd;
			pf[i].events = POLLIN;
		}
		poll(pf, left, 20);
		busy = 0;
		for (size_t i = 0; i < left; i++) {
			if (sp[i].exited || sp[i].child <= 0)
				continue;
			spawn_read(&sp[i]);
			if (waitpid(sp[i].child, &sp[i].status, WNOHANG) == sp[i].child)
				sp[i].exited = true;
			else
				busy++;
		}
	}
	for (size_t i = 0; i < left; i++) {
		int r = spawn_result(&sp[i]);

		if (!rc)
			rc = r;
	}
out:
	free(sp);
	free(pf);
	free(names);
	return rc;
}

int switchd_reload(const char *lab, const char *sw)
{
	char sock[4096];
	json_t *reply;
	int rc;

	rc = switchd_path(lab, sw, "sock", sock, sizeof(sock));
	if (rc)
		return rc;
	rc = swclient_cmd(sock, "reload", SWITCHD_TIMEOUT_MS, &reply);
	if (rc)
		return err_ctx(rc, "%s: reloading", sw);
	json_decref(reply);
	return 0;
}

/* Whether any of the n pids is still a daemon (live or dying). */
static bool any_running(const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (daemon_state(pids[i]) != DAEMON_NONE)
			return true;
	return false;
}

int switchd_stop_many(const char *lab, const char *const *sws, size_t n)
{
	static const char *const exts[] = { "sock", "pid", "json" };
	pid_t *pids = calloc(n ? n : 1, sizeof(*pids));
	char path[4096];

	if (!pids)
		return -ENOMEM;
	/* All are told at once, so that their exits (each waits for the
	 * kernel to let go of its ports) overlap. They are gone (or zombies,
	 * their sockets closed) on return, but for any already dying. */
	for (size_t i = 0; i < n; i++) {
		enum daemon_state ds;

		pids[i] = read_pid(lab, sws[i]);
		ds = daemon_state(pids[i]);
		if (ds == DAEMON_LIVE)
			kill(pids[i], SIGTERM);
		/* One already dying (killed): the kernel closes its sockets one
		 * by one, seconds for a thousand ports, but they hold nothing a
		 * new daemon needs; not waiting lets a restart begin at once. */
		if (ds == DAEMON_DYING)
			pids[i] = 0;
	}
	for (int t = 0; t < 200 && any_running(pids, n); t++)
		usleep(10000);
	if (any_running(pids, n)) {
		for (size_t i = 0; i < n; i++)
			if (daemon_state(pids[i]) != DAEMON_NONE)
				kill(pids[i], SIGKILL);
		for (int t = 0; t < 100 && any_running(pids, n); t++)
			usleep(10000);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; e < ARRAY_SIZE(exts); e++)
			if (!switchd_path(lab, sws[i], exts[e], path, sizeof(path)))
				unlink(path);
	free(pids);
	return 0;
}

int switchd_stop(const char *lab, const char *sw)
{
	return switchd_stop_many(lab, &sw, 1);
}
