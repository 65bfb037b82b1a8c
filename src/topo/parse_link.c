// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Links — direct veth pairs between two hosts (no switch), or between two
 * switches (each end a port of one) — and reachability expectations: both
 * name hosts, so both are read after the hosts.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static const char *const expect_keys[] = { "from", "to", "reach", NULL };

#define ANY_HOST "*"

static void report_undefined_host(struct topo_pctx *ctx, struct topo_pos pos, const char *name,
				  const char *where)
{
	const struct topo *t = ctx->t;
	const char *like = topo_suggest(ctx, name, t->hosts, t->n_hosts, sizeof(*t->hosts),
					offsetof(struct topo_host, name));

	if (!strcmp(name, "host") || !strcmp(name, "inet"))
		topo_report(ctx, pos, "'%s' %s is the lab's %s, not a host of the file; name hosts defined under 'hosts:'",
			    name, where, !strcmp(name, "host") ? "host side" : "sandbox internet");
	else if (like)
		topo_report(ctx, pos, "undefined host '%s' %s; did you mean '%s'?", topo_q(name), where,
			    topo_q(like));
	else
		topo_report(ctx, pos, "undefined host '%s' %s; define it under 'hosts:'", topo_q(name),
			    where);
}

/* One end "HOST" or "HOST:IFACE" -> host and interface indexes. Returns
 * false (having reported, unless the host was already refused) if it does
 * not name a usable interface. */
static bool link_end(struct topo_pctx *ctx, const struct topo_ynode *n, const char *where,
		     size_t *hp, size_t *ip)
{
	const struct topo *t = ctx->t;
	const char *s, *colon, *ifname = "eth0", *like;
	char hname[TOPO_HOST_MAX + 2];
	const struct topo_host *h;
	size_t hl, hi, ii;

	if (!topo_yget_str(ctx, n, "link end", where, &s))
		return false;
	colon = strchr(s, ':');
	hl = colon ? (size_t)(colon - s) : strlen(s);
	if (colon)
		ifname = colon + 1;
	if (hl == 0 || hl >= sizeof(hname) || !*ifname) {
		topo_report(ctx, n->pos, "link end '%s' %s is not HOST or HOST:INTERFACE; write e.g. red:eth1",
			    topo_q(s), where);
		return false;
	}
	memcpy(hname, s, hl);
	hname[hl] = '\0';
	hi = topo_index_host(ctx, hname);
	if (hi == SIZE_MAX) {
		report_undefined_host(ctx, n->pos, hname, where);
		return false;
	}
	h = &t->hosts[hi];
	if (ctx->host_src[hi].broken)
		return false;
	ii = topo_index_iface(ctx, hi, ifname);
	if (ii == SIZE_MAX) {
		like = topo_suggest(ctx, ifname, h->ifaces, h->n_ifaces, sizeof(*h->ifaces),
				    offsetof(struct topo_iface, name));
		if (like)
			topo_report(ctx, n->pos, "host '%s' has no interface '%s' (%s); did you mean '%s'?",
				    topo_q(hname), topo_q(ifname), where + 3, topo_q(like));
		else
			topo_report(ctx, n->pos, "host '%s' has no interface '%s' (%s); declare it under the host's 'interfaces:'",
				    topo_q(hname), topo_q(ifname), where + 3);
		return false;
	}
	if (ctx->host_src[hi].ifaces[ii].broken)
		return false;
	*hp = hi;
	*ip = ii;
	return true;
}

/* Switches whose VLAN 1 is joined by links, as a union-find forest over
 * t->switches: that is where the gateway is (one per family per segment). */
struct swjoin {
	size_t *vlan1;
	size_t *num;  /* per link between switches: its number in 'links' */
	const struct topo_switch *(*gw)[2]; /* per root of vlan1: whose gateways */
};

static size_t uf_find(size_t *parent, size_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static int swjoin_init(struct swjoin *j, size_t n, size_t n_links)
{
	j->vlan1 = calloc(n ? n : 1, sizeof(*j->vlan1));
	j->gw = calloc(n ? n : 1, sizeof(*j->gw));
	j->num = calloc(n_links ? n_links : 1, sizeof(*j->num));
	if (!j->vlan1 || !j->gw || !j->num)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		j->vlan1[i] = i;
	return 0;
}

static void swjoin_free(struct swjoin *j)
{
	free(j->vlan1);
	free(j->gw);
	free(j->num);
}

/* An end names a switch when it is the bare name of one: hosts and
 * switches never share a name. */
static size_t switch_end(const struct topo_pctx *ctx, const struct topo_ynode *n)
{
	if (n->type != TOPO_YSCALAR || n->null || strchr(n->str, ':'))
		return SIZE_MAX;
	return topo_index_switch(ctx, n->str);
}

static int family_of(int f)
{
	return f ? AF_INET6 : AF_INET;
}

/* Each switch's gateways seed its VLAN 1 segment. */
static void swjoin_gateways(struct topo_pctx *ctx, struct swjoin *j)
{
	const struct topo *t = ctx->t;

	for (size_t s = 0; s < t->n_switches; s++)
		for (int f = 0; f < 2; f++)
			if (topo_switch_gateway(&t->switches[s], family_of(f)))
				j->gw[s][f] = &t->switches[s];
}

/* Joins VLAN 1 of a and b, unless that would put two gateways of one family
 * on one segment (reported). */
static void swjoin_vlan1(struct topo_pctx *ctx, struct swjoin *j, size_t a, size_t b,
			const struct topo_ynode *n, size_t num)
{
	const struct topo *t = ctx->t;
	size_t ra = uf_find(j->vlan1, a), rb = uf_find(j->vlan1, b);
	char g0[TOPO_CIDR_STRLEN], g1[TOPO_CIDR_STRLEN];

	if (ra == rb)
		return;
	for (int f = 0; f < 2; f++) {
		if (!j->gw[ra][f] || !j->gw[rb][f])
			continue;
		topo_report(ctx, n->pos, "link %zu joins VLAN 1 of switches '%s' and '%s', and that segment would have two %s gateways, %s and %s; remove one switch's gateway, or carry other VLANs on the link ('vlan:' or 'trunk:')",
			    num + 1, topo_q(t->switches[a].name), topo_q(t->switches[b].name),
			    topo_family_str(family_of(f)),
			    topo_cidr_str(topo_switch_gateway(j->gw[ra][f], family_of(f)), g0, sizeof(g0)),
			    topo_cidr_str(topo_switch_gateway(j->gw[rb][f], family_of(f)), g1, sizeof(g1)));
		return;
	}
	j->vlan1[rb] = ra;
	for (int f = 0; f < 2; f++)
		if (!j->gw[ra][f])
			j->gw[ra][f] = j->gw[rb][f];
}

static const char *const swlink_keys[] = { "between", "vlan", "trunk", "native", "mtu", NULL };

/* A link between switches sw[0] and sw[1]; map holds its keys (NULL in the
 * short form). */
static void parse_swlink(struct topo_pctx *ctx, const struct topo_ynode *n,
			 const struct topo_ynode *ends, const struct topo_ynode *map, size_t num,
			 const size_t sw[2], struct swjoin *j)
{
	struct topo *t = ctx->t;
	struct topo_iface rule = { .vlan = TOPO_VLAN_DEFAULT };
	struct topo_iface_src src = { .sw_named = true };
	const struct topo_ynode *m = NULL;
	char where[TOPO_WHERE_MAX];
	unsigned mtu = 0;
	struct topo_swlink *l;
	size_t before = ctx->n_reports;

	snprintf(where, sizeof(where), "in link %zu", num + 1);
	if (sw[0] == sw[1]) {
		topo_report(ctx, ends->items[1]->pos, "link %zu joins switch '%s' to itself; a link joins two different switches",
			    num + 1, topo_q(t->switches[sw[0]].name));
		return;
	}
	if (map) {
		topo_parse_vlans(ctx, &rule, &src, map, where);
		if ((m = topo_ymap_get(map, "mtu", NULL)))
			topo_yget_uint(ctx, m, "mtu", where, TOPO_MTU_MIN, TOPO_MTU_MAX, &mtu);
	}
	if (!m) {
		/* The smaller of the switches' MTUs, one not given counting as
		 * the kernel's 1500; 0 (the kernel's) when that is the one. */
		unsigned m0 = t->switches[sw[0]].mtu, m1 = t->switches[sw[1]].mtu;
		unsigned e0 = m0 ? m0 : 1500, e1 = m1 ? m1 : 1500, lo = e0 < e1 ? e0 : e1;

		mtu = lo == 1500 && (!m0 || !m1) ? 0 : lo;
	}
	if (ctx->n_reports != before || ctx->err) {
		free(rule.trunk);
		return;
	}
	if (topo_port_carries(&rule, TOPO_VLAN_DEFAULT))
		swjoin_vlan1(ctx, j, sw[0], sw[1], n, num);
	j->num[t->n_swlinks] = num + 1;
	l = &t->swlinks[t->n_swlinks++];
	l->pos = n->pos;
	for (int e = 0; e < 2; e++) {
		struct topo_iface *p = &l->port[e];

		p->sw = &t->switches[sw[e]];
		p->vlan = rule.vlan;
		p->native_vlan = rule.native_vlan;
		p->mtu = mtu;
		p->pos = ends->items[e]->pos;
		if (!rule.n_trunk)
			continue;
		p->trunk = malloc(rule.n_trunk * sizeof(*p->trunk));
		if (!p->trunk) {
			ctx->err = -ENOMEM;
			break;
		}
		memcpy(p->trunk, rule.trunk, rule.n_trunk * sizeof(*p->trunk));
		p->n_trunk = rule.n_trunk;
	}
	free(rule.trunk);
}

static void parse_link(struct topo_pctx *ctx, const struct topo_ynode *n, size_t num,
		       struct swjoin *j)
{
	struct topo *t = ctx->t;
	char where[TOPO_WHERE_MAX];
	const struct topo_ynode *ends = n, *map = NULL;
	size_t h[2], i[2], sw[2];
	bool ok[2];
	struct topo_iface_src *src[2] = { NULL, NULL };

	snprintf(where, sizeof(where), "in link %zu", num + 1);
	if (n->type == TOPO_YMAP) {
		size_t unknown = topo_ycheck_keys(ctx, n, swlink_keys, where);

		map = n;
		ends = topo_ymap_get(n, "between", NULL);
		if (!ends) {
			if (!unknown) /* else probably misspelt, and reported */
				topo_report(ctx, n->pos, "link %zu has no 'between'; name its ends, e.g. {between: [s1, s2], trunk: [10, 20]}",
					    num + 1);
			ctx->links_broken = true;
			return;
		}
	}
	if (ends->type != TOPO_YSEQ) {
		topo_report(ctx, ends->pos, "link %zu must be a pair of ends such as [red:eth1, blue:eth1] or [s1, s2], not %s",
			    num + 1, topo_ydesc(ends));
		ctx->links_broken = true;
		return;
	}
	if (ends->n != 2) {
		topo_report(ctx, ends->pos, "link %zu has %zu ends; a link joins exactly two, e.g. [red:eth1, blue:eth1] or [s1, s2]",
			    num + 1, ends->n);
		ctx->links_broken = true;
		return;
	}
	for (int e = 0; e < 2; e++)
		sw[e] = switch_end(ctx, ends->items[e]);
	if (sw[0] != SIZE_MAX && sw[1] != SIZE_MAX) {
		parse_swlink(ctx, n, ends, map, num, sw, j);
		return;
	}
	if (sw[0] != SIZE_MAX || sw[1] != SIZE_MAX) {
		int e = sw[0] == SIZE_MAX; /* the switch end */
		const struct topo_ynode *other = ends->items[!e];
		char what[TOPO_QBUF + 2];

		if (other->type == TOPO_YSCALAR && !other->null) {
			char hostpart[TOPO_HOST_MAX + 2];

			snprintf(hostpart, sizeof(hostpart), "%.*s", (int)strcspn(other->str, ":"),
				 other->str);
			/* neither a switch nor a host: the name is the mistake */
			if (topo_index_host(ctx, hostpart) == SIZE_MAX) {
				topo_report(ctx, other->pos, "link %zu joins switch '%s' to '%s', which is no switch or host of the file; name one defined under 'switches:'",
					    num + 1, topo_q(t->switches[sw[e]].name), topo_q(other->str));
				ctx->links_broken = true;
				return;
			}
			snprintf(what, sizeof(what), "'%s'", topo_q(other->str));
		} else {
			snprintf(what, sizeof(what), "%s", topo_ydesc(other));
		}
		topo_report(ctx, other->pos, "link %zu joins switch '%s' to %s; a link joins two hosts or two switches: to put a host on a switch, give its interface 'switch: %s'",
			    num + 1, topo_q(t->switches[sw[e]].name), what,
			    topo_q(t->switches[sw[e]].name));
		ctx->links_broken = true;
		return;
	}
	if (map) {
		for (size_t k = 1; swlink_keys[k]; k++) {
			const struct topo_ynode *key;

			if (topo_ymap_get(map, swlink_keys[k], &key))
				topo_report(ctx, key->pos, "'%s' %s, which joins two hosts; VLANs and MTU of a link between hosts belong to its interfaces: remove it, or set it on the interfaces",
					    swlink_keys[k], where);
		}
	}
	for (int e = 0; e < 2; e++) {
		const struct topo_iface *iface;

		ok[e] = link_end(ctx, ends->items[e], where, &h[e], &i[e]);
		if (!ok[e]) {
			/* It may have meant any interface. */
			ctx->links_broken = true;
			continue;
		}
		iface = &t->hosts[h[e]].ifaces[i[e]];
		src[e] = &ctx->host_src[h[e]].ifaces[i[e]];
		if (e == 1 && ok[0] && h[0] == h[1] && i[0] == i[1]) {
			topo_report(ctx, ends->items[1]->pos, "link %zu joins '%s' to itself; a link joins two different interfaces",
				    num + 1, topo_qiface(&t->hosts[h[1]], iface));
			ok[0] = ok[1] = false;
			break;
		}
		if (src[e]->sw_named) {
			topo_report(ctx, ends->items[e]->pos, "'%s' %s is a switch port; a link end must be an interface without 'switch:', give the host another interface",
				    topo_qiface(&t->hosts[h[e]], iface), where);
			ok[e] = false;
			continue;
		}
		if (src[e]->link) {
			topo_report(ctx, ends->items[e]->pos, "'%s' %s is already an end of the link at %s; an interface can end one link only",
				    topo_qiface(&t->hosts[h[e]], iface), where,
				    topo_qpos(src[e]->link_pos));
			ok[e] = false;
			continue;
		}
		/* Marked even if the other end is wrong, so this one is not
		 * also reported as unconnected. */
		src[e]->link = num + 1;
		src[e]->link_pos = n->pos;
	}
	if (!ok[0] || !ok[1])
		return;
	{
		struct topo_link *l = &t->links[t->n_links++];

		l->pos = n->pos;
		for (int e = 0; e < 2; e++) {
			l->end[e].host = &t->hosts[h[e]];
			l->end[e].iface = &t->hosts[h[e]].ifaces[i[e]];
		}
	}
}

/* One VLAN a link between switches carries. */
struct vlan_link {
	uint16_t vid;
	size_t link;
};

static int vlan_link_cmp(const void *pa, const void *pb)
{
	const struct vlan_link *a = pa, *b = pb;

	if (a->vid != b->vid)
		return a->vid < b->vid ? -1 : 1;
	return a->link < b->link ? -1 : a->link > b->link;
}

/*
 * Links between switches must not close a loop in any VLAN: the switches
 * run no spanning tree, so a broadcast would circle it forever. Links that
 * carry different VLANs may join the same switches (one cable per VLAN).
 * Per VLAN, a union-find over the switches its links touch, in file order:
 * the link that closes a loop is the one reported.
 */
static void check_loops(struct topo_pctx *ctx, const size_t *num)
{
	const struct topo *t = ctx->t;
	struct vlan_link *v = NULL;
	size_t n = 0, cap = 0, *parent = NULL;
	bool *reported = NULL;

	if (!t->n_swlinks)
		return;
	for (size_t l = 0; l < t->n_swlinks; l++) {
		const struct topo_iface *p = &t->swlinks[l].port[0];
		size_t want = n + p->n_trunk + 1;

		if (array_reserve(&v, &cap, want, sizeof(*v)))
			goto nomem;
		for (size_t k = 0; k < p->n_trunk; k++)
			v[n++] = (struct vlan_link){ p->trunk[k], l };
		if (!p->n_trunk)
			v[n++] = (struct vlan_link){ (uint16_t)p->vlan, l };
		else if (p->native_vlan) /* once more if listed too: skipped below */
			v[n++] = (struct vlan_link){ (uint16_t)p->native_vlan, l };
	}
	parent = malloc((t->n_switches ? t->n_switches : 1) * sizeof(*parent));
	reported = calloc(t->n_swlinks ? t->n_swlinks : 1, sizeof(*reported));
	if (!parent || !reported)
		goto nomem;
	qsort(v, n, sizeof(*v), vlan_link_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct topo_swlink *lk = &t->swlinks[v[i].link];
		size_t a = (size_t)(lk->port[0].sw - t->switches), b = (size_t)(lk->port[1].sw - t->switches);

		if (i && v[i].vid == v[i - 1].vid && v[i].link == v[i - 1].link)
			continue;
		if (!i || v[i].vid != v[i - 1].vid) {
			/* A new VLAN: its links' switches start apart. */
			for (size_t k = i; k < n && v[k].vid == v[i].vid; k++) {
				const struct topo_swlink *x = &t->swlinks[v[k].link];

				for (int e = 0; e < 2; e++)
					parent[x->port[e].sw - t->switches] = (size_t)(x->port[e].sw - t->switches);
			}
		}
		a = uf_find(parent, a);
		b = uf_find(parent, b);
		if (a != b) {
			parent[b] = a;
			continue;
		}
		if (reported[v[i].link])
			continue;
		reported[v[i].link] = true;
		topo_report(ctx, lk->pos, "link %zu closes a loop in VLAN %u: switches '%s' and '%s' are already joined in it by the links before it, and nslab's switches run no spanning tree, so broadcasts would circle the loop forever; remove a link, or carry other VLANs on it",
			    num[v[i].link], v[i].vid, topo_q(lk->port[0].sw->name),
			    topo_q(lk->port[1].sw->name));
	}
	goto out;
nomem:
	ctx->err = -ENOMEM;
out:
	free(v);
	free(parent);
	free(reported);
}

void topo_parse_links(struct topo_pctx *ctx, const struct topo_ynode *n)
{
	struct topo *t = ctx->t;
	struct swjoin j = { 0 };

	if (n->type == TOPO_YSCALAR && n->null)
		return;
	if (n->type != TOPO_YSEQ) {
		topo_report(ctx, n->pos, "'links' must be a list of pairs such as [[red:eth1, blue:eth1]], not %s",
			    topo_ydesc(n));
		ctx->links_broken = true;
		return;
	}
	t->links = calloc(n->n ? n->n : 1, sizeof(*t->links));
	t->swlinks = calloc(n->n ? n->n : 1, sizeof(*t->swlinks));
	if (!t->links || !t->swlinks || swjoin_init(&j, t->n_switches, n->n)) {
		ctx->err = -ENOMEM;
		goto out;
	}
	swjoin_gateways(ctx, &j);
	for (size_t k = 0; k < n->n && !ctx->err; k++)
		parse_link(ctx, n->items[k], k, &j);
	if (!ctx->err)
		check_loops(ctx, j.num);
	/* A switch without a gateway of its own routes via its segment's. */
	for (size_t s = 0; s < t->n_switches; s++) {
		size_t r = uf_find(j.vlan1, s);

		for (int f = 0; f < 2; f++)
			if (!topo_switch_gateway(&t->switches[s], family_of(f)))
				t->switches[s].linked_gw[f] = j.gw[r][f];
	}
out:
	swjoin_free(&j);
}

/* ---- expectations ---- */

struct hostset {
	size_t *idx;
	size_t n;
	bool ok;
};

static void expect_hosts(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
			 const char *where, struct hostset *set)
{
	const struct topo *t = ctx->t;
	const struct topo_ynode *const *items = &n;
	size_t count = 1, cap = 0;
	bool all = false;

	set->idx = NULL;
	set->n = 0;
	set->ok = false;
	if (n->type == TOPO_YSEQ) {
		items = (const struct topo_ynode *const *)n->items;
		count = n->n;
		if (!count) {
			topo_report(ctx, n->pos, "'%s' %s is empty; name a host, a list of hosts, or \"*\"",
				    key, where);
			return;
		}
	} else if (n->type != TOPO_YSCALAR || n->null) {
		topo_report(ctx, n->pos, "'%s' %s must be a host, a list of hosts, or \"*\" for every host, not %s",
			    key, where, topo_ydesc(n));
		return;
	}
	set->ok = true;
	for (size_t k = 0; k < count; k++) {
		const char *s;
		size_t h;

		if (!topo_yget_str(ctx, items[k], key, where, &s)) {
			set->ok = false;
			continue;
		}
		if (!strcmp(s, ANY_HOST)) {
			all = true;
			continue;
		}
		h = topo_index_host(ctx, s);
		if (h == SIZE_MAX) {
			report_undefined_host(ctx, items[k]->pos, s, where);
			set->ok = false;
			continue;
		}
		if (all)
			continue;
		if (array_reserve(&set->idx, &cap, set->n + 1, sizeof(*set->idx))) {
			ctx->err = -ENOMEM;
			return;
		}
		set->idx[set->n++] = h;
	}
	if (all) {
		/* "*" once stands for every host, in file order; repeating
		 * it or naming hosts besides adds nothing. */
		free(set->idx);
		set->idx = calloc(t->n_hosts ? t->n_hosts : 1, sizeof(*set->idx));
		if (!set->idx) {
			ctx->err = -ENOMEM;
			return;
		}
		for (set->n = 0; set->n < t->n_hosts; set->n++)
			set->idx[set->n] = set->n;
	}
}

/* Returns false once the expansion limit was hit (reported). */
static bool parse_expect(struct topo_pctx *ctx, const struct topo_ynode *n, size_t num,
			 size_t *cap)
{
	struct topo *t = ctx->t;
	const struct topo_ynode *from, *to, *reach;
	struct hostset fs = { 0 }, ts = { 0 };
	char where[TOPO_WHERE_MAX];
	bool r = true, more = true, bad = false, added = false;
	size_t unknown;

	snprintf(where, sizeof(where), "in expect %zu", num);
	if (n->type != TOPO_YMAP) {
		topo_report(ctx, n->pos, "expect %zu must be a mapping such as {from: red, to: blue}, not %s",
			    num, topo_ydesc(n));
		return true;
	}
	unknown = topo_ycheck_keys(ctx, n, expect_keys, where);
	from = topo_ymap_get(n, "from", NULL);
	to = topo_ymap_get(n, "to", NULL);
	reach = topo_ymap_get(n, "reach", NULL);
	if (unknown) /* a missing key is probably the misspelt one */
		bad = true;
	else if (!from)
		topo_report(ctx, n->pos, "no 'from' %s; add the host(s) to ping from, or \"*\"", where);
	if (!to && !unknown)
		topo_report(ctx, n->pos, "no 'to' %s; add the host(s) to ping, or \"*\"", where);
	if (reach && !topo_yget_bool(ctx, reach, "reach", where, &r))
		bad = true;
	if (from)
		expect_hosts(ctx, from, "from", where, &fs);
	if (to)
		expect_hosts(ctx, to, "to", where, &ts);
	if (bad || !fs.ok || !ts.ok || ctx->err)
		goto out;
	if (fs.n && ts.n > (TOPO_EXPECT_MAX - t->n_expects) / fs.n) {
		topo_report(ctx, n->pos, "the expectations expand to more than %d host pairs; name fewer hosts",
			    TOPO_EXPECT_MAX);
		more = false;
		goto out;
	}
	if (array_reserve(&t->expects, cap, t->n_expects + fs.n * ts.n, sizeof(*t->expects))) {
		ctx->err = -ENOMEM;
		goto out;
	}
	for (size_t a = 0; a < fs.n; a++) {
		for (size_t b = 0; b < ts.n; b++) {
			struct topo_expect *e;

			if (fs.idx[a] == ts.idx[b]) /* a host always reaches itself */
				continue;
			e = &t->expects[t->n_expects++];
			e->from = &t->hosts[fs.idx[a]];
			e->to = &t->hosts[ts.idx[b]];
			e->reach = r;
			e->pos = n->pos;
			added = true;
		}
	}
	if (!added)
		topo_report(ctx, n->pos, "expect %zu only pairs a host with itself, which it always reaches; name other hosts in 'to'",
			    num);
out:
	free(fs.idx);
	free(ts.idx);
	return more;
}

static int expect_cmp(const void *pa, const void *pb)
{
	const struct topo_expect *a = *(const struct topo_expect *const *)pa;
	const struct topo_expect *b = *(const struct topo_expect *const *)pb;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The same pair may be named more than once ("*" first, then exceptions):
 * the last expectation for a pair wins, in its place. */
static void expects_dedup(struct topo_pctx *ctx)
{
	struct topo *t = ctx->t;
	struct topo_expect **order;
	bool *drop;
	size_t out = 0;

	if (t->n_expects < 2)
		return;
	order = malloc(t->n_expects * sizeof(*order));
	drop = calloc(t->n_expects, sizeof(*drop));
	if (!order || !drop) {
		ctx->err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t->n_expects; i++)
		order[i] = &t->expects[i];
	qsort(order, t->n_expects, sizeof(*order), expect_cmp);
	for (size_t i = 0; i + 1 < t->n_expects; i++)
		if (order[i]->from == order[i + 1]->from && order[i]->to == order[i + 1]->to)
			drop[order[i] - t->expects] = true;
	for (size_t i = 0; i < t->n_expects; i++)
		if (!drop[i])
			t->expects[out++] = t->expects[i];
	t->n_expects = out;
out:
	free(order);
	free(drop);
}

void topo_parse_expects(struct topo_pctx *ctx, const struct topo_ynode *n)
{
	size_t cap = 0;

	if (n->type == TOPO_YSCALAR && n->null)
		return;
	if (n->type != TOPO_YSEQ) {
		topo_report(ctx, n->pos, "'expect' must be a list such as [{from: red, to: blue}], not %s",
			    topo_ydesc(n));
		return;
	}
	for (size_t k = 0; k < n->n && !ctx->err; k++)
		if (!parse_expect(ctx, n->items[k], k + 1, &cap))
			break;
	expects_dedup(ctx);
}
