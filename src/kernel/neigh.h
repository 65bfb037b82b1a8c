/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Neighbour tables (ARP and NDP), and a bridge's forwarding database. */
#ifndef NSLAB_NEIGH_H
#define NSLAB_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

struct nl;

struct neigh_info {
	int ifindex;
	int family;             /* AF_INET, AF_INET6; AF_BRIDGE for fdb entries */
	uint8_t addr[16];       /* unused for AF_BRIDGE */
	uint8_t mac[6];
	bool has_mac;
	uint16_t state;         /* NUD_* */
	uint16_t vlan;          /* AF_BRIDGE: NDA_VLAN, 0 if none */
	int master;             /* AF_BRIDGE: the bridge (NDA_MASTER), 0 if none */
	uint32_t age_s;         /* AF_BRIDGE: seconds since last seen, from NDA_CACHEINFO */
};
/* family AF_UNSPEC: ARP and NDP; AF_BRIDGE: the fdb. cb returns 0 to go on. */
int neigh_dump(struct nl *nl, int family, int (*cb)(const struct neigh_info *n, void *arg),
	       void *arg);
/* "REACHABLE", "STALE", ... */
const char *neigh_state_str(uint16_t state);

/* Parse one answer message into *out, validating every attribute it reads:
 * 0, 1 for an entry of another kind that a dump skips (another family or
 * table), or -EPROTO if malformed. Exposed for the fuzzer. */
struct nlmsghdr;
int neigh_msg_parse(const struct nlmsghdr *nlh, struct neigh_info *out);

#endif
