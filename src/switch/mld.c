// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/mld.h"

#include <string.h>

#define IPV6_HDR_LEN 40
#define NH_HOPOPTS 0
#define NH_ICMPV6 58
#define NH_UDP 17

#define MLD_TYPE_QUERY 130
#define MLD_TYPE_REPORT_V1 131
#define MLD_TYPE_DONE_V1 132
#define MLD_TYPE_REPORT_V2 143
#define ND_NEIGHBOR_SOLICIT 135
#define PIM_HELLO 0x20 /* PIM version 2, type 0 */


/* The ICMPv6 checksum over msg[len] with its pseudo-header; a message
 * that carries the right checksum sums to 0xffff. */
static uint16_t icmp6_sum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *msg,
			  uint32_t len)
{
	uint32_t sum = 0;

	sum = mc_sum(sum, src, 16);
	sum = mc_sum(sum, dst, 16);
	sum += len >> 16;
	sum += len & 0xffff;
	sum += NH_ICMPV6;
	return mc_fold(mc_sum(sum, msg, len));
}

bool mld_is_all_nodes(const uint8_t g[16])
{
	static const uint8_t all[16] = { 0xff, 0x02, [15] = 1 };

	return !memcmp(g, all, 16);
}

bool mld_is_solicited_node(const uint8_t g[16])
{
	static const uint8_t prefix[13] = { 0xff, 0x02, [11] = 1, 0xff };

	return !memcmp(g, prefix, 13);
}

bool mld_is_all_routers(const uint8_t g[16])
{
	static const uint8_t all[16] = { 0xff, 0x02, [15] = 2 };

	return !memcmp(g, all, 16);
}

bool mld_is_all_pim_routers(const uint8_t g[16])
{
	static const uint8_t all[16] = { 0xff, 0x02, [15] = 13 };

	return !memcmp(g, all, 16);
}

static bool is_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

static bool is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* The ICMPv6 message msg[len] of an IPv6 packet with hop limit hl: is it
 * MLD, and which. Leaves m->kind as MC_DATA when it is not. */
static void parse_icmp(const uint8_t *msg, uint32_t len, uint8_t hl, bool csum_partial,
		       const uint8_t dst[16], struct mc_msg *m)
{
	uint8_t type;

	if (len < 4)
		return;
	type = msg[0];
	if (type == ND_NEIGHBOR_SOLICIT && is_unspecified(m->src)) {
		m->dad = true;
		return;
	}
	if (type != MLD_TYPE_QUERY && type != MLD_TYPE_REPORT_V1 && type != MLD_TYPE_DONE_V1 &&
	    type != MLD_TYPE_REPORT_V2)
		return;
	if (hl != 1 || !(is_link_local(m->src) || is_unspecified(m->src)))
		return;
	if (!csum_partial && icmp6_sum(m->src, dst, msg, len) != 0xffff)
		return;
	switch (type) {
	case MLD_TYPE_QUERY:
		if (len < 24)
			return;
		m->kind = MC_QUERY;
		memcpy(m->group, msg + 8, 16);
		return;
	case MLD_TYPE_REPORT_V1:
	case MLD_TYPE_DONE_V1:
		if (len < 24 || msg[8] != 0xff)
			return;
		m->kind = type == MLD_TYPE_REPORT_V1 ? MC_REPORT : MC_LEAVE;
		memcpy(m->group, msg + 8, 16);
		return;
	default: /* v2 report */
		if (len < 8 || !mc_records_fit(msg + 8, len - 8, mc_rd16(msg + 6), 16))
			return;
		m->kind = MC_REPORT;
		m->v2 = true;
		m->records = msg + 8;
		m->n_records = mc_rd16(msg + 6);
		m->rec_len = len - 8;
		return;
	}
}

void mld_parse(const uint8_t *l3, size_t len, bool csum_partial, struct mc_msg *m)
{
	uint32_t plen, off = IPV6_HDR_LEN;
	uint8_t nh;

	memset(m, 0, sizeof(*m));
	m->kind = MC_NOT_MC;
	if (len < IPV6_HDR_LEN || (l3[0] >> 4) != 6 || l3[24] != 0xff)
		return;
	plen = mc_rd16(l3 + 4);
	if (plen > len - IPV6_HDR_LEN) /* cut short; Ethernet padding may follow */
		return;
	memcpy(m->src, l3 + 8, 16);
	memcpy(m->group, l3 + 24, 16);
	m->kind = MC_DATA;
	m->udp = l3[6] == NH_UDP;
	nh = l3[6];
	if (nh == NH_HOPOPTS) {
		uint32_t hl;

		if (plen < 8)
			return;
		hl = 8u * (l3[off + 1] + 1u);
		if (hl > plen)
			return;
		nh = l3[off];
		off += hl;
	}
	if (nh == IPPROTO_PIM_ && mld_is_all_pim_routers(m->group) && plen > off - IPV6_HDR_LEN &&
	    l3[off] == PIM_HELLO) {
		m->kind = MC_ROUTER;
		return;
	}
	if (nh != NH_ICMPV6)
		return;
	parse_icmp(l3 + off, IPV6_HDR_LEN + plen - off, l3[7], csum_partial, l3 + 24, m);
}

bool mld_next_record(const struct mc_msg *m, uint32_t *off, struct mc_record *r)
{
	return mc_next_record(m, off, 16, r);
}

void mld_link_local(const uint8_t mac[6], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = mac[0] ^ 0x02;
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}

size_t mld_build_query(uint8_t *buf, const uint8_t mac[6], const uint8_t src[16],
		       uint16_t max_resp_ms, uint8_t qqic)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t *ip = buf + 14, *hbh = ip + IPV6_HDR_LEN, *q = hbh + 8;
	uint16_t sum;

	memset(buf, 0, MLD_QUERY_FRAME_LEN);
	buf[0] = buf[1] = 0x33;
	buf[5] = 0x01;
	memcpy(buf + 6, mac, 6);
	buf[12] = ETHERTYPE_IPV6 >> 8;
	buf[13] = ETHERTYPE_IPV6 & 0xff;
	ip[0] = 0x60;
	ip[5] = 8 + 28; /* payload: Hop-by-Hop + query */
	ip[6] = NH_HOPOPTS;
	ip[7] = 1;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, all_nodes, 16);
	hbh[0] = NH_ICMPV6;
	hbh[2] = 5; /* Router Alert, value 0: MLD (RFC 2711) */
	hbh[3] = 2;
	hbh[6] = 1; /* PadN of 0 bytes */
	q[0] = MLD_TYPE_QUERY;
	q[4] = (uint8_t)(max_resp_ms >> 8);
	q[5] = (uint8_t)max_resp_ms;
	q[24] = 2; /* QRV, the robustness variable */
	q[25] = qqic;
	sum = (uint16_t)~icmp6_sum(src, all_nodes, q, 28);
	q[2] = (uint8_t)(sum >> 8);
	q[3] = (uint8_t)sum;
	return MLD_QUERY_FRAME_LEN;
}
