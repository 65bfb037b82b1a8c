// SPDX-License-Identifier: GPL-2.0-or-later
/* Neighbour tables after real traffic: two nodes on a bridge in a third
 * namespace; a datagram from one to the other makes ARP/NDP entries in the
 * sender and fdb entries in the bridge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/neighbour.h>

#include "common/errmsg.h"
#include "kernel/addr.h"
#include "kernel/link.h"
#include "kernel/neigh.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "isolate.h"

static struct nl *nla, *nlb, *nlsw;
static int fda = -1, fdb = -1, fdsw = -1, bri, pa, pb;
static uint8_t mac_a[6], mac_b[6];

static int node(const char *name, int *fd, struct nl **nl, const char *port, int v4last,
		uint8_t *mac)
{
	uint8_t a4[4] = { 10, 8, 0, (uint8_t)v4last };
	uint8_t a6[16] = { 0xfd, 0, 0, 8, [15] = (uint8_t)v4last };
	struct link_info li;

	if (netns_create(name, fd, nl) ||
	    link_veth_add(*nl, &(struct link_veth){ .name = "eth0", .ifindex = 2, .up = true,
						    .peer = port, .peer_nsfd = fdsw,
						    .peer_ifindex = 100 + v4last, .peer_up = true },
			  name) ||
	    addr_add(*nl, 2, AF_INET, a4, 24, 0, "v4") || addr_add(*nl, 2, AF_INET6, a6, 64, 0, "v6") ||
	    nl_flush(*nl) || link_get(*nl, "eth0", &li))
		return -1;
	memcpy(mac, li.mac, 6);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	if (netns_create("sw", &fdsw, &nlsw) || link_bridge_add(nlsw, "br0", 0, false, "br0") ||
	    nl_flush(nlsw) || link_index(nlsw, "br0", &bri))
		return -1;
	if (node("a", &fda, &nla, "pa", 1, mac_a) || node("b", &fdb, &nlb, "pb", 2, mac_b))
		return -1;
	pa = 101;
	pb = 102;
	if (link_set(nlsw, &(struct link_change){ .ifindex = pa, .set_master = true, .master = bri },
		     "pa") ||
	    link_set(nlsw, &(struct link_change){ .ifindex = pb, .set_master = true, .master = bri },
		     "pb") ||
	    link_set(nlsw, &(struct link_change){ .ifindex = bri, .set_up = true, .up = true }, "br0") ||
	    nl_flush(nlsw))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nl_close(nla);
	nl_close(nlb);
	nl_close(nlsw);
	close(fda);
	close(fdb);
	close(fdsw);
	netns_delete("a");
	netns_delete("b");
	netns_delete("sw");
	return 0;
}

/* Send one UDP datagram from inside nsfd to addr (port 9, discard). */
static void send_udp(int nsfd, int family, const uint8_t *addr)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int fd, saved;

	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(9);
		memcpy(&s4->sin_addr, addr, 4);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(9);
		memcpy(&s6->sin6_addr, addr, 16);
		sl = sizeof(*s6);
	}
	assert_int_equal(netns_enter(nsfd, &saved), 0);
	fd = socket(family, SOCK_DGRAM, 0);
	assert_int_equal(netns_leave(saved), 0);
	assert_true(fd >= 0);
	assert_int_equal(sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, sl), 1);
	close(fd);
}

struct want {
	int family;
	uint8_t addr[16];
	const uint8_t *mac;
	struct neigh_info found;
	int n;
};

static int want_cb(const struct neigh_info *n, void *arg)
{
	struct want *w = arg;

	if (w->family == AF_BRIDGE) {
		if (n->family == AF_BRIDGE && n->has_mac && !memcmp(n->mac, w->mac, 6) &&
		    !(n->state & NUD_PERMANENT)) {
			w->found = *n;
			w->n++;
		}
		return 0;
	}
	assert_int_not_equal(n->family, AF_BRIDGE);
	if (n->family == w->family && !memcmp(n->addr, w->addr, w->family == AF_INET ? 4 : 16) &&
	    n->has_mac) {
		w->found = *n;
		w->n++;
	}
	return 0;
}

/* Dump until the entry shows (resolution is asynchronous), at most 3 s. */
static void wait_for(struct nl *nl, int family, struct want *w)
{
	for (int i = 0; i < 300; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		w->n = 0;
		assert_int_equal(neigh_dump(nl, family, want_cb, w), 0);
		if (w->n && (w->family == AF_BRIDGE || (w->found.state & (NUD_REACHABLE | NUD_STALE))))
			return;
		nanosleep(&ts, NULL);
	}
}

static void test_arp_and_ndp(void **state)
{
	struct want w4 = { .family = AF_INET, .addr = { 10, 8, 0, 2 } };
	struct want w6 = { .family = AF_INET6, .addr = { 0xfd, 0, 0, 8, [15] = 2 } };

	(void)state;
	/* Nothing yet. */
	assert_int_equal(neigh_dump(nla, AF_UNSPEC, want_cb, &w4), 0);
	assert_int_equal(w4.n, 0);

	send_udp(fda, AF_INET, w4.addr);
	wait_for(nla, AF_UNSPEC, &w4);
	assert_int_equal(w4.n, 1);
	assert_memory_equal(w4.found.mac, mac_b, 6);
	assert_int_equal(w4.found.ifindex, 2);
	assert_string_equal(neigh_state_str(w4.found.state),
			    w4.found.state & NUD_REACHABLE ? "REACHABLE" : "STALE");

	send_udp(fda, AF_INET6, w6.addr);
	wait_for(nla, AF_INET6, &w6);
	assert_int_equal(w6.n, 1);
	assert_memory_equal(w6.found.mac, mac_b, 6);
	/* Family AF_INET6 alone: no IPv4 entry. */
	w4.n = 0;
	assert_int_equal(neigh_dump(nla, AF_INET6, want_cb, &w4), 0);
	assert_int_equal(w4.n, 0);
}

static void test_fdb(void **state)
{
	struct want wa = { .family = AF_BRIDGE, .mac = mac_a };
	struct want wb = { .family = AF_BRIDGE, .mac = mac_b };
	uint8_t to_a[4] = { 10, 8, 0, 1 };

	(void)state;
	send_udp(fdb, AF_INET, to_a);
	wait_for(nlsw, AF_BRIDGE, &wa);
	wait_for(nlsw, AF_BRIDGE, &wb);
	assert_int_equal(wa.n, 1);
	assert_int_equal(wa.found.ifindex, pa);
	assert_int_equal(wa.found.master, bri);
	assert_int_equal(wa.found.vlan, 0);
	assert_true(wa.found.age_s < 60);
	assert_int_equal(wb.n, 1);
	assert_int_equal(wb.found.ifindex, pb);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(neigh_state_str(NUD_REACHABLE), "REACHABLE");
	assert_string_equal(neigh_state_str(NUD_STALE), "STALE");
	assert_string_equal(neigh_state_str(NUD_PERMANENT), "PERMANENT");
	assert_string_equal(neigh_state_str(NUD_FAILED), "FAILED");
	assert_string_equal(neigh_state_str(0), "NONE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_and_ndp),
		cmocka_unit_test(test_fdb),
		cmocka_unit_test(test_state_names),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
