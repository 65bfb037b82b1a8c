// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hosts, their interfaces and their routes. A host is written either in the
 * short form, whose keys describe its one interface eth0, or in the long
 * form with an 'interfaces' mapping; mixing them is refused rather than
 * guessed.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define IFACE_KEYS "switch", "ip", "mac", "mtu", "vlan", "trunk", "native"

static const char *const host_keys[] = { "interfaces", "routes", "forward", "default_route",
					  IFACE_KEYS, NULL };
static const char *const iface_keys[] = { IFACE_KEYS, NULL };
static const char *const route_keys[] = { "to", "via", NULL };

static const char *const short_name = "eth0";

static void parse_switch_ref(struct topo_pctx *ctx, struct topo_iface *i,
			     struct topo_iface_src *src, const struct topo_ynode *n,
			     const char *where)
{
	const struct topo *t = ctx->t;
	const char *s, *like;
	size_t k;

	/* Named even if the value is refused: the interface is meant to be a
	 * switch port, and must not also be reported as unconnected. */
	src->sw_named = true;
	src->sw_pos = n->pos;
	if (!topo_yget_str(ctx, n, "switch", where, &s))
		return;
	k = topo_index_switch(ctx, s);
	if (k != SIZE_MAX) {
		i->sw = &t->switches[k];
		return;
	}
	like = topo_suggest(ctx, s, t->switches, t->n_switches, sizeof(*t->switches),
			    offsetof(struct topo_switch, name));
	if (like)
		topo_report(ctx, n->pos, "undefined switch '%s' %s; did you mean '%s'?", topo_q(s), where,
			    topo_q(like));
	else
		topo_report(ctx, n->pos, "undefined switch '%s' %s; define it under 'switches:'",
			    topo_q(s), where);
}

static void parse_addrs(struct topo_pctx *ctx, struct topo_iface *i, struct topo_iface_src *src,
			const struct topo_ynode *n, const char *where)
{
	const struct topo_ynode *const *items = &n;
	size_t count = 1;

	if (n->type == TOPO_YSEQ) {
		items = (const struct topo_ynode *const *)n->items;
		count = n->n;
	} else if (n->type != TOPO_YSCALAR || n->null) {
		topo_report(ctx, n->pos, "'ip' %s must be an address such as 172.16.10.1/24 or a list of them, not %s",
			    where, topo_ydesc(n));
		return;
	}
	if (!count)
		return;
	i->addrs = calloc(count, sizeof(*i->addrs));
	src->addr_pos = calloc(count, sizeof(*src->addr_pos));
	if (!i->addrs || !src->addr_pos) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t k = 0; k < count; k++) {
		if (!topo_yget_host_cidr(ctx, items[k], "address", where, &i->addrs[i->n_addrs]))
			continue;
		src->addr_pos[i->n_addrs++] = items[k]->pos;
	}
}

static void parse_trunk(struct topo_pctx *ctx, struct topo_iface *i, const struct topo_ynode *n,
			const char *where)
{
	uint8_t seen[(TOPO_VLAN_MAX + 8) / 8] = { 0 };

	if (n->type != TOPO_YSEQ) {
		topo_report(ctx, n->pos, "'trunk' %s must be a list of VLAN ids such as [10, 20], not %s",
			    where, topo_ydesc(n));
		return;
	}
	if (!n->n) {
		topo_report(ctx, n->pos, "'trunk' %s is empty; list the VLANs it carries, e.g. [10, 20]",
			    where);
		return;
	}
	i->trunk = calloc(n->n, sizeof(*i->trunk));
	if (!i->trunk) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t k = 0; k < n->n; k++) {
		unsigned v;

		if (!topo_yget_uint(ctx, n->items[k], "trunk", where, 1, TOPO_VLAN_MAX, &v))
			continue;
		if (seen[v / 8] & (1u << (v % 8))) {
			topo_report(ctx, n->items[k]->pos, "VLAN %u is listed twice in 'trunk' %s; remove one",
				    v, where);
			continue;
		}
		seen[v / 8] |= (uint8_t)(1u << (v % 8));
		i->trunk[i->n_trunk++] = (uint16_t)v;
	}
}

void topo_parse_vlans(struct topo_pctx *ctx, struct topo_iface *i, struct topo_iface_src *src,
		      const struct topo_ynode *map, const char *where)
{
	static const char *const keys[] = { "vlan", "trunk", "native" };
	const struct topo_ynode *kn[3], *vn[3];
	unsigned vlan = TOPO_VLAN_DEFAULT, native = TOPO_VLAN_DEFAULT;
	bool trunk_ok = false;

	for (int k = 0; k < 3; k++)
		vn[k] = topo_ymap_get(map, keys[k], &kn[k]);
	if (!src->sw_named) {
		for (int k = 0; k < 3; k++)
			if (vn[k])
				topo_report(ctx, kn[k]->pos, "'%s' %s, which is on no switch; VLANs belong to switch ports: remove it or add 'switch:'",
					    keys[k], where);
		return;
	}
	if (vn[0] && vn[1]) {
		topo_report(ctx, kn[1]->pos, "'vlan' and 'trunk' together %s; an access port has 'vlan', a trunk has 'trunk' (and 'native'): keep one",
			    where);
	} else if (vn[0]) {
		topo_yget_uint(ctx, vn[0], "vlan", where, 1, TOPO_VLAN_MAX, &vlan);
	} else if (vn[1]) {
		parse_trunk(ctx, i, vn[1], where);
		trunk_ok = i->n_trunk > 0;
	}
	if (vn[2] && !vn[1])
		topo_report(ctx, kn[2]->pos, "'native' %s only applies to a trunk; add 'trunk: [...]' or use 'vlan' for an access port",
			    where);
	else if (vn[2])
		topo_yget_uint(ctx, vn[2], "native", where, 0, TOPO_VLAN_MAX, &native);
	if (trunk_ok) {
		i->vlan = 0;
		i->native_vlan = native;
		if (!native && i->n_addrs)
			topo_report(ctx, src->ip_pos, "addresses %s are on no VLAN: the trunk has no native VLAN ('native: 0'); set 'native:' or remove 'ip'",
				    where);
	} else {
		i->vlan = vlan;
		i->native_vlan = 0;
	}
}

/* An interface's keys, from map (the host's mapping in the short form,
 * the interface's own in the long form; NULL when it has none). */
static void parse_iface(struct topo_pctx *ctx, struct topo_iface *i, struct topo_iface_src *src,
			const struct topo_ynode *map, const char *where)
{
	const struct topo_ynode *n, *k;

	if (!map)
		return;
	if ((n = topo_ymap_get(map, "switch", NULL)))
		parse_switch_ref(ctx, i, src, n, where);
	if ((n = topo_ymap_get(map, "ip", &k))) {
		src->ip_pos = k->pos;
		parse_addrs(ctx, i, src, n, where);
	}
	if ((n = topo_ymap_get(map, "mac", NULL))) {
		src->mac_pos = n->pos;
		i->has_mac = topo_yget_mac(ctx, n, where, i->mac);
	}
	if ((n = topo_ymap_get(map, "mtu", NULL))) {
		src->mtu_pos = n->pos;
		topo_yget_uint(ctx, n, "mtu", where, TOPO_MTU_MIN, TOPO_MTU_MAX, &i->mtu);
		for (size_t a = 0; a < i->n_addrs && i->mtu; a++) {
			if (i->addrs[a].family == AF_INET6 && i->mtu < TOPO_MTU_IPV6_MIN) {
				topo_report(ctx, n->pos, "'mtu' %u %s is below IPv6's minimum of %d (RFC 8200 §5), and the interface has an IPv6 address; use at least %d",
					    i->mtu, where, TOPO_MTU_IPV6_MIN, TOPO_MTU_IPV6_MIN);
				break;
			}
		}
	}
	topo_parse_vlans(ctx, i, src, map, where);
}

static void parse_route(struct topo_pctx *ctx, struct topo_host *h, struct topo_host_src *hs,
			const struct topo_ynode *n, size_t num, const char *where)
{
	struct topo_route *r = &h->routes[h->n_routes];
	struct topo_route_src *rs = &hs->routes[h->n_routes];
	const struct topo_ynode *to, *via;
	char dst[TOPO_CIDR_STRLEN];
	size_t unknown;
	bool ok;

	if (n->type != TOPO_YMAP) {
		topo_report(ctx, n->pos, "a route %s must be a mapping such as {to: default, via: 172.16.10.254}, not %s",
			    where, topo_ydesc(n));
		return;
	}
	unknown = topo_ycheck_keys(ctx, n, route_keys, where);
	to = topo_ymap_get(n, "to", NULL);
	via = topo_ymap_get(n, "via", NULL);
	if (unknown) /* a missing key is probably the misspelt one */
		return;
	if (!to)
		topo_report(ctx, n->pos, "no 'to' %s; add the destination, e.g. 'to: 10.0.3.0/24' or 'to: default'",
			    where);
	if (!via)
		topo_report(ctx, n->pos, "no 'via' %s; add the next hop's address, e.g. 'via: 172.16.10.254'",
			    where);
	if (!to || !via)
		return;
	ok = topo_yget_route_dst(ctx, to, where, &r->dst, &r->is_default);
	ok = topo_yget_addr(ctx, via, "via", where, &r->family, r->via) && ok;
	if (!ok)
		return;
	if (r->is_default) {
		r->dst.family = r->family;
	} else if (r->dst.family != r->family) {
		topo_report(ctx, via->pos, "'via' %s is an %s address but 'to' %s is %s; use an %s next hop",
			    where, topo_family_str(r->family), topo_cidr_str(&r->dst, dst, sizeof(dst)),
			    topo_family_str(r->dst.family), topo_family_str(r->dst.family));
		return;
	}
	r->pos = n->pos;
	rs->num = num;
	rs->to_pos = to->pos;
	rs->via_pos = via->pos;
	h->n_routes++;
}

static void parse_routes(struct topo_pctx *ctx, struct topo_host *h, struct topo_host_src *hs,
			 const struct topo_ynode *n, const char *host_where)
{
	char where[TOPO_WHERE_MAX];

	if (n->type == TOPO_YSCALAR && n->null)
		return;
	if (n->type != TOPO_YSEQ) {
		topo_report(ctx, n->pos, "'routes' %s must be a list such as [{to: default, via: 172.16.10.254}], not %s",
			    host_where, topo_ydesc(n));
		return;
	}
	for (size_t k = 0; k < n->n; k++) {
		snprintf(where, sizeof(where), "in route %zu of host '%s'", k + 1, topo_q(h->name));
		parse_route(ctx, h, hs, n->items[k], k + 1, where);
	}
}

static int alloc_ifaces(struct topo_pctx *ctx, struct topo_host *h, struct topo_host_src *hs,
			size_t n)
{
	h->ifaces = calloc(n, sizeof(*h->ifaces));
	hs->ifaces = calloc(n, sizeof(*hs->ifaces));
	if (!h->ifaces || !hs->ifaces)
		return ctx->err = -ENOMEM;
	return 0;
}

static void parse_long_form(struct topo_pctx *ctx, struct topo_host *h, struct topo_host_src *hs,
			    const struct topo_ynode *map, const char *host_where)
{
	const struct topo_ynode *k, *n = topo_ymap_get(map, "interfaces", &k);
	static const char *const iface_only[] = { IFACE_KEYS };
	char where[TOPO_WHERE_MAX];

	for (size_t j = 0; j < sizeof(iface_only) / sizeof(*iface_only); j++) {
		const struct topo_ynode *kk;

		if (topo_ymap_get(map, iface_only[j], &kk))
			topo_report(ctx, kk->pos, "'%s' %s cannot be used together with 'interfaces'; move it into one of the interfaces",
				    iface_only[j], host_where);
	}
	if ((n->type == TOPO_YSCALAR && n->null) || (n->type == TOPO_YMAP && !n->n)) {
		topo_report(ctx, k->pos, "'interfaces' %s is empty; add one, e.g. 'eth0: {switch: v-net-0, ip: 172.16.10.1/24}'",
			    host_where);
		hs->broken = true;
		return;
	}
	if (n->type != TOPO_YMAP) {
		topo_report(ctx, n->pos, "'interfaces' %s must be a mapping of interface names to settings, not %s",
			    host_where, topo_ydesc(n));
		hs->broken = true;
		return;
	}
	if (alloc_ifaces(ctx, h, hs, n->n))
		return;
	for (size_t j = 0; j < n->n && !ctx->err; j++) {
		const struct topo_ynode *name = n->items[2 * j], *v = n->items[2 * j + 1];
		struct topo_iface *i = &h->ifaces[h->n_ifaces];

		h->n_ifaces++;
		i->pos = name->pos;
		if (!(i->name = strdup(name->str))) {
			ctx->err = -ENOMEM;
			return;
		}
		snprintf(where, sizeof(where), "in interface '%s'", topo_qiface(h, i));
		if (topo_ifname_valid(name->str))
			topo_report(ctx, name->pos, "invalid interface name '%s' %s; use 1 to 15 printable characters without '/', ':', '%%' or spaces",
				    topo_q(name->str), host_where);
		else if (!strcmp(name->str, "lo"))
			topo_report(ctx, name->pos, "interface name 'lo' %s is the namespace's loopback; choose another name",
				    host_where);
		if (v->type == TOPO_YSCALAR && v->null) {
			v = NULL;
		} else if (v->type != TOPO_YMAP) {
			topo_report(ctx, v->pos, "interface '%s' must be a mapping such as {switch: v-net-0, ip: 172.16.10.1/24}, not %s",
				    topo_qiface(h, i), topo_ydesc(v));
			hs->ifaces[j].broken = true;
			v = NULL;
		} else {
			hs->ifaces[j].unknown_keys = topo_ycheck_keys(ctx, v, iface_keys, where) > 0;
		}
		parse_iface(ctx, i, &hs->ifaces[j], v, where);
	}
}

static void parse_host(struct topo_pctx *ctx, const struct topo_ynode *key,
		       const struct topo_ynode *val)
{
	struct topo *t = ctx->t;
	struct topo_host *h = &t->hosts[t->n_hosts];
	struct topo_host_src *hs = &ctx->host_src[t->n_hosts];
	char where[TOPO_WHERE_MAX];
	const struct topo_ynode *n;
	size_t sw, nr;
	bool unknown = false;

	t->n_hosts++;
	h->pos = key->pos;
	if (!(h->name = strdup(key->str))) {
		ctx->err = -ENOMEM;
		return;
	}
	/* Room for the explicit routes and the implicit default of each
	 * family (defaults.c). */
	n = val->type == TOPO_YMAP ? topo_ymap_get(val, "routes", NULL) : NULL;
	nr = (n && n->type == TOPO_YSEQ ? n->n : 0) + 2;
	h->routes = calloc(nr, sizeof(*h->routes));
	hs->routes = calloc(nr, sizeof(*hs->routes));
	if (!h->routes || !hs->routes) {
		ctx->err = -ENOMEM;
		return;
	}
	snprintf(where, sizeof(where), "in host '%s'", topo_q(key->str));
	if (!strcmp(key->str, "host"))
		topo_report(ctx, key->pos, "host name 'host' is reserved for the lab's host side; rename the host");
	else if (!strcmp(key->str, "inet"))
		topo_report(ctx, key->pos, "host name 'inet' is reserved for the sandbox's internet; rename the host");
	else if (!strncmp(key->str, "nslab-", 6))
		topo_report(ctx, key->pos, "host name '%s' starts with 'nslab-', which names nslab's own namespaces (a sandbox's nslab-LAB and nslab-LAB-inet); rename the host",
			    topo_q(key->str));
	else if (topo_host_name_valid(key->str))
		topo_report(ctx, key->pos, "invalid host name '%s'; use 1 to %d of A-Z, a-z, 0-9, '_', '.' and '-', starting with a letter or digit",
			    topo_q(key->str), TOPO_HOST_MAX);
	sw = topo_index_switch(ctx, key->str);
	if (sw != SIZE_MAX)
		topo_report(ctx, key->pos, "host '%s' has the same name as switch '%s' (at %s); rename one of them",
			    topo_q(key->str), topo_q(key->str), topo_qpos(t->switches[sw].pos));

	if (val->type == TOPO_YSCALAR && val->null) {
		val = NULL;
	} else if (val->type != TOPO_YMAP) {
		topo_report(ctx, val->pos, "host '%s' must be a mapping such as {switch: v-net-0, ip: 172.16.10.1/24}, not %s",
			    topo_q(key->str), topo_ydesc(val));
		hs->broken = true;
		val = NULL;
	} else {
		unknown = topo_ycheck_keys(ctx, val, host_keys, where) > 0;
	}
	if (val && topo_ymap_get(val, "interfaces", NULL)) {
		parse_long_form(ctx, h, hs, val, where);
	} else {
		if (alloc_ifaces(ctx, h, hs, 1))
			return;
		h->n_ifaces = 1;
		hs->ifaces[0].unknown_keys = unknown;
		h->ifaces[0].pos = key->pos;
		if (!(h->ifaces[0].name = strdup(short_name))) {
			ctx->err = -ENOMEM;
			return;
		}
		parse_iface(ctx, &h->ifaces[0], &hs->ifaces[0], val, where);
	}
	if (ctx->err)
		return;
	if ((n = topo_ymap_get(val, "forward", NULL)))
		topo_yget_bool(ctx, n, "forward", where, &h->forward);
	h->default_route = true;
	if ((n = topo_ymap_get(val, "default_route", NULL))) {
		topo_yget_bool(ctx, n, "default_route", where, &h->default_route);
		hs->default_route_pos = n->pos;
	}
	if ((n = topo_ymap_get(val, "routes", NULL)))
		parse_routes(ctx, h, hs, n, where);
}

void topo_parse_hosts(struct topo_pctx *ctx, const struct topo_ynode *n)
{
	struct topo *t = ctx->t;

	if (n->type != TOPO_YMAP) {
		topo_report(ctx, n->pos, "'hosts' must be a mapping of host names to settings, not %s; write e.g. 'hosts: {red: {switch: v-net-0, ip: 172.16.10.1/24}}'",
			    topo_ydesc(n));
		return;
	}
	t->hosts = calloc(n->n, sizeof(*t->hosts));
	ctx->host_src = calloc(n->n, sizeof(*ctx->host_src));
	if (!t->hosts || !ctx->host_src) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < n->n && !ctx->err; i++)
		parse_host(ctx, n->items[2 * i], n->items[2 * i + 1]);
}
