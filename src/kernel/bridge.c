// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux bridge VLAN filtering per port, as `bridge vlan add/del` does it:
 * RTM_SETLINK (add) and RTM_DELLINK (delete) with family AF_BRIDGE and an
 * IFLA_AF_SPEC holding IFLA_BRIDGE_FLAGS (BRIDGE_FLAGS_SELF for the bridge
 * device itself; the default, master, for a port) and IFLA_BRIDGE_VLAN_INFO
 * entries (struct bridge_vlan_info), runs of VIDs as RANGE_BEGIN/RANGE_END
 * pairs (net/bridge/br_netlink.c, br_afspec).
 *
 * "Exactly these VLANs" without reading the port's current ones first:
 * one request adds the wanted VLANs (which also moves the PVID and updates
 * the untagged flag of VLANs already there), the next deletes every other
 * VID of 1..4094 as a few ranges. Deleting a VID the port does not carry is
 * not an error for RTM_DELLINK (br_vlan_info ignores nbp_vlan_delete's
 * -ENOENT), and the wanted VLANs are never removed even for an instant, so
 * traffic on them is not interrupted when a port is reconfigured.
 */
#include "kernel/bridge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>

#include "common/errmsg.h"
#include "kernel/nl.h"
#include "kernel/nlattr.h"

#define VID_MIN 1
#define VID_MAX 4094 /* 4095 is reserved (IEEE 802.1Q) */

static void put_vinfo(struct nlmsghdr *nlh, uint16_t flags, uint16_t vid)
{
	struct bridge_vlan_info vi = { .flags = flags, .vid = vid };

	mnl_attr_put(nlh, IFLA_BRIDGE_VLAN_INFO, sizeof(vi), &vi);
}

/* The VIDs lo..hi: one entry, or a RANGE_BEGIN/RANGE_END pair. */
static void put_range(struct nlmsghdr *nlh, uint16_t flags, uint16_t lo, uint16_t hi)
{
	if (lo == hi) {
		put_vinfo(nlh, flags, lo);
		return;
	}
	put_vinfo(nlh, flags | BRIDGE_VLAN_INFO_RANGE_BEGIN, lo);
	put_vinfo(nlh, flags | BRIDGE_VLAN_INFO_RANGE_END, hi);
}

/* Start an AF_BRIDGE request with room for nranges ranges. */
static struct nlmsghdr *vlan_req(struct nl *nl, uint16_t type, int ifindex, bool self,
				 size_t nranges, const char *label, struct nlattr **spec)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	size_t need;

	nlh = nl_req_begin(nl, type, 0, sizeof(*ifi), 0, label);
	if (!nlh)
		return NULL;
	need = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)) + 64 +
	       nranges * 2 * MNL_ATTR_HDRLEN + nranges * 2 * sizeof(struct bridge_vlan_info);
	if (need > nl_req_room(nl)) {
		nlh = nl_req_grow(nl, need);
		if (!nlh)
			return NULL;
	}
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_BRIDGE;
	ifi->ifi_index = ifindex;
	*spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	if (self)
		mnl_attr_put_u16(nlh, IFLA_BRIDGE_FLAGS, BRIDGE_FLAGS_SELF);
	return nlh;
}

int bridge_vlan_set(struct nl *nl, int ifindex, bool self, uint16_t pvid, const uint16_t *vids,
		    size_t n, const char *label)
{
	uint8_t want[(VID_MAX + 8) / 8] = { 0 };
	size_t nwant = 0, nholes = 0;
	struct nlmsghdr *nlh;
	struct nlattr *spec;

#define WANTED(v) (want[(v) / 8] & (1u << ((v) % 8)))
	if (ifindex <= 0 || (pvid && (pvid < VID_MIN || pvid > VID_MAX)))
		return err_set(-EINVAL, "%s: bad port or PVID %u", label ? label : "vlan", pvid);
	for (size_t i = 0; i < n; i++) {
		if (vids[i] < VID_MIN || vids[i] > VID_MAX)
			return err_set(-EINVAL, "%s: VLAN %u is outside 1-4094",
				       label ? label : "vlan", vids[i]);
		want[vids[i] / 8] |= (uint8_t)(1u << (vids[i] % 8));
	}
	if (pvid)
		want[pvid / 8] |= (uint8_t)(1u << (pvid % 8));
	/* Count runs, to size the requests. */
	for (unsigned v = VID_MIN; v <= VID_MAX; v++) {
		bool w = WANTED(v), prev = v > VID_MIN && WANTED(v - 1);

		if (w && (v == VID_MIN || !prev))
			nwant++;
		if (!w && (v == VID_MIN || prev))
			nholes++;
	}

	/* The adds: the PVID on its own (a range may not carry PVID), then
	 * the tagged VIDs as runs. */
	if (nwant) {
		nlh = vlan_req(nl, RTM_SETLINK, ifindex, self, nwant + 1, label, &spec);
		if (!nlh)
			return -ENOMEM;
		if (pvid)
			put_vinfo(nlh, BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED, pvid);
		for (unsigned v = VID_MIN; v <= VID_MAX; v++) {
			unsigned lo = v;

			if (!WANTED(v) || v == pvid)
				continue;
			while (v + 1 <= VID_MAX && WANTED(v + 1) && v + 1 != pvid)
				v++;
			put_range(nlh, 0, (uint16_t)lo, (uint16_t)v);
		}
		mnl_attr_nest_end(nlh, spec);
	}
	/* The deletes: every VID not wanted, as runs. */
	if (nholes) {
		nlh = vlan_req(nl, RTM_DELLINK, ifindex, self, nholes, label, &spec);
		if (!nlh)
			return -ENOMEM;
		for (unsigned v = VID_MIN; v <= VID_MAX; v++) {
			unsigned lo = v;

			if (WANTED(v))
				continue;
			while (v + 1 <= VID_MAX && !WANTED(v + 1))
				v++;
			put_range(nlh, 0, (uint16_t)lo, (uint16_t)v);
		}
		mnl_attr_nest_end(nlh, spec);
	}
#undef WANTED
	return 0;
}

/* --- reading back ------------------------------------------------------ */

int bridge_vlan_msg_parse(const struct nlmsghdr *nlh,
		      int (*cb)(const struct bridge_vlan *v, void *arg), void *arg)
{
	const struct nlattr *tb[IFLA_MAX + 1], *a;
	const struct ifinfomsg *ifi;
	int rc;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return -EPROTO;
	rc = nlattr_table(nlh, sizeof(*ifi), tb, IFLA_MAX);
	if (rc)
		return rc;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (!tb[IFLA_AF_SPEC])
		return 0;
	if (mnl_attr_validate(tb[IFLA_AF_SPEC], MNL_TYPE_NESTED) < 0)
		return -EPROTO;
	/* IFLA_AF_SPEC holds one IFLA_BRIDGE_VLAN_INFO per VID (with
	 * RTEXT_FILTER_BRVLAN; ranges only with _COMPRESSED, not asked for),
	 * among other bridge attributes. */
	mnl_attr_for_each_nested(a, tb[IFLA_AF_SPEC]) {
		struct bridge_vlan v = { .ifindex = ifi->ifi_index };
		struct bridge_vlan_info vi;

		if (mnl_attr_get_type(a) != IFLA_BRIDGE_VLAN_INFO)
			continue;
		if (nlattr_bin(a, &vi, sizeof(vi)))
			return -EPROTO;
		v.vid = vi.vid;
		v.flags = vi.flags;
		rc = cb(&v, arg);
		if (rc)
			return rc;
	}
	return 0;
}

struct dump_ctx {
	int (*cb)(const struct bridge_vlan *v, void *arg);
	void *arg;
	int rc;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	int rc;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	rc = bridge_vlan_msg_parse(nlh, d->cb, d->arg);
	if (rc == -EPROTO)
		err_set(rc, "reading bridge VLANs: a malformed message");
	d->rc = rc;
	return rc < 0 ? rc : MNL_CB_OK;
}

int bridge_vlan_dump(struct nl *nl, int (*cb)(const struct bridge_vlan *v, void *arg), void *arg)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct dump_ctx d = { cb, arg, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	int rc;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_BRIDGE;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
	rc = nl_query_label(nl, nlh, "listing bridge VLANs", dump_cb, &d);
	return rc ? rc : d.rc < 0 ? d.rc : 0;
}
