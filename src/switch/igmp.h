/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4 multicast as a snooping switch sees it: what an IPv4 frame sent to
 * a 01:00:5e group address is (IGMP query, report or leave, a PIM hello,
 * or data for a group), and the one IGMP message the switch writes itself,
 * a general query.
 *
 * IGMP is RFC 1112 (v1), RFC 2236 (v2) and RFC 3376 (v3). A message must
 * come in an intact IPv4 header (its checksum right, not a fragment) with
 * TTL 1, and carry a right IGMP checksum unless the sender's kernel left
 * it to be filled in; anything else is data for its destination group, as
 * a host would take it. Groups are returned IPv4-mapped (mcast.h).
 */
#ifndef NSLAB_SWITCH_IGMP_H
#define NSLAB_SWITCH_IGMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switch/mcast.h"

#define ETHERTYPE_IPV4 0x0800
#define IGMP_QUERY_FRAME_LEN 50 /* Ethernet + IPv4 with Router Alert + IGMPv3 query */

/* Look at the IPv4 packet l3[len] (the bytes after the EtherType). Never
 * reads past len. */
void igmp_parse(const uint8_t *l3, size_t len, bool csum_partial, struct mc_msg *m);

/* The next record of a v3 report: *off starts at 0. false at the end. */
bool igmp_next_record(const struct mc_msg *m, uint32_t *off, struct mc_record *r);

/* 224.0.0.0/24, the local network control block (IPv4-mapped): never
 * reported and always flooded (RFC 4541 §2.1.2). */
bool igmp_is_local_control(const uint8_t g[16]);

/* Write a general IGMPv3 query from mac into buf[IGMP_QUERY_FRAME_LEN]: from
 * 0.0.0.0, as a switch without an address of its own queries (RFC 4541
 * §2.1.1; routers leave it out of their election), to 224.0.0.1, TTL 1,
 * Router Alert, maximum response time max_resp_ms (< 12800). */
size_t igmp_build_query(uint8_t *buf, const uint8_t mac[6], uint16_t max_resp_ms, uint8_t qqic);

#endif
