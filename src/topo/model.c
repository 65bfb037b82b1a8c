// SPDX-License-Identifier: GPL-2.0-or-later
/* The model's lifetime, lookups and problem lists. */
#include "topo/parse.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void topo_free(struct topo *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_switches; i++) {
		free(t->switches[i].name);
		free(t->switches[i].gateways);
		free(t->switches[i].uplink);
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		struct topo_host *host = &t->hosts[h];

		for (size_t i = 0; i < host->n_ifaces; i++) {
			free(host->ifaces[i].name);
			free(host->ifaces[i].peer);
			free(host->ifaces[i].addrs);
			free(host->ifaces[i].trunk);
		}
		free(host->ifaces);
		free(host->routes);
		free(host->name);
	}
	free(t->switches);
	free(t->hosts);
	free(t->links);
	for (size_t l = 0; l < t->n_swlinks; l++) {
		for (int e = 0; e < 2; e++) {
			free(t->swlinks[l].port[e].peer);
			free(t->swlinks[l].port[e].trunk);
		}
	}
	free(t->swlinks);
	free(t->expects);
	free(t->name);
	free(t->file);
	free(t);
}

struct topo_host *topo_host_find(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->n_hosts; i++)
		if (!strcmp(t->hosts[i].name, name))
			return &t->hosts[i];
	return NULL;
}

struct topo_switch *topo_switch_find(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->n_switches; i++)
		if (!strcmp(t->switches[i].name, name))
			return &t->switches[i];
	return NULL;
}

struct topo_iface *topo_iface_find(const struct topo_host *h, const char *name)
{
	for (size_t i = 0; i < h->n_ifaces; i++)
		if (!strcmp(h->ifaces[i].name, name))
			return &h->ifaces[i];
	return NULL;
}

void topo_diag_free(struct topo_diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i]);
	free(d->lines);
	d->lines = NULL;
	d->n = d->cap = 0;
}

void topo_diag_print(const struct topo_diag *d, FILE *f)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%s\n", d->lines[i]);
}

/* ---- helpers for the parser's stages ---- */

const char *topo_qiface(const struct topo_host *h, const struct topo_iface *i)
{
	char *b = topo_qbuf();

	snprintf(b, TOPO_QBUF, "%.32s%s:%.20s%s", h->name, strlen(h->name) > 32 ? "..." : "",
		 i->name, strlen(i->name) > 20 ? "..." : "");
	return b;
}

const char *topo_family_str(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

bool topo_iface_on_gateway_vlan(const struct topo_iface *i)
{
	return i->sw && !i->n_trunk && i->vlan == TOPO_VLAN_DEFAULT;
}

const struct topo_cidr *topo_switch_gateway(const struct topo_switch *sw, int family)
{
	for (size_t i = 0; i < sw->n_gateways; i++)
		if (sw->gateways[i].family == family)
			return &sw->gateways[i];
	return NULL;
}

const struct topo_iface *topo_port_next(const struct topo *t, const struct topo_switch *sw,
					struct topo_port_iter *it)
{
	for (; it->h < t->n_hosts; it->h++, it->i = 0) {
		while (it->i < t->hosts[it->h].n_ifaces) {
			const struct topo_iface *ifc = &t->hosts[it->h].ifaces[it->i++];

			if (ifc->sw == sw) {
				it->host = &t->hosts[it->h];
				it->link = NULL;
				return ifc;
			}
		}
	}
	for (; it->l < t->n_swlinks; it->l++, it->e = 0) {
		while (it->e < 2) {
			const struct topo_iface *p = &t->swlinks[it->l].port[it->e++];

			if (p->sw == sw) {
				it->host = NULL;
				it->link = &t->swlinks[it->l];
				it->end = it->e - 1;
				return p;
			}
		}
	}
	return NULL;
}

bool topo_port_carries(const struct topo_iface *port, unsigned vid)
{
	if (!port->n_trunk)
		return port->vlan == vid;
	if (port->native_vlan == vid)
		return true;
	for (size_t i = 0; i < port->n_trunk; i++)
		if (port->trunk[i] == vid)
			return true;
	return false;
}

const struct topo_switch *topo_segment_gateway_switch(const struct topo_switch *sw, int family)
{
	return topo_switch_gateway(sw, family) ? sw : sw->linked_gw[family == AF_INET6];
}

const struct topo_cidr *topo_segment_gateway(const struct topo_switch *sw, int family)
{
	const struct topo_switch *owner = topo_segment_gateway_switch(sw, family);

	return owner ? topo_switch_gateway(owner, family) : NULL;
}
