// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner's diff, without a kernel: topologies become desired objects,
 * and plans between them say exactly what a reconcile or a teardown does.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lab/desired.h"
#include "lab/plan.h"
#include "topo/topo.h"

static const char *seed_yaml =
	"name: t\n"
	"switches:\n"
	"  v-net-0: {kind: bridge, gateway: 172.16.10.254/24, nat: true}\n"
	"hosts:\n"
	"  red: {switch: v-net-0, ip: 172.16.10.1/24}\n"
	"  blue: {switch: v-net-0, ip: 172.16.10.5/24}\n";

static struct lab_env env_sandbox = {
	.lab = "t", .sandbox = true, .host_ns = "nslab-t", .inet_ns = "nslab-t-inet",
	.group = 77, .default_uplink = "eth0", .run_dir = "/nonexistent",
};

static struct topo *parse(const char *yaml)
{
	struct topo_diag d = { 0 };
	struct topo *t = NULL;
	int rc = topo_parse_buffer("t.yaml", yaml, strlen(yaml), &t, &d);

	if (rc)
		topo_diag_print(&d, stderr);
	topo_diag_free(&d);
	assert_int_equal(rc, 0);
	return t;
}

static void desired_of(const char *yaml, struct objset *out)
{
	struct topo *t = parse(yaml);

	objset_init(out);
	assert_int_equal(desired_build(t, &env_sandbox, out), 0);
	topo_free(t);
}

static const struct plan_opts popts = { .host_ns = "nslab-t", .ifindex_base = 2 };

/* The objects a plan leaves, as if it had run: its "next" set. */
static void as_current(const struct plan *p, struct objset *cur)
{
	objset_init(cur);
	for (size_t i = 0; i < p->next.n; i++)
		assert_int_equal(objset_put(cur, obj_dup(p->next.v[i])), 0);
}

/* A running lab built from topology `from`, and the plan that makes it
 * `to`: the reconcile an edited file asks for. */
struct reconcile {
	struct objset from, to, cur;
	struct plan first, p;
};

static void reconcile(const char *from, const char *to, struct reconcile *r)
{
	desired_of(from, &r->from);
	desired_of(to, &r->to);
	objset_init(&r->cur);
	assert_int_equal(plan_make(&r->from, &r->cur, &popts, &r->first), 0);
	as_current(&r->first, &r->cur);
	assert_int_equal(plan_make(&r->to, &r->cur, &popts, &r->p), 0);
}

static void reconcile_free(struct reconcile *r)
{
	plan_free(&r->first);
	plan_free(&r->p);
	objset_clear(&r->cur);
	objset_clear(&r->from);
	objset_clear(&r->to);
}

static size_t count(const struct plan *p, enum plan_op op, enum obj_kind k, bool implicit)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].op == op && p->v[i].obj->kind == k && p->v[i].implicit == implicit;
	return n;
}

static const struct plan_action *find(const struct plan *p, enum plan_op op, enum obj_kind k,
				      const char *ns, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].op == op && p->v[i].obj->kind == k && !strcmp(p->v[i].obj->ns, ns) &&
		    !strcmp(p->v[i].obj->name, name))
			return &p->v[i];
	return NULL;
}

static void test_desired_seed(void **state)
{
	struct objset d;
	char via[64];
	const struct obj *o;

	(void)state;
	desired_of(seed_yaml, &d);
	/* Creation order: kind by kind. */
	for (size_t i = 1; i < d.n; i++)
		assert_true(d.v[i - 1]->kind <= d.v[i]->kind);
	assert_non_null(objset_find_key(&d, OBJ_NETNS, "-", "red"));
	assert_non_null(objset_find_key(&d, OBJ_NETNS, "-", "nslab-t"));
	assert_non_null(objset_find_key(&d, OBJ_NETNS, "-", "nslab-t-inet"));
	o = objset_find_key(&d, OBJ_VETH, "red", "eth0");
	assert_non_null(o);
	assert_non_null(strstr(o->attrs, "peer_ns=nslab-t peer=red-eth0"));
	assert_non_null(strstr(o->attrs, "peer_group=77"));
	assert_non_null(objset_find_key(&d, OBJ_BRIDGE, "nslab-t", "v-net-0"));
	assert_non_null(objset_find_key(&d, OBJ_PORT, "nslab-t", "blue-eth0"));
	assert_non_null(objset_find_key(&d, OBJ_ADDR, "red", "eth0/172.16.10.1/24"));
	assert_non_null(objset_find_key(&d, OBJ_ADDR, "nslab-t", "v-net-0/172.16.10.254/24"));
	o = objset_find_key(&d, OBJ_ROUTE, "blue", "0.0.0.0/0");
	assert_non_null(o);
	assert_true(obj_get(o->attrs, "via", via, sizeof(via)));
	assert_string_equal(via, "172.16.10.254");
	o = objset_find_key(&d, OBJ_NFT, "nslab-t", "nslab-t");
	assert_non_null(o);
	assert_string_equal(o->attrs, "masq=172.16.10.0/24@eth0");
	assert_non_null(objset_find_key(&d, OBJ_SYSCTL, "nslab-t", "net.ipv4.ip_forward"));
	objset_clear(&d);
}

static void test_fresh_plan_creates_all(void **state)
{
	struct objset d, cur;
	struct plan p;

	(void)state;
	desired_of(seed_yaml, &d);
	objset_init(&cur);
	assert_int_equal(plan_make(&d, &cur, &popts, &p), 0);
	assert_int_equal(p.n_create, d.n);
	assert_int_equal(p.n_delete + p.n_update + p.n_keep, 0);
	/* New veths in the lab's namespaces get chosen indexes from the base;
	 * the host side's are left to the kernel. */
	assert_string_equal(objset_find_key(&p.next, OBJ_VETH, "red", "eth0")->state,
			    "ifindex=2 peer_ifindex=0");
	assert_string_equal(objset_find_key(&p.next, OBJ_VETH, "nslab-t", "eth0")->state,
			    "ifindex=0 peer_ifindex=2");
	plan_free(&p);
	objset_clear(&cur);
	objset_clear(&d);
}

static void test_same_topology_changes_nothing(void **state)
{
	struct objset d, cur;
	struct plan p, p2;

	(void)state;
	desired_of(seed_yaml, &d);
	objset_init(&cur);
	assert_int_equal(plan_make(&d, &cur, &popts, &p), 0);
	objset_clear(&cur);
	as_current(&p, &cur);
	assert_int_equal(plan_make(&d, &cur, &popts, &p2), 0);
	assert_int_equal(p2.n, 0);
	assert_int_equal(p2.n_keep, d.n);
	plan_free(&p);
	plan_free(&p2);
	objset_clear(&cur);
	objset_clear(&d);
}

/* Green joins, blue's address changes and red leaves, in one edit. */
static void test_reconcile_touches_only_the_difference(void **state)
{
	static const char *edited =
		"name: t\n"
		"switches:\n"
		"  v-net-0: {kind: bridge, gateway: 172.16.10.254/24, nat: true}\n"
		"hosts:\n"
		"  blue: {switch: v-net-0, ip: 172.16.10.6/24}\n"
		"  green: {switch: v-net-0, ip: 172.16.10.10/24}\n";
	struct reconcile r;
	const struct plan_action *a;

	(void)state;
	reconcile(seed_yaml, edited, &r);

	/* Deletes come first, newest first. */
	for (size_t i = 1; i < r.p.n; i++)
		assert_false(r.p.v[i - 1].op != PLAN_DELETE && r.p.v[i].op == PLAN_DELETE);
	/* red: its namespace goes, its switch-side veth explicitly (its other
	 * end stays in the host namespace), its address and route with it. */
	assert_non_null(find(&r.p, PLAN_DELETE, OBJ_NETNS, "-", "red"));
	a = find(&r.p, PLAN_DELETE, OBJ_VETH, "red", "eth0");
	assert_non_null(a);
	assert_false(a->implicit);
	a = find(&r.p, PLAN_DELETE, OBJ_ADDR, "red", "eth0/172.16.10.1/24");
	assert_non_null(a);
	assert_true(a->implicit);
	/* blue: only the address, and the route that used it. */
	assert_non_null(find(&r.p, PLAN_DELETE, OBJ_ADDR, "blue", "eth0/172.16.10.5/24"));
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_ADDR, "blue", "eth0/172.16.10.6/24"));
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_ROUTE, "blue", "0.0.0.0/0"));
	assert_null(find(&r.p, PLAN_DELETE, OBJ_NETNS, "-", "blue"));
	assert_null(find(&r.p, PLAN_DELETE, OBJ_VETH, "blue", "eth0"));
	/* green: everything new. */
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_NETNS, "-", "green"));
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_VETH, "green", "eth0"));
	/* The switch, NAT and the sandbox stay as they are. */
	assert_null(find(&r.p, PLAN_DELETE, OBJ_BRIDGE, "nslab-t", "v-net-0"));
	assert_null(find(&r.p, PLAN_UPDATE, OBJ_NFT, "nslab-t", "nslab-t"));
	assert_null(find(&r.p, PLAN_DELETE, OBJ_NETNS, "-", "nslab-t"));
	assert_int_equal(count(&r.p, PLAN_CREATE, OBJ_NETNS, false), 1);
	reconcile_free(&r);
}

static void test_unconfirmed_objects_are_remade(void **state)
{
	struct objset d, cur;
	struct plan p, p2;
	struct obj *o;

	(void)state;
	desired_of(seed_yaml, &d);
	objset_init(&cur);
	assert_int_equal(plan_make(&d, &cur, &popts, &p), 0);
	objset_clear(&cur);
	as_current(&p, &cur);
	/* A crash left blue's veth recorded but not committed. */
	o = objset_find_key(&cur, OBJ_VETH, "blue", "eth0");
	o->flags &= ~OBJ_F_CONFIRMED;
	assert_int_equal(plan_make(&d, &cur, &popts, &p2), 0);
	assert_non_null(find(&p2, PLAN_DELETE, OBJ_VETH, "blue", "eth0"));
	assert_non_null(find(&p2, PLAN_CREATE, OBJ_VETH, "blue", "eth0"));
	/* What lives on it is remade too; its namespace is not. */
	assert_non_null(find(&p2, PLAN_CREATE, OBJ_ADDR, "blue", "eth0/172.16.10.5/24"));
	assert_non_null(find(&p2, PLAN_CREATE, OBJ_PORT, "nslab-t", "blue-eth0"));
	assert_null(find(&p2, PLAN_CREATE, OBJ_NETNS, "-", "blue"));
	assert_null(find(&p2, PLAN_CREATE, OBJ_VETH, "red", "eth0"));
	plan_free(&p);
	plan_free(&p2);
	objset_clear(&cur);
	objset_clear(&d);
}

static int all_dead(const struct obj *o, void *arg)
{
	(void)arg;
	return o->kind != OBJ_SWITCHD ? PLAN_ALIVE : PLAN_GONE;
}

/* red's interface set down by hand, and its address removed. */
static int red_drifted(const struct obj *o, void *arg)
{
	(void)arg;
	if (!strcmp(o->ns, "red") && (o->kind == OBJ_VETH || o->kind == OBJ_ADDR))
		return PLAN_DRIFTED;
	return PLAN_ALIVE;
}

static void test_drift_is_set_right(void **state)
{
	static const char *yaml =
		"name: t\nswitches:\n  s: {kind: nslab}\nhosts:\n"
		"  red: {switch: s, ip: 10.0.0.1/24}\n  blue: {switch: s, ip: 10.0.0.2/24}\n";
	struct plan_opts o = popts;
	struct objset d, cur;
	struct plan p, p2;

	(void)state;
	desired_of(yaml, &d);
	objset_init(&cur);
	assert_int_equal(plan_make(&d, &cur, &popts, &p), 0);
	objset_clear(&cur);
	as_current(&p, &cur);
	o.alive = red_drifted;
	assert_int_equal(plan_make(&d, &cur, &o, &p2), 0);
	/* The link is set right in place (made again, it would take the
	 * switch port and the routes with it); the address is made again. */
	assert_non_null(find(&p2, PLAN_UPDATE, OBJ_VETH, "red", "eth0"));
	assert_null(find(&p2, PLAN_DELETE, OBJ_VETH, "red", "eth0"));
	assert_non_null(find(&p2, PLAN_DELETE, OBJ_ADDR, "red", "eth0/10.0.0.1/24"));
	assert_non_null(find(&p2, PLAN_CREATE, OBJ_ADDR, "red", "eth0/10.0.0.1/24"));
	assert_int_equal(p2.n, 3);
	assert_int_equal(p2.n_keep, p.n - 2);
	plan_free(&p);
	plan_free(&p2);
	objset_clear(&cur);
	objset_clear(&d);
}

static void test_dead_switch_daemon_is_restarted_alone(void **state)
{
	static const char *yaml =
		"name: t\nswitches:\n  s: {kind: nslab}\nhosts:\n"
		"  a: {switch: s, ip: 10.0.0.1/24}\n  b: {switch: s, ip: 10.0.0.2/24}\n";
	struct plan_opts o = popts;
	struct objset d, cur;
	struct plan p, p2;

	(void)state;
	desired_of(yaml, &d);
	objset_init(&cur);
	assert_int_equal(plan_make(&d, &cur, &popts, &p), 0);
	objset_clear(&cur);
	as_current(&p, &cur);
	o.alive = all_dead;
	assert_int_equal(plan_make(&d, &cur, &o, &p2), 0);
	assert_int_equal(p2.n, 2);
	assert_non_null(find(&p2, PLAN_DELETE, OBJ_SWITCHD, "nslab-t", "s"));
	assert_non_null(find(&p2, PLAN_CREATE, OBJ_SWITCHD, "nslab-t", "s"));
	plan_free(&p);
	plan_free(&p2);
	objset_clear(&cur);
	objset_clear(&d);
}

static void test_vlan_change_updates_in_place(void **state)
{
	static const char *a =
		"name: t\nswitches:\n  s: {kind: nslab}\nhosts:\n"
		"  a: {switch: s, ip: 10.0.0.1/24}\n  b: {switch: s, ip: 10.0.0.2/24}\n";
	static const char *b =
		"name: t\nswitches:\n  s: {kind: nslab}\nhosts:\n"
		"  a: {switch: s, ip: 10.0.0.1/24, vlan: 20}\n  b: {switch: s, ip: 10.0.0.2/24}\n";
	struct reconcile r;

	(void)state;
	reconcile(a, b, &r);
	/* The daemon reloads its configuration; no link or host is touched. */
	assert_int_equal(r.p.n, 1);
	assert_non_null(find(&r.p, PLAN_UPDATE, OBJ_SWITCHD, "nslab-t", "s"));
	assert_non_null(strstr(r.p.v[0].obj->attrs, "a-eth0:v20"));
	reconcile_free(&r);
}

/* A host's link made anew (here: a new MAC) leaves the daemon's
 * configuration as it was, but the daemon must let go of the old interface
 * and attach the new one: it is told to reload. */
static void test_remade_port_reloads_switch_daemon(void **state)
{
	static const char *a =
		"name: t\nswitches:\n  s: {kind: nslab}\nhosts:\n"
		"  a: {switch: s, ip: 10.0.0.1/24}\n  b: {switch: s, ip: 10.0.0.2/24}\n";
	static const char *b =
		"name: t\nswitches:\n  s: {kind: nslab}\nhosts:\n"
		"  a: {interfaces: {eth0: {switch: s, ip: 10.0.0.1/24, mac: '02:00:00:00:00:0a'}}}\n"
		"  b: {switch: s, ip: 10.0.0.2/24}\n";
	struct reconcile r;
	const struct plan_action *up;

	(void)state;
	reconcile(a, b, &r);
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_VETH, "a", "eth0"));
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_PORT, "nslab-t", "a-eth0"));
	up = find(&r.p, PLAN_UPDATE, OBJ_SWITCHD, "nslab-t", "s");
	assert_non_null(up);
	/* ... in its place in the plan: after the port it must attach. */
	assert_true(up > find(&r.p, PLAN_CREATE, OBJ_PORT, "nslab-t", "a-eth0"));
	/* b's link stays, and alone would not reload the daemon. */
	assert_null(find(&r.p, PLAN_CREATE, OBJ_VETH, "b", "eth0"));
	reconcile_free(&r);
}

/* A new MTU changes the links in place, on a bridge and on its ports:
 * made anew, they would take their addresses and routes with them. */
static void test_mtu_changes_in_place(void **state)
{
	static const char *a =
		"name: t\nswitches:\n  s: {kind: bridge, gateway: 10.0.0.254/24}\nhosts:\n"
		"  a: {switch: s, ip: 10.0.0.1/24}\n  b: {switch: s, ip: 10.0.0.2/24}\n";
	static const char *b =
		"name: t\nswitches:\n  s: {kind: bridge, gateway: 10.0.0.254/24, mtu: 9000}\n"
		"hosts:\n  a: {switch: s, ip: 10.0.0.1/24}\n  b: {switch: s, ip: 10.0.0.2/24}\n";
	struct reconcile r;

	(void)state;
	reconcile(a, b, &r);
	assert_int_equal(r.p.n, 3);
	assert_int_equal(r.p.n_update, 3);
	assert_non_null(find(&r.p, PLAN_UPDATE, OBJ_BRIDGE, "nslab-t", "s"));
	assert_non_null(find(&r.p, PLAN_UPDATE, OBJ_VETH, "a", "eth0"));
	assert_non_null(find(&r.p, PLAN_UPDATE, OBJ_VETH, "b", "eth0"));
	assert_non_null(strstr(find(&r.p, PLAN_UPDATE, OBJ_VETH, "a", "eth0")->obj->attrs, "mtu=9000"));
	/* The link keeps its recorded interface indexes. */
	assert_string_equal(find(&r.p, PLAN_UPDATE, OBJ_VETH, "a", "eth0")->obj->state,
			    objset_find(&r.cur, find(&r.p, PLAN_UPDATE, OBJ_VETH, "a", "eth0")->obj)->state);
	reconcile_free(&r);
}

/* Only the key named is overlooked, wherever it stands. */
static void test_obj_same_but(void **state)
{
	struct obj *x = obj_new(OBJ_VETH, "a", "eth0", "peer=p mtu=0 mac=-", NULL);
	struct obj *y = obj_new(OBJ_VETH, "a", "eth0", "peer=p mtu=9000 mac=-", NULL);
	struct obj *z = obj_new(OBJ_VETH, "a", "eth0", "peer=q mtu=9000 mac=-", NULL);
	struct obj *w = obj_new(OBJ_VETH, "a", "eth0", "peer=p mtu=0", NULL);
	struct obj *v = obj_new(OBJ_VETH, "a", "eth0", "peer=p mtux=1 mtu=0 mac=-", NULL);

	(void)state;
	assert_true(obj_same_but(x, y, "mtu"));
	assert_false(obj_same_but(x, z, "mtu"));
	assert_false(obj_same_but(x, w, "mtu"));
	assert_false(obj_same_but(x, y, "mac"));
	assert_false(obj_same_but(x, v, "mtu"));
	obj_free(x);
	obj_free(y);
	obj_free(z);
	obj_free(w);
	obj_free(v);
}

static void test_switch_link(void **state)
{
	static const char *a =
		"name: t\nswitches:\n  s: {kind: nslab}\n  k: {kind: bridge}\nhosts:\n"
		"  a: {switch: s, ip: 10.0.0.1/24}\n  b: {switch: k, ip: 10.0.0.2/24}\n";
	static const char *b =
		"name: t\nswitches:\n  s: {kind: nslab}\n  k: {kind: bridge}\nhosts:\n"
		"  a: {switch: s, ip: 10.0.0.1/24}\n  b: {switch: k, ip: 10.0.0.2/24}\n"
		"links:\n  - {between: [s, k], mtu: 9000}\n";
	struct reconcile r;
	const struct obj *o;

	(void)state;
	reconcile(a, b, &r);
	/* One veth pair on the host side, each end a port of its switch. */
	o = objset_find_key(&r.to, OBJ_VETH, "nslab-t", "s-k");
	assert_non_null(o);
	assert_non_null(strstr(o->attrs, "peer_ns=nslab-t peer=k-s mtu=9000"));
	assert_non_null(strstr(o->attrs, "peer_group=77"));
	o = objset_find_key(&r.to, OBJ_PORT, "nslab-t", "k-s");
	assert_non_null(o);
	assert_non_null(strstr(o->attrs, "master=k"));
	o = objset_find_key(&r.to, OBJ_PORT, "nslab-t", "s-k");
	assert_non_null(o);
	assert_non_null(strstr(o->attrs, "ipv4=off"));
	o = objset_find_key(&r.to, OBJ_SWITCHD, "nslab-t", "s");
	assert_non_null(o);
	assert_non_null(strstr(o->attrs, ",s-k:v1"));

	/* Added to a running lab: the link and a reload of s, nothing else. */
	assert_int_equal(r.p.n, 4);
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_VETH, "nslab-t", "s-k"));
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_PORT, "nslab-t", "s-k"));
	assert_non_null(find(&r.p, PLAN_CREATE, OBJ_PORT, "nslab-t", "k-s"));
	assert_non_null(find(&r.p, PLAN_UPDATE, OBJ_SWITCHD, "nslab-t", "s"));
	reconcile_free(&r);
}

static void test_teardown_is_mostly_implicit(void **state)
{
	struct objset d, cur;
	struct plan p, t;
	size_t explicit = 0;

	(void)state;
	desired_of(seed_yaml, &d);
	objset_init(&cur);
	assert_int_equal(plan_make(&d, &cur, &popts, &p), 0);
	objset_clear(&cur);
	as_current(&p, &cur);
	assert_int_equal(plan_teardown(&cur, &popts, &t), 0);
	assert_int_equal(t.n, cur.n);
	for (size_t i = 0; i < t.n; i++)
		explicit += !t.v[i].implicit;
	/* Explicit: every namespace, the host-side veths and the sandbox's NAT
	 * table and forwarding go with the sandbox namespace... */
	assert_false(find(&t, PLAN_DELETE, OBJ_VETH, "red", "eth0")->implicit);
	assert_true(find(&t, PLAN_DELETE, OBJ_ADDR, "red", "eth0/172.16.10.1/24")->implicit);
	assert_true(find(&t, PLAN_DELETE, OBJ_NFT, "nslab-t", "nslab-t")->implicit);
	assert_true(find(&t, PLAN_DELETE, OBJ_BRIDGE, "nslab-t", "v-net-0")->implicit);
	/* ...and the uplink, both ends in the lab's own namespaces, too. */
	assert_true(find(&t, PLAN_DELETE, OBJ_VETH, "nslab-t", "eth0")->implicit);
	assert_int_equal(explicit, 4 /* netns */ + 2 /* host veths */);
	/* Newest first: namespaces last. */
	assert_int_equal(t.v[t.n - 1].obj->kind, OBJ_NETNS);
	plan_free(&t);
	plan_free(&p);
	objset_clear(&cur);
	objset_clear(&d);
}

static void test_nat_without_uplink_is_an_error(void **state)
{
	struct lab_env e = env_sandbox;
	struct topo *t = parse(seed_yaml);
	struct objset d;

	(void)state;
	e.default_uplink = NULL;
	objset_init(&d);
	assert_int_equal(desired_build(t, &e, &d), -ENOENT);
	objset_clear(&d);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desired_seed),
		cmocka_unit_test(test_fresh_plan_creates_all),
		cmocka_unit_test(test_same_topology_changes_nothing),
		cmocka_unit_test(test_reconcile_touches_only_the_difference),
		cmocka_unit_test(test_unconfirmed_objects_are_remade),
		cmocka_unit_test(test_dead_switch_daemon_is_restarted_alone),
		cmocka_unit_test(test_drift_is_set_right),
		cmocka_unit_test(test_vlan_change_updates_in_place),
		cmocka_unit_test(test_remade_port_reloads_switch_daemon),
		cmocka_unit_test(test_mtu_changes_in_place),
		cmocka_unit_test(test_obj_same_but),
		cmocka_unit_test(test_switch_link),
		cmocka_unit_test(test_teardown_is_mostly_implicit),
		cmocka_unit_test(test_nat_without_uplink_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
