// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the file leaves unsaid: the switch-side name of every switch port
 * (a host's, or an end of a link between switches: "SW-OTHER"), and each
 * host's implicit default routes via its switch's gateway (what
 * the hand-built network adds by hand with "ip route add default via
 * 172.16.10.254").
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A name in the host-side namespace: a switch, or a port's peer. */
struct hostside_name {
	const char *name;
	struct topo_pos pos;
	const struct topo_host *host;   /* NULL for a switch or a switch link */
	const struct topo_iface *iface;
	const struct topo_switch *sw;   /* set for a switch */
	const struct topo_swlink *link; /* set for a switch link's port */
	int end;                        /* which end of link */
	bool own_port;                  /* sw's own port to the host side (kind nslab) */
};

/* Who has the name, for messages: "red:eth0" or "the port of switch 's1'
 * to 's2'". */
static const char *hostside_owner(const struct hostside_name *o)
{
	char *b = topo_qbuf();

	if (o->link)
		snprintf(b, TOPO_QBUF, "the port of switch '%s' to '%s'",
			 topo_q(o->link->port[o->end].sw->name),
			 topo_q(o->link->port[!o->end].sw->name));
	else
		snprintf(b, TOPO_QBUF, "%s", topo_qiface(o->host, o->iface));
	return b;
}

/* "the switch-side name of red:eth0" or "the name of the port ...". */
static const char *hostside_what(const struct hostside_name *o)
{
	char *b = topo_qbuf();

	snprintf(b, TOPO_QBUF, "the %s of %s", o->link ? "name" : "switch-side name",
		 hostside_owner(o));
	return b;
}

static int hostside_cmp(const void *pa, const void *pb)
{
	const struct hostside_name *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	return a->pos.col < b->pos.col ? -1 : a->pos.col > b->pos.col;
}

static void report_collision(struct topo_pctx *ctx, const struct hostside_name *first,
			     const struct hostside_name *o)
{
	if (o->own_port || first->own_port) {
		const struct hostside_name *port = o->own_port ? o : first, *x = o->own_port ? first : o;

		if (x->sw)
			topo_report(ctx, x->pos,
				    "switch name '%s' is also that of switch '%s''s own port to the host side (at %s: nslab-switchd names it after its switch, with '-sw'); rename one of the switches",
				    topo_q(x->name), topo_q(port->sw->name), topo_qpos(port->pos));
		else
			topo_report(ctx, x->pos,
				    "%s, '%s', is also that of switch '%s''s own port to the host side (at %s: nslab-switchd names it after its switch, with '-sw'); rename the host, the interface or the switch",
				    hostside_what(x), x->name, topo_q(port->sw->name), topo_qpos(port->pos));
		return;
	}
	if (o->sw)
		topo_report(ctx, o->pos, "switch name '%s' is already %s (at %s); rename the switch",
			    topo_q(o->name), hostside_what(first), topo_qpos(first->pos));
	else if (first->sw)
		topo_report(ctx, o->pos, "%s, '%s', is the name of switch '%s' (at %s); rename the switch or the %s",
			    hostside_what(o), o->name, topo_q(first->name), topo_qpos(first->pos),
			    o->link ? "other one" : "interface");
	else
		topo_report(ctx, o->pos, "%s, '%s', is also that of %s (at %s); rename one of the hosts, interfaces or switches (long names are shortened, see nslab-topology(5))",
			    hostside_what(o), o->name, hostside_owner(first), topo_qpos(first->pos));
}

/* A link between switches, by its two switches (in index order). */
struct swpair {
	size_t a, b, link;
};

static int swpair_cmp(const void *pa, const void *pb)
{
	const struct swpair *x = pa, *y = pb;

	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return x->link < y->link ? -1 : x->link > y->link;
}

/* Per link between switches: 1 for the first link (in file order) between
 * its two switches, 2 for the second...; NULL on ENOMEM. */
static size_t *swlink_ordinals(const struct topo *t)
{
	struct swpair *v = calloc(t->n_swlinks, sizeof(*v));
	size_t *nth = calloc(t->n_swlinks, sizeof(*nth));

	if (!v || !nth) {
		free(v);
		free(nth);
		return NULL;
	}
	for (size_t l = 0; l < t->n_swlinks; l++) {
		size_t a = (size_t)(t->swlinks[l].port[0].sw - t->switches);
		size_t b = (size_t)(t->swlinks[l].port[1].sw - t->switches);

		v[l] = (struct swpair){ a < b ? a : b, a < b ? b : a, l };
	}
	qsort(v, t->n_swlinks, sizeof(*v), swpair_cmp);
	for (size_t i = 0; i < t->n_swlinks; i++)
		nth[v[i].link] = i && v[i].a == v[i - 1].a && v[i].b == v[i - 1].b
					 ? nth[v[i - 1].link] + 1 : 1;
	free(v);
	return nth;
}

static void peer_names(struct topo_pctx *ctx)
{
	struct topo *t = ctx->t;
	struct hostside_name *v;
	size_t n = 0, cap = 2 * t->n_switches + 2 * t->n_swlinks, *nth = NULL;

	for (size_t h = 0; h < t->n_hosts; h++)
		cap += t->hosts[h].n_ifaces;
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t s = 0; s < t->n_switches; s++, n++) {
		v[n].name = t->switches[s].name;
		v[n].pos = t->switches[s].pos;
		v[n].sw = &t->switches[s];
		if (t->switches[s].kind != TOPO_SWITCH_NSLAB)
			continue;
		/* nslab-switchd's end of the switch's link to the host side. */
		n++;
		topo_peer_name(t->switches[s].name, "sw", t->switches[s].own_port);
		v[n] = v[n - 1];
		v[n].name = t->switches[s].own_port;
		v[n].own_port = true;
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		for (size_t i = 0; i < t->hosts[h].n_ifaces; i++) {
			struct topo_iface *ifc = &t->hosts[h].ifaces[i];
			char peer[TOPO_IFNAMSIZ];

			if (!ifc->sw)
				continue;
			topo_peer_name(t->hosts[h].name, ifc->name, peer);
			if (!(ifc->peer = strdup(peer))) {
				ctx->err = -ENOMEM;
				goto out;
			}
			v[n].name = ifc->peer;
			v[n].pos = ifc->pos;
			v[n].host = &t->hosts[h];
			v[n].iface = ifc;
			n++;
		}
	}
	if (t->n_swlinks && !(nth = swlink_ordinals(t))) {
		ctx->err = -ENOMEM;
		goto out;
	}
	for (size_t l = 0; l < t->n_swlinks; l++) {
		struct topo_swlink *lk = &t->swlinks[l];

		for (int e = 0; e < 2; e++, n++) {
			char peer[TOPO_IFNAMSIZ], other[TOPO_IFNAMSIZ + 24];

			if (nth[l] > 1)
				snprintf(other, sizeof(other), "%s-%zu", lk->port[!e].sw->name, nth[l]);
			else
				snprintf(other, sizeof(other), "%s", lk->port[!e].sw->name);
			topo_peer_name(lk->port[e].sw->name, other, peer);
			if (!(lk->port[e].peer = strdup(peer))) {
				ctx->err = -ENOMEM;
				goto out;
			}
			v[n].name = lk->port[e].peer;
			v[n].pos = lk->port[e].pos;
			v[n].link = lk;
			v[n].end = e;
		}
	}
	qsort(v, n, sizeof(*v), hostside_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcmp(v[i].name, v[first].name)) {
			first = i;
			continue;
		}
		report_collision(ctx, &v[first], &v[i]);
	}
out:
	free(nth);
	free(v);
}

/* The first interface (in file order) that is an access port on VLAN 1 of
 * a switch with a gateway of family, and that has an address of family in
 * the gateway's subnet. */
static struct topo_iface *gateway_iface(struct topo_host *h, int family,
					const struct topo_cidr **gwp)
{
	for (size_t i = 0; i < h->n_ifaces; i++) {
		struct topo_iface *ifc = &h->ifaces[i];
		const struct topo_cidr *gw;

		if (!topo_iface_on_gateway_vlan(ifc))
			continue;
		gw = topo_segment_gateway(ifc->sw, family);
		if (!gw)
			continue;
		for (size_t k = 0; k < ifc->n_addrs; k++) {
			if (ifc->addrs[k].family == family && topo_cidr_contains(gw, family, ifc->addrs[k].addr)) {
				*gwp = gw;
				return ifc;
			}
		}
	}
	return NULL;
}

static void implicit_routes(struct topo_pctx *ctx)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct topo *t = ctx->t;

	for (size_t h = 0; h < t->n_hosts; h++) {
		struct topo_host *host = &t->hosts[h];

		for (size_t f = 0; f < 2; f++) {
			const struct topo_cidr *gw;
			struct topo_iface *dev;
			struct topo_route *r;
			bool has_default = false;

			for (size_t k = 0; k < host->n_routes; k++) {
				if (!host->routes[k].is_default || host->routes[k].family != families[f])
					continue;
				has_default = true;
				if (!host->default_route)
					topo_report(ctx, ctx->host_src[h].default_route_pos,
						    "host '%s' says default_route: false, yet routes: has a default route (at %s); remove one of them",
						    topo_q(host->name), topo_qpos(host->routes[k].pos));
			}
			if (has_default || !host->default_route ||
			    !(dev = gateway_iface(host, families[f], &gw)))
				continue;
			/* parse_host() left room for two. */
			r = &host->routes[host->n_routes++];
			memset(r, 0, sizeof(*r));
			r->family = families[f];
			r->dst.family = families[f];
			r->is_default = true;
			memcpy(r->via, gw->addr, 16);
			r->dev = dev;
			r->implicit = true;
			r->pos = dev->pos;
		}
	}
}

void topo_defaults(struct topo_pctx *ctx)
{
	peer_names(ctx);
	implicit_routes(ctx);
}
