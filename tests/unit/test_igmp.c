// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IGMP snooping: the IGMP parser (igmp.c) and the switch forwarding IPv4
 * multicast by it (snoop.c), end to end through the pipeline with
 * socketpairs for ports, as test_snoop.c does for MLD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "switch/igmp.h"
#include "switch/pipeline.h"
#include "switch/snoop.h"
#include "switch/sw.h"
#include "swrig.h"

static const uint8_t H_A[4] = { 10, 0, 0, 1 }, H_B[4] = { 10, 0, 0, 2 }, ROUTER[4] = { 10, 0, 0, 9 },
		     ANY[4] = { 0 }, ALL_HOSTS[4] = { 224, 0, 0, 1 }, ALL_ROUTERS[4] = { 224, 0, 0, 2 },
		     V3_ROUTERS[4] = { 224, 0, 0, 22 }, PIM_ROUTERS[4] = { 224, 0, 0, 13 },
		     MDNS[4] = { 224, 0, 0, 251 }, G1[4] = { 239, 1, 1, 1 }, G2[4] = { 232, 5, 6, 7 },
		     UNICAST[4] = { 10, 0, 0, 3 };

/* RFC 1071 the plain way, independent of igmp.c's. */
static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (uint32_t)(i & 1 ? p[i] : p[i] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

struct pkt4 {
	uint8_t b[1024];
	size_t len; /* IPv4 packet */
};

/* IPv4 from src to dst, TTL ttl, protocol proto, a Router Alert option if
 * ra, carrying msg[mlen] (its checksum at 2..3 filled in if sum). */
static void ip4(struct pkt4 *p, const uint8_t src[4], const uint8_t dst[4], uint8_t ttl, uint8_t proto,
		bool ra, const uint8_t *msg, size_t mlen, bool sum)
{
	size_t ihl = ra ? 24 : 20;
	uint16_t c;

	memset(p->b, 0, sizeof(p->b));
	p->b[0] = (uint8_t)(0x40 | ihl / 4);
	p->b[2] = (uint8_t)((ihl + mlen) >> 8);
	p->b[3] = (uint8_t)(ihl + mlen);
	p->b[8] = ttl;
	p->b[9] = proto;
	memcpy(p->b + 12, src, 4);
	memcpy(p->b + 16, dst, 4);
	if (ra) {
		p->b[20] = 0x94;
		p->b[21] = 4;
	}
	c = csum(p->b, ihl);
	p->b[10] = (uint8_t)(c >> 8);
	p->b[11] = (uint8_t)c;
	memcpy(p->b + ihl, msg, mlen);
	if (sum) {
		p->b[ihl + 2] = p->b[ihl + 3] = 0;
		c = csum(p->b + ihl, mlen);
		p->b[ihl + 2] = (uint8_t)(c >> 8);
		p->b[ihl + 3] = (uint8_t)c;
	}
	p->len = ihl + mlen;
}

/* v1/v2 report (0x12, 0x16) or leave (0x17) for group. */
static void v2(struct pkt4 *p, uint8_t type, const uint8_t src[4], const uint8_t group[4])
{
	uint8_t m[8] = { type };

	memcpy(m + 4, group, 4);
	ip4(p, src, type == 0x17 ? ALL_ROUTERS : group, 1, 2, true, m, sizeof(m), true);
}

struct rec {
	uint8_t type;
	uint8_t nsrc;
	const uint8_t *group;
};

static void v3(struct pkt4 *p, const uint8_t src[4], const struct rec *r, unsigned n)
{
	uint8_t m[512] = { 0x22 };
	size_t off = 8;

	m[7] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		m[off] = r[i].type;
		m[off + 3] = r[i].nsrc;
		memcpy(m + off + 4, r[i].group, 4);
		off += 8;
		for (unsigned k = 0; k < r[i].nsrc; k++, off += 4)
			memcpy(m + off, H_B, 4);
	}
	ip4(p, src, V3_ROUTERS, 1, 2, true, m, off, true);
}

static void query(struct pkt4 *p, const uint8_t src[4])
{
	uint8_t m[12] = { 0x11, 100 };

	ip4(p, src, ALL_HOSTS, 1, 2, true, m, sizeof(m), true);
}

static void udp(struct pkt4 *p, const uint8_t src[4], const uint8_t dst[4])
{
	uint8_t m[16] = { 0x30, 0x39, 0x30, 0x39, 0, 16 };

	ip4(p, src, dst, 8, 17, false, m, sizeof(m), false);
}

static void pim_hello(struct pkt4 *p, const uint8_t src[4])
{
	uint8_t m[10] = { 0x20, 0, 0, 0, 0, 1, 0, 2, 0, 105 };

	ip4(p, src, PIM_ROUTERS, 1, 103, false, m, sizeof(m), true);
}

static void mapped(const uint8_t v4[4], uint8_t out[16])
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, v4, 4);
}

/* ---- the parser ---- */

static void parses_reports_leaves_and_queries(void **state)
{
	struct rec recs[] = { { 2, 0, G1 }, { 3, 0, G2 }, { 5, 1, G1 }, { 6, 1, G2 }, { 4, 0, UNICAST } };
	uint8_t want[16];
	struct mc_record r;
	struct mc_msg m;
	struct pkt4 p;
	uint32_t off = 0;

	(void)state;
	v2(&p, 0x16, H_A, G1);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_REPORT);
	assert_false(m.v2);
	mapped(G1, want);
	assert_memory_equal(m.group, want, 16);
	mapped(H_A, want);
	assert_memory_equal(m.src, want, 16);
	v2(&p, 0x12, H_A, G1); /* v1 */
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_REPORT);
	v2(&p, 0x17, H_A, G1);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_LEAVE);
	mapped(G1, want);
	assert_memory_equal(m.group, want, 16);

	v3(&p, H_A, recs, 5);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_REPORT);
	assert_true(m.v2);
	assert_int_equal(m.n_records, 5);
	assert_true(igmp_next_record(&m, &off, &r)); /* EXCLUDE {}: join */
	assert_memory_equal(r.group, want, 16);
	assert_true(r.join);
	assert_true(igmp_next_record(&m, &off, &r)); /* TO_IN {}: leave */
	assert_true(r.leave);
	assert_false(r.join);
	assert_true(igmp_next_record(&m, &off, &r)); /* ALLOW a source: join */
	assert_true(r.join);
	assert_true(igmp_next_record(&m, &off, &r)); /* BLOCK: neither */
	assert_false(r.join || r.leave);
	assert_true(igmp_next_record(&m, &off, &r)); /* a unicast "group": neither */
	assert_false(r.join || r.leave);
	assert_false(igmp_next_record(&m, &off, &r));

	query(&p, ROUTER);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_QUERY);
	pim_hello(&p, ROUTER);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_ROUTER);
}

static void rejects_what_is_not_igmp(void **state)
{
	uint8_t msg[8] = { 0x16, 0, 0, 0, 239, 1, 1, 1 };
	struct rec recs[] = { { 2, 0, G1 } };
	struct mc_msg m;
	struct pkt4 p;

	(void)state;
	/* a bad IGMP checksum: data for the group, not a report */
	v2(&p, 0x16, H_A, G1);
	p.b[24 + 5] ^= 1;
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	/* ... unless the checksum is still to be filled in */
	p.b[24 + 5] ^= 1;
	p.b[24 + 2] ^= 0xff;
	igmp_parse(p.b, p.len, true, &m);
	assert_int_equal(m.kind, MC_REPORT);
	/* TTL other than 1 */
	ip4(&p, H_A, G1, 2, 2, true, msg, sizeof(msg), true);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	/* without Router Alert it is still IGMP (v1 hosts send none) */
	ip4(&p, H_A, G1, 1, 2, false, msg, sizeof(msg), true);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_REPORT);
	/* a fragment is data */
	ip4(&p, H_A, G1, 1, 2, false, msg, sizeof(msg), true);
	p.b[6] = 0x20; /* more fragments */
	p.b[10] = p.b[11] = 0;
	{
		uint16_t c = csum(p.b, 20);

		p.b[10] = (uint8_t)(c >> 8);
		p.b[11] = (uint8_t)c;
	}
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	/* a v3 report claiming more records than it holds */
	v3(&p, H_A, recs, 1);
	p.b[24 + 7] = 2;
	p.b[24 + 2] = p.b[24 + 3] = 0;
	{
		uint16_t c = csum(p.b + 24, p.len - 24);

		p.b[24 + 2] = (uint8_t)(c >> 8);
		p.b[24 + 3] = (uint8_t)c;
	}
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	/* a bad header checksum, truncated, total length past the end, not
	 * IPv4, unicast: none of them multicast to snoop */
	v2(&p, 0x16, H_A, G1);
	p.b[10] ^= 1;
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	v2(&p, 0x16, H_A, G1);
	igmp_parse(p.b, 19, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	igmp_parse(p.b, p.len - 1, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	p.b[0] = 0x66;
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	udp(&p, H_A, UNICAST);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	udp(&p, H_A, G2);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	assert_true(m.udp); /* what the kernel's multicast flows match */
	/* TCP to a group (nonsense, but data): no flow */
	ip4(&p, H_A, G2, 8, 6, false, (uint8_t[16]){ 0 }, 16, false);
	igmp_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	assert_false(m.udp);
}

static void builds_a_valid_query(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x6e, 1, 2, 3, 4 };
	uint8_t f[IGMP_QUERY_FRAME_LEN], want[16];
	struct mc_msg m;

	(void)state;
	assert_int_equal(igmp_build_query(f, mac, 1000, 125), IGMP_QUERY_FRAME_LEN);
	assert_int_equal(f[0], 0x01);
	assert_int_equal(f[2], 0x5e);
	assert_int_equal(f[5], 0x01);
	assert_memory_equal(f + 6, mac, 6);
	assert_int_equal(csum(f + 14, 24), 0);  /* the header's checksum */
	assert_int_equal(csum(f + 38, 12), 0);  /* the query's */
	assert_int_equal(f[38 + 1], 10);        /* 1 s in tenths */
	assert_int_equal(f[38 + 9], 125);       /* QQIC */
	igmp_parse(f + 14, sizeof(f) - 14, false, &m);
	assert_int_equal(m.kind, MC_QUERY);
	mapped(ANY, want);
	assert_memory_equal(m.src, want, 16);
}

/* ---- the switch ---- */

#define NPORTS 4

struct rig {
	struct sw *sw;
	struct port *p[NPORTS];
	int peer[NPORTS];
};

static bool got(struct rig *r, int i, uint8_t *buf, size_t *len)
{
	return swrig_recv(r->peer[i], buf, len);
}

/* Which ports frames came out of, as a bit mask. */
static unsigned outs(struct rig *r)
{
	return swrig_outs(r->peer, NPORTS);
}

/* p0..p3 on access VLAN 1, IGMP snooping on (MLD off) on the tests'
 * clock, which starts at 1000 s; the start's queries are read. */
static int setup(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	r->sw = sw_new("t", 64, 300);
	for (int i = 0; i < NPORTS; i++) {
		r->p[i] = swrig_port(r->sw, (uint16_t)i, &r->peer[i]);
		vlan_port_access(&r->p[i]->vlan, 1);
	}
	r->sw->n_ports = r->sw->max_index = NPORTS;
	assert_int_equal(sw_rebuild(r->sw), 0);
	r->sw->snoop4 = snoop_new("t", true, 1000);
	assert_non_null(r->sw->snoop4);
	for (int i = 0; i < NPORTS; i++)
		snoop_port_reset(r->sw, (uint16_t)i);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct rig *r = *state;

	for (int i = 0; i < NPORTS; i++)
		close(r->peer[i]);
	sw_free(r->sw);
	free(r);
	return 0;
}

/* The IPv4 packet p from port i, to its group's MAC. */
static void send4(struct rig *r, int i, const struct pkt4 *p, uint32_t now)
{
	static uint8_t slot[2048];
	size_t v = sizeof(struct virtio_net_hdr);
	struct pl_pkt pkt = { 0 };
	uint8_t *f = slot + v;

	memset(slot, 0, v);
	f[0] = 0x01;
	f[2] = 0x5e;
	f[3] = p->b[17] & 0x7f;
	f[4] = p->b[18];
	f[5] = p->b[19];
	f[6] = 0x02;
	f[11] = (uint8_t)(0xb0 + i);
	f[12] = 0x08;
	memcpy(f + 14, p->b, p->len);
	pkt.in = r->p[i];
	pkt.vnet = (struct virtio_net_hdr *)slot;
	pkt.data = f;
	pkt.len = (uint32_t)(14 + p->len);
	assert_int_equal(frame_parse(pkt.data, pkt.len, NULL, &pkt.fr), FRAME_OK);
	pl_process(r->sw, &pkt, now);
	pl_flush(r->sw);
}

static void queries_every_port_at_start(void **state)
{
	struct rig *r = *state;
	struct snoop_info si;
	uint8_t buf[2048];
	size_t len = 0, v = sizeof(struct virtio_net_hdr);
	struct mc_msg m;

	snoop_send_queries(r->sw, 1000);
	for (int i = 0; i < NPORTS; i++) {
		assert_true(got(r, i, buf, &len));
		assert_int_equal(buf[v + 12], 0x08);
		igmp_parse(buf + v + 14, len - v - 14, false, &m);
		assert_int_equal(m.kind, MC_QUERY);
		assert_false(got(r, i, buf, &len));
	}
	snoop_send_queries(r->sw, 1001);
	assert_int_equal(outs(r), 0);
	snoop_get_info(r->sw->snoop4, 1001, &si);
	assert_true(si.querier);
}

static void group_traffic_goes_to_listeners(void **state)
{
	struct rig *r = *state;
	struct rec join[] = { { 4, 0, G2 } }, leave[] = { { 3, 0, G2 } };
	struct pkt4 p;

	snoop_send_queries(r->sw, 1000);
	outs(r);
	/* unregistered: floods, as without snooping */
	udp(&p, H_A, G1);
	send4(r, 0, &p, 1000);
	assert_int_equal(outs(r), 0xe);
	/* p2 joins (v2): the report goes nowhere (no router) ... */
	v2(&p, 0x16, H_B, G1);
	send4(r, 2, &p, 1000);
	assert_int_equal(outs(r), 0);
	assert_int_equal(r->p[2]->st.snooped, 1);
	/* ... and the group's data to p2 only */
	udp(&p, H_A, G1);
	send4(r, 0, &p, 1001);
	assert_int_equal(outs(r), 1u << 2);
	/* p3 joins another group (v3) */
	v3(&p, H_A, join, 1);
	send4(r, 3, &p, 1001);
	udp(&p, H_A, G2);
	send4(r, 0, &p, 1001);
	assert_int_equal(outs(r), 1u << 3);
	/* the local control block always floods, mDNS say */
	udp(&p, H_A, MDNS);
	send4(r, 0, &p, 1001);
	assert_int_equal(outs(r), 0xe);
	/* leaves (access ports: at once): floods again */
	v2(&p, 0x17, H_B, G1);
	send4(r, 2, &p, 1002);
	v3(&p, H_A, leave, 1);
	send4(r, 3, &p, 1002);
	assert_int_equal(outs(r), 0);
	udp(&p, H_A, G1);
	send4(r, 0, &p, 1002);
	assert_int_equal(outs(r), 0xe);
	udp(&p, H_A, G2);
	send4(r, 0, &p, 1002);
	assert_int_equal(outs(r), 0xe);
	/* listeners expire */
	v2(&p, 0x16, H_B, G1);
	send4(r, 2, &p, 1000);
	udp(&p, H_A, G1);
	send4(r, 0, &p, 1000 + SNOOP_MEMBERSHIP - 1);
	assert_int_equal(outs(r), 1u << 2);
	send4(r, 0, &p, 1000 + SNOOP_MEMBERSHIP);
	assert_int_equal(outs(r), 0xe);
}

static void routers_are_found_and_win(void **state)
{
	struct rig *r = *state;
	struct snoop_info si;
	struct pkt4 p;

	snoop_send_queries(r->sw, 1000);
	outs(r);
	/* another switch's querier, from 0.0.0.0: a router port, but it
	 * takes no part in the election */
	query(&p, ANY);
	send4(r, 1, &p, 1000);
	assert_int_equal(outs(r), 0xd);
	assert_true(snoop_is_router(r->sw->snoop4, 1, 1000));
	snoop_get_info(r->sw->snoop4, 1000, &si);
	assert_true(si.querier);
	/* a router's query: ours falls silent, its port gets the reports */
	query(&p, ROUTER);
	send4(r, 3, &p, 1001);
	assert_int_equal(outs(r), 0x7);
	snoop_get_info(r->sw->snoop4, 1001, &si);
	assert_false(si.querier);
	assert_int_equal(si.routers, 2);
	v2(&p, 0x16, H_A, G1);
	send4(r, 0, &p, 1002);
	assert_int_equal(outs(r), (1u << 1) | (1u << 3));
	udp(&p, H_B, G1);
	send4(r, 2, &p, 1002);
	assert_int_equal(outs(r), (1u << 0) | (1u << 1) | (1u << 3));
	snoop_send_queries(r->sw, 1001 + SNOOP_STARTUP_INTERVAL + 1);
	assert_int_equal(outs(r), 0);
	/* both fall silent: ours speaks again, no router port is left */
	snoop_tick(r->sw, 1001 + SNOOP_OTHER_QUERIER + 1);
	assert_int_equal(outs(r), 0xf);
	assert_false(snoop_is_router(r->sw->snoop4, 3, 1001 + SNOOP_OTHER_QUERIER + 1));
	/* a router that is not the querier still says hello (PIM) */
	pim_hello(&p, ROUTER);
	send4(r, 2, &p, 1300);
	assert_int_equal(outs(r), 0xb); /* 224.0.0.13 floods */
	assert_true(snoop_is_router(r->sw->snoop4, 2, 1300));
	snoop_get_info(r->sw->snoop4, 1300, &si);
	assert_true(si.querier);
}

static void off_floods_and_mld_is_apart(void **state)
{
	struct rig *r = *state;
	struct pkt4 p;

	snoop_send_queries(r->sw, 1000);
	outs(r);
	v2(&p, 0x16, H_B, G1);
	send4(r, 2, &p, 1000);
	udp(&p, H_A, G1);
	send4(r, 0, &p, 1000);
	assert_int_equal(outs(r), 1u << 2);
	/* MLD snooping going on or off leaves IGMP's table alone */
	assert_int_equal(sw_set_snooping(r->sw, AF_INET6, true), 0);
	assert_int_equal(sw_set_snooping(r->sw, AF_INET6, false), 0);
	send4(r, 0, &p, 1000);
	assert_int_equal(outs(r), 1u << 2);
	/* off: IPv4 multicast floods, reports with it */
	assert_int_equal(sw_set_snooping(r->sw, AF_INET, false), 0);
	send4(r, 0, &p, 1000);
	assert_int_equal(outs(r), 0xe);
	v2(&p, 0x16, H_B, G1);
	send4(r, 2, &p, 1000);
	assert_int_equal(outs(r), 0xb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_reports_leaves_and_queries),
		cmocka_unit_test(rejects_what_is_not_igmp),
		cmocka_unit_test(builds_a_valid_query),
		cmocka_unit_test_setup_teardown(queries_every_port_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(group_traffic_goes_to_listeners, setup, teardown),
		cmocka_unit_test_setup_teardown(routers_are_found_and_win, setup, teardown),
		cmocka_unit_test_setup_teardown(off_floods_and_mld_is_apart, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
