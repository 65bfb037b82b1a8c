// SPDX-License-Identifier: GPL-2.0-or-later
/* Named namespaces as `ip netns` makes them: create/open/exists/delete,
 * the socket netns_create hands back, entering and leaving, and finding and
 * killing the processes inside. Runs in its own namespaces (test_isolate). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "isolate.h"

static int count_links(const struct link_info *li, void *arg)
{
	(void)li;
	(*(int *)arg)++;
	return 0;
}

static void test_create_open_delete(void **state)
{
	unsigned long self, ino, ino2;
	struct nl *nl = NULL;
	int fd = -1, fd2 = -1, n = 0;
	struct stat st;

	(void)state;
	assert_int_equal(netns_create("alpha", &fd, &nl), 0);
	assert_true(fd >= 0);
	assert_non_null(nl);
	assert_true(netns_exists("alpha"));
	assert_int_equal(stat(NETNS_RUN_DIR "/alpha", &st), 0);

	/* A new namespace, not ours, and the caller is back home. */
	assert_int_equal(netns_self_ino(&self), 0);
	assert_int_equal(netns_ino(fd, &ino), 0);
	assert_int_not_equal(self, ino);
	assert_int_equal(netns_open("alpha", &fd2), 0);
	assert_int_equal(netns_ino(fd2, &ino2), 0);
	assert_int_equal(ino, ino2);

	/* The socket lives inside: a fresh namespace has lo alone, down. */
	assert_int_equal(link_dump(nl, count_links, &n), 0);
	assert_int_equal(n, 1);

	/* iproute2 sees and uses it (shared /run/netns, bind mount). */
	assert_int_equal(system("ip netns list | grep -qw alpha"), 0);
	assert_int_equal(system("ip netns exec alpha ip link show lo >/dev/null"), 0);

	/* The name is taken. */
	assert_int_equal(netns_create("alpha", NULL, NULL), -EEXIST);

	nl_close(nl);
	close(fd);
	close(fd2);
	assert_int_equal(netns_delete("alpha"), 0);
	assert_false(netns_exists("alpha"));
	assert_int_equal(netns_open("alpha", &fd2), -ENOENT);
	assert_int_equal(fd2, -1);
	/* Absent is fine. */
	assert_int_equal(netns_delete("alpha"), 0);
}

static void test_create_without_outputs(void **state)
{
	(void)state;
	assert_int_equal(netns_create("beta", NULL, NULL), 0);
	assert_true(netns_exists("beta"));
	assert_int_equal(netns_delete("beta"), 0);
	assert_false(netns_exists("beta"));
}

static void test_delete_never_mounted(void **state)
{
	int fd;

	(void)state;
	/* What a crash between creating the file and mounting leaves. */
	fd = open(NETNS_RUN_DIR "/stale", O_CREAT | O_WRONLY, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_true(netns_exists("stale"));
	assert_int_equal(netns_delete("stale"), 0);
	assert_false(netns_exists("stale"));
}

static void test_bad_names(void **state)
{
	(void)state;
	assert_int_equal(netns_create("../x", NULL, NULL), -EINVAL);
	assert_int_equal(netns_create("", NULL, NULL), -EINVAL);
	assert_int_equal(netns_create("..", NULL, NULL), -EINVAL);
	assert_int_equal(netns_delete("a/b"), -EINVAL);
	assert_false(netns_exists("../netns"));
}

static void test_enter_leave(void **state)
{
	unsigned long home, ino, inside, back;
	int fd, saved;

	(void)state;
	assert_int_equal(netns_create("gamma", &fd, NULL), 0);
	assert_int_equal(netns_self_ino(&home), 0);
	assert_int_equal(netns_ino(fd, &ino), 0);
	assert_int_equal(netns_enter(fd, &saved), 0);
	assert_true(saved >= 0);
	assert_int_equal(netns_self_ino(&inside), 0);
	assert_int_equal(inside, ino);
	assert_int_equal(netns_leave(saved), 0);
	assert_int_equal(netns_self_ino(&back), 0);
	assert_int_equal(back, home);

	/* A socket opened through nl_open_netns is inside; we stay home. */
	{
		struct nl *nl;
		struct link_info li;

		assert_int_equal(nl_open_netns(fd, &nl), 0);
		assert_int_equal(netns_self_ino(&back), 0);
		assert_int_equal(back, home);
		assert_int_equal(link_get(nl, "lo", &li), 0);
		assert_false(li.flags & IFF_UP); /* ours has lo up (test_isolate) */
		nl_close(nl);
	}
	close(fd);
	assert_int_equal(netns_delete("gamma"), 0);
}

/* A child that moves into nsfd's namespace and waits; it ignores SIGTERM if
 * stubborn. */
static pid_t spawn_inside(int nsfd, bool stubborn)
{
	int p[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (stubborn)
			signal(SIGTERM, SIG_IGN);
		if (setns(nsfd, CLONE_NEWNET))
			_exit(1);
		(void)!write(p[1], "x", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void test_pids_and_kill(void **state)
{
	unsigned long ino, self;
	pid_t a, b, *pids = NULL;
	size_t n = 0;
	int fd, st;

	(void)state;
	assert_int_equal(netns_create("delta", &fd, NULL), 0);
	assert_int_equal(netns_ino(fd, &ino), 0);
	a = spawn_inside(fd, false);
	b = spawn_inside(fd, true);

	assert_int_equal(netns_pids(ino, &pids, &n), 0);
	assert_int_equal(n, 2);
	assert_true((pids[0] == a && pids[1] == b) || (pids[0] == b && pids[1] == a));
	free(pids);

	/* Our own namespace's processes are not these. */
	assert_int_equal(netns_self_ino(&self), 0);
	assert_int_equal(netns_pids(self, &pids, &n), 0);
	for (size_t i = 0; i < n; i++)
		assert_true(pids[i] != a && pids[i] != b);
	free(pids);

	/* a dies of SIGTERM; b ignores it and gets SIGKILL after 200 ms. */
	assert_int_equal(netns_kill_procs(&ino, 1, SIGTERM, 200), 2);
	assert_int_equal(waitpid(a, &st, 0), a);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	assert_int_equal(waitpid(b, &st, 0), b);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	assert_int_equal(netns_pids(ino, &pids, &n), 0);
	assert_int_equal(n, 0);
	free(pids);
	assert_int_equal(netns_kill_procs(&ino, 1, SIGTERM, 100), 0);
	close(fd);
	assert_int_equal(netns_delete("delta"), 0);
}

static void test_raise_nofile(void **state)
{
	struct rlimit rl;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 2048)
		skip();
	assert_int_equal(netns_raise_nofile(2048), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_true(rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 2048);
	if (rl.rlim_max != RLIM_INFINITY)
		assert_int_equal(netns_raise_nofile((size_t)rl.rlim_max + 1), -EMFILE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_open_delete),
		cmocka_unit_test(test_create_without_outputs),
		cmocka_unit_test(test_delete_never_mounted),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_enter_leave),
		cmocka_unit_test(test_pids_and_kill),
		cmocka_unit_test(test_raise_nofile),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
