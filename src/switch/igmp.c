// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/igmp.h"

#include <string.h>

#define IPV4_MIN_HDR 20
#define IPPROTO_IGMP_ 2
#define IPPROTO_UDP_ 17

#define IGMP_QUERY 0x11
#define IGMP_V1_REPORT 0x12
#define IGMP_V2_REPORT 0x16
#define IGMP_V2_LEAVE 0x17
#define IGMP_V3_REPORT 0x22

#define PIM_HELLO 0x20 /* PIM version 2, type 0 */

static bool is_multicast(const uint8_t a[4])
{
	return (a[0] & 0xf0) == 0xe0;
}

bool igmp_is_local_control(const uint8_t g[16])
{
	return mc_is_mapped4(g) && g[12] == 224 && g[13] == 0 && g[14] == 0;
}

/* The IGMP message msg[len]: which it is. Leaves m->kind as MC_DATA when
 * it is no valid IGMP. */
static void parse_igmp(const uint8_t *msg, uint32_t len, bool csum_partial, struct mc_msg *m)
{
	if (len < 8 || (!csum_partial && mc_fold(mc_sum(0, msg, len)) != 0xffff))
		return;
	switch (msg[0]) {
	case IGMP_QUERY:
		m->kind = MC_QUERY;
		mc_map4(msg + 4, m->group);
		return;
	case IGMP_V1_REPORT:
	case IGMP_V2_REPORT:
	case IGMP_V2_LEAVE:
		if (!is_multicast(msg + 4))
			return;
		m->kind = msg[0] == IGMP_V2_LEAVE ? MC_LEAVE : MC_REPORT;
		mc_map4(msg + 4, m->group);
		return;
	case IGMP_V3_REPORT:
		if (!mc_records_fit(msg + 8, len - 8, mc_rd16(msg + 6), 4))
			return;
		m->kind = MC_REPORT;
		m->v2 = true;
		m->records = msg + 8;
		m->n_records = mc_rd16(msg + 6);
		m->rec_len = len - 8;
		return;
	default:
		return;
	}
}

void igmp_parse(const uint8_t *l3, size_t len, bool csum_partial, struct mc_msg *m)
{
	uint32_t ihl, tot;

	memset(m, 0, sizeof(*m));
	m->kind = MC_NOT_MC;
	if (len < IPV4_MIN_HDR || (l3[0] >> 4) != 4 || !is_multicast(l3 + 16))
		return;
	ihl = 4u * (l3[0] & 0x0f);
	tot = mc_rd16(l3 + 2);
	/* Ethernet padding may follow tot; a header that fails its checksum
	 * is no IPv4 a host takes: flood it, as before snooping. */
	if (ihl < IPV4_MIN_HDR || tot < ihl || tot > len || mc_fold(mc_sum(0, l3, ihl)) != 0xffff)
		return;
	mc_map4(l3 + 12, m->src);
	mc_map4(l3 + 16, m->group);
	m->kind = MC_DATA;
	m->udp = l3[9] == IPPROTO_UDP_;
	if ((mc_rd16(l3 + 6) & 0x3fff) != 0) /* a fragment: data */
		return;
	if (l3[9] == IPPROTO_PIM_ && l3[16] == 224 && l3[17] == 0 && l3[18] == 0 && l3[19] == 13 &&
	    tot > ihl && l3[ihl] == PIM_HELLO) {
		m->kind = MC_ROUTER;
		return;
	}
	if (l3[9] != IPPROTO_IGMP_ || l3[8] != 1)
		return;
	parse_igmp(l3 + ihl, tot - ihl, csum_partial, m);
}

bool igmp_next_record(const struct mc_msg *m, uint32_t *off, struct mc_record *r)
{
	return mc_next_record(m, off, 4, r);
}

size_t igmp_build_query(uint8_t *buf, const uint8_t mac[6], uint16_t max_resp_ms, uint8_t qqic)
{
	uint8_t *ip = buf + 14, *q = ip + 24;
	uint16_t sum;

	memset(buf, 0, IGMP_QUERY_FRAME_LEN);
	buf[0] = 0x01; /* 01:00:5e:00:00:01, 224.0.0.1 */
	buf[2] = 0x5e;
	buf[5] = 0x01;
	memcpy(buf + 6, mac, 6);
	buf[12] = ETHERTYPE_IPV4 >> 8;
	buf[13] = ETHERTYPE_IPV4 & 0xff;
	ip[0] = 0x46; /* IPv4, 24-byte header: the Router Alert option */
	ip[1] = 0xc0; /* internetwork control, as routers send queries */
	ip[3] = 24 + 12;
	ip[8] = 1;
	ip[9] = IPPROTO_IGMP_;
	ip[16] = 224;
	ip[19] = 1;
	ip[20] = 0x94; /* Router Alert (RFC 2113), value 0 */
	ip[21] = 4;
	sum = (uint16_t)~mc_fold(mc_sum(0, ip, 24));
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	q[0] = IGMP_QUERY;
	q[1] = (uint8_t)(max_resp_ms / 100); /* tenths of a second, < 128: exact */
	q[8] = 2; /* QRV */
	q[9] = qqic;
	sum = (uint16_t)~mc_fold(mc_sum(0, q, 12));
	q[2] = (uint8_t)(sum >> 8);
	q[3] = (uint8_t)sum;
	return IGMP_QUERY_FRAME_LEN;
}
