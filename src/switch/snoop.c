// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/snoop.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "switch/fastpath.h"
#include "switch/igmp.h"
#include "switch/mld.h"
#include "switch/pipeline.h"
#include "switch/port.h"
#include "switch/sw.h"

struct snoop {
	bool v4;   /* IGMP; else MLD */
	struct mdb *mdb;
	uint8_t mac[6];
	uint8_t addr[16]; /* the queries' source: IPv4 0.0.0.0 (mapped), or link-local */
	uint32_t *router_until; /* [SW_MAX_PORTS], 0: not a router port */
	uint32_t routers_until; /* the latest of them: after it, none */
	bool *due;              /* [SW_MAX_PORTS]: to be queried */
	bool any_due;
	uint32_t next_query, other_querier_until;
	uint16_t *scratch; /* [SW_MAX_PORTS] */
	uint16_t *outs;    /* [SW_MAX_PORTS] */
	/* the query, vnet header first as a ring slot holds a frame */
	uint8_t query[PORT_VNET_LEN + MLD_QUERY_FRAME_LEN];
	struct pl_pkt query_pkt;
	uint64_t reports, queries_sent, queries_heard;
};

static bool after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

struct snoop *snoop_new(const char *switch_name, bool v4, uint32_t now)
{
	static const uint8_t any4[4];
	struct snoop *s = calloc(1, sizeof(*s));
	uint32_t h = hash_fnv1a_str(switch_name);

	if (!s)
		return NULL;
	s->mdb = mdb_new(MDB_DEFAULT_SIZE);
	s->router_until = calloc(SW_MAX_PORTS, sizeof(*s->router_until));
	s->due = calloc(SW_MAX_PORTS, sizeof(*s->due));
	s->scratch = calloc(SW_MAX_PORTS, sizeof(*s->scratch));
	s->outs = calloc(SW_MAX_PORTS, sizeof(*s->outs));
	if (!s->mdb || !s->router_until || !s->due || !s->scratch || !s->outs) {
		snoop_free(s);
		return NULL;
	}
	/* A locally administered address of the switch's own, the same
	 * after a restart: the querier a host hears does not change. */
	s->mac[0] = 0x02;
	s->mac[1] = 0x6e; /* 'n' */
	s->mac[2] = (uint8_t)(h >> 24);
	s->mac[3] = (uint8_t)(h >> 16);
	s->mac[4] = (uint8_t)(h >> 8);
	s->mac[5] = (uint8_t)h;
	s->v4 = v4;
	if (v4) {
		mc_map4(any4, s->addr);
		s->query_pkt.len = (uint32_t)igmp_build_query(s->query + PORT_VNET_LEN, s->mac,
							      SNOOP_RESPONSE_MS, SNOOP_QUERY_INTERVAL);
	} else {
		/* Its interface identifier starts with ff, above any
		 * derived from a MAC: a multicast router's query has the
		 * lower address and wins the election (RFC 3810 §7.6.2),
		 * so ours falls silent where a router queries, as the
		 * IPv4 querier's 0.0.0.0 does by convention. */
		mld_link_local(s->mac, s->addr);
		s->addr[8] = 0xff;
		s->query_pkt.len = (uint32_t)mld_build_query(s->query + PORT_VNET_LEN, s->mac, s->addr,
							     SNOOP_RESPONSE_MS, SNOOP_QUERY_INTERVAL);
	}
	s->query_pkt.vnet = (struct virtio_net_hdr *)s->query;
	s->query_pkt.data = s->query + PORT_VNET_LEN;
	frame_parse(s->query_pkt.data, s->query_pkt.len, NULL, &s->query_pkt.fr);
	/* Whatever the ports' hosts listen to, they say so when asked. */
	for (unsigned i = 0; i < SW_MAX_PORTS; i++)
		s->due[i] = true;
	s->any_due = true;
	s->next_query = now + SNOOP_STARTUP_INTERVAL;
	return s;
}

void snoop_free(struct snoop *s)
{
	if (!s)
		return;
	mdb_free(s->mdb);
	free(s->router_until);
	free(s->due);
	free(s->scratch);
	free(s->outs);
	free(s);
}

const struct mdb *snoop_mdb(const struct snoop *s)
{
	return s->mdb;
}

bool snoop_is_router(const struct snoop *s, uint16_t port, uint32_t now)
{
	return port < SW_MAX_PORTS && s->router_until[port] && after(s->router_until[port], now);
}

static bool any_router(const struct snoop *s, uint32_t now)
{
	return s->routers_until && after(s->routers_until, now);
}

/* Groups never snooped: always flooded, their reports ignored. */
static bool unsnooped(const struct snoop *s, const uint8_t g[16])
{
	if (s->v4)
		return igmp_is_local_control(g);
	return mld_is_all_nodes(g) || mld_scope(g) < 2;
}

static void learn(struct snoop *s, const struct port *in, uint16_t vid, const struct mc_msg *m,
		  uint32_t now)
{
	/* One host behind an access port: its done is the last word. */
	bool fast_leave = in->vlan.mode == VLAN_MODE_ACCESS;
	uint32_t expires = now + SNOOP_MEMBERSHIP;
	struct mc_record r;
	uint32_t off = 0;

	s->reports++;
	if (!m->v2) {
		if (m->kind == MC_REPORT && !unsnooped(s, m->group))
			mdb_join(s->mdb, vid, m->group, in->index, now, expires);
		else if (m->kind == MC_LEAVE && fast_leave)
			mdb_leave(s->mdb, vid, m->group, in->index);
		return;
	}
	while (mc_next_record(m, &off, s->v4 ? 4 : 16, &r)) {
		if (unsnooped(s, r.group))
			continue;
		if (r.join)
			mdb_join(s->mdb, vid, r.group, in->index, now, expires);
		else if (r.leave && fast_leave)
			mdb_leave(s->mdb, vid, r.group, in->index);
	}
}

/* The ports a frame for the listeners ports[0..n) goes out of: those and
 * the VLAN's router ports, but in; into s->outs, how many. */
static uint32_t outputs(struct sw *sw, struct snoop *s, const struct port *in, uint16_t vid,
			const uint16_t *ports, uint32_t n, uint32_t now)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++)
		if (sw_port_at(sw, ports[i]) && ports[i] != in->index)
			s->outs[k++] = ports[i];
	if (any_router(s, now)) {
		for (unsigned i = 0; i < sw->flood_n[vid]; i++) {
			uint16_t p = sw->flood_ports[vid][i];
			bool listener = false;

			if (p == in->index || !snoop_is_router(s, p, now))
				continue;
			for (uint32_t j = 0; j < n && !listener; j++)
				listener = ports[j] == p;
			if (!listener)
				s->outs[k++] = p;
		}
	}
	return k;
}

/* Out of the listeners ports[0..n) and the router ports (outputs); a frame
 * nobody takes is counted as snooped. Data may go the kernel's way from
 * then on (group: its group), control never. */
static void send_to(struct sw *sw, struct snoop *s, const struct pl_pkt *pkt, uint16_t vid,
		    const uint16_t *ports, uint32_t n, uint32_t now, const uint8_t *group)
{
	struct port *in = pkt->in;
	uint32_t k = outputs(sw, s, in, vid, ports, n, now);

	for (uint32_t i = 0; i < k; i++)
		pl_output_vlan(sw, pkt, sw->ports[s->outs[i]], vid);
	if (!k)
		in->st.snooped++;
	else if (group && sw->fastpath && vlan_kernel_keyable(&pkt->fr))
		fp_moffer(sw->fastpath, sw, in, vid, frame_is_tagged(&pkt->fr), pkt->fr.src, group,
			  s->outs, k, now);
}

/* A multicast router behind in: it wants every group and every report. */
static void router_heard(struct sw *sw, struct snoop *s, const struct port *in, uint32_t now)
{
	/* a new router port: every group's ports change */
	if (!snoop_is_router(s, in->index, now))
		fp_mflush(sw->fastpath, sw);
	s->router_until[in->index] = now + SNOOP_OTHER_QUERIER;
	s->routers_until = now + SNOOP_OTHER_QUERIER;
}

bool snoop_forward(struct sw *sw, struct snoop *s, const struct pl_pkt *pkt, uint16_t vid,
		   uint32_t now)
{
	static const uint8_t zero[16];
	const struct frame *f = &pkt->fr;
	struct port *in = pkt->in;
	uint32_t l3 = f->body_off + 2u, n;
	bool partial = pkt->vnet->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM;
	struct mc_msg m;

	if (f->ethertype != (s->v4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6) || f->inner_tags ||
	    pkt->len <= l3)
		return false;
	if (s->v4)
		igmp_parse(pkt->data + l3, pkt->len - l3, partial, &m);
	else
		mld_parse(pkt->data + l3, pkt->len - l3, partial, &m);
	switch (m.kind) {
	case MC_QUERY:
		if (memcmp(f->src, s->mac, 6) != 0) {
			/* Another querier: a multicast router (or a
			 * switch's querier) behind in. The lower address
			 * is the querier, 0.0.0.0 (ours) and :: taking no part
			 * (RFC 3376 §6.6.2, RFC 3810 §7.6.2, RFC 4541
			 * §2.1.1): ours falls silent meanwhile if that
			 * is the other's. */
			router_heard(sw, s, in, now);
			if (memcmp(m.src, s->v4 ? s->addr : zero, 16) != 0 &&
			    (s->v4 || memcmp(m.src, s->addr, 16) < 0))
				s->other_querier_until = now + SNOOP_OTHER_QUERIER;
			s->queries_heard++;
		}
		return false;
	case MC_ROUTER:
		router_heard(sw, s, in, now);
		return false;
	case MC_REPORT:
	case MC_LEAVE: {
		uint32_t gen = mdb_generation(s->mdb);

		learn(s, in, vid, &m, now);
		/* a group's ports changed: so must its multicast flows */
		if (mdb_generation(s->mdb) != gen)
			fp_mflush(sw->fastpath, sw);
		send_to(sw, s, pkt, vid, NULL, 0, now, NULL);
		return true;
	}
	case MC_DATA:
		if (unsnooped(s, m.group))
			return false;
		n = mdb_lookup(s->mdb, vid, m.group, now, s->scratch, SW_MAX_PORTS);
		if (n == MDB_UNREGISTERED) {
			/* Data for a group nobody reported floods, so that
			 * nothing that worked without snooping stops. But
			 * in IPv6: every router joins ff02::2 and says so
			 * (RFC 4291 §2.8): unreported, there is no router
			 * here for a router solicitation to reach. And a
			 * host probing a new address sends its probe before
			 * its own report, half the time: flooded, a lab's
			 * start is N² copies of them, while only a host
			 * that had the address already — and has reported
			 * its group — could answer. */
			if (s->v4 || (!mld_is_all_routers(m.group) &&
				      !(m.dad && mld_is_solicited_node(m.group))))
				return false;
			n = 0;
		}
		/* a flow for what the kernel's program matches, UDP: one for
		 * neighbour discovery's groups would only take a slot */
		send_to(sw, s, pkt, vid, s->scratch, n, now, m.udp ? m.group : NULL);
		return true;
	case MC_NOT_MC:
		break;
	}
	return false;
}

/* Forget what port said; ask it again if ask. */
static void forget(struct snoop *s, uint16_t port, bool ask)
{
	if (!s || port >= SW_MAX_PORTS)
		return;
	mdb_flush(s->mdb, port, 0);
	s->router_until[port] = 0;
	s->due[port] = ask;
	s->any_due |= ask;
}

void snoop_port_reset(struct sw *sw, uint16_t port)
{
	fp_mflush(sw->fastpath, sw);
	forget(sw->snoop, port, true);
	forget(sw->snoop4, port, true);
}

void snoop_port_gone(struct sw *sw, uint16_t port)
{
	fp_mflush(sw->fastpath, sw);
	forget(sw->snoop, port, false);
	forget(sw->snoop4, port, false);
}

/* The query out of port p, once for each VLAN it carries that has other
 * ports (where nobody else is, nobody listens). Not out of a port that is
 * not up: nobody would hear it, and it is asked when it comes up. */
static void query_port(struct sw *sw, struct snoop *s, struct port *p)
{
	if (p->state != PORT_UP)
		return;
	if (p->vlan.mode == VLAN_MODE_ACCESS) {
		pl_output_vlan(sw, &s->query_pkt, p, p->vlan.vid);
		return;
	}
	for (unsigned v = 1; v <= VLAN_MAX_VID; v++)
		if (sw->flood_n[v] > 1 && vlan_allowed(&p->vlan, (uint16_t)v))
			pl_output_vlan(sw, &s->query_pkt, p, (uint16_t)v);
}

static void send_queries(struct sw *sw, struct snoop *s, uint32_t now)
{
	bool general;

	if (!s)
		return;
	general = !after(s->next_query, now) &&
		  !(s->other_querier_until && after(s->other_querier_until, now));
	if (!general && !s->any_due)
		return;
	for (unsigned i = 0; i < sw->max_index; i++) {
		if (sw->ports[i] && (general || s->due[i]))
			query_port(sw, s, sw->ports[i]);
		s->due[i] = false;
	}
	s->any_due = false;
	pl_flush(sw);
	if (general) {
		s->queries_sent++;
		s->next_query = now + SNOOP_QUERY_INTERVAL;
	} else if (!after(s->next_query, now)) {
		/* Another querier speaks: look again when it may not. */
		s->next_query = s->other_querier_until;
	}
}

static void ask(struct snoop *s, uint16_t port)
{
	if (!s || port >= SW_MAX_PORTS)
		return;
	s->due[port] = true;
	s->any_due = true;
}

void snoop_port_ask(struct sw *sw, uint16_t port)
{
	ask(sw->snoop, port);
	ask(sw->snoop4, port);
}

static void all_due(struct snoop *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < SW_MAX_PORTS; i++)
		s->due[i] = true;
	s->any_due = true;
}

void snoop_query_all(struct sw *sw, uint32_t now)
{
	all_due(sw->snoop);
	all_due(sw->snoop4);
	snoop_send_queries(sw, now);
}

void snoop_send_queries(struct sw *sw, uint32_t now)
{
	send_queries(sw, sw->snoop, now);
	send_queries(sw, sw->snoop4, now);
}

static void tick(struct sw *sw, struct snoop *s, uint32_t now)
{
	bool changed;

	if (!s)
		return;
	changed = mdb_age(s->mdb, now) > 0;
	if (s->routers_until && !after(s->routers_until, now)) {
		s->routers_until = 0;
		memset(s->router_until, 0, SW_MAX_PORTS * sizeof(*s->router_until));
		changed = true;
	} else if (s->routers_until) {
		for (unsigned i = 0; i < sw->max_index && i < SW_MAX_PORTS; i++)
			if (s->router_until[i] && !after(s->router_until[i], now)) {
				s->router_until[i] = 0;
				changed = true;
			}
	}
	/* A listener or router port aged out: the groups' ports changed. */
	if (changed)
		fp_mflush(sw->fastpath, sw);
	send_queries(sw, s, now);
}

void snoop_tick(struct sw *sw, uint32_t now)
{
	tick(sw, sw->snoop, now);
	tick(sw, sw->snoop4, now);
}

void snoop_get_info(const struct snoop *s, uint32_t now, struct snoop_info *info)
{
	memset(info, 0, sizeof(*info));
	info->querier = !(s->other_querier_until && after(s->other_querier_until, now));
	info->next_query_in = after(s->next_query, now) ? s->next_query - now : 0;
	for (unsigned i = 0; i < SW_MAX_PORTS && any_router(s, now); i++)
		if (snoop_is_router(s, (uint16_t)i, now))
			info->routers++;
	info->memberships = mdb_count(s->mdb);
	info->size = mdb_size(s->mdb);
	info->overflowed = mdb_overflowed(s->mdb, now);
	info->reports = s->reports;
	info->queries_sent = s->queries_sent;
	info->queries_heard = s->queries_heard;
}
