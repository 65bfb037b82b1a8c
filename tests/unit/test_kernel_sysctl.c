// SPDX-License-Identifier: GPL-2.0-or-later
/* sysctl reads and writes per namespace: a change in one namespace shows
 * there and nowhere else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "kernel/netns.h"
#include "kernel/sysctl.h"
#include "isolate.h"

static void test_per_namespace(void **state)
{
	char buf[64];
	int a, b;

	(void)state;
	assert_int_equal(netns_create("sa", &a, NULL), 0);
	assert_int_equal(netns_create("sb", &b, NULL), 0);

	assert_int_equal(sysctl_read(a, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	assert_int_equal(sysctl_write(a, "net.ipv4.ip_forward", "1"), 0);
	assert_int_equal(sysctl_read(a, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	/* Not in b, not here. */
	assert_int_equal(sysctl_read(b, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	assert_int_equal(sysctl_read(-1, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	/* What a shell inside sees. */
	assert_int_equal(system("test \"$(ip netns exec sa cat /proc/sys/net/ipv4/ip_forward)\" = 1"), 0);

	/* Per-device keys, and the slash form for names with dots. */
	assert_int_equal(sysctl_write(b, "net.ipv6.conf.lo.disable_ipv6", "1"), 0);
	assert_int_equal(sysctl_read(b, "net/ipv6/conf/lo/disable_ipv6", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(sysctl_read(a, "net.ipv6.conf.lo.disable_ipv6", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");

	close(a);
	close(b);
	assert_int_equal(netns_delete("sa"), 0);
	assert_int_equal(netns_delete("sb"), 0);
}

static void test_errors(void **state)
{
	char buf[8];
	int rc;

	(void)state;
	rc = sysctl_read(-1, "net.ipv4.no_such_thing", buf, sizeof(buf));
	assert_int_equal(rc, -ENOENT);
	assert_non_null(strstr(err_text(rc), "net.ipv4.no_such_thing"));
	assert_int_equal(sysctl_read(-1, "net/../../etc/passwd", buf, sizeof(buf)), -EINVAL);
	rc = sysctl_write(-1, "net.ipv4.ip_forward", "banana");
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err_text(rc), "setting sysctl net.ipv4.ip_forward to banana"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_namespace),
		cmocka_unit_test(test_errors),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
