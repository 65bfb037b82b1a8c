// SPDX-License-Identifier: GPL-2.0-or-later
/* The machine checks of `nslab doctor` (and `up`): the result list, and
 * the checks that find planted problems: a firewall that drops forwarded
 * traffic, names that are taken. Runs in its own namespaces (test_isolate). */
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
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "lab/checks.h"
#include "topo/topo.h"
#include "isolate.h"

static const struct check *find(const struct checks *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name))
			return &c->v[i];
	return NULL;
}

static struct topo *parse(const char *yaml)
{
	struct topo_diag diag = { 0 };
	struct topo *t = NULL;

	assert_int_equal(topo_parse_buffer("t.yaml", yaml, strlen(yaml), &t, &diag), 0);
	topo_diag_free(&diag);
	return t;
}

static void test_list(void **state)
{
	struct checks c;

	(void)state;
	checks_init(&c);
	assert_int_equal(checks_worst(&c), CHECK_OK);
	assert_int_equal(checks_add(&c, "a", CHECK_OK, NULL, "fine %d", 1), 0);
	assert_int_equal(checks_worst(&c), CHECK_OK);
	assert_int_equal(checks_add(&c, "b", CHECK_WARN, "do this", "hmm"), 0);
	assert_int_equal(checks_worst(&c), CHECK_WARN);
	assert_int_equal(checks_add(&c, "c", CHECK_FAIL, "do that", "bad %s", "thing"), 0);
	assert_int_equal(checks_worst(&c), CHECK_FAIL);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0].detail, "fine 1");
	assert_null(c.v[0].fix);
	assert_string_equal(c.v[2].detail, "bad thing");
	assert_string_equal(c.v[2].fix, "do that");
	assert_string_equal(check_level_str(CHECK_WARN, false), "WARN");
	assert_string_equal(check_level_str(CHECK_FAIL, true), "fail");
	checks_free(&c);
	assert_int_equal(c.n, 0);
	checks_free(&c); /* twice is fine */
}

/* Run the forward-drop check on t into c (the caller frees it) and return
 * its line, which must have level want. */
static const struct check *forward_check(struct checks *c, const struct topo *t, enum check_level want)
{
	const struct check *k;

	checks_init(c);
	assert_int_equal(checks_forward_drop(c, -1, t), 0);
	k = find(c, "forward-policy");
	assert_non_null(k);
	assert_int_equal(k->level, want);
	return k;
}

/* Plant a base chain of another program's on the forward hook, policy drop. */
static void drop_chain(const char *family, const char *table, const char *chain)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "nft add table %s %s && nft add chain %s %s %s "
		 "'{ type filter hook forward priority 0; policy drop; }'",
		 family, table, family, table, chain);
	assert_int_equal(system(cmd), 0);
}

static void test_forward_drop(void **state)
{
	struct topo *t = parse("name: fw\nswitches: {sw: {gateway: 10.7.0.254/24, nat: true}}\n"
			       "hosts: {a: {switch: sw, ip: 10.7.0.1/24}}\n");
	const struct check *k;
	struct checks c;

	(void)state;
	k = forward_check(&c, t, CHECK_OK);
	checks_free(&c);

	/* Docker's way: iptables-nft's filter table, FORWARD policy drop. */
	drop_chain("ip", "filter", "FORWARD");
	k = forward_check(&c, t, CHECK_FAIL);
	assert_non_null(strstr(k->detail, "ip filter FORWARD"));
	/* The fix names the lab's subnet. */
	assert_non_null(strstr(k->fix, "10.7.0.0/24"));
	checks_free(&c);
	assert_int_equal(system("nft delete table ip filter"), 0);

	/* An IPv6 chain dropping does not stop this IPv4-only lab, nor a bridge
	 * family chain its nslab switch; the latter stops a kind: bridge lab's
	 * hosts reaching each other, gateway or not. */
	drop_chain("ip6", "f6", "fw6");
	drop_chain("bridge", "fb", "fwb");
	k = forward_check(&c, t, CHECK_OK);
	checks_free(&c);
	topo_free(t);
	t = parse("name: fb\nswitches: {sw: {kind: bridge}}\nhosts: {a: {switch: sw, ip: 10.7.0.1/24}}\n");
	k = forward_check(&c, t, CHECK_FAIL);
	assert_non_null(strstr(k->detail, "bridge fb fwb"));
	assert_non_null(strstr(k->fix, "meta ibrname"));
	checks_free(&c);
	assert_int_equal(system("nft delete table ip6 f6 && nft delete table bridge fb"), 0);
	topo_free(t);
}

/* The fix speaks the language of the chain's owner, per family. */
static void test_forward_drop_fix(void **state)
{
	struct topo *t = parse("name: fx\nswitches: {sw: {gateway: [10.8.0.254/24, 'fd08::fe/64'], nat: true}}\n"
			       "hosts: {a: {switch: sw, ip: [10.8.0.1/24, 'fd08::1/64']}}\n");
	const struct check *k;
	struct checks c;

	(void)state;
	/* iptables-nft's ip6 FORWARD: ip6tables, with the IPv6 subnet */
	drop_chain("ip6", "filter", "FORWARD");
	k = forward_check(&c, t, CHECK_FAIL);
	assert_non_null(strstr(k->fix, "ip6tables -I FORWARD -s SUBNET -j ACCEPT"));
	assert_non_null(strstr(k->fix, "with SUBNET fd08::/64"));
	assert_null(strstr(k->fix, "10.8.0.0/24"));
	checks_free(&c);
	assert_int_equal(system("nft delete table ip6 filter"), 0);

	/* an inet chain of someone else's: an nft rule per family */
	drop_chain("inet", "fw", "fwc");
	k = forward_check(&c, t, CHECK_FAIL);
	assert_non_null(strstr(k->fix, "nft insert rule inet fw fwc ip saddr SUBNET accept"));
	assert_non_null(strstr(k->fix, "ip daddr SUBNET accept with SUBNET 10.8.0.0/24"));
	assert_non_null(strstr(k->fix, "nft insert rule inet fw fwc ip6 saddr SUBNET accept"));
	assert_non_null(strstr(k->fix, "ip6 daddr SUBNET accept with SUBNET fd08::/64"));
	checks_free(&c);
	assert_int_equal(system("nft delete table inet fw"), 0);

	/* legacy iptables' FORWARD, which nft cannot change */
	if (system("command -v ip6tables-legacy >/dev/null 2>&1") == 0) {
		assert_int_equal(system("ip6tables-legacy -P FORWARD DROP"), 0);
		k = forward_check(&c, t, CHECK_FAIL);
		assert_non_null(strstr(k->fix, "ip6tables-legacy -I FORWARD -s SUBNET -j ACCEPT and "
						"ip6tables-legacy -I FORWARD -d SUBNET -j ACCEPT with SUBNET fd08::/64"));
		assert_null(strstr(k->fix, "nft"));
		checks_free(&c);
		assert_int_equal(system("ip6tables-legacy -P FORWARD ACCEPT"), 0);
	}
	topo_free(t);
}

static void test_names(void **state)
{
	struct topo *t = parse("name: nm\nswitches: {br9: {gateway: 10.8.0.254/24}}\n"
			       "hosts: {red: {switch: br9, ip: 10.8.0.1/24},"
			       " blue: {switch: br9, ip: 10.8.0.2/24}}\n");
	const struct check *k;
	struct checks c;
	struct nl *nl;
	int fd;

	(void)state;
	checks_init(&c);
	assert_int_equal(checks_names(&c, t, false), 0);
	k = find(&c, "names");
	assert_non_null(k);
	assert_int_equal(k->level, CHECK_OK);
	checks_free(&c);

	/* A namespace called red, and an interface called br9 on the host. */
	assert_int_equal(netns_create("red", &fd, NULL), 0);
	close(fd);
	assert_int_equal(nl_open(&nl), 0);
	assert_int_equal(link_bridge_add(nl, "br9", 0, false, "br9"), 0);
	assert_int_equal(nl_flush(nl), 0);
	checks_init(&c);
	assert_int_equal(checks_names(&c, t, false), 0);
	k = find(&c, "names");
	assert_non_null(k);
	assert_int_equal(k->level, CHECK_FAIL);
	assert_non_null(strstr(k->detail, "namespace red"));
	assert_non_null(strstr(k->detail, "interface br9"));
	assert_null(strstr(k->detail, "blue"));
	checks_free(&c);

	/* In a sandbox the host's interfaces do not matter; namespaces do. */
	checks_init(&c);
	assert_int_equal(checks_names(&c, t, true), 0);
	k = find(&c, "names");
	assert_int_equal(k->level, CHECK_FAIL);
	assert_non_null(strstr(k->detail, "namespace red"));
	assert_null(strstr(k->detail, "br9"));
	checks_free(&c);

	assert_int_equal(link_del(nl, "br9", 0, 0, "br9"), 0);
	assert_int_equal(nl_flush(nl), 0);
	nl_close(nl);
	assert_int_equal(netns_delete("red"), 0);
	topo_free(t);
}

static int count_cb(const struct link_info *li, void *arg)
{
	(void)li;
	(*(int *)arg)++;
	return 0;
}

static void test_kernel(void **state)
{
	static const char *const want[] = { "netns", "veth", "bridge", "bridge-vlan",
					    "nftables-nat", "af-packet", "ipv6" };
	struct checks c;
	struct nl *nl;
	int n = 0;

	(void)state;
	checks_init(&c);
	assert_int_equal(checks_kernel(&c, NULL), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_non_null(find(&c, want[i]));
	/* What a lab needs everywhere works on any machine that runs these tests. */
	assert_int_equal(find(&c, "netns")->level, CHECK_OK);
	assert_int_equal(find(&c, "veth")->level, CHECK_OK);
	assert_int_equal(find(&c, "bridge")->level, CHECK_OK);
	assert_int_equal(find(&c, "nftables-nat")->level, CHECK_OK);
	/* VLAN filtering may be missing, but only ever warns without a topology. */
	assert_true(find(&c, "bridge-vlan")->level != CHECK_FAIL);
	checks_free(&c);

	/* Nothing the child tried is left here: lo is the only link. */
	assert_int_equal(nl_open(&nl), 0);
	assert_int_equal(link_dump(nl, count_cb, &n), 0);
	nl_close(nl);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_forward_drop),
		cmocka_unit_test(test_forward_drop_fix),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_kernel),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
