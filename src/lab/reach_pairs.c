// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What pingall tests: the ordered pairs of a topology's hosts, the address
 * to ping for each and whether the pair must reach (see reach.h). No kernel.
 */
#include "lab/reach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "topo/topo.h"

static bool link_local6(const struct topo_cidr *c)
{
	return c->family == AF_INET6 && c->addr[0] == 0xfe && (c->addr[1] & 0xc0) == 0x80;
}

const struct topo_cidr *reach_host_addr(const struct topo_host *h, int family)
{
	for (size_t i = 0; i < h->n_ifaces; i++) {
		const struct topo_iface *ifc = &h->ifaces[i];

		for (size_t a = 0; a < ifc->n_addrs; a++)
			if (ifc->addrs[a].family == family && !link_local6(&ifc->addrs[a]))
				return &ifc->addrs[a];
	}
	return NULL;
}

int reach_pick_addr(const struct topo_host *from, const struct topo_host *to, int family,
		    uint8_t addr[16])
{
	const struct topo_cidr *c = NULL;

	/* A family both ends have: a v4-only host cannot ping an IPv6 address,
	 * whatever the target also has. With none, the pair is not tested. */
	if (family == AF_INET || family == AF_INET6) {
		if (reach_host_addr(from, family))
			c = reach_host_addr(to, family);
	} else {
		const int order[2] = { AF_INET, AF_INET6 };

		for (int i = 0; i < 2 && !c; i++)
			if (reach_host_addr(from, order[i]))
				c = reach_host_addr(to, order[i]);
	}
	if (!c)
		return 0;
	memcpy(addr, c->addr, 16);
	return c->family;
}

/* The interface of h with an address of family on the subnet of addr, and
 * that address. */
static const struct topo_iface *on_link(const struct topo_host *h, int family, const uint8_t *addr,
					const struct topo_cidr **mine)
{
	for (size_t i = 0; i < h->n_ifaces; i++) {
		const struct topo_iface *ifc = &h->ifaces[i];

		for (size_t a = 0; a < ifc->n_addrs; a++) {
			if (ifc->addrs[a].family == family && !link_local6(&ifc->addrs[a]) &&
			    topo_cidr_contains(&ifc->addrs[a], family, addr)) {
				*mine = &ifc->addrs[a];
				return ifc;
			}
		}
	}
	return NULL;
}

void reach_pair_neigh(const struct topo *t, size_t from, size_t to, int family,
		      const uint8_t addr[16], struct reach_neigh out[2])
{
	const struct topo_cidr *src = NULL, *dst = NULL;
	const struct topo_iface *ifc, *back;

	memset(out, 0, 2 * sizeof(*out));
	ifc = on_link(&t->hosts[from], family, addr, &src);
	if (!ifc)
		return;
	out[0].set = true;
	out[0].ns = from;
	snprintf(out[0].dev, sizeof(out[0].dev), "%s", ifc->name);
	memcpy(out[0].addr, addr, 16);
	/* The source address the kernel picks for an on-link destination is
	 * the interface's primary address of that subnet (RFC 6724 rule 5
	 * for IPv6; inet_select_addr for IPv4): src. */
	back = on_link(&t->hosts[to], family, src->addr, &dst);
	if (!back)
		return;
	out[1].set = true;
	out[1].ns = to;
	snprintf(out[1].dev, sizeof(out[1].dev), "%s", back->name);
	memcpy(out[1].addr, src->addr, 16);
}

bool reach_expected(const struct topo *t, size_t from, size_t to, bool *named)
{
	bool reach = true, found = false;

	/* The parser keeps one entry per pair (the last written), so the
	 * first found is the one. */
	for (size_t i = 0; i < t->n_expects && !found; i++) {
		const struct topo_expect *e = &t->expects[i];

		if ((size_t)(e->from - t->hosts) == from && (size_t)(e->to - t->hosts) == to) {
			reach = e->reach;
			found = true;
		}
	}
	if (named)
		*named = found;
	return reach;
}

int reach_pairs(const struct topo *t, int family, struct reach_pair **pairs, size_t *n)
{
	size_t nh = t->n_hosts, k = 0;
	/* Per pair: 0 not named, 1 must reach, 2 must not. One pass over the
	 * expectations instead of a search per pair (a big lab has both many
	 * pairs and many expectations). */
	unsigned char *named = NULL;
	struct reach_pair *v = NULL;

	*pairs = NULL;
	*n = 0;
	if (nh < 2)
		return 0;
	named = calloc(nh * nh, 1);
	v = calloc(nh * (nh - 1), sizeof(*v));
	if (!named || !v) {
		free(named);
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n_expects; i++) {
		const struct topo_expect *e = &t->expects[i];

		named[(size_t)(e->from - t->hosts) * nh + (size_t)(e->to - t->hosts)] = e->reach ? 1 : 2;
	}
	for (size_t a = 0; a < nh; a++) {
		for (size_t b = 0; b < nh; b++) {
			struct reach_pair *p;

			if (a == b)
				continue;
			p = &v[k++];
			p->from = a;
			p->to = b;
			p->family = reach_pick_addr(&t->hosts[a], &t->hosts[b], family, p->addr);
			if (p->family)
				reach_pair_neigh(t, a, b, p->family, p->addr, p->neigh);
			p->named = named[a * nh + b] != 0;
			p->expected = named[a * nh + b] != 2;
		}
	}
	free(named);
	*pairs = v;
	*n = k;
	return 0;
}
