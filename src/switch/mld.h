/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv6 multicast as a snooping switch sees it: what an IPv6 frame sent to
 * a 33:33:xx group address is (MLD query, report or done, or data for a
 * group), and the one MLD message the switch writes itself, a general query.
 *
 * MLD is RFC 2710 (v1) and RFC 3810 (v2). Messages must come with hop limit
 * 1 from a link-local or unspecified source (RFC 3810 §5.1.14, §5.2.13);
 * anything that fails a check is not MLD and is forwarded as data, which is
 * what a host would make of it too (it drops it). Only a Hop-by-Hop header
 * may stand between the IPv6 header and the ICMPv6 message, as the Router
 * Alert option requires; the ICMPv6 checksum is checked unless the sender
 * left it to be filled in (a partial checksum from the local kernel).
 * A PIM hello (to ff02::d) is told apart too: it reveals a multicast router.
 */
#ifndef NSLAB_SWITCH_MLD_H
#define NSLAB_SWITCH_MLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switch/mcast.h"

#define ETHERTYPE_IPV6 0x86dd
#define MLD_QUERY_FRAME_LEN 90 /* Ethernet + IPv6 + Hop-by-Hop + MLDv2 query */

/* Look at the IPv6 packet l3[len] (the bytes after the EtherType).
 * csum_partial: the sender's kernel left the checksum to be filled in, so
 * it cannot be checked here. Never reads past len. */
void mld_parse(const uint8_t *l3, size_t len, bool csum_partial, struct mc_msg *m);

/* The next record of a v2 report: *off starts at 0. false at the end. */
bool mld_next_record(const struct mc_msg *m, uint32_t *off, struct mc_record *r);

/* Scope of an IPv6 multicast address (RFC 4291 §2.7). */
static inline unsigned mld_scope(const uint8_t g[16])
{
	return g[1] & 0x0f;
}

/* ff02::1, all nodes: never reported (RFC 3810 §6), always flooded. */
bool mld_is_all_nodes(const uint8_t g[16]);

/* ff02::1:ffXX:XXXX, a solicited-node group (RFC 4291 §2.7.1). */
bool mld_is_solicited_node(const uint8_t g[16]);

/* ff02::2, all routers: every IPv6 router joins it. */
bool mld_is_all_routers(const uint8_t g[16]);

/* ff02::d, all PIM routers: a PIM hello to it makes its port a router port. */
bool mld_is_all_pim_routers(const uint8_t g[16]);

/* Write a general MLDv2 query from mac/ link-local address src into
 * buf[MLD_QUERY_FRAME_LEN]: to ff02::1, hop limit 1, Router Alert,
 * maximum response delay max_resp_ms (< 32768). Returns the frame's length. */
size_t mld_build_query(uint8_t *buf, const uint8_t mac[6], const uint8_t src[16],
		       uint16_t max_resp_ms, uint8_t qqic);

/* fe80::/64 with the modified EUI-64 interface identifier of mac. */
void mld_link_local(const uint8_t mac[6], uint8_t out[16]);

#endif
