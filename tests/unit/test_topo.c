// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The topology module's helpers (names, peer-name shortening, CIDRs), the
 * built-in seed network, and the limits that protect the parser from
 * hostile files.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/errmsg.h"
#include "common/fsutil.h"
#include "common/strbuf.h"
#include "topo/topo.h"

/* FNV-1a-32 written out again here, so the test does not trust the code
 * under test for its expected values. */
static uint32_t ref_fnv1a(const char *s)
{
	uint32_t h = 0x811c9dc5u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x01000193u;
	return h;
}

static void peer_name_short(void **state)
{
	char out[TOPO_IFNAMSIZ];

	topo_peer_name("red", "eth0", out);
	assert_string_equal(out, "red-eth0");
	/* exactly 15 characters still fit */
	topo_peer_name("abcdefghij", "eth0", out);
	assert_string_equal(out, "abcdefghij-eth0");
}

static void peer_name_shortened(void **state)
{
	char out[TOPO_IFNAMSIZ], want[TOPO_IFNAMSIZ];

	/* 16 characters: prefix of 10, '-', 4 hex digits */
	topo_peer_name("abcdefghijk", "eth0", out);
	snprintf(want, sizeof(want), "abcdefghij-%04x", ref_fnv1a("abcdefghijk-eth0") & 0xffff);
	assert_string_equal(out, want);
	/* a value computed once by hand (python), against both being wrong */
	topo_peer_name("averyverylonghostname", "eth0", out);
	assert_string_equal(out, "averyveryl-133f");
	/* a short host with a long interface: the prefix crosses the '-' */
	topo_peer_name("r1", "a-long-ifname12", out);
	snprintf(want, sizeof(want), "r1-a-long--%04x", ref_fnv1a("r1-a-long-ifname12") & 0xffff);
	assert_string_equal(out, want);
	/* deterministic, a valid interface name, lowercase hex */
	for (int i = 0; i < 200; i++) {
		char host[80], again[TOPO_IFNAMSIZ];

		snprintf(host, sizeof(host), "host-number-%d-with-a-long-name", i);
		topo_peer_name(host, "eth3", out);
		topo_peer_name(host, "eth3", again);
		assert_string_equal(out, again);
		assert_int_equal(strlen(out), 15);
		assert_int_equal(topo_ifname_valid(out), 0);
		assert_int_equal(strspn(out + 11, "0123456789abcdef"), 4);
		assert_int_equal(out[10], '-');
	}
}

static void peer_name_huge(void **state)
{
	char big[1000], out[TOPO_IFNAMSIZ], want[TOPO_IFNAMSIZ], *full;

	/* longer than any valid name (only seen in refused files): no crash */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	topo_peer_name(big, big, out);
	assert_int_equal(asprintf(&full, "%s-%s", big, big) > 0, 1);
	snprintf(want, sizeof(want), "xxxxxxxxxx-%04x", ref_fnv1a(full) & 0xffff);
	free(full);
	assert_string_equal(out, want);
}

static void ifname_rules(void **state)
{
	static const char *const good[] = { "eth0", "v-net-0", "a", "abcdefghijklmno", "veth_red.1",
					    "..." };
	static const char *const bad[] = { "",      "abcdefghijklmnop", ".",    "..",     "a/b",
					   "a:b",   "a b",              "a\tb", "eth%d",  "caf\xc3\xa9",
					   "a\nb" };

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_int_equal(topo_ifname_valid(good[i]), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(topo_ifname_valid(bad[i]), -EINVAL);
}

static void lab_and_host_names(void **state)
{
	char n32[33], n33[34], h63[64], h64[65];

	memset(n32, 'a', 32);
	n32[32] = '\0';
	memset(n33, 'a', 33);
	n33[33] = '\0';
	memset(h63, 'H', 63);
	h63[63] = '\0';
	memset(h64, 'H', 64);
	h64[64] = '\0';
	assert_int_equal(topo_lab_name_valid("seed"), 0);
	assert_int_equal(topo_lab_name_valid("lab_2-x"), 0);
	assert_int_equal(topo_lab_name_valid("0lab"), 0);
	assert_int_equal(topo_lab_name_valid(n32), 0);
	assert_int_equal(topo_lab_name_valid(n33), -EINVAL);
	assert_int_equal(topo_lab_name_valid(""), -EINVAL);
	assert_int_equal(topo_lab_name_valid("Seed"), -EINVAL);
	assert_int_equal(topo_lab_name_valid("-lab"), -EINVAL);
	assert_int_equal(topo_lab_name_valid("a.b"), -EINVAL);
	assert_int_equal(topo_host_name_valid("red"), 0);
	assert_int_equal(topo_host_name_valid("Red.lab_1-x"), 0);
	assert_int_equal(topo_host_name_valid(h63), 0);
	assert_int_equal(topo_host_name_valid(h64), -EINVAL);
	assert_int_equal(topo_host_name_valid(".red"), -EINVAL);
	assert_int_equal(topo_host_name_valid("red blue"), -EINVAL);
	assert_int_equal(topo_host_name_valid("red/x"), -EINVAL);
	assert_int_equal(topo_host_name_valid("host"), -EINVAL);
	assert_int_equal(topo_host_name_valid("inet"), -EINVAL);
	assert_int_equal(topo_host_name_valid("hosts"), 0);
	assert_string_equal(topo_switch_kind_str(TOPO_SWITCH_BRIDGE), "bridge");
	assert_string_equal(topo_switch_kind_str(TOPO_SWITCH_NSLAB), "nslab");
}

static void cidr_parse(void **state)
{
	static const char *const good[] = { "172.16.10.1/24", "0.0.0.0/0", "10.0.0.1/32",
					    "2001:db8::1/64", "::/0",      "fe80::1/128",
					    "::ffff:1.2.3.4/96" };
	static const char *const bad[] = { "172.16.10.1",  "172.16.10.1/",   "172.16.10.1/33",
					   "1.2.3.4/024",  "1.2.3.4/-1",     "1.2.3.4/+24",
					   "1.2.3.4/ 24",  "1.2.3/24",       "01.2.3.4/24",
					   "1.2.3.4/24x",  "",               "/24",
					   "2001:db8::1/129", "2001:db8::g/64", "1.2.3.4/24/5",
					   "fe80::1%eth0/64" };
	struct topo_cidr c;
	char buf[TOPO_CIDR_STRLEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_int_equal(topo_cidr_parse(good[i], &c), 0);
		assert_string_equal(topo_cidr_str(&c, buf, sizeof(buf)), good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(topo_cidr_parse(bad[i], &c), -EINVAL);
	assert_int_equal(topo_cidr_parse("172.16.10.1/24", &c), 0);
	assert_int_equal(c.family, AF_INET);
	assert_int_equal(c.plen, 24);
	assert_memory_equal(c.addr, ((uint8_t[]){ 172, 16, 10, 1 }), 4);
	assert_int_equal(topo_cidr_parse("2001:db8::1/64", &c), 0);
	assert_int_equal(c.family, AF_INET6);
	assert_int_equal(c.addr[0], 0x20);
	assert_int_equal(c.addr[15], 1);
}

static void cidr_math(void **state)
{
	struct topo_cidr c, n;
	char buf[TOPO_CIDR_STRLEN];
	int family;
	uint8_t a[16];

	assert_int_equal(topo_cidr_parse("172.16.10.77/20", &c), 0);
	topo_cidr_network(&c, &n);
	assert_string_equal(topo_cidr_str(&n, buf, sizeof(buf)), "172.16.0.0/20");
	assert_int_equal(topo_cidr_parse("2001:db8:abcd:1234::9/50", &c), 0);
	topo_cidr_network(&c, &n);
	assert_string_equal(topo_cidr_str(&n, buf, sizeof(buf)), "2001:db8:abcd::/50");
	assert_int_equal(topo_cidr_parse("10.1.2.3/32", &c), 0);
	topo_cidr_network(&c, &n);
	assert_string_equal(topo_cidr_str(&n, buf, sizeof(buf)), "10.1.2.3/32");

	assert_int_equal(topo_cidr_parse("172.16.10.0/24", &c), 0);
	assert_int_equal(topo_addr_parse("172.16.10.254", &family, a), 0);
	assert_int_equal(family, AF_INET);
	assert_true(topo_cidr_contains(&c, family, a));
	assert_int_equal(topo_addr_parse("172.16.11.1", &family, a), 0);
	assert_false(topo_cidr_contains(&c, family, a));
	assert_int_equal(topo_cidr_parse("10.0.0.0/9", &c), 0);
	assert_int_equal(topo_addr_parse("10.127.255.255", &family, a), 0);
	assert_true(topo_cidr_contains(&c, family, a));
	assert_int_equal(topo_addr_parse("10.128.0.0", &family, a), 0);
	assert_false(topo_cidr_contains(&c, family, a));
	/* a family never contains the other's addresses */
	assert_int_equal(topo_cidr_parse("0.0.0.0/0", &c), 0);
	assert_int_equal(topo_addr_parse("::1", &family, a), 0);
	assert_int_equal(family, AF_INET6);
	assert_false(topo_cidr_contains(&c, family, a));
	assert_int_equal(topo_cidr_parse("::/0", &c), 0);
	assert_true(topo_cidr_contains(&c, family, a));
	assert_string_equal(topo_addr_str(family, a, buf, sizeof(buf)), "::1");
	assert_int_equal(topo_addr_parse("10.0.0.1/24", &family, a), -EINVAL);
	assert_int_equal(topo_addr_parse("010.0.0.1", &family, a), -EINVAL);
}

/* DESIGN.md's seed network, field by field. */
static void check_seed(const struct topo *t)
{
	static const char *const names[] = { "red", "blue", "green", "yellow" };
	static const char *const addrs[] = { "172.16.10.1/24", "172.16.10.5/24", "172.16.10.10/24",
					     "172.16.10.20/24" };
	const struct topo_switch *sw;
	char buf[TOPO_CIDR_STRLEN];

	assert_string_equal(t->name, "seed");
	assert_int_equal(t->n_switches, 1);
	sw = &t->switches[0];
	assert_string_equal(sw->name, "v-net-0");
	assert_int_equal(sw->kind, TOPO_SWITCH_KIND_DEFAULT);
	assert_int_equal(sw->n_gateways, 1);
	assert_string_equal(topo_cidr_str(&sw->gateways[0], buf, sizeof(buf)), "172.16.10.254/24");
	assert_true(sw->nat);
	assert_null(sw->uplink);
	assert_int_equal(t->n_hosts, 4);
	for (size_t k = 0; k < 4; k++) {
		const struct topo_host *h = &t->hosts[k];
		const struct topo_iface *i = &h->ifaces[0];
		char peer[TOPO_IFNAMSIZ];

		assert_string_equal(h->name, names[k]);
		assert_int_equal(h->n_ifaces, 1);
		assert_string_equal(i->name, "eth0");
		assert_ptr_equal(i->sw, sw);
		snprintf(peer, sizeof(peer), "%s-eth0", names[k]);
		assert_string_equal(i->peer, peer);
		assert_int_equal(i->vlan, TOPO_VLAN_DEFAULT);
		assert_int_equal(i->n_addrs, 1);
		assert_string_equal(topo_cidr_str(&i->addrs[0], buf, sizeof(buf)), addrs[k]);
		assert_int_equal(h->n_routes, 1);
		assert_true(h->routes[0].is_default);
		assert_true(h->routes[0].implicit);
		assert_ptr_equal(h->routes[0].dev, i);
		assert_string_equal(topo_addr_str(AF_INET, h->routes[0].via, buf, sizeof(buf)),
				    "172.16.10.254");
	}
	assert_int_equal(t->n_links, 0);
}

static void same_cidrs(const struct topo_cidr *a, const struct topo_cidr *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].family, b[i].family);
		assert_int_equal(a[i].plen, b[i].plen);
		assert_memory_equal(a[i].addr, b[i].addr, 16);
	}
}

/* The two models describe the same lab (positions and file aside). */
static void same_model(const struct topo *a, const struct topo *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->n_switches, b->n_switches);
	for (size_t s = 0; s < a->n_switches; s++) {
		const struct topo_switch *x = &a->switches[s], *y = &b->switches[s];

		assert_string_equal(x->name, y->name);
		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->n_gateways, y->n_gateways);
		same_cidrs(x->gateways, y->gateways, x->n_gateways);
		assert_int_equal(x->nat, y->nat);
		assert_int_equal(x->uplink == NULL, y->uplink == NULL);
		assert_int_equal(x->mtu, y->mtu);
		assert_int_equal(x->fdb_size, y->fdb_size);
		assert_int_equal(x->fdb_aging, y->fdb_aging);
	}
	assert_int_equal(a->n_hosts, b->n_hosts);
	for (size_t h = 0; h < a->n_hosts; h++) {
		const struct topo_host *x = &a->hosts[h], *y = &b->hosts[h];

		assert_string_equal(x->name, y->name);
		assert_int_equal(x->forward, y->forward);
		assert_int_equal(x->n_ifaces, y->n_ifaces);
		for (size_t i = 0; i < x->n_ifaces; i++) {
			const struct topo_iface *p = &x->ifaces[i], *q = &y->ifaces[i];

			assert_string_equal(p->name, q->name);
			assert_string_equal(p->peer, q->peer);
			assert_string_equal(p->sw->name, q->sw->name);
			assert_int_equal(p->n_addrs, q->n_addrs);
			same_cidrs(p->addrs, q->addrs, p->n_addrs);
			assert_int_equal(p->vlan, q->vlan);
			assert_int_equal(p->mtu, q->mtu);
			assert_int_equal(p->has_mac, q->has_mac);
		}
		assert_int_equal(x->n_routes, y->n_routes);
		for (size_t r = 0; r < x->n_routes; r++) {
			const struct topo_route *p = &x->routes[r], *q = &y->routes[r];

			assert_int_equal(p->family, q->family);
			same_cidrs(&p->dst, &q->dst, 1);
			assert_memory_equal(p->via, q->via, 16);
			assert_string_equal(p->dev->name, q->dev->name);
			assert_int_equal(p->implicit, q->implicit);
			assert_int_equal(p->is_default, q->is_default);
		}
	}
	assert_int_equal(a->n_links, b->n_links);
	assert_int_equal(a->n_expects, b->n_expects);
}

static void seed_builtin(void **state)
{
	struct topo *t = topo_seed();

	assert_non_null(t);
	check_seed(t);
	/* built-in: no file, no positions */
	assert_null(t->file);
	assert_int_equal(t->switches[0].pos.line, 0);
	for (size_t h = 0; h < t->n_hosts; h++) {
		assert_int_equal(t->hosts[h].pos.line, 0);
		assert_int_equal(t->hosts[h].ifaces[0].pos.line, 0);
		assert_int_equal(t->hosts[h].routes[0].pos.line, 0);
	}
	topo_free(t);
}

static void seed_example_file(void **state)
{
	const char *top = getenv("TOP");
	struct topo_diag diag = { 0 };
	struct topo *t, *seed = topo_seed();
	char path[4096];

	snprintf(path, sizeof(path), "%s%sexamples/seed.yaml", top ? top : "", top ? "/" : "");
	assert_int_equal(topo_parse_file(path, &t, &diag), 0);
	check_seed(t);
	same_model(t, seed);
	assert_int_equal(t->hosts[0].pos.line, 7);
	topo_free(t);
	topo_free(seed);
}

/* ---- files and limits ---- */

static int parse_str(const char *s, struct topo **t, struct topo_diag *diag)
{
	return topo_parse_buffer("t.yaml", s, strlen(s), t, diag);
}

static void missing_file(void **state)
{
	struct topo_diag diag = { 0 };
	struct topo *t = (struct topo *)1;

	assert_int_equal(topo_parse_file("/nonexistent/lab.yaml", &t, &diag), -ENOENT);
	assert_null(t);
	assert_int_equal(diag.n, 0);
	assert_non_null(strstr(err_text(-ENOENT), "/nonexistent/lab.yaml"));
}

static void too_big(void **state)
{
	struct topo_diag diag = { 0 };
	struct topo *t = (struct topo *)1;
	size_t n = TOPO_FILE_MAX + 1;
	char *buf = malloc(n), path[] = "/tmp/nslab-topo-big-XXXXXX";
	int fd;

	assert_non_null(buf);
	memset(buf, '#', n);
	assert_int_equal(topo_parse_buffer("big.yaml", buf, n, &t, &diag), -EFBIG);
	assert_null(t);
	assert_int_equal(diag.n, 0);
	assert_non_null(strstr(err_text(-EFBIG), "big.yaml"));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
	assert_int_equal(topo_parse_file(path, &t, &diag), -EFBIG);
	unlink(path);
	assert_null(t);
	free(buf);
}

static void only_len_bytes(void **state)
{
	static const char s[] = "hosts: {a: {}, b: {}}\nlinks: [[a, b]]\n!!! not read";
	struct topo_diag diag = { 0 };
	struct topo *t;

	assert_int_equal(topo_parse_buffer("lab.yaml", s, strlen(s) - 13, &t, &diag), 0);
	assert_string_equal(t->name, "lab");
	assert_int_equal(t->n_links, 1);
	topo_free(t);
}

static bool has_line(const struct topo_diag *d, const char *text)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->lines[i], text))
			return true;
	return false;
}

static void billion_laughs(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct topo_diag diag = { 0 };
	struct topo *t;

	/* Nine levels of ten aliases each: 10^9 nodes if expanded. */
	sb_puts(&sb, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i < 10; i++) {
		sb_printf(&sb, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			sb_printf(&sb, "%s*a%d", j ? ", " : "", i - 1);
		sb_puts(&sb, "]\n");
	}
	sb_puts(&sb, "hosts: {red: {}}\n");
	assert_int_equal(sb_error(&sb), 0);
	assert_int_equal(parse_str(sb_str(&sb), &t, &diag), -EINVAL);
	assert_null(t);
	assert_true(diag.n > 10);
	assert_true(has_line(&diag, "t.yaml:1:5: anchor '&a0': anchors and aliases are not supported"));
	assert_true(has_line(&diag, "t.yaml:2:10: alias '*a0': anchors and aliases are not supported"));
	assert_true(has_line(&diag, "t.yaml:10:55: alias '*a8'"));
	topo_diag_free(&diag);
	sb_free(&sb);
}

static void too_many_nodes(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct topo_diag diag = { 0 };
	struct topo *t;

	sb_puts(&sb, "hosts: [");
	for (int i = 0; i < TOPO_YAML_NODES_MAX; i++)
		sb_puts(&sb, "1,");
	sb_puts(&sb, "1]\n");
	assert_int_equal(parse_str(sb_str(&sb), &t, &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_non_null(strstr(diag.lines[0], "more than 200000 YAML values"));
	topo_diag_free(&diag);
	sb_free(&sb);
}

static void too_deep(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct topo_diag diag = { 0 };
	struct topo *t;

	/* Deeper than libyaml's own recursion could cope with, were it
	 * recursive: stopped at TOPO_YAML_DEPTH_MAX. */
	for (int i = 0; i < 100000; i++)
		sb_puts(&sb, "[");
	assert_int_equal(parse_str(sb_str(&sb), &t, &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_non_null(strstr(diag.lines[0], "t.yaml:1:33: nesting deeper than 32 levels"));
	topo_diag_free(&diag);
	sb_free(&sb);
}

static void many_problems_capped(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct topo_diag diag = { 0 };
	struct topo *t;

	sb_puts(&sb, "hosts:\n  red:\n");
	for (int i = 0; i < TOPO_DIAG_MAX + 500; i++)
		sb_printf(&sb, "    bogus%d: 1\n", i);
	assert_int_equal(parse_str(sb_str(&sb), &t, &diag), -EINVAL);
	assert_int_equal(diag.n, TOPO_DIAG_MAX + 1);
	assert_non_null(strstr(diag.lines[0], "t.yaml:3:5: unknown key 'bogus0' in host 'red'"));
	assert_non_null(strstr(diag.lines[TOPO_DIAG_MAX], "t.yaml: 500 more problems not shown"));
	topo_diag_free(&diag);
	assert_int_equal(diag.n, 0);
	assert_null(diag.lines);
	sb_free(&sb);
}

static void too_many_expectations(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct topo_diag diag = { 0 };
	struct topo *t;

	sb_puts(&sb, "switches: {sw: {}}\nhosts:\n");
	for (int i = 0; i < 600; i++)
		sb_printf(&sb, "  h%d: {switch: sw}\n", i);
	sb_puts(&sb, "expect:\n  - {from: \"*\", to: \"*\"}\n");
	assert_int_equal(parse_str(sb_str(&sb), &t, &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_non_null(strstr(diag.lines[0], "t.yaml:604:5: the expectations expand to more than 262144 host pairs"));
	topo_diag_free(&diag);
	sb_free(&sb);
}

/* A large lab parses. (Not with long host names: 4 hex digits of hash
 * make collisions likely among thousands of shortened names, and those
 * are refused.) */
static void large_lab(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct topo_diag diag = { 0 };
	struct topo *t;
	int n = 15000;

	sb_puts(&sb, "switches: {sw: {gateway: 10.0.0.1/16}}\nhosts:\n");
	for (int i = 0; i < n; i++)
		sb_printf(&sb, "  host-%d: {switch: sw, ip: 10.0.%d.%d/16}\n", i,
			  (i + 2) / 256, (i + 2) % 256);
	assert_int_equal(parse_str(sb_str(&sb), &t, &diag), 0);
	assert_int_equal(t->n_hosts, (size_t)n);
	assert_int_equal(t->hosts[n - 1].n_routes, 1);
	assert_string_equal(t->hosts[n - 1].ifaces[0].peer, "host-14999-eth0");
	topo_free(t);
	sb_free(&sb);
}

static void diag_appends(void **state)
{
	struct topo_diag diag = { 0 };
	struct topo *t;

	assert_int_equal(parse_str("hosts: {host: {}}\n", &t, &diag), -EINVAL);
	assert_int_equal(diag.n, 2);
	assert_int_equal(parse_str("[]\n", &t, &diag), -EINVAL);
	assert_int_equal(diag.n, 3);
	assert_non_null(strstr(diag.lines[2], "t.yaml:1:1: the top level must be a mapping"));
	assert_non_null(strstr(err_text(-EINVAL), "1 problem in the topology"));
	topo_diag_free(&diag);
	topo_diag_free(&diag);
	topo_diag_free(NULL);
	topo_free(NULL);
}

/* Every prefix of a real file: truncated input never crashes or leaks
 * (run under ASan by `make check SANITIZE=1`). */
static void truncated_files(void **state)
{
	const char *top = getenv("TOP");
	char path[4096], *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s%sexamples/router.yaml", top ? top : "", top ? "/" : "");
	assert_int_equal(fs_read_file(path, TOPO_FILE_MAX, &buf, &len), 0);
	for (size_t n = 0; n <= len; n++) {
		struct topo_diag diag = { 0 };
		struct topo *t = NULL;
		int rc = topo_parse_buffer("router.yaml", buf, n, &t, &diag);

		assert_true(rc == 0 || rc == -EINVAL);
		assert_true(rc == 0 ? t != NULL && diag.n == 0 : t == NULL && diag.n > 0);
		topo_free(t);
		topo_diag_free(&diag);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(peer_name_short),
		cmocka_unit_test(peer_name_shortened),
		cmocka_unit_test(peer_name_huge),
		cmocka_unit_test(ifname_rules),
		cmocka_unit_test(lab_and_host_names),
		cmocka_unit_test(cidr_parse),
		cmocka_unit_test(cidr_math),
		cmocka_unit_test(seed_builtin),
		cmocka_unit_test(seed_example_file),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(too_big),
		cmocka_unit_test(only_len_bytes),
		cmocka_unit_test(billion_laughs),
		cmocka_unit_test(too_many_nodes),
		cmocka_unit_test(too_deep),
		cmocka_unit_test(many_problems_capped),
		cmocka_unit_test(too_many_expectations),
		cmocka_unit_test(large_lab),
		cmocka_unit_test(diag_appends),
		cmocka_unit_test(truncated_files),
	};

	return cmocka_run_group_tests_name("topo", tests, NULL, NULL);
}
