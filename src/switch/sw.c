// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/sw.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "common/util.h"
#include "switch/fastpath.h"
#include "switch/snoop.h"

static void detach_many(struct sw *sw, struct port **ports, size_t n);

struct sw *sw_new(const char *name, uint32_t fdb_size, uint32_t aging)
{
	struct sw *sw = calloc(1, sizeof(*sw));

	if (!sw)
		return NULL;
	snprintf(sw->name, sizeof(sw->name), "%s", name);
	sw->started_ns = time_mono_ns();
	sw->fdb = fdb_new(fdb_size, aging, SW_MAX_PORTS);
	sw->ports = calloc(SW_MAX_PORTS, sizeof(struct port *));
	sw->txq = calloc(SW_MAX_PORTS, sizeof(struct port *));
	sw->rxq = calloc(SW_MAX_PORTS, sizeof(struct port *));
	sw->big_block = malloc((size_t)PORT_BIG_MAX * PORT_BIG_SIZE);
	if (!sw->fdb || !sw->ports || !sw->txq || !sw->rxq || !sw->big_block) {
		sw_free(sw);
		return NULL;
	}
	for (unsigned i = 0; i < PORT_BIG_MAX; i++)
		sw->big[i] = sw->big_block + (size_t)i * PORT_BIG_SIZE;
	return sw;
}

void sw_free(struct sw *sw)
{
	if (!sw)
		return;
	if (sw->ports) {
		struct port **all = calloc(sw->max_index + 1, sizeof(struct port *));
		size_t n = 0;

		for (unsigned i = 0; i < sw->max_index; i++)
			if (sw->ports[i]) {
				if (all)
					all[n++] = sw->ports[i];
				else
					sw_detach(sw, sw->ports[i]);
			}
		if (all)
			detach_many(sw, all, n);
		free(all);
	}
	fp_free(sw->fastpath);
	snoop_free(sw->snoop);
	snoop_free(sw->snoop4);
	fdb_free(sw->fdb);
	free(sw->ports);
	free(sw->txq);
	free(sw->rxq);
	free(sw->flood_block);
	free(sw->big_block);
	free(sw->config_path);
	free(sw);
}

static void port_fast_on(struct sw *sw, struct port *p)
{
	/* Without the hooks a port still forwards, all through its ring. */
	int rc = fp_port_attach(sw->fastpath, p);

	if (rc)
		log_warn("port %s: no fast path: %s", p->name, err_text(rc));
}

static void port_fast_off(struct sw *sw, struct port *p, bool leaving)
{
	if (sw->fastpath)
		fp_port_detach(sw->fastpath, sw, p, leaving);
}

void sw_set_fast_path(struct sw *sw, bool on)
{
	int rc;

	on = on && !sw->fast_path_off;
	if (on == (sw->fastpath != NULL))
		return;
	if (!on) {
		for (unsigned i = 0; i < sw->max_index; i++)
			if (sw->ports[i])
				port_fast_off(sw, sw->ports[i], false);
		fp_commit(sw->fastpath);
		{
			uint64_t packets, bytes, floods;

			fp_totals(sw->fastpath, &packets, &bytes, &floods);
			sw->fp_past_packets += packets;
			sw->fp_past_bytes += bytes;
			sw->fp_past_floods += floods;
		}
		fp_free(sw->fastpath);
		sw->fastpath = NULL;
		log_info("fast path off: every frame through the switch");
		return;
	}
	rc = fp_new(sw->fp_flows, &sw->fastpath);
	if (rc) {
		log_warn("no fast path, every frame through the switch: %s", err_text(rc));
		return;
	}
	{
		struct port **all = calloc(sw->max_index + 1, sizeof(*all));
		size_t n = 0;

		for (unsigned i = 0; i < sw->max_index; i++)
			if (sw->ports[i] && all)
				all[n++] = sw->ports[i];
			else if (sw->ports[i])
				port_fast_on(sw, sw->ports[i]);
		fp_ports_attach(sw->fastpath, all, n);
		free(all);
	}
	fp_floods_sync(sw->fastpath, sw);
	log_info("fast path on: known unicast flows and broadcasts go by the kernel");
}

static uint32_t sw_now(void)
{
	return (uint32_t)(time_mono_ns() / 1000000000u);
}

int sw_set_snooping(struct sw *sw, int family, bool on)
{
	struct snoop **sp = family == AF_INET ? &sw->snoop4 : &sw->snoop;
	const char *what = family == AF_INET ? "IGMP" : "MLD";
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";

	if (on == (*sp != NULL))
		return 0;
	fp_mflush(sw->fastpath, sw);
	if (!on) {
		snoop_free(*sp);
		*sp = NULL;
		log_info("%s snooping off: %s multicast floods", what, fam);
		return 0;
	}
	*sp = snoop_new(sw->name, family == AF_INET, sw_now());
	if (!*sp)
		return err_set(-ENOMEM, "%s snooping", what);
	log_info("%s snooping on: %s multicast goes to its listeners", what, fam);
	return 0;
}

void sw_ports_changed(struct sw *sw)
{
	if (!sw->fastpath)
		return;
	/* Flows to or from a port that is not up go back to the switch,
	 * which counts their frames as tx-down drops; once it is up again,
	 * their next frames offer them again. Broadcast lists leave it out,
	 * multicast flows are offered again without it. */
	fp_validate(sw->fastpath, sw, sw_now());
	fp_floods_sync(sw->fastpath, sw);
	fp_mflush(sw->fastpath, sw);
}

uint32_t sw_fdb_flush(struct sw *sw, uint16_t port, uint16_t vid)
{
	uint32_t n = fdb_flush(sw->fdb, port, vid);

	fp_validate(sw->fastpath, sw, sw_now());
	return n;
}

struct port *sw_port(const struct sw *sw, const char *name)
{
	for (unsigned i = 0; i < sw->max_index; i++)
		if (sw->ports[i] && !strcmp(sw->ports[i]->name, name))
			return sw->ports[i];
	return NULL;
}

/* Call fn for each VID the port carries, in order. */
static void for_each_vid(const struct vlan_port *vp, void (*fn)(uint16_t vid, void *arg), void *arg)
{
	if (vp->mode == VLAN_MODE_ACCESS) {
		fn(vp->vid, arg);
		return;
	}
	for (unsigned w = 0; w < VLAN_WORDS; w++)
		for (uint64_t bits = vp->allowed[w]; bits; bits &= bits - 1)
			fn((uint16_t)(w * 64 + (unsigned)__builtin_ctzll(bits)), arg);
}

struct rebuild {
	uint16_t *count; /* per VID */
	uint16_t **pos;  /* per VID: where the next member goes */
	uint16_t port;
	size_t total;
};

static void count_vid(uint16_t vid, void *arg)
{
	struct rebuild *r = arg;

	if (vid >= 1 && vid <= VLAN_MAX_VID) {
		r->count[vid]++;
		r->total++;
	}
}

static void place_vid(uint16_t vid, void *arg)
{
	struct rebuild *r = arg;

	if (vid >= 1 && vid <= VLAN_MAX_VID)
		*r->pos[vid]++ = r->port;
}

/* Two passes over the ports (count, then place), so the cost is the number
 * of (port, VLAN) memberships, not ports x 4094. */
int sw_rebuild(struct sw *sw)
{
	static uint16_t count[4096];
	static uint16_t *pos[4096];
	struct rebuild r = { count, pos, 0, 0 };
	uint16_t *block;
	size_t at = 0;

	memset(count, 0, sizeof(count));
	for (unsigned i = 0; i < sw->max_index; i++)
		if (sw->ports[i])
			for_each_vid(&sw->ports[i]->vlan, count_vid, &r);
	block = malloc((r.total ? r.total : 1) * sizeof(*block));
	if (!block)
		return -ENOMEM;
	for (unsigned vid = 0; vid < 4096; vid++) {
		sw->flood_ports[vid] = block + at;
		sw->flood_n[vid] = count[vid];
		pos[vid] = block + at;
		at += count[vid];
	}
	for (unsigned i = 0; i < sw->max_index; i++) {
		if (!sw->ports[i])
			continue;
		r.port = (uint16_t)i;
		for_each_vid(&sw->ports[i]->vlan, place_vid, &r);
	}
	free(sw->flood_block);
	sw->flood_block = block;
	if (sw->fastpath) {
		fp_floods_sync(sw->fastpath, sw);
		/* members changed: so may any group's ports */
		fp_mflush(sw->fastpath, sw);
	}
	return 0;
}

/* Give an open port a slot and tell the owner. On failure the port is
 * closed. */
static int attach_open(struct sw *sw, struct port *p, const struct vlan_port *vp, bool rebuild)
{
	unsigned idx;
	int rc;

	for (idx = 0; idx < SW_MAX_PORTS && sw->ports[idx]; idx++)
		;
	if (idx == SW_MAX_PORTS) {
		rc = err_msg(-ENOSPC, "%s: the switch has %d ports already", p->name, SW_MAX_PORTS);
		port_close(p);
		return rc;
	}
	p->index = (uint16_t)idx;
	p->vlan = *vp;
	/* Stale entries of a previous port in this slot would misdirect. */
	sw_fdb_flush(sw, p->index, 0);
	snoop_port_reset(sw, p->index);
	sw->ports[idx] = p;
	sw->n_ports++;
	if (idx + 1 > sw->max_index)
		sw->max_index = idx + 1;
	if (sw->hooks.port_added && (rc = sw->hooks.port_added(sw->hooks.arg, p))) {
		sw->ports[idx] = NULL;
		sw->n_ports--;
		while (sw->max_index && !sw->ports[sw->max_index - 1])
			sw->max_index--;
		err_ctx(rc, "%s", p->name);
		port_close(p);
		return rc;
	}
	if (sw->fastpath)
		port_fast_on(sw, p);
	if (rebuild && (rc = sw_rebuild(sw))) {
		sw_detach(sw, p);
		return err_set(rc, "%s", p->name);
	}
	return 0;
}

/* The receive ring for a port of a switch of n ports: the rings share one
 * budget, with the ports of the whole lab if the configuration says so. */
static size_t ring_bytes(const struct sw *sw, unsigned n)
{
	return port_ring_bytes(n > sw->ring_ports ? n : sw->ring_ports);
}

int sw_attach(struct sw *sw, const char *name, const struct vlan_port *vp, unsigned expect,
	      struct port **out)
{
	struct port *p;
	int rc;

	if (out)
		*out = NULL;
	if (sw_port(sw, name))
		return err_msg(-EEXIST, "%s: already a port", name);
	fp_claim_ports(sw->fastpath, &name, 1);
	rc = port_open(&p, name, ring_bytes(sw, expect ? expect : sw->n_ports + 1));
	if (!rc)
		rc = attach_open(sw, p, vp, true);
	fp_claims_done(sw->fastpath);
	if (rc)
		return rc;
	snoop_send_queries(sw, sw_now());
	if (out)
		*out = p;
	return 0;
}

/* Take ports out of the switch without closing them. */
static void unhook(struct sw *sw, struct port *p)
{
	/* Queued sends may point into its ring. */
	pl_round_end(sw);
	port_fast_off(sw, p, true);
	if (sw->hooks.port_removed)
		sw->hooks.port_removed(sw->hooks.arg, p);
	sw_fdb_flush(sw, p->index, 0);
	snoop_port_gone(sw, p->index);
	sw->ports[p->index] = NULL;
	sw->n_ports--;
	while (sw->max_index && !sw->ports[sw->max_index - 1])
		sw->max_index--;
}

/* If the member lists cannot be rebuilt (no memory), keep the old ones but
 * make sure they cannot name a freed slot. */
static void rebuild_or_prune(struct sw *sw)
{
	if (!sw_rebuild(sw))
		return;
	for (unsigned vid = 0; vid < 4096; vid++)
		for (unsigned i = 0; i < sw->flood_n[vid]; i++)
			if (!sw->ports[sw->flood_ports[vid][i]])
				sw->flood_ports[vid][i--] = sw->flood_ports[vid][--sw->flood_n[vid]];
}

void sw_detach(struct sw *sw, struct port *p)
{
	if (!p)
		return;
	unhook(sw, p);
	fp_commit(sw->fastpath);
	rebuild_or_prune(sw);
	port_close(p);
}

/* Detach n ports at once: one rebuild, sockets closed in parallel. */
static void detach_many(struct sw *sw, struct port **ports, size_t n)
{
	for (size_t i = 0; i < n; i++)
		unhook(sw, ports[i]);
	fp_commit(sw->fastpath);
	rebuild_or_prune(sw);
	port_close_many(ports, n);
}

void sw_set_vlan(struct sw *sw, struct port *p, const struct vlan_port *vp)
{
	p->vlan = *vp;
	sw_fdb_flush(sw, p->index, 0);
	snoop_port_reset(sw, p->index);
	sw_rebuild(sw);
	snoop_send_queries(sw, sw_now());
}

static void add_name(json_t *arr, const char *name)
{
	if (arr)
		json_array_append_new(arr, json_string(name));
}

static void claim_ports(struct sw *sw, const struct port_open_req *reqs, size_t n)
{
	const char **names = calloc(n + 1, sizeof(*names));

	for (size_t i = 0; names && i < n; i++)
		names[i] = reqs[i].name;
	if (names)
		fp_claim_ports(sw->fastpath, names, n);
	free(names);
}

int sw_apply(struct sw *sw, const struct swconf *conf, json_t *added, json_t *removed,
	     json_t *changed)
{
	struct port_open_req *reqs = NULL;
	struct port **gone = NULL;
	size_t n_new = 0, n_gone = 0;
	int rc = 0;

	if (conf->fdb_size != fdb_size(sw->fdb)) {
		struct fdb *f = fdb_new(conf->fdb_size, conf->aging, SW_MAX_PORTS);

		if (!f)
			return err_set(-ENOMEM, "resizing the forwarding table");
		/* Relearning after a resize costs one flood per host. */
		log_info("MAC table flushed: size changed from %u to %u entries", fdb_size(sw->fdb),
			 conf->fdb_size);
		fdb_free(sw->fdb);
		sw->fdb = f;
		/* the kernel's flows relied on the old table's entries */
		fp_validate(sw->fastpath, sw, sw_now());
	}
	fdb_set_aging(sw->fdb, conf->aging);
	snprintf(sw->name, sizeof(sw->name), "%s", conf->name);

	/* New ports: open them all (in parallel), then attach them all, or
	 * none. */
	reqs = calloc(conf->n_ports + 1, sizeof(*reqs));
	/* room for every current port, and for a rollback of every new one */
	gone = calloc(sw->max_index + conf->n_ports + 1, sizeof(struct port *));
	if (!reqs || !gone) {
		rc = -ENOMEM;
		goto out;
	}
	/* A port whose interface was deleted and made again under its name
	 * (a host's link changed) holds a socket on the old one: attach anew. */
	for (unsigned i = 0; i < sw->max_index; i++) {
		struct port *p = sw->ports[i];

		if (p && swconf_find(conf, p->name) && !port_exists(p)) {
			log_info("port %s: the interface was made anew; attaching it again",
				 p->name);
			gone[n_gone++] = p;
		}
	}
	if (n_gone)
		detach_many(sw, gone, n_gone);
	n_gone = 0;
	for (size_t i = 0; i < conf->n_ports; i++)
		if (!sw_port(sw, conf->ports[i].name))
			reqs[n_new++].name = conf->ports[i].name;
	sw->ring_ports = conf->ring_ports;
	/* the fast path first (at start), so that the new ports' hooks are
	 * this daemon's before their sockets listen */
	if (n_new && !conf->no_fast_path)
		sw_set_fast_path(sw, true);
	claim_ports(sw, reqs, n_new);
	rc = port_open_many(reqs, n_new, ring_bytes(sw, (unsigned)conf->n_ports));
	if (rc) {
		for (size_t i = 0; i < n_new; i++)
			if (reqs[i].port) {
				port_close(reqs[i].port);
				reqs[i].port = NULL;
			}
		goto out;
	}
	for (size_t i = 0; i < n_new; i++) {
		const struct swconf_port *cp = swconf_find(conf, reqs[i].name);
		struct port *p = reqs[i].port;

		reqs[i].port = NULL;
		/* Member lists are rebuilt once at the end; until then a new
		 * port's frames are forwarded but nothing is flooded to it. */
		rc = attach_open(sw, p, &cp->vlan, false);
		if (rc) {
			/* All or nothing: take back what this call attached. */
			for (size_t k = 0; k < i; k++)
				gone[n_gone++] = sw_port(sw, reqs[k].name);
			for (size_t k = i + 1; k < n_new; k++)
				port_close(reqs[k].port);
			detach_many(sw, gone, n_gone);
			goto out;
		}
	}
	for (size_t i = 0; i < n_new; i++)
		add_name(added, reqs[i].name);

	for (unsigned i = 0; i < sw->max_index; i++) {
		struct port *p = sw->ports[i];
		const struct swconf_port *cp;

		if (!p)
			continue;
		cp = swconf_find(conf, p->name);
		if (!cp) {
			add_name(removed, p->name);
			log_info("port %s removed", p->name);
			gone[n_gone++] = p;
		} else if (!vlan_port_equal(&p->vlan, &cp->vlan)) {
			add_name(changed, p->name);
			log_info("port %s: VLAN settings changed", p->name);
			p->vlan = cp->vlan;
			sw_fdb_flush(sw, p->index, 0);
			snoop_port_reset(sw, p->index);
		}
	}
	if (n_gone)
		detach_many(sw, gone, n_gone);
	rc = sw_rebuild(sw);
	if (!rc)
		sw_set_fast_path(sw, !conf->no_fast_path);
	if (!rc)
		rc = sw_set_snooping(sw, AF_INET6, !conf->no_mld_snooping);
	if (!rc)
		rc = sw_set_snooping(sw, AF_INET, !conf->no_igmp_snooping);
	snoop_send_queries(sw, sw_now());
	/* the ports changed: the next `query` request is not a repeat */
	sw->query_asked_ns = 0;
out:
	fp_claims_done(sw->fastpath);
	free(reqs);
	free(gone);
	return rc;
}
