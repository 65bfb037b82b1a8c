// SPDX-License-Identifier: GPL-2.0-or-later
/* Links: veth pairs across namespaces with chosen indexes, group, MTU, MAC
 * and both ends up; bridges with master/alias/group; deleting one link and
 * a whole group; dumps. Each check reads the kernel's answer back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_addr.h>

#include "common/errmsg.h"
#include "kernel/addr.h"
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "isolate.h"

static struct nl *host;
static int hostfd = -1;

static int setup(void **state)
{
	(void)state;
	if (nl_open(&host))
		return -1;
	hostfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	return hostfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	nl_close(host);
	close(hostfd);
	return 0;
}

static void test_veth_across_namespaces(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
	static const uint8_t pmac[6] = { 0x02, 0, 0, 0, 0, 0x22 };
	struct link_info li, pi;
	struct nl *node;
	int fd;

	(void)state;
	assert_int_equal(netns_create("red", &fd, &node), 0);
	assert_int_equal(link_veth_add(node,
				       &(struct link_veth){
					       .name = "eth0", .ifindex = 10, .mac = mac, .mtu = 1400,
					       .up = true, .peer = "red-eth0", .peer_nsfd = hostfd,
					       .peer_ifindex = 1010, .peer_mac = pmac, .peer_up = true,
					       .peer_group = 42, .gso_max_size = 32000 },
				       "red: eth0: creating"),
			 0);
	assert_int_equal(nl_flush(node), 0);

	/* The node end: inside, chosen index, MAC, MTU, up with carrier. */
	assert_int_equal(link_get(node, "eth0", &li), 0);
	assert_int_equal(li.ifindex, 10);
	assert_string_equal(li.kind, "veth");
	assert_true(li.has_mac);
	assert_memory_equal(li.mac, mac, 6);
	assert_int_equal(li.mtu, 1400);
	assert_true(li.flags & IFF_UP);
	assert_true(li.carrier);
	assert_int_equal(li.group, 0);
	assert_int_equal(li.link, 1010);
	assert_true(li.link_netnsid >= 0);

	/* The host end: in the host namespace, chosen index, group, up. */
	assert_int_equal(link_get(host, "red-eth0", &pi), 0);
	assert_int_equal(pi.ifindex, 1010);
	assert_memory_equal(pi.mac, pmac, 6);
	assert_int_equal(pi.mtu, 1400);
	assert_int_equal(pi.group, 42);
	assert_true(pi.flags & IFF_UP);
	assert_true(pi.carrier);
	assert_int_equal(pi.link, 10);
	assert_int_equal(link_get(host, "eth0", &pi), -ENODEV);
	assert_int_equal(system("ip -n red -d link show eth0 | grep -q 'gso_max_size 32000'"), 0);

	/* Deleting one end deletes both. */
	assert_int_equal(link_del(host, "red-eth0", 0, 0, "deleting red-eth0"), 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(node, "eth0", &li), -ENODEV);
	nl_close(node);
	close(fd);
	assert_int_equal(netns_delete("red"), 0);
}

static void test_veth_same_namespace(void **state)
{
	struct link_info a, b;

	(void)state;
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "va", .up = true, .peer = "vb",
							    .peer_nsfd = -1, .peer_up = true,
							    .peer_group = 5 },
				       "va"),
			 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(host, "va", &a), 0);
	assert_int_equal(link_get(host, "vb", &b), 0);
	assert_true(a.flags & IFF_UP);
	assert_true(b.flags & IFF_UP);
	assert_int_equal(b.group, 5);
	assert_int_equal(a.link, b.ifindex);
	/* Only the near end's index chosen (the far end's then cannot be up in
	 * another namespace, but in the same one it can). */
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "vc", .ifindex = 777, .up = true,
							    .peer = "vd", .peer_nsfd = -1,
							    .peer_up = true },
				       "vc"),
			 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(host, "vc", &a), 0);
	assert_int_equal(link_get(host, "vd", &b), 0);
	assert_int_equal(a.ifindex, 777);
	assert_true(a.flags & IFF_UP);
	assert_true(b.flags & IFF_UP);
	assert_int_equal(link_del(host, "va", 0, 0, "va"), 0);
	assert_int_equal(link_del(host, NULL, 777, 0, "vc"), 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(host, "vb", &b), -ENODEV);
	assert_int_equal(link_get(host, "vd", &b), -ENODEV);
}

static void test_veth_refused(void **state)
{
	(void)state;
	/* Near index chosen, far one not, far end in another namespace and to
	 * be up: the kernel cannot do it (link.c), so it is refused at once. */
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "ve", .ifindex = 50, .peer = "vf",
							    .peer_nsfd = hostfd, .peer_up = true },
				       "ve"),
			 -EINVAL);
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "0123456789abcdef", .peer = "x",
							    .peer_nsfd = -1 },
				       "long"),
			 -EINVAL);
	assert_int_equal(nl_pending(host), 0);
}

struct ll_ctx {
	int ifindex;
	int lladdrs;
};

static int count_ll(const struct addr_info *a, void *arg)
{
	struct ll_ctx *c = arg;

	if (a->ifindex == c->ifindex && a->family == AF_INET6 && a->addr[0] == 0xfe &&
	    (a->addr[1] & 0xc0) == 0x80)
		c->lladdrs++;
	return 0;
}

static void test_ipv6_ll_off(void **state)
{
	struct link_info a, b;
	struct ll_ctx ca = { 0 }, cb = { 0 };

	(void)state;
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "la", .ifindex = 300, .up = true,
							    .peer = "lb", .peer_nsfd = -1,
							    .peer_ifindex = 301, .ipv6_ll_off = true },
				       "la"),
			 0);
	/* The other end comes up later, with its address generation off by
	 * link_set, as a bridge port would. */
	assert_int_equal(link_set(host,
				  &(struct link_change){ .ifindex = 301, .set_up = true, .up = true,
							 .set_ipv6_ll = true, .ipv6_ll = false },
				  "lb up"),
			 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(host, "la", &a), 0);
	assert_int_equal(link_get(host, "lb", &b), 0);
	assert_true(a.flags & IFF_UP);
	assert_true(b.flags & IFF_UP);
	ca.ifindex = a.ifindex;
	cb.ifindex = b.ifindex;
	assert_int_equal(addr_dump(host, AF_INET6, count_ll, &ca), 0);
	assert_int_equal(addr_dump(host, AF_INET6, count_ll, &cb), 0);
	assert_int_equal(ca.lladdrs, 0);
	assert_int_equal(cb.lladdrs, 0);
	assert_int_equal(system("ip -d link show la | grep -q 'addrgenmode none'"), 0);

	/* Control: an ordinary pair gets its link-local address on up. */
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "lc", .up = true, .peer = "ld",
							    .peer_nsfd = -1, .peer_up = true },
				       "lc"),
			 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(host, "lc", &a), 0);
	ca = (struct ll_ctx){ a.ifindex, 0 };
	assert_int_equal(addr_dump(host, AF_INET6, count_ll, &ca), 0);
	assert_int_equal(ca.lladdrs, 1);
	assert_int_equal(link_del(host, "la", 0, 0, "la"), 0);
	assert_int_equal(link_del(host, "lc", 0, 0, "lc"), 0);
	assert_int_equal(nl_flush(host), 0);
}

static void test_bridge_master_alias_group(void **state)
{
	struct link_info br, p;
	int bri;

	(void)state;
	assert_int_equal(link_bridge_add(host, "br0", 1450, false, "br0"), 0);
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "p0", .peer = "p0x", .peer_nsfd = -1 },
				       "p0"),
			 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_index(host, "br0", &bri), 0);
	assert_true(bri > 0);
	assert_int_equal(link_set(host,
				  &(struct link_change){ .name = "p0", .set_master = true, .master = bri,
							 .alias = "nslab:test", .set_group = true,
							 .group = 9, .set_up = true, .up = true,
							 .mtu = 1450 },
				  "p0 to br0"),
			 0);
	assert_int_equal(link_set(host,
				  &(struct link_change){ .ifindex = bri, .alias = "nslab:test",
							 .set_up = true, .up = true },
				  "br0 up"),
			 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(host, "br0", &br), 0);
	assert_string_equal(br.kind, "bridge");
	assert_string_equal(br.alias, "nslab:test");
	assert_int_equal(br.mtu, 1450);
	assert_true(br.flags & IFF_UP);
	assert_int_equal(link_get(host, "p0", &p), 0);
	assert_int_equal(p.master, bri);
	assert_string_equal(p.alias, "nslab:test");
	assert_int_equal(p.group, 9);
	assert_true(p.flags & IFF_UP);
	/* Snooping starts off, and can be switched. */
	assert_int_equal(system("ip -d link show br0 | grep -q 'mcast_snooping 0'"), 0);
	assert_int_equal(link_bridge_mcast_snooping(host, bri, true, "snooping on"), 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(system("ip -d link show br0 | grep -q 'mcast_snooping 1'"), 0);

	/* Detach, clear the alias, change the MAC. */
	{
		static const uint8_t mac[6] = { 0x02, 1, 2, 3, 4, 5 };

		assert_int_equal(link_set(host,
					  &(struct link_change){ .name = "p0", .set_master = true,
								 .master = 0, .alias = "", .mac = mac },
					  "p0 detach"),
				 0);
		assert_int_equal(nl_flush(host), 0);
		assert_int_equal(link_get(host, "p0", &p), 0);
		assert_int_equal(p.master, 0);
		assert_string_equal(p.alias, "");
		assert_memory_equal(p.mac, mac, 6);
	}
	assert_int_equal(link_del(host, "br0", 0, 0, "br0"), 0);
	assert_int_equal(link_del(host, "p0", 0, 0, "p0"), 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_get(host, "br0", &br), -ENODEV);
}

struct find_ctx {
	const char *prefix;
	int found;
};

static int find_prefix(const struct link_info *li, void *arg)
{
	struct find_ctx *f = arg;

	if (!strncmp(li->name, f->prefix, strlen(f->prefix)))
		f->found++;
	return 0;
}

static void test_delete_group(void **state)
{
	struct find_ctx f = { "g", 0 };
	struct link_info li;
	struct nl *node;
	char name[16], peer[16];
	int fd;

	(void)state;
	assert_int_equal(netns_create("grp", &fd, &node), 0);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "gi%d", i);
		snprintf(peer, sizeof(peer), "gh%d", i);
		/* Host ends in group 77, but one of them in the default group. */
		assert_int_equal(link_veth_add(node,
					       &(struct link_veth){ .name = name, .up = true,
								    .peer = peer, .peer_nsfd = hostfd,
								    .peer_group = i == 7 ? 0 : 77 },
					       name),
				 0);
	}
	assert_int_equal(nl_flush(node), 0);
	assert_int_equal(link_dump(host, find_prefix, &f), 0);
	assert_int_equal(f.found, 20);

	assert_int_equal(link_del_group(host, 77, "deleting group 77"), 0);
	assert_int_equal(nl_flush(host), 0);
	f.found = 0;
	assert_int_equal(link_dump(host, find_prefix, &f), 0);
	assert_int_equal(f.found, 1);
	assert_int_equal(link_get(host, "gh7", &li), 0);
	/* Their node ends went with them. */
	f.found = 0;
	assert_int_equal(link_dump(node, find_prefix, &f), 0);
	assert_int_equal(f.found, 1);
	assert_int_equal(link_get(node, "gi7", &li), 0);

	/* An empty group is fine; group 0 is refused. */
	assert_int_equal(link_del_group(host, 77, "again"), 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_del_group(host, 0, "all"), -EINVAL);
	nl_close(node);
	close(fd);
	assert_int_equal(netns_delete("grp"), 0);
	assert_int_equal(link_del(host, "gh7", 0, NL_F_GONE_OK, "gh7"), 0);
	assert_int_equal(nl_flush(host), 0);
}

static void test_delete_absent(void **state)
{
	int rc;

	(void)state;
	assert_int_equal(link_del(host, "nosuch0", 0, NL_F_GONE_OK, "gone ok"), 0);
	assert_int_equal(link_del(host, NULL, 4000, NL_F_GONE_OK, "gone ok by index"), 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_del(host, "nosuch0", 0, 0, "red: nosuch0: deleting"), 0);
	rc = nl_flush(host);
	assert_int_equal(rc, -ENODEV);
	assert_non_null(strstr(err_text(rc), "red: nosuch0: deleting: No such device"));
	assert_int_equal(link_index(host, "nosuch0", &rc), -ENODEV);
	assert_int_equal(rc, 0);
}

static int stop_at_second(const struct link_info *li, void *arg)
{
	(void)li;
	return ++*(int *)arg == 2 ? -ECANCELED : 0;
}

static void test_dump_stop(void **state)
{
	int n = 0;

	(void)state;
	assert_int_equal(link_veth_add(host,
				       &(struct link_veth){ .name = "sa", .peer = "sb", .peer_nsfd = -1 },
				       "sa"),
			 0);
	assert_int_equal(nl_flush(host), 0);
	assert_int_equal(link_dump(host, stop_at_second, &n), -ECANCELED);
	assert_int_equal(n, 2);
	assert_int_equal(link_del(host, "sa", 0, 0, "sa"), 0);
	assert_int_equal(nl_flush(host), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_veth_across_namespaces),
		cmocka_unit_test(test_veth_same_namespace),
		cmocka_unit_test(test_veth_refused),
		cmocka_unit_test(test_ipv6_ll_off),
		cmocka_unit_test(test_bridge_master_alias_group),
		cmocka_unit_test(test_delete_group),
		cmocka_unit_test(test_delete_absent),
		cmocka_unit_test(test_dump_stop),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
