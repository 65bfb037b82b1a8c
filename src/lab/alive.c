// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/alive.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/util.h"
#include "kernel/addr.h"
#include "kernel/link.h"
#include "kernel/nat.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/route.h"
#include "kernel/sysctl.h"
#include "lab/plan.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

struct view_link {
	char name[IF_NAMESIZE];
	int ifindex;
	bool up;
	int master;
	unsigned mtu;
	uint8_t mac[6];
	bool has_mac;
};

/* What one namespace holds, read once, when the first of its objects is
 * asked about. */
struct ns_view {
	char *ns;
	bool read;              /* false: gone or unreadable; its objects count as there */
	struct view_link *links; /* sorted by name */
	size_t n_links, cap_links;
	struct addr_info *addrs;
	size_t n_addrs;
	struct route_info *routes;
	size_t n_routes;
};

static int link_cb(const struct link_info *li, void *arg)
{
	struct ns_view *v = arg;
	int rc = array_reserve(&v->links, &v->cap_links, v->n_links + 1, sizeof(*v->links));

	if (rc)
		return rc;
	memcpy(v->links[v->n_links].name, li->name, IF_NAMESIZE);
	v->links[v->n_links].ifindex = li->ifindex;
	v->links[v->n_links].up = li->flags & IFF_UP;
	v->links[v->n_links].master = li->master;
	v->links[v->n_links].mtu = li->mtu;
	memcpy(v->links[v->n_links].mac, li->mac, 6);
	v->links[v->n_links].has_mac = li->has_mac;
	v->n_links++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strncmp(a, b, IF_NAMESIZE);
}

static int view_read(struct ns_view *v)
{
	struct nl *nl = NULL;
	int fd, rc;

	if (!strcmp(v->ns, OBJ_NS_HOST)) {
		rc = nl_open(&nl);
	} else {
		rc = netns_open(v->ns, &fd);
		if (rc == -ENOENT)
			return 0;
		if (!rc) {
			rc = nl_open_netns(fd, &nl);
			close(fd);
		}
	}
	if (!rc)
		rc = link_dump(nl, link_cb, v);
	if (!rc)
		rc = addr_list(nl, AF_UNSPEC, &v->addrs, &v->n_addrs);
	if (!rc)
		rc = route_list(nl, AF_UNSPEC, &v->routes, &v->n_routes);
	nl_close(nl);
	if (rc)
		return rc;
	if (v->n_links)
		qsort(v->links, v->n_links, sizeof(*v->links), name_cmp);
	v->read = true;
	return 0;
}

static void view_free(struct ns_view *v)
{
	free(v->ns);
	free(v->links);
	free(v->addrs);
	free(v->routes);
	free(v);
}

static int view_cmp(const void *a, const void *b)
{
	return strcmp((*(struct ns_view *const *)a)->ns, (*(struct ns_view *const *)b)->ns);
}

/* The view of ns, read on first use; NULL if it cannot be had (then every
 * object in ns counts as there: a wrong "gone" would remake what works). */
static struct ns_view *view_of(struct alive *a, const char *ns)
{
	struct ns_view key = { .ns = (char *)ns }, *k = &key, **at, *v;
	size_t pos;

	at = a->n_views ? bsearch(&k, a->views, a->n_views, sizeof(*a->views), view_cmp) : NULL;
	if (at)
		return *at;
	if (array_reserve(&a->views, &a->cap_views, a->n_views + 1, sizeof(*a->views)))
		return NULL;
	v = calloc(1, sizeof(*v));
	if (!v || !(v->ns = strdup(ns))) {
		free(v);
		return NULL;
	}
	if (view_read(v)) {
		view_free(v);
		return NULL;
	}
	for (pos = a->n_views; pos > 0 && strcmp(a->views[pos - 1]->ns, ns) > 0; pos--)
		;
	memmove(&a->views[pos + 1], &a->views[pos], (a->n_views - pos) * sizeof(*a->views));
	a->views[pos] = v;
	a->n_views++;
	return v;
}

int alive_init(struct alive *a, const char *lab, const char *host_ns)
{
	memset(a, 0, sizeof(*a));
	a->lab = lab;
	a->host_ns = host_ns;
	return 0;
}

void alive_free(struct alive *a)
{
	for (size_t i = 0; i < a->n_views; i++)
		view_free(a->views[i]);
	free(a->views);
	memset(a, 0, sizeof(*a));
}

static const struct view_link *find_link(const struct ns_view *v, const char *name)
{
	char key[IF_NAMESIZE] = { 0 };

	strncpy(key, name, sizeof(key) - 1);
	return v->n_links ? bsearch(key, v->links, v->n_links, sizeof(*v->links), name_cmp) : NULL;
}

/* What a link should be, beyond being there. */
struct link_want {
	bool up;
	unsigned mtu;           /* 0: any */
	const char *mac;        /* NULL or "-": any */
	const char *master;     /* NULL or "-": not checked */
};

static bool mac_differs(const struct view_link *l, const char *want)
{
	unsigned m[6];

	if (!want || !strcmp(want, "-") || !l->has_mac ||
	    sscanf(want, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (l->mac[i] != m[i])
			return true;
	return false;
}

/* A link: gone, or there but changed by hand: set down (when it is meant to
 * be up), another MTU or MAC, out of its bridge. */
static int link_health(struct alive *a, const char *ns, const char *name,
		       const struct link_want *w)
{
	const struct ns_view *v = view_of(a, ns);
	const struct view_link *l, *m;

	if (!v || !v->read)
		return PLAN_ALIVE;
	l = find_link(v, name);
	if (!l)
		return PLAN_GONE;
	if ((w->up && !l->up) || (w->mtu && l->mtu != w->mtu) || mac_differs(l, w->mac))
		return PLAN_DRIFTED;
	if (w->master && strcmp(w->master, "-") && (m = find_link(v, w->master)) &&
	    l->master != m->ifindex)
		return PLAN_DRIFTED;
	return PLAN_ALIVE;
}

static int ifindex_in(const struct ns_view *v, const char *dev)
{
	const struct view_link *l = find_link(v, dev);

	return l ? l->ifindex : 0;
}

static bool same_prefix(int family, const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned bytes = plen / 8, bits = plen % 8;

	if (plen > (family == AF_INET ? 32u : 128u))
		return false;
	if (memcmp(a, b, bytes))
		return false;
	return !bits || ((a[bytes] ^ b[bytes]) & (0xff << (8 - bits))) == 0;
}

/* The route to an address's subnet the kernel makes with it (on the link,
 * no via): someone who deleted it cut the subnet off, and the address made
 * again brings it back. A /32 or /128 has none. */
static bool has_prefix_route(const struct ns_view *v, const struct topo_cidr *c, int ifindex)
{
	if (c->plen >= (c->family == AF_INET ? 32 : 128))
		return true;
	for (size_t i = 0; i < v->n_routes; i++) {
		const struct route_info *r = &v->routes[i];

		if (r->family == c->family && r->plen == c->plen && r->ifindex == ifindex &&
		    !r->has_via && same_prefix(c->family, r->dst, c->addr, c->plen))
			return true;
	}
	return false;
}

static int addr_health(struct alive *a, const struct obj *o)
{
	const struct ns_view *v = view_of(a, o->ns);
	const char *slash = strchr(o->name, '/');
	char dev[IF_NAMESIZE];
	struct topo_cidr c;
	int ifindex;

	if (!v || !v->read || !slash || (size_t)(slash - o->name) >= sizeof(dev) ||
	    topo_cidr_parse(slash + 1, &c))
		return PLAN_ALIVE;
	memcpy(dev, o->name, (size_t)(slash - o->name));
	dev[slash - o->name] = '\0';
	ifindex = ifindex_in(v, dev);
	for (size_t i = 0; ifindex && i < v->n_addrs; i++) {
		const struct addr_info *x = &v->addrs[i];

		if (x->ifindex == ifindex && x->family == c.family && x->plen == c.plen &&
		    !memcmp(x->addr, c.addr, c.family == AF_INET ? 4 : 16))
			return has_prefix_route(v, &c, ifindex) ? PLAN_ALIVE : PLAN_DRIFTED;
	}
	return PLAN_GONE;
}

/* A route is as made if the main table has one to its destination through
 * its gateway and device; one replaced by hand (another via) is not. */
static int route_health(struct alive *a, const struct obj *o)
{
	const struct ns_view *v = view_of(a, o->ns);
	char via_s[64], dev[IF_NAMESIZE];
	uint8_t via[16] = { 0 };
	struct topo_cidr dst;
	bool has_via, has_dev;
	int ifindex = 0;

	if (!v || !v->read || topo_cidr_parse(o->name, &dst))
		return PLAN_ALIVE;
	has_via = obj_get(o->attrs, "via", via_s, sizeof(via_s)) && strcmp(via_s, "-") &&
		  inet_pton(dst.family, via_s, via) == 1;
	has_dev = obj_get(o->attrs, "dev", dev, sizeof(dev)) && strcmp(dev, "-");
	if (has_dev && !(ifindex = ifindex_in(v, dev)))
		return PLAN_GONE;
	for (size_t i = 0; i < v->n_routes; i++) {
		const struct route_info *r = &v->routes[i];

		if (r->family != dst.family || r->plen != dst.plen ||
		    !same_prefix(dst.family, r->dst, dst.addr, dst.plen))
			continue;
		if (has_dev && r->ifindex != ifindex)
			continue;
		if (has_via != r->has_via ||
		    (has_via && memcmp(r->via, via, dst.family == AF_INET ? 4 : 16)))
			continue;
		return PLAN_ALIVE;
	}
	return PLAN_GONE;
}

/* The lab's NAT table, gone (nft flush ruleset, a firewall reloading) or
 * emptied (nft flush table), or with other rules than its own: written
 * again in place. */
static int nft_health(const struct obj *o)
{
	char masq[4096];
	size_t want = 0, have = 0;
	int fd = -1, rc;

	if (obj_get(o->attrs, "masq", masq, sizeof(masq)) && masq[0])
		for (const char *p = masq; p; p = strchr(p + 1, ','))
			want++;
	if (strcmp(o->ns, OBJ_NS_HOST) && netns_open(o->ns, &fd))
		return PLAN_ALIVE;
	rc = nat_table_rules(fd, o->name, &have);
	if (fd >= 0)
		close(fd);
	if (rc && rc != -ENOENT) {
		err_clear();
		return PLAN_ALIVE; /* cannot tell */
	}
	return rc || have != want ? PLAN_DRIFTED : PLAN_ALIVE;
}

/* A sysctl of a namespace of the lab's own (a router's forwarding) set
 * otherwise by hand. The machine's own are not policed. */
static int sysctl_health(const struct obj *o)
{
	char want[32], have[32];
	int fd, rc;

	if (!strcmp(o->ns, OBJ_NS_HOST) || !obj_get(o->attrs, "value", want, sizeof(want)) ||
	    netns_open(o->ns, &fd))
		return PLAN_ALIVE;
	rc = sysctl_read(fd, o->name, have, sizeof(have));
	close(fd);
	return rc || !strcmp(have, want) ? PLAN_ALIVE : PLAN_DRIFTED;
}

int alive_obj(const struct obj *o, void *arg)
{
	struct alive *a = arg;
	char peer_ns[256], peer[IF_NAMESIZE], mac[24], peer_mac[24], master[IF_NAMESIZE];
	struct link_want w = { 0 };
	unsigned mtu = (unsigned)obj_get_long(o->attrs, "mtu", 0);
	int h;

	switch (o->kind) {
	case OBJ_SWITCHD:
		return switchd_alive(a->lab, o->name) ? PLAN_ALIVE : PLAN_GONE;
	case OBJ_NETNS:
		return netns_exists(o->name) ? PLAN_ALIVE : PLAN_GONE;
	case OBJ_BRIDGE:
		/* Brought up with its ports, and kept up, and its MAC. Not
		 * its MTU: the kernel lowers it to its smallest port's. */
		w = (struct link_want){ .up = true,
					.mac = obj_get(o->attrs, "mac", mac, sizeof(mac)) ? mac : NULL };
		return link_health(a, o->ns, o->name, &w);
	case OBJ_VETH:
		/* Ends made down are brought up as ports, and judged as such.
		 * No MTU given is the kernel's 1500. */
		w = (struct link_want){ .up = !obj_get_long(o->attrs, "down", 0),
					.mtu = mtu ? mtu : 1500,
					.mac = obj_get(o->attrs, "mac", mac, sizeof(mac)) ? mac : NULL };
		h = link_health(a, o->ns, o->name, &w);
		if (h != PLAN_ALIVE || !obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns)) ||
		    !obj_get(o->attrs, "peer", peer, sizeof(peer)))
			return h;
		/* Deleting either end deletes both; an end that is a port is
		 * judged up or down as a port. */
		w.up = strcmp(peer_ns, a->host_ns) && !obj_get_long(o->attrs, "down", 0);
		w.mac = obj_get(o->attrs, "peer_mac", peer_mac, sizeof(peer_mac)) ? peer_mac : NULL;
		return link_health(a, peer_ns, peer, &w);
	case OBJ_PORT:
		w = (struct link_want){ .up = true, .master = obj_get(o->attrs, "master", master,
								       sizeof(master)) ? master : NULL };
		return link_health(a, o->ns, o->name, &w);
	case OBJ_ADDR:
		return addr_health(a, o);
	case OBJ_ROUTE:
		return route_health(a, o);
	case OBJ_NFT:
		return nft_health(o);
	case OBJ_SYSCTL:
		return sysctl_health(o);
	default:
		return PLAN_ALIVE;
	}
}
