// SPDX-License-Identifier: GPL-2.0-or-later
/* Bridge VLAN filtering per port and on the bridge itself: bridge_vlan_set
 * leaves a port with exactly the VLANs asked for, checked by dumping them
 * back (RTM_GETLINK, AF_BRIDGE). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_bridge.h>

#include "common/errmsg.h"
#include "kernel/bridge.h"
#include "kernel/link.h"
#include "kernel/nl.h"
#include "isolate.h"

static struct nl *nl;
static int bri, p1, p2;
/* Kernels built without CONFIG_BRIDGE_VLAN_FILTERING refuse a filtering
 * bridge (EOPNOTSUPP): the VLAN tests then have nothing to test. */
static bool no_vlan;

static int setup(void **state)
{
	(void)state;
	if (nl_open(&nl) || link_bridge_add(nl, "br0", 0, true, "br0"))
		return -1;
	if (nl_flush(nl) == -EOPNOTSUPP) {
		no_vlan = true;
		if (link_bridge_add(nl, "br0", 0, false, "br0") || nl_flush(nl))
			return -1;
	}
	if (link_veth_add(nl, &(struct link_veth){ .name = "p1", .up = true, .peer = "p1x", .peer_nsfd = -1 }, "p1") ||
	    link_veth_add(nl, &(struct link_veth){ .name = "p2", .up = true, .peer = "p2x", .peer_nsfd = -1 }, "p2") ||
	    nl_flush(nl) || link_index(nl, "br0", &bri) || link_index(nl, "p1", &p1) ||
	    link_index(nl, "p2", &p2))
		return -1;
	if (link_set(nl, &(struct link_change){ .ifindex = p1, .set_master = true, .master = bri }, "p1") ||
	    link_set(nl, &(struct link_change){ .ifindex = p2, .set_master = true, .master = bri }, "p2") ||
	    link_set(nl, &(struct link_change){ .ifindex = bri, .set_up = true, .up = true }, "br0") ||
	    nl_flush(nl))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	link_del(nl, "br0", 0, 0, "br0");
	link_del(nl, "p1", 0, 0, "p1");
	link_del(nl, "p2", 0, 0, "p2");
	nl_flush(nl);
	nl_close(nl);
	return 0;
}

/* What one device carries: flags per VID (0x8000 marks "present"). */
struct vlans {
	int ifindex;
	uint16_t flags[4096];
	int n;
};

static int collect(const struct bridge_vlan *v, void *arg)
{
	struct vlans *s = arg;

	if (v->ifindex != s->ifindex)
		return 0;
	assert_true(v->vid >= 1 && v->vid <= 4094);
	assert_int_equal(s->flags[v->vid], 0);
	s->flags[v->vid] = (uint16_t)(0x8000 |
				      (v->flags & (BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED)));
	s->n++;
	return 0;
}

static void read_vlans(int ifindex, struct vlans *s)
{
	memset(s, 0, sizeof(*s));
	s->ifindex = ifindex;
	assert_int_equal(bridge_vlan_dump(nl, collect, s), 0);
}

/* Apply and flush. Without VLAN filtering in the kernel, the adds are
 * answered EOPNOTSUPP by the VLAN step itself (nbp_vlan_add's stub) and
 * the deletes succeed, which still proves the requests well-formed: a bad
 * attribute size or an unpaired range is EINVAL before that (br_afspec).
 * Returns whether the VLANs can be read back. */
static bool apply(int ifindex, bool self, uint16_t pvid, const uint16_t *vids, size_t n)
{
	size_t before = nl_failures(nl);
	int rc;

	assert_int_equal(bridge_vlan_set(nl, ifindex, self, pvid, vids, n, "setting VLANs"), 0);
	rc = nl_flush(nl);
	if (!no_vlan) {
		assert_int_equal(rc, 0);
		return true;
	}
	assert_int_equal(rc, pvid || n ? -EOPNOTSUPP : 0);
	assert_int_equal(nl_failures(nl) - before, pvid || n ? 1 : 0);
	return false;
}

#define PVID_UNTAGGED (0x8000 | BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED)
#define TAGGED 0x8000

static void test_port_exactly(void **state)
{
	static const uint16_t vids[] = { 30, 20, 21, 22 };
	static const uint16_t v2[] = { 10 };
	static const uint16_t v3[] = { 4094, 1 };
	static struct vlans s;

	(void)state;
	/* A new port has the default VLAN 1 (none without VLAN support). */
	read_vlans(p1, &s);
	assert_int_equal(s.n, no_vlan ? 0 : 1);
	assert_int_equal(s.flags[1], no_vlan ? 0 : PVID_UNTAGGED);

	if (apply(p1, false, 10, vids, 4)) {
		read_vlans(p1, &s);
		assert_int_equal(s.n, 5);
		assert_int_equal(s.flags[10], PVID_UNTAGGED);
		assert_int_equal(s.flags[20], TAGGED);
		assert_int_equal(s.flags[21], TAGGED);
		assert_int_equal(s.flags[22], TAGGED);
		assert_int_equal(s.flags[30], TAGGED);
		assert_int_equal(s.flags[1], 0);
		/* The other port is untouched. */
		read_vlans(p2, &s);
		assert_int_equal(s.n, 1);
		assert_int_equal(s.flags[1], PVID_UNTAGGED);
	}
	/* Reconfigured: the PVID moves, a tagged VLAN becomes the PVID and
	 * the old PVID becomes tagged; everything else goes. */
	if (apply(p1, false, 20, v2, 1)) {
		read_vlans(p1, &s);
		assert_int_equal(s.n, 2);
		assert_int_equal(s.flags[20], PVID_UNTAGGED);
		assert_int_equal(s.flags[10], TAGGED);
	}
	/* Nothing at all. */
	if (apply(p1, false, 0, NULL, 0)) {
		read_vlans(p1, &s);
		assert_int_equal(s.n, 0);
	}
	/* VLAN 1 when asked for, and a trunk only. */
	if (apply(p1, false, 0, v3, 2)) {
		read_vlans(p1, &s);
		assert_int_equal(s.n, 2);
		assert_int_equal(s.flags[1], TAGGED);
		assert_int_equal(s.flags[4094], TAGGED);
	}
}

static void test_bridge_self(void **state)
{
	static const uint16_t vids[] = { 100 };
	static struct vlans s;

	(void)state;
	read_vlans(bri, &s);
	assert_int_equal(s.flags[1], no_vlan ? 0 : PVID_UNTAGGED);
	if (!apply(bri, true, 10, vids, 1))
		return;
	read_vlans(bri, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.flags[10], PVID_UNTAGGED);
	assert_int_equal(s.flags[100], TAGGED);
	assert_int_equal(s.flags[1], 0);
}

static void test_long_list(void **state)
{
	static uint16_t vids[4093];
	static struct vlans s;
	size_t n = 0;

	(void)state;
	/* Every VID but 2 and 4000: runs, sent as ranges. */
	for (uint16_t v = 1; v <= 4094; v++) {
		if (v != 2 && v != 4000)
			vids[n++] = v;
	}
	if (!apply(p2, false, 5, vids, n))
		return;
	read_vlans(p2, &s);
	assert_int_equal(s.n, 4092);
	assert_int_equal(s.flags[5], PVID_UNTAGGED);
	assert_int_equal(s.flags[2], 0);
	assert_int_equal(s.flags[4000], 0);
	assert_int_equal(s.flags[4094], TAGGED);
	assert_int_equal(s.flags[1], TAGGED);
}

static void test_bad_vids(void **state)
{
	static const uint16_t bad[] = { 0 };
	static const uint16_t bad2[] = { 4095 };

	(void)state;
	assert_int_equal(bridge_vlan_set(nl, p1, false, 4095, NULL, 0, "pvid"), -EINVAL);
	assert_int_equal(bridge_vlan_set(nl, p1, false, 1, bad, 1, "vid 0"), -EINVAL);
	assert_int_equal(bridge_vlan_set(nl, p1, false, 1, bad2, 1, "vid 4095"), -EINVAL);
	assert_int_equal(nl_pending(nl), 0);
	/* A port that is no bridge port: the kernel refuses, with our label. */
	{
		int rc;

		assert_int_equal(bridge_vlan_set(nl, 1, false, 10, NULL, 0, "lo: setting VLANs"), 0);
		rc = nl_flush(nl);
		assert_true(rc < 0);
		assert_non_null(strstr(err_text(rc), "lo: setting VLANs: "));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_exactly),
		cmocka_unit_test(test_bridge_self),
		cmocka_unit_test(test_long_list),
		cmocka_unit_test(test_bad_vids),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
