// SPDX-License-Identifier: GPL-2.0-or-later
/* What pingall tests (the address of each pair, the expectations, the
 * neighbour entries a probe makes) and the engine itself on addresses of
 * its own namespace. Runs in its own namespaces (test_isolate). */
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
#include <sys/socket.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "kernel/addr.h"
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "lab/reach.h"
#include "topo/topo.h"
#include "isolate.h"

static struct topo *parse(const char *yaml)
{
	struct topo_diag diag = { 0 };
	struct topo *t = NULL;
	int rc = topo_parse_buffer("t.yaml", yaml, strlen(yaml), &t, &diag);

	if (rc)
		topo_diag_print(&diag, stderr);
	topo_diag_free(&diag);
	assert_int_equal(rc, 0);
	return t;
}

static size_t host(const struct topo *t, const char *name)
{
	const struct topo_host *h = topo_host_find(t, name);

	assert_non_null(h);
	return (size_t)(h - t->hosts);
}

static const char *addr_of(int family, const uint8_t *a)
{
	static char buf[TOPO_CIDR_STRLEN];

	return topo_addr_str(family, a, buf, sizeof(buf));
}

static const char *mixed =
	"name: mixed\n"
	"switches:\n"
	"  sw: {gateway: [10.0.0.254/24, \"2001:db8::fe/64\"]}\n"
	"hosts:\n"
	"  dual: {switch: sw, ip: [\"2001:db8::1/64\", 10.0.0.1/24]}\n"
	"  v4: {switch: sw, ip: 10.0.0.2/24}\n"
	"  v6: {switch: sw, ip: \"2001:db8::3/64\"}\n";

static void test_pick_addr(void **state)
{
	struct topo *t = parse(mixed);
	const struct topo_host *dual = &t->hosts[host(t, "dual")], *v4 = &t->hosts[host(t, "v4")],
			       *v6 = &t->hosts[host(t, "v6")];
	uint8_t a[16];

	(void)state;
	/* IPv4 first when both have it, even if listed second. */
	assert_int_equal(reach_pick_addr(v4, dual, AF_UNSPEC, a), AF_INET);
	assert_string_equal(addr_of(AF_INET, a), "10.0.0.1");
	/* An IPv6-only source pings a dual host at its IPv6 address. */
	assert_int_equal(reach_pick_addr(v6, dual, AF_UNSPEC, a), AF_INET6);
	assert_string_equal(addr_of(AF_INET6, a), "2001:db8::1");
	assert_int_equal(reach_pick_addr(dual, v6, AF_UNSPEC, a), AF_INET6);
	assert_string_equal(addr_of(AF_INET6, a), "2001:db8::3");
	/* No family in common: nothing to ping (the pair is not tested). */
	assert_int_equal(reach_pick_addr(v4, v6, AF_UNSPEC, a), 0);
	assert_int_equal(reach_pick_addr(v6, v4, AF_UNSPEC, a), 0);
	/* A family asked for that either end lacks: nothing to ping. */
	assert_int_equal(reach_pick_addr(dual, v4, AF_INET6, a), 0);
	assert_int_equal(reach_pick_addr(dual, v6, AF_INET, a), 0);
	assert_int_equal(reach_pick_addr(v4, dual, AF_INET6, a), 0);
	assert_int_equal(reach_pick_addr(v6, dual, AF_INET6, a), AF_INET6);
	assert_null(reach_host_addr(v4, AF_INET6));
	assert_non_null(reach_host_addr(v6, AF_INET6));
	topo_free(t);
}

static void test_expectations(void **state)
{
	struct topo *t = parse("name: ex\n"
			       "switches: {sw: {}}\n"
			       "hosts:\n"
			       "  a: {switch: sw, ip: 10.0.0.1/24}\n"
			       "  b: {switch: sw, ip: 10.0.0.2/24}\n"
			       "  c: {switch: sw, ip: 10.0.0.3/24}\n"
			       "expect:\n"
			       "  - {from: \"*\", to: c, reach: false}\n"
			       "  - {from: a, to: c}\n");
	struct reach_pair *p = NULL;
	size_t n = 0, a = host(t, "a"), b = host(t, "b"), c = host(t, "c"), seen = 0;
	bool named;

	(void)state;
	/* The later entry wins for a -> c; b -> c stays "must not". */
	assert_true(reach_expected(t, a, c, &named));
	assert_true(named);
	assert_false(reach_expected(t, b, c, &named));
	assert_true(named);
	/* Not named: must reach. */
	assert_true(reach_expected(t, c, a, &named));
	assert_false(named);

	assert_int_equal(reach_pairs(t, AF_UNSPEC, &p, &n), 0);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		bool want_named;

		assert_int_not_equal(p[i].from, p[i].to);
		assert_int_equal(p[i].expected, reach_expected(t, p[i].from, p[i].to, &want_named));
		assert_int_equal(p[i].named, want_named);
		assert_int_equal(p[i].family, AF_INET);
		if (p[i].from == b && p[i].to == c) {
			assert_false(p[i].expected);
			seen++;
		}
		if (p[i].from == a && p[i].to == c) {
			assert_true(p[i].expected);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	/* Rows in host order. */
	assert_int_equal(p[0].from, 0);
	assert_int_equal(p[n - 1].from, 2);
	free(p);
	topo_free(t);
}

static void test_no_expect_means_all(void **state)
{
	struct topo *t = parse(mixed);
	struct reach_pair *p = NULL;
	size_t n = 0, skipped = 0;

	(void)state;
	assert_int_equal(reach_pairs(t, AF_INET, &p, &n), 0);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_true(p[i].expected);
		assert_false(p[i].named);
		skipped += p[i].family == 0;
	}
	/* v6 has no IPv4 address: the four pairs from and to it are not tested. */
	assert_int_equal(skipped, 4);
	free(p);
	topo_free(t);
}

static void test_pair_neigh(void **state)
{
	struct topo *t = parse("name: nb\n"
			       "switches: {lan1: {gateway: 10.0.1.254/24}, lan2: {}}\n"
			       "hosts:\n"
			       "  r: {forward: true, interfaces: {eth0: {switch: lan1, ip: 10.0.1.1/24},"
			       " eth1: {switch: lan2, ip: 10.0.2.1/24}}}\n"
			       "  a: {switch: lan1, ip: 10.0.1.10/24}\n"
			       "  b: {switch: lan2, ip: 10.0.2.10/24, routes: [{to: default, via: 10.0.2.1}]}\n");
	struct reach_neigh nb[2];
	size_t r = host(t, "r"), a = host(t, "a"), b = host(t, "b");
	uint8_t addr[16];

	(void)state;
	/* On the same subnet: a's entry for r, and r's (on eth0) for a. */
	assert_int_equal(reach_pick_addr(&t->hosts[a], &t->hosts[r], AF_UNSPEC, addr), AF_INET);
	reach_pair_neigh(t, a, r, AF_INET, addr, nb);
	assert_true(nb[0].set && nb[1].set);
	assert_int_equal(nb[0].ns, a);
	assert_string_equal(nb[0].dev, "eth0");
	assert_string_equal(addr_of(AF_INET, nb[0].addr), "10.0.1.1");
	assert_int_equal(nb[1].ns, r);
	assert_string_equal(nb[1].dev, "eth0");
	assert_string_equal(addr_of(AF_INET, nb[1].addr), "10.0.1.10");
	/* r reaches b on its second interface. */
	assert_int_equal(reach_pick_addr(&t->hosts[r], &t->hosts[b], AF_UNSPEC, addr), AF_INET);
	reach_pair_neigh(t, r, b, AF_INET, addr, nb);
	assert_true(nb[0].set && nb[1].set);
	assert_string_equal(nb[0].dev, "eth1");
	assert_string_equal(addr_of(AF_INET, nb[1].addr), "10.0.2.1");
	/* Through the router: the entries are the gateways', not the pair's. */
	assert_int_equal(reach_pick_addr(&t->hosts[a], &t->hosts[b], AF_UNSPEC, addr), AF_INET);
	reach_pair_neigh(t, a, b, AF_INET, addr, nb);
	assert_false(nb[0].set);
	assert_false(nb[1].set);
	topo_free(t);
}

/* The engine, with the test's own namespace (-1) as the source. */
static void test_run(void **state)
{
	int nsfds[1] = { -1 };
	struct reach_probe p[4];
	struct nl *nl = NULL;
	int lo;

	(void)state;
	assert_int_equal(nl_open(&nl), 0);
	assert_int_equal(link_index(nl, "lo", &lo), 0);
	link_set(nl, &(struct link_change){ .ifindex = lo, .set_up = true, .up = true }, "lo up");
	assert_int_equal(nl_flush(nl), 0);
	nl_close(nl);

	memset(p, 0, sizeof(p));
	p[0].family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", p[0].addr);
	p[1].family = AF_INET6;
	inet_pton(AF_INET6, "::1", p[1].addr);
	/* No route there: not reached, and the send says why. */
	p[2].family = AF_INET;
	inet_pton(AF_INET, "198.51.100.7", p[2].addr);
	p[3].family = AF_INET;
	inet_pton(AF_INET, "127.0.0.2", p[3].addr);
	assert_int_equal(reach_run(nsfds, 1, p, 4, &(struct reach_opts){ .timeout_ms = 300 }), 0);
	assert_true(p[0].reached);
	assert_true(p[0].sent >= 1);
	assert_int_equal(p[0].error, 0);
	assert_true(p[1].reached);
	assert_false(p[2].reached);
	assert_int_equal(p[2].error, -ENETUNREACH);
	assert_int_equal(p[2].rtt_ns, 0);
	/* Linux answers for all of 127/8, from the address asked (icmp_reply
	 * takes the request's destination as its source): the reply's source
	 * matches the probe's address, so it counts. */
	assert_true(p[3].reached);

	/* A probe from a source that does not exist is refused up front. */
	p[0].src = 1;
	assert_int_equal(reach_run(nsfds, 1, p, 1, NULL), -EINVAL);
	err_clear();
}

static void up_with_addr(struct nl *nl, const char *dev, const char *addr)
{
	uint8_t a[4];
	int idx;

	assert_int_equal(link_index(nl, dev, &idx), 0);
	inet_pton(AF_INET, addr, a);
	addr_add(nl, idx, AF_INET, a, 24, 0, "address");
	link_set(nl, &(struct link_change){ .ifindex = idx, .set_up = true, .up = true }, "up");
	assert_int_equal(nl_flush(nl), 0);
}

static bool oper_up(struct nl *nl, const char *dev)
{
	struct link_info li;

	return link_get(nl, dev, &li) == 0 && li.operstate == 6; /* IF_OPER_UP (linux/if.h, RFC 2863) */
}

/* Sources in two namespaces (the sockets of one made after entering it),
 * with the neighbour entries each probe makes given: fewer than the
 * budget, so they are left as ping would leave them. */
static void test_run_two_namespaces(void **state)
{
	struct nl *here = NULL, *far = NULL;
	int farfd = -1, nsfds[2];
	struct reach_probe p[3];

	(void)state;
	assert_int_equal(netns_create("far", &farfd, &far), 0);
	assert_int_equal(nl_open(&here), 0);
	link_veth_add(here, &(struct link_veth){ .name = "v0", .peer = "v1", .peer_nsfd = farfd },
		      "veth");
	assert_int_equal(nl_flush(here), 0);
	up_with_addr(here, "v0", "10.9.0.1");
	up_with_addr(far, "v1", "10.9.0.2");
	/* A new link drops what it sends until the kernel's linkwatch has
	 * activated it (up to a second later), which operstate UP shows. */
	for (int i = 0; i < 300 && !(oper_up(here, "v0") && oper_up(far, "v1")); i++)
		usleep(10000);

	nsfds[0] = -1;
	nsfds[1] = farfd;
	memset(p, 0, sizeof(p));
	p[0].src = 0;
	p[0].family = AF_INET;
	inet_pton(AF_INET, "10.9.0.2", p[0].addr);
	p[0].neigh[0] = (struct reach_neigh){ .set = true, .ns = 0, .dev = "v0" };
	memcpy(p[0].neigh[0].addr, p[0].addr, 4);
	p[1].src = 1;
	p[1].family = AF_INET;
	inet_pton(AF_INET, "10.9.0.1", p[1].addr);
	/* From far to an address nobody has: not reached within the timeout. */
	p[2].src = 1;
	p[2].family = AF_INET;
	inet_pton(AF_INET, "10.9.0.77", p[2].addr);
	assert_int_equal(reach_run(nsfds, 2, p, 3, &(struct reach_opts){ .timeout_ms = 400 }), 0);
	assert_true(p[0].reached);
	assert_true(p[1].reached);
	assert_false(p[2].reached);
	assert_true(p[2].sent >= 2); /* resent while waiting */
	nl_close(here);
	nl_close(far);
	close(farfd);
	assert_int_equal(netns_delete("far"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_addr),
		cmocka_unit_test(test_expectations),
		cmocka_unit_test(test_no_expect_means_all),
		cmocka_unit_test(test_pair_neigh),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_two_namespaces),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
