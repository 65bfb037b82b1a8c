/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linux bridge VLANs per port (as `bridge vlan add`): RTM_SETLINK/DELLINK
 * with family AF_BRIDGE and IFLA_AF_SPEC/IFLA_BRIDGE_VLAN_INFO. Queued on nl.
 */
#ifndef NSLAB_BRIDGE_H
#define NSLAB_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl;

/* Make port ifindex (a bridge port, or the bridge itself with self) carry
 * exactly: pvid (untagged, 0 for none) and the tagged vids[n]. The default
 * VLAN 1 the kernel gives new ports is removed unless asked for. */
int bridge_vlan_set(struct nl *nl, int ifindex, bool self, uint16_t pvid,
		    const uint16_t *vids, size_t n, const char *label);

/* One VLAN of a bridge port or of a bridge itself, as the kernel reports it. */
struct bridge_vlan {
	int ifindex;
	uint16_t vid;
	uint16_t flags;         /* BRIDGE_VLAN_INFO_PVID, _UNTAGGED, ... */
};
/* Synchronous: every VLAN of every bridge port and bridge in nl's namespace
 * (RTM_GETLINK, AF_BRIDGE, RTEXT_FILTER_BRVLAN). cb returns 0 to go on,
 * <0 to stop (that value is returned). */
int bridge_vlan_dump(struct nl *nl, int (*cb)(const struct bridge_vlan *v, void *arg), void *arg);

/* Call cb for each VLAN in one answer message; -EPROTO if malformed.
 * Exposed for the fuzzer. */
struct nlmsghdr;
int bridge_vlan_msg_parse(const struct nlmsghdr *nlh,
		      int (*cb)(const struct bridge_vlan *v, void *arg), void *arg);

#endif
