// SPDX-License-Identifier: GPL-2.0-or-later
/* Addresses (IPv4, IPv6 usable at once) and main-table routes, including
 * the default route and route_default_dev, read back from the kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "common/errmsg.h"
#include "kernel/addr.h"
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/route.h"
#include "isolate.h"

static struct nl *nl;
static int nsfd = -1;
static const int ETH0 = 10;

static int setup(void **state)
{
	(void)state;
	/* A node: eth0 (index 10) up, its peer in the same namespace. */
	if (netns_create("node", &nsfd, &nl) ||
	    link_set(nl, &(struct link_change){ .ifindex = 1, .set_up = true, .up = true }, "lo") ||
	    link_veth_add(nl, &(struct link_veth){ .name = "eth0", .ifindex = ETH0, .up = true,
						   .peer = "peer0", .peer_nsfd = -1,
						   .peer_ifindex = 11, .peer_up = true },
			  "eth0") ||
	    nl_flush(nl))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nl_close(nl);
	close(nsfd);
	netns_delete("node");
	return 0;
}

struct find_addr {
	int family;
	uint8_t addr[16];
	struct addr_info found;
	int n;
};

static int find_addr_cb(const struct addr_info *a, void *arg)
{
	struct find_addr *f = arg;

	if (a->family == f->family &&
	    !memcmp(a->addr, f->addr, a->family == AF_INET ? 4 : 16)) {
		f->found = *a;
		f->n++;
	}
	return 0;
}

static void pton(int family, const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(family, s, out), 1);
}

static void test_ipv4(void **state)
{
	struct find_addr f = { .family = AF_INET };
	int rc;

	(void)state;
	pton(AF_INET, "172.16.10.1", f.addr);
	assert_int_equal(addr_add(nl, ETH0, AF_INET, f.addr, 24, 0, "red: eth0: adding"), 0);
	assert_int_equal(nl_flush(nl), 0);
	assert_int_equal(addr_dump(nl, AF_UNSPEC, find_addr_cb, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.found.ifindex, ETH0);
	assert_int_equal(f.found.plen, 24);
	assert_int_equal(f.found.scope, RT_SCOPE_UNIVERSE);

	/* Again: the kernel says it exists, under our label. */
	assert_int_equal(addr_add(nl, ETH0, AF_INET, f.addr, 24, 0, "red: eth0: adding again"), 0);
	rc = nl_flush(nl);
	assert_int_equal(rc, -EEXIST);
	assert_non_null(strstr(err_text(rc), "red: eth0: adding again: File exists"));

	assert_int_equal(addr_del(nl, ETH0, AF_INET, f.addr, 24, 0, "deleting"), 0);
	assert_int_equal(nl_flush(nl), 0);
	f.n = 0;
	assert_int_equal(addr_dump(nl, AF_INET, find_addr_cb, &f), 0);
	assert_int_equal(f.n, 0);
}

static void test_ipv6_usable_at_once(void **state)
{
	struct find_addr f = { .family = AF_INET6 };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(4242) };
	int fd, saved;

	(void)state;
	pton(AF_INET6, "fd00:10::1", f.addr);
	assert_int_equal(addr_add(nl, ETH0, AF_INET6, f.addr, 64, 0, "adding v6"), 0);
	assert_int_equal(nl_flush(nl), 0);
	assert_int_equal(addr_dump(nl, AF_INET6, find_addr_cb, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.found.plen, 64);
	assert_true(f.found.flags & IFA_F_NODAD);
	assert_false(f.found.flags & IFA_F_TENTATIVE);

	/* Usable: a tentative address cannot be bound (EADDRNOTAVAIL). */
	memcpy(&sin6.sin6_addr, f.addr, 16);
	assert_int_equal(netns_enter(nsfd, &saved), 0);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_int_equal(netns_leave(saved), 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	close(fd);

	/* Control: the same without NODAD is tentative and cannot be bound. */
	assert_int_equal(system("ip -n node addr add fd00:11::1/64 dev eth0"), 0);
	pton(AF_INET6, "fd00:11::1", (uint8_t *)&sin6.sin6_addr);
	assert_int_equal(netns_enter(nsfd, &saved), 0);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_int_equal(netns_leave(saved), 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)), -1);
	assert_int_equal(errno, EADDRNOTAVAIL);
	close(fd);
}

static void test_bad_input(void **state)
{
	uint8_t a[16] = { 10 };
	int rc;

	(void)state;
	assert_int_equal(addr_add(nl, ETH0, AF_INET, a, 33, 0, "plen"), -EINVAL);
	assert_int_equal(addr_add(nl, ETH0, AF_PACKET, a, 8, 0, "family"), -EINVAL);
	assert_int_equal(nl_pending(nl), 0);
	/* A missing interface: -ENODEV, label and the kernel's words. */
	assert_int_equal(addr_add(nl, 4242, AF_INET, a, 8, 0, "red: eth7: adding 10.0.0.0/8"), 0);
	rc = nl_flush(nl);
	assert_int_equal(rc, -ENODEV);
	assert_non_null(strstr(err_text(rc), "red: eth7: adding 10.0.0.0/8: No such device (kernel: "));
}

struct find_route {
	int family;
	uint8_t plen;
	struct route_info found;
	int n;
};

static int find_route_cb(const struct route_info *r, void *arg)
{
	struct find_route *f = arg;

	if (r->family == f->family && r->plen == f->plen && r->type == RTN_UNICAST) {
		f->found = *r;
		f->n++;
	}
	return 0;
}

static void test_routes(void **state)
{
	struct route_spec def = { .family = AF_INET, .has_via = true, .ifindex = ETH0 };
	struct route_spec net = { .family = AF_INET, .plen = 16, .has_via = true, .metric = 50 };
	struct find_route f = { .family = AF_INET, .plen = 0 };
	uint8_t a[4];
	int dev;

	(void)state;
	pton(AF_INET, "172.16.10.5", a);
	assert_int_equal(addr_add(nl, ETH0, AF_INET, a, 24, NL_F_EXIST_OK, "addr"), 0);
	pton(AF_INET, "172.16.10.254", def.via);
	assert_int_equal(route_add(nl, &def, 0, "default"), 0);
	pton(AF_INET, "10.20.0.0", net.dst);
	pton(AF_INET, "172.16.10.253", net.via); /* the kernel finds the device */
	assert_int_equal(route_add(nl, &net, 0, "10.20/16"), 0);
	assert_int_equal(nl_flush(nl), 0);

	assert_int_equal(route_dump(nl, AF_INET, find_route_cb, &f), 0);
	assert_int_equal(f.n, 1);
	assert_true(f.found.has_via);
	assert_memory_equal(f.found.via, def.via, 4);
	assert_int_equal(f.found.ifindex, ETH0);

	f = (struct find_route){ .family = AF_INET, .plen = 16 };
	assert_int_equal(route_dump(nl, AF_UNSPEC, find_route_cb, &f), 0);
	assert_int_equal(f.n, 1);
	assert_memory_equal(f.found.dst, net.dst, 4);
	assert_int_equal(f.found.metric, 50);
	assert_int_equal(f.found.ifindex, ETH0);

	/* The connected route has the address as preferred source. */
	f = (struct find_route){ .family = AF_INET, .plen = 24 };
	assert_int_equal(route_dump(nl, AF_INET, find_route_cb, &f), 0);
	assert_int_equal(f.n, 1);
	assert_true(f.found.has_prefsrc);
	assert_memory_equal(f.found.prefsrc, a, 4);
	assert_int_equal(f.found.protocol, RTPROT_KERNEL);

	assert_int_equal(route_default_dev(nl, AF_INET, &dev), 0);
	assert_int_equal(dev, ETH0);
	assert_int_equal(route_default_dev(nl, AF_INET6, &dev), -ENOENT);

	assert_int_equal(route_del(nl, &def, 0, "del default"), 0);
	assert_int_equal(route_del(nl, &net, 0, "del net"), 0);
	assert_int_equal(nl_flush(nl), 0);
	assert_int_equal(route_default_dev(nl, AF_INET, &dev), -ENOENT);
	f = (struct find_route){ .family = AF_INET, .plen = 16 };
	assert_int_equal(route_dump(nl, AF_INET, find_route_cb, &f), 0);
	assert_int_equal(f.n, 0);
}

/* A multipath route gives every hop (the first also as the route's own),
 * a blackhole none. */
static void test_multipath(void **state)
{
	struct route_info *v = NULL;
	size_t n = 0;
	uint8_t a[4], b[4], dst[4], bh[4];
	bool seen_mp = false, seen_bh = false;

	(void)state;
	assert_int_equal(system("ip -n node addr add 172.16.12.5/24 dev eth0 && "
				"ip -n node route add 10.97.0.0/16 nexthop via 172.16.12.7 nexthop via 172.16.12.254 && "
				"ip -n node route add blackhole 10.99.0.0/16"), 0);
	pton(AF_INET, "172.16.12.7", a);
	pton(AF_INET, "172.16.12.254", b);
	pton(AF_INET, "10.97.0.0", dst);
	pton(AF_INET, "10.99.0.0", bh);
	assert_int_equal(route_list(nl, AF_INET, &v, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (v[i].plen == 16 && !memcmp(v[i].dst, dst, 4)) {
			seen_mp = true;
			assert_int_equal(v[i].type, RTN_UNICAST);
			assert_int_equal(v[i].n_hops, 2);
			assert_memory_equal(v[i].hops[0].via, a, 4);
			assert_memory_equal(v[i].hops[1].via, b, 4);
			assert_int_equal(v[i].hops[1].ifindex, ETH0);
			assert_true(v[i].has_via);
			assert_memory_equal(v[i].via, a, 4);
			assert_int_equal(v[i].ifindex, ETH0);
		}
		if (v[i].plen == 16 && !memcmp(v[i].dst, bh, 4)) {
			seen_bh = true;
			assert_int_equal(v[i].type, RTN_BLACKHOLE);
			assert_int_equal(v[i].n_hops, 0);
			assert_false(v[i].has_via);
		}
	}
	free(v);
	assert_true(seen_mp);
	assert_true(seen_bh);
	assert_int_equal(system("ip -n node route del 10.97.0.0/16 && ip -n node route del blackhole 10.99.0.0/16 && "
				"ip -n node addr del 172.16.12.5/24 dev eth0"), 0);
}

static void test_default_lowest_metric(void **state)
{
	struct route_spec r1 = { .family = AF_INET6, .has_via = true, .ifindex = ETH0, .metric = 300 };
	struct route_spec r2 = { .family = AF_INET6, .ifindex = 1, .metric = 100 };
	uint8_t a[16];
	int dev;

	(void)state;
	pton(AF_INET6, "fd00:20::1", a);
	assert_int_equal(addr_add(nl, ETH0, AF_INET6, a, 64, 0, "addr"), 0);
	pton(AF_INET6, "fd00:20::fe", r1.via);
	assert_int_equal(route_add(nl, &r1, 0, "v6 default via eth0"), 0);
	assert_int_equal(nl_flush(nl), 0);
	assert_int_equal(route_default_dev(nl, AF_INET6, &dev), 0);
	assert_int_equal(dev, ETH0);
	/* A lower metric on another device wins. */
	assert_int_equal(route_add(nl, &r2, 0, "v6 default dev lo"), 0);
	assert_int_equal(nl_flush(nl), 0);
	assert_int_equal(route_default_dev(nl, AF_INET6, &dev), 0);
	assert_int_equal(dev, 1);
	assert_int_equal(route_del(nl, &r2, 0, "del"), 0);
	assert_int_equal(route_del(nl, &r1, 0, "del"), 0);
	assert_int_equal(route_del(nl, &r1, NL_F_GONE_OK, "del again"), 0);
	assert_int_equal(nl_flush(nl), 0);
	assert_int_equal(route_default_dev(nl, AF_INET6, &dev), -ENOENT);
	/* A route needs a gateway or a device. */
	assert_int_equal(route_add(nl, &(struct route_spec){ .family = AF_INET }, 0, "x"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6_usable_at_once),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_multipath),
		cmocka_unit_test(test_default_lowest_metric),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
