// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Good topologies (tests/unit/topo/good/ and examples/), checked field by
 * field: what the file says, and every default the parser fills in.
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "topo/topo.h"

static struct topo *load(const char *rel)
{
	const char *top = getenv("TOP");
	struct topo_diag diag = { 0 };
	struct topo *t = NULL;
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s%s%s", top ? top : "", top ? "/" : "", rel);
	rc = topo_parse_file(path, &t, &diag);
	for (size_t i = 0; i < diag.n; i++)
		print_message("# %s\n", diag.lines[i]);
	assert_int_equal(rc, 0);
	assert_int_equal(diag.n, 0);
	assert_non_null(t);
	assert_string_equal(t->file, path);
	return t;
}

static void assert_cidr(const struct topo_cidr *c, const char *want)
{
	char buf[TOPO_CIDR_STRLEN];

	assert_string_equal(topo_cidr_str(c, buf, sizeof(buf)), want);
}

static void assert_addr(int family, const uint8_t *a, const char *want)
{
	char buf[TOPO_CIDR_STRLEN];

	assert_string_equal(topo_addr_str(family, a, buf, sizeof(buf)), want);
}

static struct topo_host *host(const struct topo *t, const char *name)
{
	struct topo_host *h = topo_host_find(t, name);

	assert_non_null(h);
	return h;
}

static struct topo_iface *iface(const struct topo_host *h, const char *name)
{
	struct topo_iface *i = topo_iface_find(h, name);

	assert_non_null(i);
	return i;
}

/* A switch port with its defaults: access port on VLAN 1. */
static void assert_access_port(const struct topo_iface *i, const struct topo_switch *sw,
			       unsigned vlan, const char *peer)
{
	assert_ptr_equal(i->sw, sw);
	assert_int_equal(i->vlan, vlan);
	assert_int_equal(i->n_trunk, 0);
	assert_null(i->trunk);
	assert_int_equal(i->native_vlan, 0);
	assert_string_equal(i->peer, peer);
}

static void assert_route(const struct topo_route *r, const char *dst, const char *via,
			 const struct topo_iface *dev, bool is_default, bool implicit)
{
	assert_cidr(&r->dst, dst);
	assert_int_equal(r->family, r->dst.family);
	assert_addr(r->family, r->via, via);
	assert_ptr_equal(r->dev, dev);
	assert_int_equal(r->is_default, is_default);
	assert_int_equal(r->implicit, implicit);
}

static void seed_no_name(void **state)
{
	struct topo *t = load("tests/unit/topo/good/seed.yaml");
	static const char *const names[] = { "red", "blue", "green", "yellow" };
	static const char *const addrs[] = { "172.16.10.1/24", "172.16.10.5/24", "172.16.10.10/24",
					     "172.16.10.20/24" };
	struct topo_switch *sw;

	assert_string_equal(t->name, "seed"); /* from the file name */
	assert_int_equal(t->n_switches, 1);
	sw = topo_switch_find(t, "v-net-0");
	assert_ptr_equal(sw, &t->switches[0]);
	assert_int_equal(sw->kind, TOPO_SWITCH_KIND_DEFAULT);
	assert_int_equal(sw->n_gateways, 1);
	assert_cidr(&sw->gateways[0], "172.16.10.254/24");
	assert_true(sw->nat);
	assert_null(sw->uplink);
	assert_int_equal(sw->mtu, 0);
	assert_int_equal(sw->fdb_size, 0);
	assert_int_equal(sw->fdb_aging, 0);
	assert_int_equal(sw->pos.line, 3);
	assert_int_equal(sw->pos.col, 3);
	assert_int_equal(t->n_hosts, 4);
	for (size_t k = 0; k < 4; k++) {
		struct topo_host *h = &t->hosts[k];
		char peer[TOPO_IFNAMSIZ];

		assert_string_equal(h->name, names[k]); /* file order */
		assert_int_equal(h->pos.line, 7 + (int)k);
		assert_false(h->forward);
		assert_int_equal(h->n_ifaces, 1);
		assert_string_equal(h->ifaces[0].name, "eth0");
		snprintf(peer, sizeof(peer), "%s-eth0", names[k]);
		assert_access_port(&h->ifaces[0], sw, 1, peer);
		assert_int_equal(h->ifaces[0].n_addrs, 1);
		assert_cidr(&h->ifaces[0].addrs[0], addrs[k]);
		assert_false(h->ifaces[0].has_mac);
		assert_int_equal(h->ifaces[0].mtu, 0);
		assert_int_equal(h->n_routes, 1);
		assert_route(&h->routes[0], "0.0.0.0/0", "172.16.10.254", &h->ifaces[0], true, true);
	}
	assert_int_equal(t->n_links, 0);
	assert_int_equal(t->n_expects, 0);
	topo_free(t);
}

static void router(void **state)
{
	struct topo *t = load("tests/unit/topo/good/router.yaml");
	struct topo_switch *lan1 = topo_switch_find(t, "lan1"), *lan2 = topo_switch_find(t, "lan2");
	struct topo_host *r1 = host(t, "r1"), *a = host(t, "a"), *b = host(t, "b");

	assert_string_equal(t->name, "router");
	assert_non_null(lan1);
	assert_non_null(lan2);
	assert_int_equal(lan1->kind, TOPO_SWITCH_BRIDGE);
	assert_true(lan1->nat);
	assert_string_equal(lan1->uplink, "eth0");
	assert_int_equal(lan1->mtu, 9000);
	assert_int_equal(lan2->kind, TOPO_SWITCH_NSLAB);
	assert_int_equal(lan2->n_gateways, 0);
	assert_false(lan2->nat);
	assert_int_equal(lan2->fdb_size, 1024);
	assert_int_equal(lan2->fdb_aging, 60);

	assert_true(r1->forward);
	assert_int_equal(r1->n_ifaces, 2);
	assert_string_equal(r1->ifaces[0].name, "eth0");
	assert_string_equal(r1->ifaces[1].name, "eth1");
	assert_access_port(&r1->ifaces[0], lan1, 1, "r1-eth0");
	assert_access_port(&r1->ifaces[1], lan2, 1, "r1-eth1");
	assert_int_equal(r1->ifaces[0].mtu, 0);
	assert_int_equal(r1->ifaces[1].mtu, 1400);
	assert_int_equal(r1->ifaces[1].pos.line, 11);
	assert_int_equal(r1->ifaces[1].pos.col, 7);
	assert_cidr(&r1->ifaces[1].addrs[0], "10.0.2.1/24");
	/* lan2 has no gateway: only lan1's implicit default */
	assert_int_equal(r1->n_routes, 1);
	assert_route(&r1->routes[0], "0.0.0.0/0", "10.0.1.254", &r1->ifaces[0], true, true);

	assert_false(a->forward);
	assert_int_equal(a->n_routes, 1);
	assert_route(&a->routes[0], "0.0.0.0/0", "10.0.1.254", &a->ifaces[0], true, true);

	/* explicit routes, in file order, and no implicit default */
	assert_int_equal(b->n_routes, 2);
	assert_route(&b->routes[0], "0.0.0.0/0", "10.0.2.1", &b->ifaces[0], true, false);
	assert_route(&b->routes[1], "10.0.1.0/24", "10.0.2.1", &b->ifaces[0], false, false);
	assert_int_equal(b->routes[0].pos.line, 17);
	assert_int_equal(b->routes[0].pos.col, 9);
	topo_free(t);
}

static void pair(void **state)
{
	struct topo *t = load("tests/unit/topo/good/pair.yaml");
	struct topo_host *red = host(t, "red"), *blue = host(t, "blue");

	assert_int_equal(t->n_switches, 0);
	assert_int_equal(t->n_hosts, 2);
	for (size_t k = 0; k < 2; k++) {
		struct topo_iface *i = &t->hosts[k].ifaces[0];

		assert_int_equal(t->hosts[k].n_ifaces, 1);
		assert_string_equal(i->name, "eth0");
		assert_null(i->sw);
		assert_null(i->peer);
		assert_int_equal(i->vlan, 0);
		assert_int_equal(i->native_vlan, 0);
		assert_int_equal(i->n_trunk, 0);
		assert_int_equal(t->hosts[k].n_routes, 0);
	}
	assert_cidr(&red->ifaces[0].addrs[0], "172.10.10.1/24");
	assert_cidr(&blue->ifaces[0].addrs[0], "172.10.10.5/24");
	assert_int_equal(t->n_links, 1);
	assert_ptr_equal(t->links[0].end[0].host, red);
	assert_ptr_equal(t->links[0].end[0].iface, &red->ifaces[0]);
	assert_ptr_equal(t->links[0].end[1].host, blue);
	assert_ptr_equal(t->links[0].end[1].iface, &blue->ifaces[0]);
	assert_int_equal(t->links[0].pos.line, 7);
	/* "*" to "*" without self pairs; the later red -> blue wins */
	assert_int_equal(t->n_expects, 2);
	assert_ptr_equal(t->expects[0].from, blue);
	assert_ptr_equal(t->expects[0].to, red);
	assert_true(t->expects[0].reach);
	assert_int_equal(t->expects[0].pos.line, 9);
	assert_ptr_equal(t->expects[1].from, red);
	assert_ptr_equal(t->expects[1].to, blue);
	assert_false(t->expects[1].reach);
	assert_int_equal(t->expects[1].pos.line, 10);
	topo_free(t);
}

static void vlans(void **state)
{
	struct topo *t = load("tests/unit/topo/good/vlans.yaml");
	struct topo_switch *sw = topo_switch_find(t, "sw");
	struct topo_host *t1 = host(t, "t1");
	struct topo_iface *i;

	assert_access_port(&host(t, "mgmt")->ifaces[0], sw, 1, "mgmt-eth0");
	assert_access_port(&host(t, "h10")->ifaces[0], sw, 10, "h10-eth0");
	assert_access_port(&host(t, "h20")->ifaces[0], sw, 20, "h20-eth0");
	/* only VLAN 1's access port gets the gateway's default route */
	assert_int_equal(host(t, "mgmt")->n_routes, 1);
	assert_route(&host(t, "mgmt")->routes[0], "0.0.0.0/0", "192.168.1.254",
		     &host(t, "mgmt")->ifaces[0], true, true);
	assert_int_equal(host(t, "h10")->n_routes, 0);
	assert_int_equal(host(t, "h20")->n_routes, 0);
	assert_int_equal(t1->n_routes, 0);

	i = iface(t1, "eth0");
	assert_int_equal(i->n_trunk, 3);
	assert_int_equal(i->trunk[0], 10);
	assert_int_equal(i->trunk[1], 20);
	assert_int_equal(i->trunk[2], 30);
	assert_int_equal(i->native_vlan, TOPO_VLAN_DEFAULT);
	assert_int_equal(i->vlan, 0);
	assert_string_equal(i->peer, "t1-eth0");
	i = iface(t1, "eth1");
	assert_int_equal(i->n_trunk, 1);
	assert_int_equal(i->trunk[0], 4094);
	assert_int_equal(i->native_vlan, 0);
	assert_int_equal(i->n_addrs, 0);
	i = iface(t1, "eth2");
	assert_int_equal(i->native_vlan, 30);
	assert_true(i->has_mac);
	assert_memory_equal(i->mac, ((uint8_t[]){ 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee }), 6);
	topo_free(t);
}

static void swlink_mtu(void **state)
{
	struct topo *t = load("tests/unit/topo/good/swlink-mtu.yaml");

	(void)state;
	assert_int_equal(t->n_swlinks, 3);
	for (int e = 0; e < 2; e++) {
		assert_int_equal(t->swlinks[0].port[e].mtu, 1400);
		assert_int_equal(t->swlinks[1].port[e].mtu, 0);
		assert_int_equal(t->swlinks[2].port[e].mtu, 9000);
	}
	topo_free(t);
}

static void swlinks(void **state)
{
	struct topo *t = load("tests/unit/topo/good/swlinks.yaml");
	struct topo_switch *s1 = topo_switch_find(t, "s1"), *s2 = topo_switch_find(t, "s2");
	struct topo_switch *s3 = topo_switch_find(t, "s3");
	const struct topo_swlink *l;

	assert_int_equal(t->n_links, 0);
	assert_int_equal(t->n_swlinks, 3);
	/* The second link between s1 and s2 gets ports of its own. */
	assert_string_equal(t->swlinks[2].port[0].peer, "s2-s1-2");
	assert_string_equal(t->swlinks[2].port[1].peer, "s1-s2-2");
	assert_int_equal(t->swlinks[2].port[0].vlan, 30);
	l = &t->swlinks[0];
	assert_ptr_equal(l->port[0].sw, s1);
	assert_ptr_equal(l->port[1].sw, s2);
	assert_string_equal(l->port[0].peer, "s1-s2");
	assert_string_equal(l->port[1].peer, "s2-s1");
	for (int e = 0; e < 2; e++) {
		assert_null(l->port[e].name);
		assert_int_equal(l->port[e].n_trunk, 2);
		assert_int_equal(l->port[e].trunk[0], 10);
		assert_int_equal(l->port[e].trunk[1], 20);
		assert_int_equal(l->port[e].native_vlan, 1);
		assert_int_equal(l->port[e].vlan, 0);
		assert_int_equal(l->port[e].mtu, 1400); /* the smaller switch MTU */
		assert_int_equal(l->port[e].n_addrs, 0);
	}
	assert_true(topo_port_carries(&l->port[0], 1));
	assert_true(topo_port_carries(&l->port[0], 20));
	assert_false(topo_port_carries(&l->port[0], 30));
	l = &t->swlinks[1];
	assert_ptr_equal(l->port[0].sw, s3);
	assert_ptr_equal(l->port[1].sw, s2);
	assert_string_equal(l->port[0].peer, "s3-s2");
	assert_string_equal(l->port[1].peer, "s2-s3");
	for (int e = 0; e < 2; e++) {
		assert_int_equal(l->port[e].vlan, 10);
		assert_int_equal(l->port[e].n_trunk, 0);
		assert_null(l->port[e].trunk);
		assert_int_equal(l->port[e].mtu, 1500);
	}
	assert_false(topo_port_carries(&l->port[0], 1));

	/* VLAN 1 of s2 is s1's segment: b routes via s1's gateways; s3 is
	 * joined on VLAN 10 only, and island not at all. */
	assert_null(s1->linked_gw[0]);
	assert_ptr_equal(s2->linked_gw[0], s1);
	assert_ptr_equal(topo_segment_gateway(s2, AF_INET), &s1->gateways[0]);
	assert_ptr_equal(topo_segment_gateway(s2, AF_INET6), &s1->gateways[1]);
	assert_null(topo_segment_gateway(s3, AF_INET));
	assert_int_equal(host(t, "b")->n_routes, 2);
	assert_route(&host(t, "b")->routes[0], "0.0.0.0/0", "10.1.0.254",
		     &host(t, "b")->ifaces[0], true, true);
	assert_route(&host(t, "b")->routes[1], "::/0", "2001:db8:1::fe",
		     &host(t, "b")->ifaces[0], true, true);
	assert_int_equal(host(t, "b10")->n_routes, 0);
	assert_int_equal(host(t, "c10")->n_routes, 0);
	assert_int_equal(host(t, "i")->n_routes, 1);
	assert_route(&host(t, "i")->routes[0], "0.0.0.0/0", "10.9.0.254",
		     &host(t, "i")->ifaces[0], true, true);
	topo_free(t);
}

static void ipv6(void **state)
{
	struct topo *t = load("tests/unit/topo/good/ipv6.yaml");
	struct topo_switch *ds = topo_switch_find(t, "ds");
	struct topo_host *dual = host(t, "dual"), *only6 = host(t, "only6"), *r6 = host(t, "r6");
	struct topo_iface *p2p = iface(r6, "p2p");

	assert_int_equal(ds->n_gateways, 2);
	assert_int_equal(ds->gateways[0].family, AF_INET6);
	assert_cidr(&ds->gateways[0], "2001:db8:1::fe/64");
	assert_cidr(&ds->gateways[1], "172.16.1.254/24");
	assert_int_equal(dual->ifaces[0].n_addrs, 2);
	assert_cidr(&dual->ifaces[0].addrs[1], "2001:db8:1::1/64");
	assert_true(dual->ifaces[0].has_mac);
	assert_memory_equal(dual->ifaces[0].mac, ((uint8_t[]){ 2, 0, 0, 0, 1, 1 }), 6);
	/* one implicit default per family, IPv4 first */
	assert_int_equal(dual->n_routes, 2);
	assert_route(&dual->routes[0], "0.0.0.0/0", "172.16.1.254", &dual->ifaces[0], true, true);
	assert_route(&dual->routes[1], "::/0", "2001:db8:1::fe", &dual->ifaces[0], true, true);
	assert_int_equal(only6->ifaces[0].mtu, 1280);
	assert_int_equal(only6->n_routes, 1);
	assert_route(&only6->routes[0], "::/0", "2001:db8:1::fe", &only6->ifaces[0], true, true);
	/* default_route: false: none via the gateway, explicit routes kept */
	assert_true(dual->default_route);
	assert_false(host(t, "nodef")->default_route);
	assert_int_equal(host(t, "nodef")->n_routes, 0);
	assert_int_equal(host(t, "nodef6")->n_routes, 1);
	assert_route(&host(t, "nodef6")->routes[0], "10.99.0.0/16", "172.16.1.254",
		     &host(t, "nodef6")->ifaces[0], false, false);
	/* explicit IPv6 default via the link; IPv4 keeps the implicit one */
	assert_int_equal(r6->n_routes, 3);
	assert_route(&r6->routes[0], "::/0", "2001:db8:ff::1", p2p, true, false);
	assert_route(&r6->routes[1], "2001:db8:99::/48", "2001:db8:1::fe", iface(r6, "eth0"), false,
		     false);
	assert_route(&r6->routes[2], "0.0.0.0/0", "172.16.1.254", iface(r6, "eth0"), true, true);
	/* RFC 3021 / RFC 6164 point-to-point prefixes use both addresses */
	assert_cidr(&p2p->addrs[0], "10.255.0.0/31");
	assert_cidr(&p2p->addrs[1], "2001:db8:ff::/127");
	assert_null(p2p->peer);
	assert_int_equal(t->n_links, 1);
	assert_ptr_equal(t->links[0].end[0].iface, p2p);
	assert_ptr_equal(t->links[0].end[1].iface, iface(host(t, "peer"), "p2p"));
	topo_free(t);
}

static void routes(void **state)
{
	struct topo *t = load("tests/unit/topo/good/routes.yaml");
	struct topo_host *multi = host(t, "multi"), *dflt = host(t, "dflt");
	struct topo_host *bare = host(t, "bare"), *lng = host(t, "averyverylonghostname");

	assert_int_equal(multi->n_routes, 1);
	assert_route(&multi->routes[0], "0.0.0.0/0", "10.0.1.254", iface(multi, "eth1"), true, true);
	assert_int_equal(dflt->n_routes, 2);
	assert_route(&dflt->routes[0], "10.9.0.0/16", "10.0.1.7", &dflt->ifaces[0], false, false);
	assert_route(&dflt->routes[1], "0.0.0.0/0", "10.0.1.7", &dflt->ifaces[0], true, false);
	assert_int_equal(bare->ifaces[0].n_addrs, 0);
	assert_int_equal(bare->n_routes, 0);
	/* shortened: 10 characters, '-', low 16 bits of FNV-1a-32 of
	 * "averyverylonghostname-eth0" (0x5b05133f) */
	assert_string_equal(lng->ifaces[0].peer, "averyveryl-133f");
	assert_route(&lng->routes[0], "0.0.0.0/0", "10.0.2.254", &lng->ifaces[0], true, true);
	topo_free(t);
}

static void linklocal(void **state)
{
	struct topo *t = load("tests/unit/topo/good/linklocal.yaml");
	struct topo_host *r = host(t, "r");

	assert_int_equal(r->n_ifaces, 2);
	assert_cidr(&iface(r, "eth0")->addrs[0], "fe80::1/64");
	assert_cidr(&iface(r, "eth1")->addrs[0], "fe80::2/64");
	assert_cidr(&iface(r, "eth1")->addrs[1], "169.254.1.1/16");
	assert_cidr(&t->switches[0].gateways[0], "fe80::a/64");
	assert_cidr(&t->switches[1].gateways[0], "fe80::b/64");
	/* the implicit default route, via the first switch's gateway */
	assert_int_equal(r->n_routes, 1);
	assert_true(r->routes[0].is_default && r->routes[0].implicit);
	assert_string_equal(r->routes[0].dev->name, "eth0");
	topo_free(t);
}

/* Every example parses, and the lab is named as its file. */
static void examples(void **state)
{
	const char *top = getenv("TOP");
	char pattern[4096];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s%sexamples/*.yaml", top ? top : "", top ? "/" : "");
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 5);
	for (size_t k = 0; k < g.gl_pathc; k++) {
		struct topo_diag diag = { 0 };
		struct topo *t = NULL;
		const char *base = strrchr(g.gl_pathv[k], '/') + 1;
		int rc = topo_parse_file(g.gl_pathv[k], &t, &diag);

		for (size_t i = 0; i < diag.n; i++)
			print_message("# %s\n", diag.lines[i]);
		assert_int_equal(rc, 0);
		assert_int_equal(strncmp(t->name, base, strlen(t->name)), 0);
		assert_string_equal(base + strlen(t->name), ".yaml");
		topo_free(t);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_no_name), cmocka_unit_test(router), cmocka_unit_test(pair),
		cmocka_unit_test(vlans),        cmocka_unit_test(ipv6),   cmocka_unit_test(routes),
		cmocka_unit_test(linklocal),    cmocka_unit_test(swlinks), cmocka_unit_test(swlink_mtu),
		cmocka_unit_test(examples),
	};

	return cmocka_run_group_tests_name("topo_good", tests, NULL, NULL);
}
