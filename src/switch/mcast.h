/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What IPv6 (MLD, mld.h) and IPv4 (IGMP, igmp.h) multicast have in common
 * for a switch that snoops (snoop.h): the kinds of message, a report's
 * records, the Internet checksum both use. IPv4 addresses are carried as
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), so one table holds both.
 */
#ifndef NSLAB_SWITCH_MCAST_H
#define NSLAB_SWITCH_MCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mc_kind {
	MC_NOT_MC,  /* not a multicast packet of the family: flood it */
	MC_DATA,    /* data for group */
	MC_QUERY,   /* from a querier (a multicast router, or a switch's) */
	MC_REPORT,  /* a report: group (v1/v2), or the records (v2/v3) say what */
	MC_LEAVE,   /* MLDv1 done, IGMPv2 leave: a listener leaves group */
	MC_ROUTER,  /* a PIM hello: a multicast router is behind the port */
};

struct mc_msg {
	enum mc_kind kind;
	uint8_t src[16];
	uint8_t group[16]; /* MC_DATA, MC_LEAVE, v1/v2 report: the group */
	/* MLD's MC_DATA: a duplicate address detection probe (a neighbour
	 * solicitation from ::, RFC 4862 §5.4.2) */
	bool dad;
	/* MC_DATA: UDP straight after the IP header, what the kernel's
	 * multicast flows match (fastpath_bpf.c): only it gets a flow */
	bool udp;
	/* MC_REPORT with records (MLDv2, IGMPv3): records[0..rec_len) holds
	 * n_records records, their lengths already checked. */
	bool v2;
	const uint8_t *records;
	uint16_t n_records;
	uint32_t rec_len;
};

/* A record of a report, as it concerns a switch that snoops (*, G): does
 * the listener want the group or not. */
struct mc_record {
	uint8_t group[16];
	bool join; /* false: leaves (TO_IN of no sources) or says nothing new */
	bool leave;
};

#define IPPROTO_PIM_ 103 /* PIM; its hellos go to ALL-PIM-ROUTERS */

/* MLDv2 (RFC 3810 §5.2.12) and IGMPv3 (RFC 3376 §4.2.12) records are one
 * shape: type, aux length (words), source count, group, sources, aux data;
 * addr_len is an address's length, 16 or 4. Whether n records fill
 * rec[len] exactly: */
bool mc_records_fit(const uint8_t *rec, uint32_t len, uint16_t n, unsigned addr_len);
/* The next record of m (*off starts at 0), its group IPv4-mapped when
 * addr_len is 4; false at the end. A record for a group that is no
 * multicast address neither joins nor leaves. */
bool mc_next_record(const struct mc_msg *m, uint32_t *off, unsigned addr_len, struct mc_record *r);

static inline uint16_t mc_rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/* The Internet checksum (RFC 1071): add n bytes to sum, then fold. */
uint32_t mc_sum(uint32_t sum, const uint8_t *p, size_t n);
uint16_t mc_fold(uint32_t sum);

/* ::ffff:a.b.c.d from a.b.c.d, and whether an address is one. */
void mc_map4(const uint8_t v4[4], uint8_t out[16]);
bool mc_is_mapped4(const uint8_t a[16]);

#endif
