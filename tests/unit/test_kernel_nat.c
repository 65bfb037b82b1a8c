// SPDX-License-Identifier: GPL-2.0-or-later
/* A lab's nftables table: apply, replace, exists, delete, in a chosen
 * namespace and nowhere else; and spotting other tables' forward-drop
 * policies (nftables and legacy iptables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nftables/libnftables.h>

#include "common/errmsg.h"
#include "kernel/nat.h"
#include "kernel/netns.h"
#include "isolate.h"

static int nsfd = -1;

static int setup(void **state)
{
	(void)state;
	return netns_create("natns", &nsfd, NULL);
}

static int teardown(void **state)
{
	(void)state;
	close(nsfd);
	return netns_delete("natns");
}

/* `nft list table inet NAME` as run inside the namespace, into buf. */
static void nft_list(const char *table, char *buf, size_t len)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "ip netns exec natns nft list table inet %s 2>&1", table);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(buf, 1, len - 1, p);
	buf[n] = '\0';
	pclose(p);
}

static struct nat_masq masq(int family, const char *src, uint8_t plen, const char *oif)
{
	struct nat_masq m = { .family = family, .plen = plen };

	assert_int_equal(inet_pton(family, src, m.src), 1);
	snprintf(m.oifname, sizeof(m.oifname), "%s", oif);
	return m;
}

static void test_apply_replace_delete(void **state)
{
	struct nat_masq rules[2];
	char out[4096];

	(void)state;
	assert_false(nat_table_exists(nsfd, "nslab-seed"));
	rules[0] = masq(AF_INET, "172.16.10.7", 24, "eth0"); /* host bits are masked */
	rules[1] = masq(AF_INET6, "fd00:1::", 64, "up0");
	assert_int_equal(nat_table_apply(nsfd, "nslab-seed", rules, 2), 0);
	assert_true(nat_table_exists(nsfd, "nslab-seed"));
	/* Only there: not in the caller's namespace. */
	assert_false(nat_table_exists(-1, "nslab-seed"));

	nft_list("nslab-seed", out, sizeof(out));
	assert_non_null(strstr(out, "type nat hook postrouting priority srcnat; policy accept;"));
	assert_non_null(strstr(out, "ip saddr 172.16.10.0/24 oifname \"eth0\" counter packets 0 bytes 0 masquerade"));
	assert_non_null(strstr(out, "ip6 saddr fd00:1::/64 oifname \"up0\" counter packets 0 bytes 0 masquerade"));

	/* Each rule read back with its subnet and counter. */
	struct nat_rule_count *v;
	size_t n;
	uint8_t want6[16];

	assert_int_equal(nat_table_counts(nsfd, "nslab-seed", &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].family, AF_INET);
	assert_int_equal(v[0].plen, 24);
	assert_memory_equal(v[0].net, ((uint8_t[]){ 172, 16, 10, 0 }), 4);
	assert_true(v[0].has_counter);
	assert_int_equal(v[0].packets, 0);
	assert_int_equal(v[1].family, AF_INET6);
	assert_int_equal(v[1].plen, 64);
	inet_pton(AF_INET6, "fd00:1::", want6);
	assert_memory_equal(v[1].net, want6, 16);
	free(v);
	assert_int_equal(nat_table_counts(nsfd, "nslab-none", &v, &n), -ENOENT);
	assert_null(v);

	/* Replaced whole: the old rules go. */
	rules[0] = masq(AF_INET, "10.5.0.0", 16, "wan");
	assert_int_equal(nat_table_apply(nsfd, "nslab-seed", rules, 1), 0);
	nft_list("nslab-seed", out, sizeof(out));
	assert_non_null(strstr(out, "ip saddr 10.5.0.0/16 oifname \"wan\" counter packets 0 bytes 0 masquerade"));
	assert_null(strstr(out, "172.16.10.0"));
	assert_null(strstr(out, "fd00:1::"));

	/* Empty still makes the table and its chain. */
	assert_int_equal(nat_table_apply(nsfd, "nslab-seed", NULL, 0), 0);
	nft_list("nslab-seed", out, sizeof(out));
	assert_non_null(strstr(out, "chain postrouting"));
	assert_null(strstr(out, "masquerade"));

	assert_int_equal(nat_table_delete(nsfd, "nslab-seed"), 0);
	assert_false(nat_table_exists(nsfd, "nslab-seed"));
	assert_int_equal(nat_table_delete(nsfd, "nslab-seed"), 0);
}

static void test_current_namespace(void **state)
{
	struct nat_masq r = masq(AF_INET, "192.168.7.0", 24, "");

	(void)state;
	assert_int_equal(nat_table_apply(-1, "nslab-here", &r, 1), 0);
	assert_true(nat_table_exists(-1, "nslab-here"));
	assert_false(nat_table_exists(nsfd, "nslab-here"));
	assert_int_equal(nat_table_delete(-1, "nslab-here"), 0);
	assert_false(nat_table_exists(-1, "nslab-here"));
}

/* A big lab holds more than FD_SETSIZE (1024) descriptors, and libnftables
 * waits with select(): with every low descriptor taken, applying a table
 * must still work (it aborted the process with glibc's fortify check). */
static void test_many_descriptors(void **state)
{
	struct nat_masq r = masq(AF_INET, "10.9.0.0", 16, "eth0");
	struct rlimit lim;
	int fds[1100], n = 0;
	bool found;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &lim), 0);
	if (lim.rlim_cur < 2048) {
		lim.rlim_cur = lim.rlim_max < 2048 ? lim.rlim_max : 2048;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
	}
	assert_true(lim.rlim_cur > 1100);
	while (n < 1100 && (fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		n++;
	assert_int_equal(n, 1100);
	assert_true(fds[n - 1] >= 1024);
	assert_int_equal(nat_table_apply(nsfd, "nslab-many", &r, 1), 0);
	assert_true(nat_table_exists(nsfd, "nslab-many"));
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_ALL, &found, NULL, 0), 0);
	assert_int_equal(nat_table_delete(nsfd, "nslab-many"), 0);
	assert_false(nat_table_exists(nsfd, "nslab-many"));
	/* The caller's descriptors are all still its own. */
	for (int i = 0; i < n; i++)
		assert_int_equal(close(fds[i]), 0);
}

static void test_bad_input(void **state)
{
	struct nat_masq r = masq(AF_INET, "10.0.0.0", 8, "eth0");
	int rc;

	(void)state;
	assert_int_equal(nat_table_apply(nsfd, "bad name", &r, 1), -EINVAL);
	assert_int_equal(nat_table_apply(nsfd, "x;flush ruleset", &r, 1), -EINVAL);
	assert_int_equal(nat_table_delete(nsfd, "1abc"), -EINVAL);
	strcpy(r.oifname, "a\"b");
	rc = nat_table_apply(nsfd, "nslab-bad", &r, 1);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err_text(rc), "nslab-bad"));
	r = masq(AF_INET, "10.0.0.0", 33, "eth0");
	assert_int_equal(nat_table_apply(nsfd, "nslab-bad", &r, 1), -EINVAL);
	assert_false(nat_table_exists(nsfd, "nslab-bad"));
}

/* Plant a chain as another program would, with libnftables inside nsfd. */
static void plant(const char *cmds)
{
	struct nft_ctx *ctx;
	int saved;

	assert_int_equal(netns_enter(nsfd, &saved), 0);
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	assert_non_null(ctx);
	nft_ctx_buffer_error(ctx);
	assert_int_equal(nft_run_cmd_from_buffer(ctx, cmds), 0);
	nft_ctx_free(ctx);
	assert_int_equal(netns_leave(saved), 0);
}

static void test_forward_drop(void **state)
{
	char what[64];
	bool found = true;

	(void)state;
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_ALL, &found, what, sizeof(what)), 0);
	assert_false(found);

	/* A forward chain that accepts, and one of ours that drops: neither. */
	plant("table inet other {\n chain fwdchain { type filter hook forward priority 0; policy accept; }\n}\n"
	      "table inet nslab-lab {\n chain fwdchain { type filter hook forward priority 0; policy drop; }\n}\n");
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_ALL, &found, what, sizeof(what)), 0);
	assert_false(found);

	/* Docker's iptables-nft FORWARD. */
	plant("table ip filter {\n chain FORWARD { type filter hook forward priority 0; policy drop; }\n}\n");
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_ALL, &found, what, sizeof(what)), 0);
	assert_true(found);
	assert_string_equal(what, "ip filter FORWARD");
	/* Only the families asked about count. */
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_IP6 | NAT_FWD_BRIDGE, &found, what, sizeof(what)), 0);
	assert_false(found);
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_IP4, &found, what, sizeof(what)), 0);
	assert_true(found);
	/* Not in the caller's namespace. */
	assert_int_equal(nat_forward_drop(-1, NAT_FWD_ALL, &found, NULL, 0), 0);
	assert_false(found);
	plant("delete table ip filter\ndelete table inet other\ndelete table inet nslab-lab\n");
}

static void test_forward_drop_legacy(void **state)
{
	char what[80];
	bool found;

	(void)state;
	if (system("command -v iptables-legacy >/dev/null"))
		skip();
	/* The legacy filter table with FORWARD accepting: nothing to report. */
	assert_int_equal(system("ip netns exec natns iptables-legacy -P FORWARD ACCEPT"), 0);
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_ALL, &found, what, sizeof(what)), 0);
	assert_false(found);
	assert_int_equal(system("ip netns exec natns iptables-legacy -P FORWARD DROP"), 0);
	assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_ALL, &found, what, sizeof(what)), 0);
	assert_true(found);
	assert_string_equal(what, "iptables-legacy filter FORWARD");
	assert_int_equal(system("ip netns exec natns iptables-legacy -P FORWARD ACCEPT"), 0);
	if (system("command -v ip6tables-legacy >/dev/null") == 0) {
		assert_int_equal(system("ip netns exec natns ip6tables-legacy -P FORWARD DROP"), 0);
		assert_int_equal(nat_forward_drop(nsfd, NAT_FWD_ALL, &found, what, sizeof(what)), 0);
		assert_true(found);
		assert_string_equal(what, "ip6tables-legacy filter FORWARD");
	}
}

/* nft -j list table, as nft 1.0.6 prints it: a counted rule, one of an
 * older nslab without a counter, a /32 written as a bare address, and a
 * rule that matches no source. */
static void test_counts_json(void **state)
{
	static const char json[] =
		"{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}},"
		"{\"table\": {\"family\": \"inet\", \"name\": \"nslab-x\"}},"
		"{\"rule\": {\"family\": \"inet\", \"table\": \"nslab-x\", \"chain\": \"postrouting\", \"expr\": ["
		"{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}},"
		"\"right\": {\"prefix\": {\"addr\": \"172.16.10.0\", \"len\": 24}}}},"
		"{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"oifname\"}}, \"right\": \"eth0\"}},"
		"{\"counter\": {\"packets\": 12, \"bytes\": 1008}}, {\"masquerade\": null}]}},"
		"{\"rule\": {\"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip6\", \"field\": \"saddr\"}},"
		"\"right\": {\"prefix\": {\"addr\": \"fd00:1::\", \"len\": 64}}}}, {\"masquerade\": null}]}},"
		"{\"rule\": {\"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}},"
		"\"right\": \"10.9.9.9\"}}, {\"counter\": {\"packets\": 1, \"bytes\": 84}}, {\"masquerade\": null}]}},"
		"{\"rule\": {\"expr\": [{\"masquerade\": null}]}}]}";
	struct nat_rule_count *v;
	size_t n;

	(void)state;
	assert_int_equal(nat_counts_json(json, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].family, AF_INET);
	assert_int_equal(v[0].plen, 24);
	assert_true(v[0].has_counter);
	assert_int_equal(v[0].packets, 12);
	assert_int_equal(v[0].bytes, 1008);
	assert_int_equal(v[1].family, AF_INET6);
	assert_int_equal(v[1].plen, 64);
	assert_false(v[1].has_counter);
	assert_int_equal(v[2].plen, 32);
	assert_memory_equal(v[2].net, ((uint8_t[]){ 10, 9, 9, 9 }), 4);
	assert_int_equal(v[2].packets, 1);
	free(v);
	assert_int_equal(nat_counts_json("not json", &v, &n), -EPROTO);
	assert_int_equal(nat_counts_json("{\"nftables\": [{\"rule\": {\"expr\": [{\"match\": {\"left\": "
					 "{\"payload\": {\"field\": \"saddr\"}}, \"right\": {\"prefix\": "
					 "{\"addr\": \"10.0.0.0\", \"len\": 40}}}}]}}]}", &v, &n), 0);
	assert_int_equal(n, 0); /* a prefix longer than the address: no subnet */
	free(v);
}

static void test_json_parser(void **state)
{
	char what[64];
	bool found;

	(void)state;
	assert_int_equal(nat_forward_drop_json("not json", NAT_FWD_ALL, &found, what, sizeof(what)), -EPROTO);
	assert_int_equal(nat_forward_drop_json("{\"nftables\": 3}", NAT_FWD_ALL, &found, what, sizeof(what)), 0);
	assert_false(found);
	assert_int_equal(nat_forward_drop_json(
				 "{\"nftables\":[{\"chain\":{\"family\":\"ip6\",\"table\":\"t\","
				 "\"name\":\"c\",\"hook\":\"forward\",\"policy\":\"drop\"}}]}",
				 NAT_FWD_ALL, &found, what, sizeof(what)),
			 0);
	assert_true(found);
	assert_string_equal(what, "ip6 t c");
	/* An ip6 chain does not stop IPv4, a bridge chain routed traffic; an
	 * inet chain stops both families. */
	assert_int_equal(nat_forward_drop_json(
				 "{\"nftables\":[{\"chain\":{\"family\":\"ip6\",\"table\":\"t\","
				 "\"name\":\"c\",\"hook\":\"forward\",\"policy\":\"drop\"}},"
				 "{\"chain\":{\"family\":\"bridge\",\"table\":\"b\","
				 "\"name\":\"c\",\"hook\":\"forward\",\"policy\":\"drop\"}}]}",
				 NAT_FWD_IP4, &found, what, sizeof(what)),
			 0);
	assert_false(found);
	assert_int_equal(nat_forward_drop_json(
				 "{\"nftables\":[{\"chain\":{\"family\":\"bridge\",\"table\":\"b\","
				 "\"name\":\"c\",\"hook\":\"forward\",\"policy\":\"drop\"}}]}",
				 NAT_FWD_BRIDGE, &found, what, sizeof(what)),
			 0);
	assert_true(found);
	assert_string_equal(what, "bridge b c");
	assert_int_equal(nat_forward_drop_json(
				 "{\"nftables\":[{\"chain\":{\"family\":\"inet\",\"table\":\"i\","
				 "\"name\":\"c\",\"hook\":\"forward\",\"policy\":\"drop\"}}]}",
				 NAT_FWD_IP6, &found, what, sizeof(what)),
			 0);
	assert_true(found);
	/* Policy missing or of another type: not a drop. */
	assert_int_equal(nat_forward_drop_json(
				 "{\"nftables\":[{\"chain\":{\"family\":\"ip\",\"table\":\"t\","
				 "\"name\":\"c\",\"hook\":\"forward\",\"policy\":1}}]}",
				 NAT_FWD_ALL, &found, what, sizeof(what)),
			 0);
	assert_false(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_replace_delete),
		cmocka_unit_test(test_current_namespace),
		cmocka_unit_test(test_many_descriptors),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_forward_drop),
		cmocka_unit_test(test_forward_drop_legacy),
		cmocka_unit_test(test_json_parser),
		cmocka_unit_test(test_counts_json),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
