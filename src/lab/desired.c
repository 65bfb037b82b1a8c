// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/desired.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/errmsg.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "lab/switch_kind.h"
#include "topo/topo.h"

void desired_sandbox_names(const char *lab, char *host, size_t hlen, char *inet, size_t ilen)
{
	snprintf(host, hlen, "nslab-%s", lab);
	snprintf(inet, ilen, "nslab-%s-inet", lab);
}

void desired_alias(const char *lab, char *buf, size_t len)
{
	snprintf(buf, len, "nslab:%s", lab);
}

void desired_switch_mac(const char *lab, const char *sw, char *buf, size_t len)
{
	char key[512];
	uint32_t a, b;

	snprintf(key, sizeof(key), "%s/%s", lab, sw);
	a = hash_fnv1a_str(key);
	snprintf(key, sizeof(key), "%s/%s", sw, lab);
	b = hash_fnv1a_str(key);
	snprintf(buf, len, "02:%02x:%02x:%02x:%02x:%02x", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff, b & 0xff);
}

int objvec_add(struct objvec *ov, enum obj_kind kind, const char *ns, const char *name,
	       const char *attrs)
{
	struct obj *o;
	int rc = array_reserve(&ov->v, &ov->cap, ov->n + 1, sizeof(*ov->v));

	if (rc)
		return rc;
	o = obj_new(kind, ns, name, attrs, NULL);
	if (!o)
		return -ENOMEM;
	ov->v[ov->n++] = o;
	return 0;
}

void objvec_free(struct objvec *ov)
{
	for (size_t i = 0; i < ov->n; i++)
		obj_free(ov->v[i]);
	free(ov->v);
	memset(ov, 0, sizeof(*ov));
}

static int add_addr_attrs(struct objvec *ov, const char *ns, const char *dev, const char *cidr,
			  const char *attrs)
{
	char name[128];

	snprintf(name, sizeof(name), "%s/%s", dev, cidr);
	return objvec_add(ov, OBJ_ADDR, ns, name, attrs);
}

static int add_addr(struct objvec *ov, const char *ns, const char *dev, const char *cidr)
{
	return add_addr_attrs(ov, ns, dev, cidr, NULL);
}

/*
 * The kernel's primary IPv4 address of a[k]'s subnet on its interface: the
 * first of a[] with the same prefix (an address with another prefix length
 * is a primary of its own), NULL if a[k] is it. A secondary records it, so
 * that reordering the list, or removing the primary, changes the objects
 * of that subnet, which are then made anew in the file's order: deleting
 * a primary takes its secondaries with it, and the first made is primary.
 */
static const struct topo_cidr *primary_of(const struct topo_cidr *a, size_t k)
{
	struct topo_cidr net, other;

	if (a[k].family != AF_INET)
		return NULL;
	topo_cidr_network(&a[k], &net);
	for (size_t j = 0; j < k; j++) {
		if (a[j].family != AF_INET || a[j].plen != a[k].plen)
			continue;
		topo_cidr_network(&a[j], &other);
		if (!memcmp(net.addr, other.addr, 4))
			return &a[j];
	}
	return NULL;
}

static int add_route(struct objvec *ov, const char *ns, const char *dst, const char *via,
		     const char *dev)
{
	char attrs[128];

	snprintf(attrs, sizeof(attrs), "via=%s dev=%s", via, dev);
	return objvec_add(ov, OBJ_ROUTE, ns, dst, attrs);
}

static int add_sysctl(struct objvec *ov, const char *ns, const char *key, const char *value)
{
	char attrs[64];

	snprintf(attrs, sizeof(attrs), "value=%s", value);
	return objvec_add(ov, OBJ_SYSCTL, ns, key, attrs);
}

/* A sysctl that may not exist (a module's): set where it does. */
static int add_optional_sysctl(struct objvec *ov, const char *ns, const char *key, const char *value)
{
	char attrs[64];

	snprintf(attrs, sizeof(attrs), "value=%s optional=1", value);
	return objvec_add(ov, OBJ_SYSCTL, ns, key, attrs);
}

static void mac_str(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int sandbox_objects(const struct lab_env *env, struct objvec *ov)
{
	const char *h = env->host_ns, *i = env->inet_ns;
	char attrs[256];
	int rc = 0;

	rc = rc ? rc : objvec_add(ov, OBJ_NETNS, OBJ_NS_HOST, h, NULL);
	rc = rc ? rc : objvec_add(ov, OBJ_NETNS, OBJ_NS_HOST, i, NULL);
	/* Made from the host side, so the internet's end (whose index the lab
	 * chooses) can come up at creation. */
	snprintf(attrs, sizeof(attrs), "peer_ns=%s peer=%s mtu=0 mac=- peer_mac=- peer_group=0", i,
		 SANDBOX_UPLINK);
	rc = rc ? rc : objvec_add(ov, OBJ_VETH, h, SANDBOX_UPLINK, attrs);
	rc = rc ? rc : add_addr(ov, i, SANDBOX_UPLINK, SANDBOX_INET_V4);
	rc = rc ? rc : add_addr(ov, i, SANDBOX_UPLINK, SANDBOX_INET_V6);
	rc = rc ? rc : add_addr(ov, i, "lo", SANDBOX_SERVER_V4);
	rc = rc ? rc : add_addr(ov, i, "lo", SANDBOX_SERVER_V6);
	rc = rc ? rc : add_addr(ov, h, SANDBOX_UPLINK, SANDBOX_HOST_V4);
	rc = rc ? rc : add_addr(ov, h, SANDBOX_UPLINK, SANDBOX_HOST_V6);
	rc = rc ? rc : add_route(ov, h, "0.0.0.0/0", SANDBOX_INET_GW4, SANDBOX_UPLINK);
	rc = rc ? rc : add_route(ov, h, "::/0", SANDBOX_INET_GW6, SANDBOX_UPLINK);
	return rc;
}

static bool host_has_family(const struct topo_host *h, int family)
{
	for (size_t i = 0; i < h->n_ifaces; i++)
		for (size_t j = 0; j < h->ifaces[i].n_addrs; j++)
			if (h->ifaces[i].addrs[j].family == family)
				return true;
	return false;
}

static int host_objects(const struct topo *t, const struct topo_host *h,
			const struct lab_env *env, struct objvec *ov)
{
	char attrs[512], cidr[TOPO_CIDR_STRLEN], mac[24];
	int rc;

	rc = objvec_add(ov, OBJ_NETNS, OBJ_NS_HOST, h->name, NULL);
	for (size_t i = 0; !rc && i < h->n_ifaces; i++) {
		const struct topo_iface *ifc = &h->ifaces[i];
		unsigned mtu = ifc->mtu ? ifc->mtu : (ifc->sw ? ifc->sw->mtu : 0);

		if (ifc->sw) {
			if (ifc->has_mac)
				mac_str(ifc->mac, mac, sizeof(mac));
			else
				strcpy(mac, "-");
			snprintf(attrs, sizeof(attrs),
				 "peer_ns=%s peer=%s mtu=%u mac=%s peer_mac=- peer_group=%u",
				 env->host_ns, ifc->peer, mtu, mac, env->group);
			rc = objvec_add(ov, OBJ_VETH, h->name, ifc->name, attrs);
			if (!rc)
				rc = switch_kind_of(ifc->sw)->add_port(t, ifc->sw, ifc, env, ov);
		}
		for (size_t j = 0; !rc && j < ifc->n_addrs; j++) {
			const struct topo_cidr *pri = primary_of(ifc->addrs, j);
			char pattrs[64] = "", pa[INET6_ADDRSTRLEN];

			if (pri)
				snprintf(pattrs, sizeof(pattrs), "primary=%s",
					 topo_addr_str(AF_INET, pri->addr, pa, sizeof(pa)));
			rc = add_addr_attrs(ov, h->name, ifc->name,
					    topo_cidr_str(&ifc->addrs[j], cidr, sizeof(cidr)),
					    pri ? pattrs : NULL);
		}
	}
	for (size_t i = 0; !rc && i < h->n_routes; i++) {
		const struct topo_route *r = &h->routes[i];
		char via[INET6_ADDRSTRLEN];

		inet_ntop(r->family, r->via, via, sizeof(via));
		topo_cidr_str(&r->dst, cidr, sizeof(cidr));
		rc = add_route(ov, h->name, cidr, via, r->dev->name);
	}
	if (!rc && h->forward) {
		rc = add_sysctl(ov, h->name, "net.ipv4.ip_forward", "1");
		if (!rc && host_has_family(h, AF_INET6))
			rc = add_sysctl(ov, h->name, "net.ipv6.conf.all.forwarding", "1");
	}
	return rc;
}

static int link_objects(const struct topo_link *l, struct objvec *ov)
{
	const struct topo_link_end *a = &l->end[0], *b = &l->end[1];
	char attrs[512], mac[24], peer_mac[24];
	unsigned mtu = a->iface->mtu ? a->iface->mtu : b->iface->mtu;

	strcpy(mac, "-");
	strcpy(peer_mac, "-");
	if (a->iface->has_mac)
		mac_str(a->iface->mac, mac, sizeof(mac));
	if (b->iface->has_mac)
		mac_str(b->iface->mac, peer_mac, sizeof(peer_mac));
	snprintf(attrs, sizeof(attrs), "peer_ns=%s peer=%s mtu=%u mac=%s peer_mac=%s peer_group=0",
		 b->host->name, b->iface->name, mtu, mac, peer_mac);
	return objvec_add(ov, OBJ_VETH, a->host->name, a->iface->name, attrs);
}

/* A link between switches: one veth pair on the host side, each end a port
 * of its switch. */
static int swlink_objects(const struct topo *t, const struct topo_swlink *l,
			  const struct lab_env *env, struct objvec *ov)
{
	char attrs[256];
	int rc;

	snprintf(attrs, sizeof(attrs),
		 "peer_ns=%s peer=%s mtu=%u mac=- peer_mac=- peer_group=%u down=1",
		 env->host_ns, l->port[1].peer, l->port[0].mtu, env->group);
	rc = objvec_add(ov, OBJ_VETH, env->host_ns, l->port[0].peer, attrs);
	for (int e = 0; !rc && e < 2; e++)
		rc = switch_kind_of(l->port[e].sw)->add_port(t, l->port[e].sw, &l->port[e], env, ov);
	return rc;
}

/* The host namespace's share: gateway addresses, forwarding and NAT. */
static int gateway_objects(const struct topo *t, const struct lab_env *env, struct objvec *ov)
{
	struct strbuf masq = STRBUF_INIT;
	unsigned gw4 = 0, gw6 = 0;
	bool nat4 = false, nat6 = false;
	char cidr[TOPO_CIDR_STRLEN], dev[TOPO_IFNAMSIZ];
	int rc = 0;

	for (size_t s = 0; !rc && s < t->n_switches; s++) {
		const struct topo_switch *sw = &t->switches[s];

		switch_kind_of(sw)->gateway_dev(sw, dev, sizeof(dev));
		for (size_t g = 0; !rc && g < sw->n_gateways; g++) {
			const struct topo_cidr *gw = &sw->gateways[g];
			struct topo_cidr net;
			const char *uplink = sw->uplink ? sw->uplink
					   : gw->family == AF_INET6 && env->default_uplink6
						   ? env->default_uplink6
						   : env->default_uplink;

			rc = add_addr(ov, env->host_ns, dev, topo_cidr_str(gw, cidr, sizeof(cidr)));
			if (gw->family == AF_INET)
				gw4++;
			else
				gw6++;
			if (rc || !sw->nat)
				continue;
			if (!uplink) {
				rc = err_msg(-ENOENT,
					     "%s: NAT needs an uplink, and this host has no default route "
					     "to take it from; name one with `uplink:`",
					     sw->name);
				break;
			}
			topo_cidr_network(gw, &net);
			sb_printf(&masq, "%s%s@%s", masq.len ? "," : "",
				  topo_cidr_str(&net, cidr, sizeof(cidr)), uplink);
			if (gw->family == AF_INET)
				nat4 = true;
			else
				nat6 = true;
		}
	}
	/* br_netfilter, when loaded (Docker loads it), hands bridged IP to
	 * the firewall: a host behind a kind bridge switch reaching another
	 * switch's gateway is conntracked on the bridge, before routing, and
	 * its NAT is missed. A sandbox's host side is the lab's: it bridges
	 * without that. */
	for (size_t s = 0; !rc && env->sandbox && s < t->n_switches; s++) {
		if (t->switches[s].kind != TOPO_SWITCH_BRIDGE)
			continue;
		rc = add_optional_sysctl(ov, env->host_ns, "net.bridge.bridge-nf-call-iptables", "0");
		rc = rc ? rc : add_optional_sysctl(ov, env->host_ns, "net.bridge.bridge-nf-call-ip6tables", "0");
		rc = rc ? rc : add_optional_sysctl(ov, env->host_ns, "net.bridge.bridge-nf-call-arptables", "0");
		break;
	}
	if (!rc && (nat4 || gw4 > 1))
		rc = add_sysctl(ov, env->host_ns, "net.ipv4.ip_forward", "1");
	if (!rc && (nat6 || gw6 > 1))
		rc = add_sysctl(ov, env->host_ns, "net.ipv6.conf.all.forwarding", "1");
	if (!rc && masq.len) {
		char table[64], *attrs = NULL;

		snprintf(table, sizeof(table), "nslab-%s", env->lab);
		if (asprintf(&attrs, "masq=%s", sb_str(&masq)) < 0)
			rc = -ENOMEM;
		else
			rc = objvec_add(ov, OBJ_NFT, env->host_ns, table, attrs);
		free(attrs);
	}
	if (!rc)
		rc = sb_error(&masq);
	sb_free(&masq);
	return rc;
}

static int cmp_kind(const void *a, const void *b)
{
	const struct obj *x = *(struct obj *const *)a, *y = *(struct obj *const *)b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	/* Stable: while sorting, flags hold each object's position. */
	return x->flags < y->flags ? -1 : x->flags > y->flags;
}

int desired_build(const struct topo *t, const struct lab_env *env, struct objset *out)
{
	struct objvec ov = { 0 };
	int rc = 0;

	if (env->sandbox)
		rc = sandbox_objects(env, &ov);
	for (size_t s = 0; !rc && s < t->n_switches; s++)
		rc = switch_kind_of(&t->switches[s])->add_switch(t, &t->switches[s], env, &ov);
	for (size_t h = 0; !rc && h < t->n_hosts; h++)
		rc = host_objects(t, &t->hosts[h], env, &ov);
	for (size_t l = 0; !rc && l < t->n_links; l++)
		rc = link_objects(&t->links[l], &ov);
	for (size_t l = 0; !rc && l < t->n_swlinks; l++)
		rc = swlink_objects(t, &t->swlinks[l], env, &ov);
	if (!rc)
		rc = gateway_objects(t, env, &ov);
	if (rc)
		goto out;
	for (size_t i = 0; i < ov.n; i++)
		ov.v[i]->flags = (unsigned)i;
	qsort(ov.v, ov.n, sizeof(*ov.v), cmp_kind);
	for (size_t i = 0; i < ov.n; i++) {
		char key[OBJ_KEY_MAX];

		ov.v[i]->flags = 0;
		if (objset_find(out, ov.v[i])) {
			/* Validation keeps names apart; two objects with one key means
			 * two things would fight over one kernel name. */
			rc = err_msg(-EEXIST, "two parts of the lab would both be %s; rename one",
				     obj_key(ov.v[i], key, sizeof(key)));
			break;
		}
		rc = objset_put(out, ov.v[i]);
		ov.v[i] = NULL;
		if (rc)
			break;
	}
out:
	objvec_free(&ov);
	return rc;
}

const char *desired_sandbox_uplink_problem(const struct topo_switch *sw, char *buf, size_t len)
{
	if (!sw->uplink || !strcmp(sw->uplink, SANDBOX_UPLINK))
		return NULL;
	snprintf(buf, len, "switch %s's uplink %s: a sandbox's only uplink is %s, to its internet",
		 sw->name, sw->uplink, SANDBOX_UPLINK);
	return buf;
}
