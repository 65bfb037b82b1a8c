// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules that need the whole lab: addresses against their switch's
 * subnet, duplicate addresses and MACs, overlapping subnets, routes' next
 * hops, unconnected interfaces. Every check that compares items with each
 * other sorts them first: a hostile file may hold tens of thousands.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int pos_cmp(struct topo_pos a, struct topo_pos b)
{
	if (a.line != b.line)
		return a.line < b.line ? -1 : 1;
	return a.col < b.col ? -1 : a.col > b.col;
}

static bool pos_before(struct topo_pos a, struct topo_pos b)
{
	return pos_cmp(a, b) < 0;
}

/* ---- each address against its switch's gateway subnet ---- */

static void check_gateway_subnets(struct topo_pctx *ctx)
{
	const struct topo *t = ctx->t;
	char a[TOPO_CIDR_STRLEN], g[TOPO_CIDR_STRLEN], net[TOPO_CIDR_STRLEN];
	char whose[TOPO_WHERE_MAX + TOPO_CIDR_STRLEN];

	for (size_t h = 0; h < t->n_hosts; h++) {
		const struct topo_host *host = &t->hosts[h];

		for (size_t i = 0; i < host->n_ifaces; i++) {
			const struct topo_iface *ifc = &host->ifaces[i];
			const struct topo_iface_src *src = &ctx->host_src[h].ifaces[i];

			/* Only where the gateway is: VLAN 1 as an access port.
			 * Other VLANs are segments of their own. */
			if (!topo_iface_on_gateway_vlan(ifc))
				continue;
			for (size_t k = 0; k < ifc->n_addrs; k++) {
				const struct topo_cidr *c = &ifc->addrs[k];
				const struct topo_switch *owner = topo_segment_gateway_switch(ifc->sw, c->family);
				const struct topo_cidr *gw;
				struct topo_cidr n;

				if (!owner)
					continue;
				gw = topo_switch_gateway(owner, c->family);
				topo_cidr_network(gw, &n);
				topo_cidr_str(c, a, sizeof(a));
				topo_cidr_str(gw, g, sizeof(g));
				topo_cidr_str(&n, net, sizeof(net));
				if (owner == ifc->sw)
					snprintf(whose, sizeof(whose), "switch '%s' (gateway %s)",
						 topo_q(ifc->sw->name), g);
				else
					snprintf(whose, sizeof(whose), "switch '%s' (gateway %s, linked to '%s')",
						 topo_q(owner->name), g, topo_q(ifc->sw->name));
				if (!topo_cidr_contains(&n, c->family, c->addr))
					topo_report(ctx, src->addr_pos[k], "address %s of %s is outside %s, the subnet of %s; use an address in %s",
						    a, topo_qiface(host, ifc), net, whose, net);
				else if (c->plen != gw->plen)
					topo_report(ctx, src->addr_pos[k], "address %s of %s has prefix length /%u but the subnet of %s is %s; write /%u",
						    a, topo_qiface(host, ifc), c->plen, whose, net, gw->plen);
			}
		}
	}
}

/* ---- duplicate addresses and MACs ---- */

/* An address or MAC and who has it: an interface, or a switch (gateway). */
struct owned {
	int family;             /* AF_INET, AF_INET6; 0 for a MAC */
	uint8_t key[16];
	struct topo_pos pos;
	const struct topo_host *host;
	const struct topo_iface *iface;
	const struct topo_switch *sw;
};

static int owned_cmp(const void *pa, const void *pb)
{
	const struct owned *a = pa, *b = pb;
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(a->key, b->key, sizeof(a->key));
	return c ? c : pos_cmp(a->pos, b->pos);
}

static const char *owner_str(const struct owned *o)
{
	char *b = topo_qbuf();

	if (o->sw)
		snprintf(b, TOPO_QBUF, "the gateway of switch '%s'", topo_q(o->sw->name));
	else
		snprintf(b, TOPO_QBUF, "%s", topo_qiface(o->host, o->iface));
	return b;
}

static void report_dup_addr(struct topo_pctx *ctx, const struct owned *first, const struct owned *o)
{
	char a[TOPO_CIDR_STRLEN];

	topo_addr_str(o->family, o->key, a, sizeof(a));
	if (o->sw)
		topo_report(ctx, o->pos, "gateway %s of switch '%s' is already the address of %s (at %s); give the switch another gateway",
			    a, topo_q(o->sw->name), owner_str(first), topo_qpos(first->pos));
	else if (first->sw)
		topo_report(ctx, o->pos, "address %s of %s is %s (at %s); give the host another address",
			    a, topo_qiface(o->host, o->iface), owner_str(first), topo_qpos(first->pos));
	else
		topo_report(ctx, o->pos, "address %s of %s is already used by %s (at %s); give each interface its own address",
			    a, topo_qiface(o->host, o->iface), owner_str(first), topo_qpos(first->pos));
}

static void report_dup_mac(struct topo_pctx *ctx, const struct owned *first, const struct owned *o)
{
	const uint8_t *m = o->key;

	topo_report(ctx, o->pos, "MAC %02x:%02x:%02x:%02x:%02x:%02x of %s is already used by %s (at %s); give each interface its own MAC",
		    m[0], m[1], m[2], m[3], m[4], m[5], topo_qiface(o->host, o->iface),
		    topo_qiface(first->host, first->iface), topo_qpos(first->pos));
}

static void check_duplicates(struct topo_pctx *ctx)
{
	const struct topo *t = ctx->t;
	struct owned *v;
	size_t n = 0, cap = 0;

	for (size_t s = 0; s < t->n_switches; s++)
		cap += t->switches[s].n_gateways;
	for (size_t h = 0; h < t->n_hosts; h++)
		for (size_t i = 0; i < t->hosts[h].n_ifaces; i++)
			cap += t->hosts[h].ifaces[i].n_addrs + 1;
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t s = 0; s < t->n_switches; s++) {
		const struct topo_switch *sw = &t->switches[s];

		for (size_t g = 0; g < sw->n_gateways; g++, n++) {
			v[n].family = sw->gateways[g].family;
			memcpy(v[n].key, sw->gateways[g].addr, 16);
			v[n].pos = ctx->sw_src[s].gw_pos[g];
			v[n].sw = sw;
		}
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		for (size_t i = 0; i < t->hosts[h].n_ifaces; i++) {
			const struct topo_iface *ifc = &t->hosts[h].ifaces[i];
			const struct topo_iface_src *src = &ctx->host_src[h].ifaces[i];

			for (size_t k = 0; k < ifc->n_addrs; k++, n++) {
				v[n].family = ifc->addrs[k].family;
				memcpy(v[n].key, ifc->addrs[k].addr, 16);
				v[n].pos = src->addr_pos[k];
				v[n].host = &t->hosts[h];
				v[n].iface = ifc;
			}
			if (ifc->has_mac) {
				memcpy(v[n].key, ifc->mac, 6);
				v[n].pos = src->mac_pos;
				v[n].host = &t->hosts[h];
				v[n].iface = ifc;
				n++;
			}
		}
	}
	qsort(v, n, sizeof(*v), owned_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (v[i].family != v[first].family || memcmp(v[i].key, v[first].key, 16)) {
			first = i;
			continue;
		}
		if (v[i].family)
			report_dup_addr(ctx, &v[first], &v[i]);
		else
			report_dup_mac(ctx, &v[first], &v[i]);
	}
	free(v);
}

/* ---- overlapping subnets ---- */

/*
 * A segment is one broadcast domain: a (switch, VLAN) pair, or a link. A
 * node (a host, or the lab's host side holding every gateway) on two
 * segments whose subnets overlap could not tell which way to send: its
 * kernel would hold two connected routes for the same addresses. Segments
 * that share no node may reuse a subnet (VLANs of one switch usually do).
 */
struct subnet {
	size_t node;            /* host index; n_hosts for the host side */
	struct topo_cidr net;
	uint64_t seg;
	struct topo_pos pos;
	const struct topo_host *host;
	const struct topo_iface *iface;
	const struct topo_switch *sw;
};

#define SEG_LINK (1ull << 63)
#define SEG_SWITCH(idx, vlan) ((((uint64_t)(idx) + 1) << 13) | (vlan))

static int subnet_cmp(const void *pa, const void *pb)
{
	const struct subnet *a = pa, *b = pb;
	int c;

	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	if (a->net.family != b->net.family)
		return a->net.family < b->net.family ? -1 : 1;
	c = memcmp(a->net.addr, b->net.addr, 16);
	if (c)
		return c;
	if (a->net.plen != b->net.plen)
		return a->net.plen < b->net.plen ? -1 : 1;
	return pos_cmp(a->pos, b->pos);
}

static const char *subnet_owner(const struct subnet *s, bool with_pos)
{
	char *b = topo_qbuf();
	const struct topo_iface *i = s->iface;
	const char *at = with_pos ? ", at " : "", *p = with_pos ? topo_qpos(s->pos) : "";

	if (s->sw)
		snprintf(b, TOPO_QBUF, "the gateway of switch '%s'%s%s", topo_q(s->sw->name),
			 with_pos ? " at " : "", p);
	else if (!i->sw)
		snprintf(b, TOPO_QBUF, "%s (a link%s%s)", topo_qiface(s->host, i), at, p);
	else if (i->n_trunk || i->vlan != TOPO_VLAN_DEFAULT)
		snprintf(b, TOPO_QBUF, "%s (switch '%s' VLAN %u%s%s)", topo_qiface(s->host, i),
			 topo_q(i->sw->name), i->n_trunk ? i->native_vlan : i->vlan, at, p);
	else
		snprintf(b, TOPO_QBUF, "%s (switch '%s'%s%s)", topo_qiface(s->host, i),
			 topo_q(i->sw->name), at, p);
	return b;
}

static void report_overlap(struct topo_pctx *ctx, const struct subnet *x, const struct subnet *y)
{
	char a[TOPO_CIDR_STRLEN], b[TOPO_CIDR_STRLEN], node[TOPO_WHERE_MAX];

	/* Reported where the later of the two was written. */
	if (pos_before(y->pos, x->pos)) {
		const struct subnet *tmp = x;

		x = y;
		y = tmp;
	}
	if (y->sw)
		snprintf(node, sizeof(node), "the lab's host side");
	else
		snprintf(node, sizeof(node), "host '%s'", topo_q(y->host->name));
	topo_report(ctx, y->pos, "subnet %s of %s overlaps %s of %s, and %s is on both; give each network its own subnet",
		    topo_cidr_str(&y->net, a, sizeof(a)), subnet_owner(y, false),
		    topo_cidr_str(&x->net, b, sizeof(b)), subnet_owner(x, true), node);
}

/* Link-local subnets are scoped to their link (RFC 3927 §2.6.2, RFC 4291
 * §2.5.6): every link may use the same one. */
static bool link_local(const struct topo_cidr *c)
{
	if (c->family == AF_INET)
		return c->addr[0] == 169 && c->addr[1] == 254;
	return c->addr[0] == 0xfe && (c->addr[1] & 0xc0) == 0x80;
}

static void check_overlaps(struct topo_pctx *ctx)
{
	const struct topo *t = ctx->t;
	struct subnet *v, *stack[129];
	size_t n = 0, cap = 0, depth = 0;

	for (size_t s = 0; s < t->n_switches; s++)
		cap += t->switches[s].n_gateways;
	for (size_t h = 0; h < t->n_hosts; h++)
		for (size_t i = 0; i < t->hosts[h].n_ifaces; i++)
			cap += t->hosts[h].ifaces[i].n_addrs;
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t s = 0; s < t->n_switches; s++) {
		for (size_t g = 0; g < t->switches[s].n_gateways; g++) {
			if (link_local(&t->switches[s].gateways[g]))
				continue;
			v[n].node = t->n_hosts;
			topo_cidr_network(&t->switches[s].gateways[g], &v[n].net);
			v[n].seg = SEG_SWITCH(s, TOPO_VLAN_DEFAULT);
			v[n].pos = ctx->sw_src[s].gw_pos[g];
			v[n].sw = &t->switches[s];
			n++;
		}
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		for (size_t i = 0; i < t->hosts[h].n_ifaces; i++) {
			const struct topo_iface *ifc = &t->hosts[h].ifaces[i];
			const struct topo_iface_src *src = &ctx->host_src[h].ifaces[i];
			uint64_t seg;

			if (ifc->sw && (ifc->vlan || ifc->native_vlan))
				seg = SEG_SWITCH(ifc->sw - t->switches, ifc->vlan ? ifc->vlan : ifc->native_vlan);
			else if (!src->sw_named && src->link)
				seg = SEG_LINK | src->link;
			else
				continue;
			for (size_t k = 0; k < ifc->n_addrs; k++) {
				if (link_local(&ifc->addrs[k]))
					continue;
				v[n].node = h;
				topo_cidr_network(&ifc->addrs[k], &v[n].net);
				v[n].seg = seg;
				v[n].pos = src->addr_pos[k];
				v[n].host = &t->hosts[h];
				v[n].iface = ifc;
				n++;
			}
		}
	}
	qsort(v, n, sizeof(*v), subnet_cmp);
	/* Sorted by address then length, the subnets containing the current
	 * one are on a stack of strictly nested prefixes (at most 129). */
	for (size_t i = 0; i < n; i++) {
		struct subnet *s = &v[i];

		if (i && (v[i - 1].node != s->node || v[i - 1].net.family != s->net.family))
			depth = 0;
		while (depth && !topo_cidr_contains(&stack[depth - 1]->net, s->net.family, s->net.addr))
			depth--;
		if (depth) {
			struct subnet *top = stack[depth - 1];

			if (top->seg != s->seg)
				report_overlap(ctx, top, s);
			if (top->net.plen == s->net.plen)
				continue;
		}
		stack[depth++] = s;
	}
	free(v);
}

/* ---- routes ---- */

static const char *host_subnets(const struct topo_host *h, int family)
{
	char *b = topo_qbuf(), c[TOPO_CIDR_STRLEN];
	size_t len = 0, shown = 0;

	b[0] = '\0';
	for (size_t i = 0; i < h->n_ifaces; i++) {
		for (size_t k = 0; k < h->ifaces[i].n_addrs; k++) {
			struct topo_cidr n;

			if (h->ifaces[i].addrs[k].family != family)
				continue;
			topo_cidr_network(&h->ifaces[i].addrs[k], &n);
			topo_cidr_str(&n, c, sizeof(c));
			if (len + strlen(c) + 8 >= TOPO_QBUF) {
				snprintf(b + len, TOPO_QBUF - len, ", ...");
				return b;
			}
			len += (size_t)snprintf(b + len, TOPO_QBUF - len, "%s%s", shown++ ? ", " : "", c);
		}
	}
	return b;
}

/*
 * A host's subnets, for finding each route's device: sorted by (family,
 * prefix length, network), one entry per subnet (its first address in file
 * order), so a next hop is looked up with one binary search per prefix
 * length the host uses, not a scan of all its addresses per route.
 */
struct host_net {
	int family;
	unsigned plen;
	uint8_t net[16];
	size_t order;                 /* file order of the address */
	struct topo_iface *iface;
};

struct host_nets {
	struct host_net *nets;        /* one per subnet */
	size_t n_nets;
	struct host_net *addrs;       /* every address (plen 128/32), for "own address" */
	size_t n_addrs;
	bool plens[2][129];           /* [IPv6?][plen] used */
};

/* By key alone, for bsearch. */
static int host_net_cmp_key(const void *pa, const void *pb)
{
	const struct host_net *a = pa, *b = pb;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return memcmp(a->net, b->net, 16);
}

static int host_net_cmp(const void *pa, const void *pb)
{
	const struct host_net *a = pa, *b = pb;
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	c = memcmp(a->net, b->net, 16);
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Drop all but the first (in file order) of equal keys; sorted input. */
static size_t host_nets_unique(struct host_net *v, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++)
		if (!out || v[out - 1].family != v[i].family || v[out - 1].plen != v[i].plen ||
		    memcmp(v[out - 1].net, v[i].net, 16))
			v[out++] = v[i];
	return out;
}

static int host_nets_build(struct topo_host *h, struct host_nets *hn)
{
	size_t n = 0;

	memset(hn, 0, sizeof(*hn));
	for (size_t i = 0; i < h->n_ifaces; i++)
		n += h->ifaces[i].n_addrs;
	hn->nets = calloc(n ? n : 1, sizeof(*hn->nets));
	hn->addrs = calloc(n ? n : 1, sizeof(*hn->addrs));
	if (!hn->nets || !hn->addrs)
		return -ENOMEM;
	for (size_t i = 0; i < h->n_ifaces; i++) {
		for (size_t k = 0; k < h->ifaces[i].n_addrs; k++) {
			const struct topo_cidr *c = &h->ifaces[i].addrs[k];
			struct topo_cidr net;
			struct host_net *e = &hn->nets[hn->n_nets], *a = &hn->addrs[hn->n_addrs];

			topo_cidr_network(c, &net);
			e->family = a->family = c->family;
			e->plen = c->plen;
			a->plen = 128;
			memcpy(e->net, net.addr, 16);
			memcpy(a->net, c->addr, 16);
			e->order = a->order = hn->n_nets;
			e->iface = a->iface = &h->ifaces[i];
			hn->plens[c->family == AF_INET6][c->plen] = true;
			hn->n_nets++;
			hn->n_addrs++;
		}
	}
	qsort(hn->nets, hn->n_nets, sizeof(*hn->nets), host_net_cmp);
	hn->n_nets = host_nets_unique(hn->nets, hn->n_nets);
	qsort(hn->addrs, hn->n_addrs, sizeof(*hn->addrs), host_net_cmp);
	hn->n_addrs = host_nets_unique(hn->addrs, hn->n_addrs);
	return 0;
}

static void host_nets_free(struct host_nets *hn)
{
	free(hn->nets);
	free(hn->addrs);
}

/* The first (in file order) of the host's subnets holding addr, or NULL. */
static const struct host_net *host_nets_find(const struct host_nets *hn, int family,
					     const uint8_t *addr)
{
	const struct host_net *best = NULL;

	for (unsigned p = 0; p <= 128; p++) {
		struct topo_cidr c = { .family = family, .plen = (uint8_t)p };
		struct host_net key = { .family = family, .plen = p }, *found;

		if (!hn->plens[family == AF_INET6][p])
			continue;
		memcpy(c.addr, addr, 16);
		topo_cidr_network(&c, &c);
		memcpy(key.net, c.addr, 16);
		found = bsearch(&key, hn->nets, hn->n_nets, sizeof(key), host_net_cmp_key);
		if (found && (!best || found->order < best->order))
			best = found;
	}
	return best;
}

/* What a next hop in subnet net cannot be, as an address cannot: its
 * network (IPv6: Subnet-Router anycast) or IPv4 broadcast address; /31 and
 * /127 have none (RFC 3021, 6164). NULL if it is neither. */
static const char *via_special(const struct host_net *net, const uint8_t *via)
{
	unsigned bits = net->family == AF_INET ? 32 : 128;
	bool zeros = true, ones = net->family == AF_INET;

	if (net->plen + 1 >= bits)
		return NULL;
	for (unsigned b = net->plen; b < bits; b++) {
		bool set = (via[b / 8] >> (7 - b % 8)) & 1;

		zeros &= !set;
		ones &= set;
	}
	if (zeros)
		return net->family == AF_INET ? "network address" : "Subnet-Router anycast address";
	return ones ? "broadcast address" : NULL;
}

/* The interface whose subnet holds r->via: the route's device. */
static void route_dev(struct topo_pctx *ctx, struct topo_host *h, const struct host_nets *hn,
		      struct topo_route *r, const struct topo_route_src *rs)
{
	struct host_net key = { .family = r->family, .plen = 128 };
	const struct host_net *own, *net;
	char via[TOPO_CIDR_STRLEN], sub[TOPO_CIDR_STRLEN];
	const char *special;

	topo_addr_str(r->family, r->via, via, sizeof(via));
	memcpy(key.net, r->via, 16);
	own = bsearch(&key, hn->addrs, hn->n_addrs, sizeof(key), host_net_cmp_key);
	if (own) {
		topo_report(ctx, rs->via_pos, "'via' %s in route %zu of host '%s' is the host's own address (%s); use the next router's address",
			    via, rs->num, topo_q(h->name), topo_qiface(h, own->iface));
		return;
	}
	/* A route to a subnet of the host's own would replace the kernel's
	 * route on the link, and the next run would see it changed by hand. */
	if (!r->is_default) {
		struct topo_cidr dnet;
		struct host_net dkey = { .family = r->family, .plen = r->dst.plen };
		const struct host_net *mine;

		topo_cidr_network(&r->dst, &dnet);
		memcpy(dkey.net, dnet.addr, 16);
		mine = bsearch(&dkey, hn->nets, hn->n_nets, sizeof(dkey), host_net_cmp_key);
		if (mine) {
			topo_report(ctx, rs->to_pos, "route %zu of host '%s' goes to %s, the subnet of %s itself, which the kernel routes on the link; remove the route",
				    rs->num, topo_q(h->name), topo_cidr_str(&dnet, sub, sizeof(sub)),
				    topo_qiface(h, mine->iface));
			return;
		}
	}
	net = host_nets_find(hn, r->family, r->via);
	if (net) {
		struct topo_cidr nc = { .family = net->family, .plen = (uint8_t)net->plen };

		memcpy(nc.addr, net->net, 16);
		special = via_special(net, r->via);
		if (special) {
			topo_report(ctx, rs->via_pos, "'via' %s in route %zu of host '%s' is the %s of %s; use the next router's own address",
				    via, rs->num, topo_q(h->name), special, topo_cidr_str(&nc, sub, sizeof(sub)));
			return;
		}
		r->dev = net->iface;
		return;
	}
	if (host_subnets(h, r->family)[0])
		topo_report(ctx, rs->via_pos, "'via' %s in route %zu of host '%s' is in none of the host's subnets (%s); use a next hop on one of them",
			    via, rs->num, topo_q(h->name), host_subnets(h, r->family));
	else
		topo_report(ctx, rs->via_pos, "'via' %s in route %zu of host '%s' cannot be reached: the host has no %s address; add one on the next hop's subnet",
			    via, rs->num, topo_q(h->name), topo_family_str(r->family));
}

struct route_ref {
	const struct topo_route *r;
	const struct topo_route_src *rs;
};

static int route_cmp(const void *pa, const void *pb)
{
	const struct route_ref *a = pa, *b = pb;
	int c;

	if (a->r->dst.family != b->r->dst.family)
		return a->r->dst.family < b->r->dst.family ? -1 : 1;
	if (a->r->dst.plen != b->r->dst.plen)
		return a->r->dst.plen < b->r->dst.plen ? -1 : 1;
	c = memcmp(a->r->dst.addr, b->r->dst.addr, 16);
	return c ? c : pos_cmp(a->r->pos, b->r->pos);
}

static void check_routes(struct topo_pctx *ctx)
{
	struct topo *t = ctx->t;
	char dst[TOPO_CIDR_STRLEN];

	for (size_t h = 0; h < t->n_hosts; h++) {
		struct topo_host *host = &t->hosts[h];
		struct topo_host_src *hs = &ctx->host_src[h];
		struct host_nets hn;
		struct route_ref *v;

		if (host->n_routes && host_nets_build(host, &hn)) {
			host_nets_free(&hn);
			ctx->err = -ENOMEM;
			return;
		}
		for (size_t k = 0; k < host->n_routes; k++)
			route_dev(ctx, host, &hn, &host->routes[k], &hs->routes[k]);
		if (host->n_routes)
			host_nets_free(&hn);
		if (host->n_routes < 2)
			continue;
		v = calloc(host->n_routes, sizeof(*v));
		if (!v) {
			ctx->err = -ENOMEM;
			return;
		}
		for (size_t k = 0; k < host->n_routes; k++) {
			v[k].r = &host->routes[k];
			v[k].rs = &hs->routes[k];
		}
		qsort(v, host->n_routes, sizeof(*v), route_cmp);
		for (size_t k = 1, first = 0; k < host->n_routes; k++) {
			const struct topo_route *a = v[first].r, *b = v[k].r;

			if (a->dst.family != b->dst.family || a->dst.plen != b->dst.plen ||
			    memcmp(a->dst.addr, b->dst.addr, 16)) {
				first = k;
				continue;
			}
			if (b->is_default)
				snprintf(dst, sizeof(dst), "the %s default", topo_family_str(b->family));
			else
				topo_cidr_str(&b->dst, dst, sizeof(dst));
			topo_report(ctx, v[k].rs->to_pos, "route %zu of host '%s' is a second route to %s (route %zu, at %s); keep one",
				    v[k].rs->num, topo_q(host->name), dst, v[first].rs->num,
				    topo_qpos(a->pos));
		}
		free(v);
	}
}

/* ---- interfaces connected to nothing ---- */

static void check_connected(struct topo_pctx *ctx)
{
	const struct topo *t = ctx->t;

	for (size_t h = 0; h < t->n_hosts; h++) {
		const struct topo_host *host = &t->hosts[h];

		if (ctx->host_src[h].broken)
			continue;
		for (size_t i = 0; i < host->n_ifaces; i++) {
			const struct topo_iface_src *src = &ctx->host_src[h].ifaces[i];

			/* An unknown key may be a misspelt 'switch': that
			 * one was reported already. */
			if (src->sw_named || src->link || src->broken || src->unknown_keys ||
			    ctx->links_broken)
				continue;
			topo_report(ctx, host->ifaces[i].pos, "interface '%s' is on no switch and in no link; give it 'switch:' or list it under 'links:'",
				    topo_qiface(host, &host->ifaces[i]));
		}
	}
}

void topo_validate(struct topo_pctx *ctx)
{
	check_gateway_subnets(ctx);
	check_duplicates(ctx);
	check_overlaps(ctx);
	check_routes(ctx);
	check_connected(ctx);
}
