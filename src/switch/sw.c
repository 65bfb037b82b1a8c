// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/sw.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "common/util.h"

struct sw *sw_new(const char *name, uint32_t fdb_size, uint32_t aging)
{
	struct sw *sw = calloc(1, sizeof(*sw));

	if (!sw)
		return NULL;
	snprintf(sw->name, sizeof(sw->name), "%s", name);
	sw->started_ns = time_mono_ns();
	sw->fdb = fdb_new(fdb_size, aging, SW_MAX_PORTS);
	sw->ports = calloc(SW_MAX_PORTS, sizeof(*sw->ports));
	sw->txq = calloc(SW_MAX_PORTS, sizeof(*sw->txq));
	if (!sw->fdb || !sw->ports || !sw->txq) {
		sw_free(sw);
		return NULL;
	}
	return sw;
}

void sw_free(struct sw *sw)
{
	if (!sw)
		return;
	if (sw->ports)
		for (unsigned i = 0; i < sw->max_index; i++)
			if (sw->ports[i])
				sw_detach(sw, sw->ports[i]);
	fdb_free(sw->fdb);
	free(sw->ports);
	free(sw->txq);
	free(sw->flood_block);
	free(sw->config_path);
	free(sw);
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
	return 0;
}

static int attach(struct sw *sw, const char *name, const struct vlan_port *vp, unsigned expect,
		  struct port **out, bool rebuild)
{
	struct port *p;
	unsigned idx;
	int rc;

	if (out)
		*out = NULL;
	if (sw_port(sw, name))
		return err_msg(-EEXIST, "%s: already a port", name);
	for (idx = 0; idx < SW_MAX_PORTS && sw->ports[idx]; idx++)
		;
	if (idx == SW_MAX_PORTS)
		return err_msg(-ENOSPC, "%s: the switch has %d ports already", name, SW_MAX_PORTS);
	rc = port_open(&p, name, port_ring_bytes(expect ? expect : sw->n_ports + 1));
	if (rc)
		return rc;
	p->index = (uint16_t)idx;
	p->vlan = *vp;
	/* Stale entries of a previous port in this slot would misdirect. */
	fdb_flush(sw->fdb, p->index, 0);
	sw->ports[idx] = p;
	sw->n_ports++;
	if (idx + 1 > sw->max_index)
		sw->max_index = idx + 1;
	if (sw->hooks.port_added) {
		rc = sw->hooks.port_added(sw->hooks.arg, p);
		if (rc) {
			sw->ports[idx] = NULL;
			sw->n_ports--;
			while (sw->max_index && !sw->ports[sw->max_index - 1])
				sw->max_index--;
			port_close(p);
			return err_ctx(rc, "%s", name);
		}
	}
	if (rebuild && (rc = sw_rebuild(sw))) {
		sw_detach(sw, p);
		return err_set(rc, "%s", name);
	}
	if (out)
		*out = p;
	return 0;
}

int sw_attach(struct sw *sw, const char *name, const struct vlan_port *vp, unsigned expect,
	      struct port **out)
{
	return attach(sw, name, vp, expect, out, true);
}

void sw_detach(struct sw *sw, struct port *p)
{
	if (!p)
		return;
	if (sw->hooks.port_removed)
		sw->hooks.port_removed(sw->hooks.arg, p);
	fdb_flush(sw->fdb, p->index, 0);
	sw->ports[p->index] = NULL;
	sw->n_ports--;
	while (sw->max_index && !sw->ports[sw->max_index - 1])
		sw->max_index--;
	/* If the member lists cannot be rebuilt (no memory), keep the old
	 * ones but make sure they cannot name the freed slot. */
	if (sw_rebuild(sw))
		for (unsigned vid = 0; vid < 4096; vid++)
			for (unsigned i = 0; i < sw->flood_n[vid]; i++)
				if (sw->flood_ports[vid][i] == p->index)
					sw->flood_ports[vid][i] = sw->flood_ports[vid][--sw->flood_n[vid]];
	port_close(p);
}

void sw_set_vlan(struct sw *sw, struct port *p, const struct vlan_port *vp)
{
	p->vlan = *vp;
	fdb_flush(sw->fdb, p->index, 0);
	sw_rebuild(sw);
}

static void add_name(json_t *arr, const char *name)
{
	if (arr)
		json_array_append_new(arr, json_string(name));
}

int sw_apply(struct sw *sw, const struct swconf *conf, json_t *added, json_t *removed,
	     json_t *changed)
{
	struct port **fresh = NULL;
	size_t n_fresh = 0;
	int rc = 0;

	if (conf->fdb_size != fdb_size(sw->fdb)) {
		struct fdb *f = fdb_new(conf->fdb_size, conf->aging, SW_MAX_PORTS);

		if (!f)
			return err_set(-ENOMEM, "resizing the forwarding table");
		/* Relearning after a resize costs one flood per host. */
		fdb_free(sw->fdb);
		sw->fdb = f;
	}
	fdb_set_aging(sw->fdb, conf->aging);
	snprintf(sw->name, sizeof(sw->name), "%s", conf->name);

	fresh = calloc(conf->n_ports ? conf->n_ports : 1, sizeof(*fresh));
	if (!fresh)
		return -ENOMEM;
	for (size_t i = 0; i < conf->n_ports; i++) {
		const struct swconf_port *cp = &conf->ports[i];
		struct port *p;

		if (sw_port(sw, cp->name))
			continue;
		/* Member lists are rebuilt once at the end; until then the new
		 * port receives (its frames are forwarded) but is not flooded
		 * to. */
		rc = attach(sw, cp->name, &cp->vlan, (unsigned)conf->n_ports, &p, false);
		if (rc) {
			/* All or nothing: take back what this call attached. */
			while (n_fresh)
				sw_detach(sw, fresh[--n_fresh]);
			free(fresh);
			return rc;
		}
		fresh[n_fresh++] = p;
	}
	for (size_t i = 0; i < n_fresh; i++)
		add_name(added, fresh[i]->name);
	free(fresh);

	for (unsigned i = 0; i < sw->max_index; i++) {
		struct port *p = sw->ports[i];
		const struct swconf_port *cp;

		if (!p)
			continue;
		cp = swconf_find(conf, p->name);
		if (!cp) {
			add_name(removed, p->name);
			log_info("port %s removed", p->name);
			sw_detach(sw, p);
		} else if (!vlan_port_equal(&p->vlan, &cp->vlan)) {
			add_name(changed, p->name);
			log_info("port %s: VLAN settings changed", p->name);
			sw_set_vlan(sw, p, &cp->vlan);
		}
	}
	return sw_rebuild(sw);
}
