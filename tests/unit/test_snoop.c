// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MLD snooping: the MLD parser (mld.c), the multicast database (mdb.c),
 * and the switch forwarding IPv6 multicast by them (snoop.c), end to end
 * through the pipeline with socketpairs for ports as in test_swpipeline.
 * IGMP, the same switch for IPv4, is test_igmp.c.
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

#include "switch/mdb.h"
#include "switch/mld.h"
#include "switch/pipeline.h"
#include "switch/snoop.h"
#include "switch/sw.h"
#include "swrig.h"

/* ---- building IPv6 packets by hand ---- */

static const uint8_t LL_A[16] = { 0xfe, 0x80, [15] = 0xa }, LL_B[16] = { 0xfe, 0x80, [15] = 0xb },
		     UNSPEC[16] = { 0 }, GLOBAL[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		     ALL_NODES[16] = { 0xff, 0x02, [15] = 1 }, ALL_ROUTERS[16] = { 0xff, 0x02, [15] = 2 },
		     MLDV2_ROUTERS[16] = { 0xff, 0x02, [15] = 0x16 },
		     G1[16] = { 0xff, 0x02, [11] = 1, 0xff, 0, 0, 0x0a },
		     G2[16] = { 0xff, 0x05, [15] = 0x42 }, IFACE_LOCAL[16] = { 0xff, 0x01, [15] = 9 };

/* The Internet checksum the plain way (RFC 1071), over the pseudo-header
 * and the message: independent of mld.c's. */
static uint16_t csum6(const uint8_t src[16], const uint8_t dst[16], const uint8_t *msg, size_t len)
{
	uint8_t buf[2048];
	uint32_t sum = 0;
	size_t n = 0;

	memcpy(buf, src, 16);
	memcpy(buf + 16, dst, 16);
	memset(buf + 32, 0, 8);
	buf[34] = (uint8_t)(len >> 8);
	buf[35] = (uint8_t)len;
	buf[39] = 58;
	memcpy(buf + 40, msg, len);
	n = 40 + len;
	if (n & 1)
		buf[n++] = 0;
	for (size_t i = 0; i < n; i += 2)
		sum += (uint32_t)(buf[i] << 8 | buf[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

struct pkt6 {
	uint8_t b[1024];
	size_t len; /* IPv6 packet */
};

/* IPv6 to dst from src with hop limit hl, a Router Alert Hop-by-Hop
 * header if hbh, and the ICMPv6 message msg[mlen] (checksum filled in). */
static void ip6_icmp(struct pkt6 *p, const uint8_t src[16], const uint8_t dst[16], uint8_t hl, bool hbh,
		     const uint8_t *msg, size_t mlen)
{
	size_t off = 40, plen = (hbh ? 8 : 0) + mlen;
	uint16_t c;

	memset(p->b, 0, sizeof(p->b));
	p->b[0] = 0x60;
	p->b[4] = (uint8_t)(plen >> 8);
	p->b[5] = (uint8_t)plen;
	p->b[6] = hbh ? 0 : 58;
	p->b[7] = hl;
	memcpy(p->b + 8, src, 16);
	memcpy(p->b + 24, dst, 16);
	if (hbh) {
		static const uint8_t opt[8] = { 58, 0, 5, 2, 0, 0, 1, 0 };

		memcpy(p->b + off, opt, 8);
		off += 8;
	}
	memcpy(p->b + off, msg, mlen);
	p->b[off + 2] = p->b[off + 3] = 0;
	c = csum6(src, dst, p->b + off, mlen);
	p->b[off + 2] = (uint8_t)(c >> 8);
	p->b[off + 3] = (uint8_t)c;
	p->len = off + mlen;
}

/* UDP-ish data: next header 17, no checksum needed by the switch. */
static void ip6_data(struct pkt6 *p, const uint8_t src[16], const uint8_t dst[16])
{
	memset(p->b, 0, sizeof(p->b));
	p->b[0] = 0x60;
	p->b[5] = 16;
	p->b[6] = 17;
	p->b[7] = 64;
	memcpy(p->b + 8, src, 16);
	memcpy(p->b + 24, dst, 16);
	p->len = 56;
}

static void v1(struct pkt6 *p, uint8_t type, const uint8_t src[16], const uint8_t group[16])
{
	uint8_t m[24] = { type };

	memcpy(m + 8, group, 16);
	ip6_icmp(p, src, type == 132 ? ALL_ROUTERS : group, 1, true, m, sizeof(m));
}

struct rec {
	uint8_t type;
	uint16_t nsrc;
	const uint8_t *group;
};

static void v2(struct pkt6 *p, const uint8_t src[16], const struct rec *r, unsigned n)
{
	uint8_t m[512] = { 143 };
	size_t off = 8;

	m[7] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		m[off] = r[i].type;
		m[off + 3] = (uint8_t)r[i].nsrc;
		memcpy(m + off + 4, r[i].group, 16);
		off += 20;
		for (unsigned k = 0; k < r[i].nsrc; k++, off += 16)
			memcpy(m + off, GLOBAL, 16);
	}
	ip6_icmp(p, src, MLDV2_ROUTERS, 1, true, m, off);
}

static void query(struct pkt6 *p, const uint8_t src[16])
{
	uint8_t m[28] = { 130 };

	m[5] = 100;
	ip6_icmp(p, src, ALL_NODES, 1, true, m, sizeof(m));
}

/* ---- the parser ---- */

static void parses_reports_and_dones(void **state)
{
	struct rec recs[] = { { 2, 0, G1 }, { 3, 0, G2 }, { 5, 1, G1 }, { 6, 1, G2 }, { 1, 0, G2 } };
	struct mc_record r;
	struct mc_msg m;
	struct pkt6 p;
	uint32_t off = 0;

	(void)state;
	v1(&p, 131, LL_A, G1);
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_REPORT);
	assert_false(m.v2);
	assert_memory_equal(m.group, G1, 16);

	v1(&p, 132, LL_A, G1);
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_LEAVE);
	assert_memory_equal(m.group, G1, 16);

	/* a report sent before the host had an address: from :: */
	v2(&p, UNSPEC, recs, 5);
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_REPORT);
	assert_true(m.v2);
	assert_int_equal(m.n_records, 5);
	assert_true(mld_next_record(&m, &off, &r)); /* EXCLUDE {}: join */
	assert_memory_equal(r.group, G1, 16);
	assert_true(r.join);
	assert_false(r.leave);
	assert_true(mld_next_record(&m, &off, &r)); /* TO_IN {}: leave */
	assert_memory_equal(r.group, G2, 16);
	assert_false(r.join);
	assert_true(r.leave);
	assert_true(mld_next_record(&m, &off, &r)); /* ALLOW a source: join */
	assert_true(r.join);
	assert_true(mld_next_record(&m, &off, &r)); /* BLOCK: neither */
	assert_false(r.join);
	assert_false(r.leave);
	assert_true(mld_next_record(&m, &off, &r)); /* IS_IN {}: leave */
	assert_true(r.leave);
	assert_false(mld_next_record(&m, &off, &r));
}

static void rejects_what_is_not_mld(void **state)
{
	struct rec recs[] = { { 2, 0, G1 } };
	struct mc_msg m;
	struct pkt6 p;
	uint8_t msg[24] = { 131 };

	(void)state;
	/* a bad checksum: data to its destination, not a report */
	v1(&p, 131, LL_A, G1);
	p.b[48 + 9] ^= 1;
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	/* ... unless the checksum is still to be filled in */
	mld_parse(p.b, p.len, true, &m);
	assert_int_equal(m.kind, MC_REPORT);

	/* hop limit other than 1 */
	memcpy(msg + 8, G1, 16);
	ip6_icmp(&p, LL_A, G1, 2, true, msg, sizeof(msg));
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	/* a global source */
	ip6_icmp(&p, GLOBAL, G1, 1, true, msg, sizeof(msg));
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	/* without Hop-by-Hop it is still MLD (lenient, as the kernel) */
	ip6_icmp(&p, LL_A, G1, 1, false, msg, sizeof(msg));
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_REPORT);

	/* v2 report claiming more records than it holds */
	v2(&p, LL_A, recs, 1);
	p.b[48 + 7] = 2;
	p.b[48 + 2] = p.b[48 + 3] = 0;
	{
		uint16_t c = csum6(LL_A, MLDV2_ROUTERS, p.b + 48, p.len - 48);

		p.b[48 + 2] = (uint8_t)(c >> 8);
		p.b[48 + 3] = (uint8_t)c;
	}
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);

	/* truncated IPv6, payload length past the end, not IPv6, unicast */
	v1(&p, 131, LL_A, G1);
	mld_parse(p.b, 39, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	mld_parse(p.b, p.len - 1, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	p.b[0] = 0x40;
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);
	ip6_data(&p, LL_A, GLOBAL);
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_NOT_MC);

	ip6_data(&p, GLOBAL, G2);
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	assert_memory_equal(m.group, G2, 16);
	assert_true(m.udp); /* what the kernel's multicast flows match */
	/* ICMPv6 to a group that is no MLD (a hop limit of 2): data, not UDP */
	ip6_icmp(&p, LL_A, G1, 2, false, msg, sizeof(msg));
	mld_parse(p.b, p.len, false, &m);
	assert_int_equal(m.kind, MC_DATA);
	assert_false(m.udp);
}

static void builds_a_valid_query(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x6e, 1, 2, 3, 4 };
	uint8_t f[MLD_QUERY_FRAME_LEN], ll[16];
	struct mc_msg m;

	(void)state;
	mld_link_local(mac, ll);
	assert_int_equal(ll[0], 0xfe);
	assert_int_equal(ll[8], 0x00); /* the U/L bit flipped */
	assert_int_equal(ll[11], 0xff);
	assert_int_equal(ll[12], 0xfe);
	assert_int_equal(mld_build_query(f, mac, ll, 1000, 125), MLD_QUERY_FRAME_LEN);
	assert_int_equal(f[0], 0x33);
	assert_int_equal(f[5], 0x01);
	assert_memory_equal(f + 6, mac, 6);
	/* the checksum, as an independent sum computes it */
	{
		uint16_t want = (uint16_t)(f[62 + 2] << 8 | f[62 + 3]);
		uint8_t msg[28];

		memcpy(msg, f + 62, 28);
		msg[2] = msg[3] = 0;
		assert_int_equal(want, csum6(ll, ALL_NODES, msg, 28));
	}
	mld_parse(f + 14, sizeof(f) - 14, false, &m);
	assert_int_equal(m.kind, MC_QUERY);
	assert_memory_equal(m.src, ll, 16);
	assert_int_equal(f[62 + 4] << 8 | f[62 + 5], 1000);
}

/* ---- the table ---- */

static void mdb_joins_leaves_and_ages(void **state)
{
	struct mdb *t = mdb_new(4);
	uint16_t ports[8];

	(void)state;
	assert_non_null(t);
	assert_int_equal(mdb_lookup(t, 1, G1, 100, ports, 8), MDB_UNREGISTERED);
	assert_true(mdb_join(t, 1, G1, 3, 100, 360));
	assert_true(mdb_join(t, 1, G1, 5, 100, 200));
	assert_true(mdb_join(t, 1, G1, 3, 100, 360)); /* a refresh, not a new entry */
	assert_int_equal(mdb_count(t), 2);
	assert_int_equal(mdb_lookup(t, 1, G1, 150, ports, 8), 2);
	assert_int_equal(mdb_lookup(t, 2, G1, 150, ports, 8), MDB_UNREGISTERED); /* per VLAN */
	/* port 5's listener expired: the group is port 3's alone */
	assert_int_equal(mdb_lookup(t, 1, G1, 250, ports, 8), 1);
	assert_int_equal(ports[0], 3);
	assert_int_equal(mdb_age(t, 250), 1);
	mdb_leave(t, 1, G1, 3);
	assert_int_equal(mdb_lookup(t, 1, G1, 250, ports, 8), MDB_UNREGISTERED);
	assert_int_equal(mdb_count(t), 0);

	assert_true(mdb_join(t, 1, G1, 1, 100, 360));
	assert_true(mdb_join(t, 1, G2, 1, 100, 360));
	assert_true(mdb_join(t, 2, G2, 2, 100, 360));
	assert_int_equal(mdb_flush(t, 1, 0), 2);
	assert_int_equal(mdb_count(t), 1);
	mdb_free(t);
}

/* The generation moves when a lookup's answer may change (the fast path's
 * multicast flows go then), not when a report only refreshes. */
static void mdb_generation_moves_on_changes_only(void **state)
{
	struct mdb *t = mdb_new(2);
	uint32_t g;

	(void)state;
	assert_non_null(t);
	g = mdb_generation(t);
	assert_true(mdb_join(t, 1, G1, 3, 100, 360));
	assert_int_not_equal(mdb_generation(t), g); /* a new listener */
	g = mdb_generation(t);
	assert_true(mdb_join(t, 1, G1, 3, 200, 460));
	assert_int_equal(mdb_generation(t), g); /* a refresh */
	assert_true(mdb_join(t, 1, G1, 3, 500, 760));
	assert_int_not_equal(mdb_generation(t), g); /* revived after it expired at 460 */
	g = mdb_generation(t);
	mdb_leave(t, 1, G2, 3);
	assert_int_equal(mdb_generation(t), g); /* nothing to leave */
	mdb_leave(t, 1, G1, 3);
	assert_int_not_equal(mdb_generation(t), g);
	g = mdb_generation(t);
	assert_true(mdb_join(t, 1, G1, 1, 100, 360));
	assert_true(mdb_join(t, 1, G1, 2, 100, 360));
	g = mdb_generation(t);
	assert_false(mdb_join(t, 1, G2, 3, 100, 360)); /* full: everything floods */
	assert_int_not_equal(mdb_generation(t), g);
	g = mdb_generation(t);
	assert_int_equal(mdb_age(t, 400), 2);
	assert_int_not_equal(mdb_generation(t), g);
	mdb_free(t);
}

static void mdb_overflow_floods_until_all_refreshed(void **state)
{
	struct mdb *t = mdb_new(2);
	uint16_t ports[8];

	(void)state;
	assert_true(mdb_join(t, 1, G1, 1, 100, 360));
	assert_true(mdb_join(t, 1, G2, 1, 100, 360));
	/* a third listener has no room: it must not be missed, so every
	 * group floods (unregistered) until what was there has expired */
	assert_false(mdb_join(t, 1, G1, 2, 110, 370));
	assert_true(mdb_overflowed(t, 110));
	assert_int_equal(mdb_lookup(t, 1, G1, 120, ports, 8), MDB_UNREGISTERED);
	assert_int_equal(mdb_lookup(t, 1, G2, 120, ports, 8), MDB_UNREGISTERED);
	assert_int_equal(mdb_lookup(t, 1, G2, 369, ports, 8), MDB_UNREGISTERED);
	assert_int_equal(mdb_age(t, 370), 2);
	assert_false(mdb_overflowed(t, 370));
	assert_true(mdb_join(t, 1, G1, 2, 371, 631));
	assert_int_equal(mdb_lookup(t, 1, G1, 372, ports, 8), 1);
	mdb_free(t);
}

/* ---- the switch ---- */

#define NPORTS 5

struct rig {
	struct sw *sw;
	struct port *p[NPORTS];
	int peer[NPORTS];
};

static const uint8_t MAC[NPORTS][6] = { { 2, 0, 0, 0, 0, 0xa0 }, { 2, 0, 0, 0, 0, 0xa1 },
					 { 2, 0, 0, 0, 0, 0xa2 }, { 2, 0, 0, 0, 0, 0xa3 },
					 { 2, 0, 0, 0, 0, 0xa4 } };

static bool got(struct rig *r, int i, uint8_t *buf, size_t *len)
{
	return swrig_recv(r->peer[i], buf, len);
}

/* Read whatever the ports have (the queries of the start, say). */
static void drain(struct rig *r)
{
	snoop_send_queries(r->sw, 1000);
	uint8_t buf[2048];
	size_t len = 0;

	for (int i = 0; i < NPORTS; i++)
		while (got(r, i, buf, &len))
			;
}

/* p0..p3: access VLAN 1; p4: trunk VLAN 10 with native 1. Snooping on;
 * the queries it sends at once are read and checked. */
static int setup(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	uint16_t vids[] = { 10 };

	r->sw = sw_new("t", 64, 300);
	for (int i = 0; i < NPORTS; i++) {
		r->p[i] = swrig_port(r->sw, (uint16_t)i, &r->peer[i]);
		if (i < 4)
			vlan_port_access(&r->p[i]->vlan, 1);
	}
	vlan_port_trunk(&r->p[4]->vlan, vids, 1, 1);
	r->sw->n_ports = r->sw->max_index = NPORTS;
	assert_int_equal(sw_rebuild(r->sw), 0);
	assert_int_equal(sw_set_snooping(r->sw, AF_INET6, true), 0);
	/* on the tests' clock, which starts at 1000 s */
	snoop_free(r->sw->snoop);
	r->sw->snoop = snoop_new("t", false, 1000);
	assert_non_null(r->sw->snoop);
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

/* The IPv6 packet p from port i as an untagged frame. */
static void send6(struct rig *r, int i, const struct pkt6 *p, uint32_t now)
{
	static uint8_t slot[2048];
	size_t v = sizeof(struct virtio_net_hdr);
	struct pl_pkt pkt = { 0 };
	uint8_t *f = slot + v;

	memset(slot, 0, v);
	f[0] = f[1] = 0x33;
	memcpy(f + 2, p->b + 36, 4); /* the group's last 32 bits */
	memcpy(f + 6, MAC[i], 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	memcpy(f + 14, p->b, p->len);
	pkt.in = r->p[i];
	pkt.vnet = (struct virtio_net_hdr *)slot;
	pkt.data = f;
	pkt.len = (uint32_t)(14 + p->len);
	assert_int_equal(frame_parse(pkt.data, pkt.len, NULL, &pkt.fr), FRAME_OK);
	pl_process(r->sw, &pkt, now);
	pl_flush(r->sw);
}

/* Which ports a frame came out of, as a bit mask. */
static unsigned outs(struct rig *r)
{
	return swrig_outs(r->peer, NPORTS);
}

static void queries_every_port_at_start(void **state)
{
	struct rig *r = *state;
	struct snoop_info si;
	uint8_t buf[2048];
	size_t len = 0;
	struct mc_msg m;

	snoop_send_queries(r->sw, 1000);
	for (int i = 0; i < 4; i++) {
		assert_true(got(r, i, buf, &len));
		mld_parse(buf + sizeof(struct virtio_net_hdr) + 14, len - sizeof(struct virtio_net_hdr) - 14,
			  false, &m);
		assert_int_equal(m.kind, MC_QUERY);
		assert_false(got(r, i, buf, &len));
	}
	/* the trunk: untagged for its native VLAN 1 (VLAN 10 has nobody else) */
	assert_true(got(r, 4, buf, &len));
	assert_int_equal(buf[sizeof(struct virtio_net_hdr) + 12], 0x86);
	assert_false(got(r, 4, buf, &len));
	/* nothing more is due until the startup interval is over */
	snoop_send_queries(r->sw, 1001);
	assert_int_equal(outs(r), 0);
	snoop_get_info(r->sw->snoop, 1001, &si);
	assert_true(si.querier);
}

static void group_traffic_goes_to_listeners(void **state)
{
	struct rig *r = *state;
	struct snoop_info si;
	struct pkt6 p;

	drain(r);
	/* unregistered: floods, as without snooping */
	ip6_data(&p, GLOBAL, G2);
	send6(r, 0, &p, 1000);
	assert_int_equal(outs(r), 0x1e);
	/* p2 listens: the report itself goes nowhere (no router) ... */
	v1(&p, 131, LL_B, G2);
	send6(r, 2, &p, 1000);
	assert_int_equal(outs(r), 0);
	assert_int_equal(r->p[2]->st.snooped, 1);
	/* ... and the group's data goes to p2 only */
	ip6_data(&p, GLOBAL, G2);
	send6(r, 0, &p, 1001);
	assert_int_equal(outs(r), 1u << 2);
	/* the listener's own traffic to it goes nowhere else */
	send6(r, 2, &p, 1001);
	assert_int_equal(outs(r), 0);
	assert_int_equal(r->p[2]->st.snooped, 2);
	/* all nodes, and scopes below link-local, always flood */
	ip6_data(&p, LL_A, ALL_NODES);
	send6(r, 0, &p, 1001);
	assert_int_equal(outs(r), 0x1e);
	ip6_data(&p, LL_A, IFACE_LOCAL);
	send6(r, 0, &p, 1001);
	assert_int_equal(outs(r), 0x1e);
	/* the listener leaves (access port: at once): floods again */
	v1(&p, 132, LL_B, G2);
	send6(r, 2, &p, 1002);
	assert_int_equal(outs(r), 0);
	ip6_data(&p, GLOBAL, G2);
	send6(r, 0, &p, 1002);
	assert_int_equal(outs(r), 0x1e);
	/* listeners expire */
	v1(&p, 131, LL_B, G2);
	send6(r, 2, &p, 1000);
	ip6_data(&p, GLOBAL, G2);
	send6(r, 0, &p, 1000 + SNOOP_MEMBERSHIP - 1);
	assert_int_equal(outs(r), 1u << 2);
	send6(r, 0, &p, 1000 + SNOOP_MEMBERSHIP);
	assert_int_equal(outs(r), 0x1e);
	snoop_get_info(r->sw->snoop, 1000, &si);
	assert_true(si.reports >= 3);
}

static void v2_records_and_trunks(void **state)
{
	struct rig *r = *state;
	struct rec join[] = { { 4, 0, G1 }, { 4, 0, G2 } }, leave[] = { { 3, 0, G1 } };
	struct pkt6 p;

	drain(r);
	v2(&p, LL_A, join, 2);
	send6(r, 1, &p, 1000);
	v2(&p, LL_B, join, 1);
	send6(r, 4, &p, 1000); /* behind the trunk, native VLAN */
	assert_int_equal(outs(r), 0);
	ip6_data(&p, GLOBAL, G1);
	send6(r, 0, &p, 1000);
	assert_int_equal(outs(r), (1u << 1) | (1u << 4));
	ip6_data(&p, GLOBAL, G2);
	send6(r, 0, &p, 1000);
	assert_int_equal(outs(r), 1u << 1);
	/* a leave on a trunk may be one host of many: the group stays */
	v2(&p, LL_B, leave, 1);
	send6(r, 4, &p, 1001);
	ip6_data(&p, GLOBAL, G1);
	send6(r, 0, &p, 1001);
	assert_int_equal(outs(r), (1u << 1) | (1u << 4));
	/* on an access port it is the last word */
	v2(&p, LL_A, leave, 1);
	send6(r, 1, &p, 1001);
	ip6_data(&p, GLOBAL, G1);
	send6(r, 0, &p, 1001);
	assert_int_equal(outs(r), 1u << 4);
}

static void routers_get_reports_and_groups(void **state)
{
	struct rig *r = *state;
	struct snoop_info si;
	struct pkt6 p;

	drain(r);
	/* no IPv6 router has said so: a router solicitation has nowhere to go */
	ip6_data(&p, LL_A, ALL_ROUTERS);
	send6(r, 0, &p, 1000);
	assert_int_equal(outs(r), 0);
	/* a router on p3 joins ff02::2 */
	v1(&p, 131, LL_B, ALL_ROUTERS);
	send6(r, 3, &p, 1000);
	ip6_data(&p, LL_A, ALL_ROUTERS);
	send6(r, 0, &p, 1000);
	assert_int_equal(outs(r), 1u << 3);

	/* a querier on p3: its query floods, p3 becomes a router port */
	query(&p, LL_B);
	send6(r, 3, &p, 1001);
	assert_int_equal(outs(r), 0x17);
	assert_true(snoop_is_router(r->sw->snoop, 3, 1001));
	snoop_get_info(r->sw->snoop, 1001, &si);
	assert_false(si.querier); /* ours is silent while it speaks */
	assert_int_equal(si.routers, 1);
	assert_int_equal(si.queries_heard, 1);
	/* reports now reach it; group data too, besides the listeners */
	v1(&p, 131, LL_A, G2);
	send6(r, 1, &p, 1002);
	assert_int_equal(outs(r), 1u << 3);
	ip6_data(&p, GLOBAL, G2);
	send6(r, 0, &p, 1002);
	assert_int_equal(outs(r), (1u << 1) | (1u << 3));
	/* no periodic query of ours while the other querier is heard */
	snoop_send_queries(r->sw, 1001 + SNOOP_STARTUP_INTERVAL + 1);
	assert_int_equal(outs(r), 0);
	/* it falls silent: p3 is no router any more, ours speaks again */
	snoop_tick(r->sw, 1001 + SNOOP_OTHER_QUERIER + 1);
	assert_int_equal(outs(r), 0x1f);
	assert_false(snoop_is_router(r->sw->snoop, 3, 1001 + SNOOP_OTHER_QUERIER + 1));
}

static void the_lower_querier_wins(void **state)
{
	static const uint8_t HIGH[16] = { 0xfe, 0x80, [8] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct rig *r = *state;
	struct snoop_info si;
	struct pkt6 p;

	drain(r);
	/* a querier with a higher address than ours (which is above any
	 * derived from a MAC): a router port, but ours stays the querier */
	query(&p, HIGH);
	send6(r, 2, &p, 1000);
	assert_int_equal(outs(r), 0x1b);
	assert_true(snoop_is_router(r->sw->snoop, 2, 1000));
	snoop_get_info(r->sw->snoop, 1000, &si);
	assert_true(si.querier);
	snoop_send_queries(r->sw, 1000 + SNOOP_STARTUP_INTERVAL);
	assert_int_equal(outs(r), 0x1f);
	/* a lower one, as any router's: ours falls silent */
	query(&p, LL_A);
	send6(r, 3, &p, 1040);
	drain(r);
	snoop_get_info(r->sw->snoop, 1040, &si);
	assert_false(si.querier);
	snoop_send_queries(r->sw, 1040 + SNOOP_QUERY_INTERVAL);
	assert_int_equal(outs(r), 0);
}

static void a_port_reset_forgets_and_is_asked(void **state)
{
	struct rig *r = *state;
	uint8_t buf[2048];
	size_t len = 0;
	struct pkt6 p;

	drain(r);
	v1(&p, 131, LL_A, G2);
	send6(r, 1, &p, 1000);
	v1(&p, 131, LL_B, G2);
	send6(r, 2, &p, 1000);
	snoop_port_reset(r->sw, 1);
	snoop_send_queries(r->sw, 1000);
	assert_true(got(r, 1, buf, &len)); /* asked again, alone */
	assert_int_equal(outs(r), 0);
	ip6_data(&p, GLOBAL, G2);
	send6(r, 0, &p, 1000);
	assert_int_equal(outs(r), 1u << 2);
	snoop_port_gone(r->sw, 2);
	send6(r, 0, &p, 1000);
	assert_int_equal(outs(r), 0x1e); /* nobody left: floods */
	/* off: IPv6 multicast floods, and reports with it */
	assert_int_equal(sw_set_snooping(r->sw, AF_INET6, false), 0);
	v1(&p, 131, LL_A, G2);
	send6(r, 1, &p, 1000);
	assert_int_equal(outs(r), 0x1d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_reports_and_dones),
		cmocka_unit_test(rejects_what_is_not_mld),
		cmocka_unit_test(builds_a_valid_query),
		cmocka_unit_test(mdb_joins_leaves_and_ages),
		cmocka_unit_test(mdb_generation_moves_on_changes_only),
		cmocka_unit_test(mdb_overflow_floods_until_all_refreshed),
		cmocka_unit_test_setup_teardown(queries_every_port_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(group_traffic_goes_to_listeners, setup, teardown),
		cmocka_unit_test_setup_teardown(v2_records_and_trunks, setup, teardown),
		cmocka_unit_test_setup_teardown(routers_get_reports_and_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(the_lower_querier_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(a_port_reset_forgets_and_is_asked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
