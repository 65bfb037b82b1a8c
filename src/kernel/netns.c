// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named network namespaces, made the way iproute2's `ip netns add` makes
 * them (ip/ipnetns.c): /run/netns is made a shared mount point (bind-mounted
 * onto itself first if it is not one), so that a namespace mounted there is
 * seen by every mount namespace that shares it; an empty file
 * /run/netns/NAME is created and /proc/thread-self/ns/net bind-mounted onto
 * it after unshare(CLONE_NEWNET), which keeps the namespace alive without
 * any process in it.
 *
 * Only the calling thread moves (unshare and setns act on the thread, and
 * CLONE_NEWNET is allowed in a multi-threaded process), and it always
 * returns to where it was.
 */
#include "kernel/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/fsutil.h"
#include "common/util.h"
#include "kernel/nl.h"

#define SELF_NS "/proc/thread-self/ns/net"
#define KILL_POLL_MS 10
/* How long SIGKILLed processes get to disappear before we stop looking. */
#define KILL_GRACE_MS 1000

static int netns_path(const char *name, char *path, size_t len)
{
	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return err_set(-EINVAL, "namespace name '%s'", name);
	if ((size_t)snprintf(path, len, "%s/%s", NETNS_RUN_DIR, name) >= len)
		return err_set(-ENAMETOOLONG, "namespace name '%s'", name);
	return 0;
}

/* Make NETNS_RUN_DIR exist and be a shared mount point, as ip netns does:
 * try MS_SHARED; if the directory is not a mount point (EINVAL), bind it
 * onto itself and try again. Done once per process: a thousand namespaces
 * need not ask a thousand times. */
static int netns_prepare_dir(void)
{
	static bool done;
	bool bound = false;
	int rc;

	if (done)
		return 0;
	rc = fs_mkdir_p(NETNS_RUN_DIR, 0755);
	if (rc)
		return err_set(rc, "creating %s", NETNS_RUN_DIR);
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL)) {
		if (errno != EINVAL || bound)
			return err_set(-errno, "making %s a shared mount", NETNS_RUN_DIR);
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL))
			return err_set(-errno, "bind-mounting %s", NETNS_RUN_DIR);
		bound = true;
	}
	done = true;
	return 0;
}

int netns_create(const char *name, int *nsfd, struct nl **nlp)
{
	char path[PATH_MAX];
	struct nl *nl = NULL;
	bool mounted = false;
	int self = -1, fd = -1, rc;

	if (nsfd)
		*nsfd = -1;
	if (nlp)
		*nlp = NULL;
	rc = netns_path(name, path, sizeof(path));
	if (rc)
		return rc;
	rc = netns_prepare_dir();
	if (rc)
		return err_ctx(rc, "creating namespace %s", name);
	/* O_EXCL makes the name ours, or tells us it is taken. */
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return err_set(-errno, "creating namespace %s", name);
	close(fd);
	fd = -1;
	self = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		rc = err_set(-errno, "creating namespace %s: opening %s", name, SELF_NS);
		goto fail_file;
	}
	if (unshare(CLONE_NEWNET)) {
		rc = err_set(-errno, "creating namespace %s", name);
		goto fail_file;
	}
	/* From here the thread is inside the new namespace: every exit goes
	 * through setns(self). */
	if (nlp) {
		rc = nl_open(&nl);
		if (rc) {
			err_ctx(rc, "creating namespace %s", name);
			goto back;
		}
	}
	if (mount(SELF_NS, path, "none", MS_BIND, NULL)) {
		rc = err_set(-errno, "creating namespace %s: bind-mounting it on %s", name, path);
		goto back;
	}
	mounted = true;
	if (nsfd) {
		fd = open(SELF_NS, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			rc = err_set(-errno, "creating namespace %s: opening it", name);
	}
back:
	if (setns(self, CLONE_NEWNET)) {
		int rc2 = -errno;

		/* Cannot happen short of a kernel bug; a thread stranded in
		 * the wrong namespace must not go on as if home. */
		if (!rc)
			rc = err_set(rc2, "creating namespace %s: returning to the original namespace", name);
	}
	close(self);
	self = -1;
	if (rc)
		goto fail;
	if (nsfd)
		*nsfd = fd;
	if (nlp)
		*nlp = nl;
	return 0;

fail:
	if (fd >= 0)
		close(fd);
	nl_close(nl);
	if (mounted)
		umount2(path, MNT_DETACH);
fail_file:
	if (self >= 0)
		close(self);
	unlink(path);
	return rc;
}

int netns_open(const char *name, int *nsfd)
{
	char path[PATH_MAX];
	int rc, fd;

	*nsfd = -1;
	rc = netns_path(name, path, sizeof(path));
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(-errno, "opening namespace %s", name);
	*nsfd = fd;
	return 0;
}

bool netns_exists(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (!name[0] || strchr(name, '/') ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name) >= sizeof(path))
		return false;
	return stat(path, &st) == 0;
}

int netns_delete(const char *name)
{
	char path[PATH_MAX];
	int rc;

	rc = netns_path(name, path, sizeof(path));
	if (rc)
		return rc;
	/* MNT_DETACH as ip netns del: a process still holding the mount (a
	 * cwd, an fd) must not make us fail. EINVAL is a file that was never
	 * mounted (a crash between creating and mounting it); ENOENT an
	 * absent one. */
	if (umount2(path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		return err_set(-errno, "deleting namespace %s: unmounting %s", name, path);
	if (unlink(path) && errno != ENOENT)
		return err_set(-errno, "deleting namespace %s: removing %s", name, path);
	return 0;
}

int netns_ino(int nsfd, unsigned long *ino)
{
	struct stat st;

	if (fstat(nsfd, &st))
		return err_set(-errno, "reading a namespace's inode");
	*ino = (unsigned long)st.st_ino;
	return 0;
}

int netns_self_ino(unsigned long *ino)
{
	struct stat st;

	if (stat(SELF_NS, &st))
		return err_set(-errno, "reading %s", SELF_NS);
	*ino = (unsigned long)st.st_ino;
	return 0;
}

int netns_enter(int nsfd, int *saved)
{
	int self;

	*saved = -1;
	self = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return err_set(-errno, "opening %s", SELF_NS);
	if (setns(nsfd, CLONE_NEWNET)) {
		int rc = -errno;

		close(self);
		return err_set(rc, "entering a network namespace");
	}
	*saved = self;
	return 0;
}

int netns_leave(int saved)
{
	int rc = 0;

	if (saved < 0)
		return 0;
	if (setns(saved, CLONE_NEWNET))
		rc = err_set(-errno, "returning to the original network namespace");
	close(saved);
	return rc;
}

int netns_raise_nofile(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return err_set(-errno, "reading RLIMIT_NOFILE");
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY)
		return 0;
	rl.rlim_cur = need;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		/* Root may raise the hard limit too (CAP_SYS_RESOURCE). */
		unsigned long long hard = rl.rlim_max;

		rl.rlim_max = need;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			return err_msg(-EMFILE,
				       "%zu open files are needed, but the hard limit is %llu and "
				       "cannot be raised (%s); raise it (ulimit -Hn %zu)",
				       need, hard, strerror(errno), need);
		return 0;
	}
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return err_set(-errno, "raising RLIMIT_NOFILE to %zu", need);
	return 0;
}

/* --- processes inside namespaces --------------------------------------- */

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Scan /proc for processes whose network namespace (of the thread group
 * leader, as /proc/PID/ns/net shows and ip netns pids reads) is one of
 * sorted inos[n]. A process that is gone or a zombie (whose ns links no
 * longer resolve) is not listed. */
static int scan_procs(const unsigned long *sorted, size_t n, pid_t **pids, size_t *npids)
{
	size_t cap = 0, cnt = 0;
	pid_t *out = NULL, me = getpid();
	struct dirent *de;
	DIR *d;

	*pids = NULL;
	*npids = 0;
	d = opendir("/proc");
	if (!d)
		return err_set(-errno, "reading /proc");
	while ((de = readdir(d))) {
		char path[64], *end;
		unsigned long ino;
		struct stat st;
		long pid;

		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == me)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st))
			continue;
		ino = (unsigned long)st.st_ino;
		if (!bsearch(&ino, sorted, n, sizeof(*sorted), cmp_ulong))
			continue;
		if (array_reserve(&out, &cap, cnt + 1, sizeof(*out))) {
			closedir(d);
			free(out);
			return -ENOMEM;
		}
		out[cnt++] = (pid_t)pid;
	}
	closedir(d);
	*pids = out;
	*npids = cnt;
	return 0;
}

int netns_pids(unsigned long ino, pid_t **pids, size_t *n)
{
	*pids = NULL;
	*n = 0;
	return scan_procs(&ino, 1, pids, n);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int netns_kill_procs(const unsigned long *inos, size_t n, int sig, int timeout_ms)
{
	unsigned long *sorted;
	pid_t *pids = NULL;
	size_t npids = 0;
	int found, rc, waited;

	if (n == 0)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, inos, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_ulong);
	rc = scan_procs(sorted, n, &pids, &npids);
	if (rc)
		goto out;
	found = (int)npids;
	for (size_t i = 0; i < npids; i++)
		kill(pids[i], sig);
	/* Wait for them to go: rescan, since a pid we signalled may be reused
	 * only by a process outside these namespaces, which we then leave be. */
	for (waited = 0; npids && waited < timeout_ms; waited += KILL_POLL_MS) {
		sleep_ms(KILL_POLL_MS);
		free(pids);
		pids = NULL;
		rc = scan_procs(sorted, n, &pids, &npids);
		if (rc)
			goto out;
	}
	if (npids) {
		for (size_t i = 0; i < npids; i++)
			kill(pids[i], SIGKILL);
		for (waited = 0; npids && waited < KILL_GRACE_MS; waited += KILL_POLL_MS) {
			sleep_ms(KILL_POLL_MS);
			free(pids);
			pids = NULL;
			rc = scan_procs(sorted, n, &pids, &npids);
			if (rc)
				goto out;
		}
	}
	rc = found;
out:
	free(pids);
	free(sorted);
	return rc;
}
