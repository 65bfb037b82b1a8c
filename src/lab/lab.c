// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/lab.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "common/util.h"
#include "kernel/link.h"
#include "kernel/nat.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/route.h"
#include "lab/alive.h"
#include "lab/apply.h"
#include "lab/checks.h"
#include "lab/desired.h"
#include "lab/journal.h"
#include "lab/plan.h"
#include "lab/state.h"
#include "lab/swclient.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

struct lab_run {
	struct lab_meta meta;
	struct lab_env env;
	char host_ns[96], inet_ns[96], run_dir[4096], uplink[IF_NAMESIZE], uplink6[IF_NAMESIZE];
	bool no_default4, no_default6; /* the machine lacks that family's default route */
	struct objset current;
	struct journal *journal;
	int lockfd;
};

static void run_env(struct lab_run *r)
{
	struct lab_env *e = &r->env;

	e->lab = r->meta.name;
	e->sandbox = r->meta.sandbox;
	e->group = r->meta.group;
	if (r->meta.sandbox) {
		desired_sandbox_names(r->meta.name, r->host_ns, sizeof(r->host_ns), r->inet_ns,
				      sizeof(r->inet_ns));
		e->host_ns = r->host_ns;
		e->inet_ns = r->inet_ns;
		e->default_uplink = SANDBOX_UPLINK;
	} else {
		e->host_ns = OBJ_NS_HOST;
	}
	state_path(r->meta.name, NULL, r->run_dir, sizeof(r->run_dir));
	e->run_dir = r->run_dir;
}

static void run_close(struct lab_run *r)
{
	journal_close(r->journal);
	objset_clear(&r->current);
	state_unlock(r->lockfd);
	state_meta_free(&r->meta);
}

static int max_ifindex_cb(const struct link_info *li, void *arg)
{
	int *m = arg;

	if (li->ifindex > *m)
		*m = li->ifindex;
	return 0;
}

/* Run fn in a namespace of its own, made for it and gone after. */
static int in_scratch_netns(int (*fn)(struct nl *nl, void *arg), void *arg)
{
	struct nl *nl = NULL;
	int saved, rc;

	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0)
		return -errno;
	if (unshare(CLONE_NEWNET)) {
		rc = -errno;
		close(saved);
		return rc;
	}
	rc = nl_open(&nl);
	if (!rc)
		rc = fn(nl, arg);
	nl_close(nl);
	if (setns(saved, CLONE_NEWNET) && !rc)
		rc = -errno;
	close(saved);
	return rc;
}

static int max_ifindex(struct nl *nl, void *arg)
{
	return link_dump(nl, max_ifindex_cb, arg);
}

/*
 * The first interface index free in a new namespace: 2 (after lo), unless
 * this kernel puts fallback tunnel devices (tunl0, sit0...) into every new
 * namespace, which it does when their modules are loaded.
 */
static int probe_ifindex_base(int *base)
{
	int max = 1, rc = in_scratch_netns(max_ifindex, &max);

	*base = max + 1;
	return rc;
}

static int vlan_bridge(struct nl *nl, void *arg)
{
	int rc = link_bridge_add(nl, "nsprobe0", 0, true, "adding a bridge with VLAN filtering");

	(void)arg;
	return rc ? rc : nl_flush(nl);
}

/*
 * Some kernels are built without bridge VLAN filtering. Found out before
 * anything is touched, so that a reconcile that cannot be done leaves the
 * running lab as it was.
 */
static int check_bridge_vlans(const struct plan *p)
{
	int rc;

	for (size_t i = 0; i < p->n; i++) {
		const struct obj *o = p->v[i].obj;

		if (p->v[i].op != PLAN_CREATE || o->kind != OBJ_BRIDGE ||
		    !obj_get_long(o->attrs, "vlan_filtering", 0))
			continue;
		rc = in_scratch_netns(vlan_bridge, NULL);
		if (rc == -EOPNOTSUPP)
			return err_msg(rc,
				       "%s: this kernel's bridge has no VLAN filtering "
				       "(CONFIG_BRIDGE_VLAN_FILTERING); use kind: nslab for VLANs",
				       o->name);
		return rc ? err_ctx(rc, "%s: trying a bridge with VLAN filtering", o->name) : 0;
	}
	return 0;
}

/*
 * The switch daemons this run started or changed send their multicast
 * queries again, now that every new link is up: those sent as their ports
 * were attached went out before the kernel had activated the links beyond
 * (a bridge's ports, the next switch's veth), which drop what they are
 * handed until then, so another switch's snooping behind them would learn
 * its router port only from the next periodic query, half a minute on.
 * Best effort: a daemon that does not answer is what its next query fixes.
 */
static void requery_switches(const struct lab_run *r, const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		char sock[4096];
		json_t *reply;

		if (p->v[i].op == PLAN_DELETE || p->v[i].obj->kind != OBJ_SWITCHD ||
		    switchd_path(r->meta.name, p->v[i].obj->name, "sock", sock, sizeof(sock)))
			continue;
		if (swclient_cmd(sock, "query", 1000, &reply) == 0)
			json_decref(reply);
		err_clear();
	}
}

/* A family NAT masquerades that has no default route of its own goes out
 * of the other family's uplink: it reaches what that link connects, no
 * further, and anything the machine routes that family to elsewhere
 * leaves unmasqueraded. Said once per family, not refused: a dual-stack lab
 * on a machine with IPv4 only is common. */
static void warn_borrowed_uplink(const struct lab_run *r, const struct topo *t)
{
	bool nat[2] = { false, false };

	for (size_t s = 0; s < t->n_switches; s++)
		for (size_t g = 0; t->switches[s].nat && !t->switches[s].uplink &&
				   g < t->switches[s].n_gateways; g++)
			nat[t->switches[s].gateways[g].family == AF_INET6] = true;
	if (nat[0] && r->no_default4)
		log_warn("%s: this machine has no IPv4 default route: the lab's IPv4 subnets are "
			 "masqueraded out of %s, the IPv6 default route's link; name another with "
			 "uplink:", r->meta.name, r->uplink);
	if (nat[1] && r->no_default6)
		log_warn("%s: this machine has no IPv6 default route: the lab's IPv6 subnets are "
			 "masqueraded out of %s, the IPv4 default route's link; name another with "
			 "uplink:", r->meta.name, r->uplink);
}

static int default_uplink(struct lab_run *r, const struct topo *t)
{
	struct nl *nl;
	int rc = 0, ifindex, ifindex6;
	bool needed = false;

	if (!r->meta.sandbox && (rc = nl_open(&nl)))
		return rc;
	for (size_t i = 0; !rc && i < t->n_switches; i++) {
		const struct topo_switch *sw = &t->switches[i];
		struct link_info li = { 0 };
		char why[256];

		if (r->meta.sandbox && desired_sandbox_uplink_problem(sw, why, sizeof(why)))
			return err_msg(-EINVAL, "%s; %s", why, SANDBOX_UPLINK_FIX);
		/* NAT out of an interface the machine lacks would reach nothing. */
		if (!r->meta.sandbox && sw->nat && sw->uplink && link_get(nl, sw->uplink, &li))
			rc = err_msg(-ENODEV,
				     "%s: uplink %s: this machine has no such interface; name one "
				     "that exists (ip link), or leave uplink: out to use the default "
				     "route's",
				     sw->name, sw->uplink);
		needed |= sw->nat && !sw->uplink;
	}
	if (rc || !needed || r->meta.sandbox) {
		if (!r->meta.sandbox)
			nl_close(nl);
		return rc;
	}
	rc = route_default_dev(nl, AF_INET, &ifindex);
	r->no_default4 = rc == -ENOENT;
	r->no_default6 = route_default_dev(nl, AF_INET6, &ifindex6) == -ENOENT;
	if (rc == -ENOENT)
		rc = route_default_dev(nl, AF_INET6, &ifindex);
	/* IPv6 leaves by the IPv6 default route, which may be another link:
	 * its NAT must go out there, or the lab's addresses leak out. */
	if (!rc && route_default_dev(nl, AF_INET6, &ifindex6) == 0 && ifindex6 != ifindex &&
	    if_indextoname((unsigned)ifindex6, r->uplink6))
		r->env.default_uplink6 = r->uplink6;
	err_clear();
	nl_close(nl);
	if (rc == -ENOENT && r->meta.uplink) {
		/* A running lab keeps the uplink it was built with while the
		 * machine has no default route (a link down): it can still be
		 * repaired, or changed. */
		snprintf(r->uplink, sizeof(r->uplink), "%s", r->meta.uplink);
		r->env.default_uplink = r->uplink;
		return 0;
	}
	if (rc == -ENOENT)
		return 0; /* desired_build names the switch that needs one */
	if (rc)
		return err_ctx(rc, "finding the host's default route");
	if (!if_indextoname((unsigned)ifindex, r->uplink))
		return err_set(-errno, "finding the host's uplink (ifindex %d)", ifindex);
	r->env.default_uplink = r->uplink;
	warn_borrowed_uplink(r, t);
	return 0;
}

struct group_query {
	uint32_t group;
	bool taken;
};

static int group_taken_cb(const struct link_info *li, void *arg)
{
	struct group_query *q = arg;

	if (li->group == q->group)
		q->taken = true;
	return 0;
}

/* A link group no link of this namespace uses yet. */
static int choose_group(struct lab_run *r, uint32_t *group)
{
	struct nl *nl = NULL;
	uint32_t g = 0x4e530000u | (hash_fnv1a_str(r->meta.name) & 0xffffu);
	int rc = 0;

	if (!r->meta.sandbox) {
		rc = nl_open(&nl);
		if (rc)
			return rc;
	}
	for (int tries = 0; tries < 1000; tries++, g++) {
		struct group_query q = { g, false };

		if (nl)
			rc = link_dump(nl, group_taken_cb, &q);
		if (rc || !q.taken)
			break;
	}
	nl_close(nl);
	*group = g;
	return rc;
}

static int run_open(struct lab_run *r, const char *lab, bool create, bool sandbox)
{
	char path[4096];
	unsigned long ino = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->lockfd = -1;
	objset_init(&r->current);
	rc = state_lock(lab, &r->lockfd);
	if (rc)
		return rc;
	netns_self_ino(&ino);
	rc = state_meta_read(lab, &r->meta);
	if (rc == -ENOENT && create) {
		r->meta.name = strdup(lab);
		if (!r->meta.name)
			return -ENOMEM;
		r->meta.sandbox = sandbox;
		r->meta.created = (long long)time(NULL);
		r->meta.host_ino = ino;
		rc = choose_group(r, &r->meta.group);
	} else if (rc == -ENOENT) {
		/* No metadata: a run that died before writing it. The journal
		 * (if any) still says what to remove. */
		r->meta.name = strdup(lab);
		if (!r->meta.name)
			return -ENOMEM;
		rc = 0;
	} else if (!rc && create && r->meta.sandbox != sandbox) {
		return err_msg(-EEXIST,
			       "lab %s is running %s; take it down first, or %s --sandbox", lab,
			       r->meta.sandbox ? "in a sandbox" : "on the host",
			       r->meta.sandbox ? "add" : "drop");
	}
	if (rc)
		return rc;
	if (!r->meta.sandbox && r->meta.host_ino && ino && r->meta.host_ino != ino)
		return err_msg(-EXDEV,
			       "lab %s was built from another network namespace (inode %lu); "
			       "run nslab there",
			       lab, r->meta.host_ino);
	run_env(r);
	rc = state_path(lab, "journal", path, sizeof(path));
	if (!rc)
		rc = journal_load(path, &r->current);
	if (!rc)
		rc = journal_open(path, &r->journal);
	return rc;
}

bool lab_netns_owner(const char *self, const char *ns, char *owner, size_t len)
{
	char **names = NULL, path[4096];
	size_t n = 0;
	bool found = false;

	if (state_list(&names, &n))
		return false;
	for (size_t i = 0; !found && i < n; i++) {
		struct objset s;

		if ((self && !strcmp(names[i], self)) ||
		    state_path(names[i], "journal", path, sizeof(path)))
			continue;
		objset_init(&s);
		if (journal_load(path, &s) == 0 && objset_find_key(&s, OBJ_NETNS, OBJ_NS_HOST, ns)) {
			snprintf(owner, len, "%s", names[i]);
			found = true;
		}
		objset_clear(&s);
	}
	state_list_free(names, n);
	return found;
}

static int netns_taken(const struct lab_run *r, const char *ns)
{
	char owner[256];

	/* Namespaces are named after hosts, so two labs cannot share a host name. */
	if (lab_netns_owner(r->meta.name, ns, owner, sizeof(owner)))
		return err_msg(-EEXIST,
			       "host %s is lab %s's already (its namespace is called %s); "
			       "rename the host, or take that lab down (nslab down %s)",
			       ns, owner, ns, owner);
	return err_msg(-EEXIST,
		       "a network namespace called %s exists already and is not this "
		       "lab's; remove it (ip netns del %s) or rename the host",
		       ns, ns);
}

/* Nothing the plan creates may take a name someone else already uses. */
static int preflight(struct lab_run *r, const struct plan *p)
{
	struct nl *nl = NULL;
	int rc = check_bridge_vlans(p);

	for (size_t i = 0; !rc && i < p->n; i++) {
		const struct obj *o = p->v[i].obj;
		char peer[32], peer_ns[128];

		if (p->v[i].op != PLAN_CREATE)
			continue;
		if (o->kind == OBJ_NETNS && !objset_find(&r->current, o) && netns_exists(o->name))
			rc = netns_taken(r, o->name);
		/* The lab's nftables table, on the machine: one of that name
		 * that is not the lab's would be rewritten, then deleted. */
		if (o->kind == OBJ_NFT && !strcmp(o->ns, OBJ_NS_HOST) && !objset_find(&r->current, o) &&
		    nat_table_exists(-1, o->name))
			rc = err_msg(-EEXIST,
				     "this machine has an nftables table inet %s already, which is not "
				     "lab %s's; remove it (nft delete table inet %s) or rename the lab",
				     o->name, r->meta.name, o->name);
		if (r->meta.sandbox || (o->kind != OBJ_BRIDGE && o->kind != OBJ_VETH))
			continue;
		/* On the real host: the names the lab gives its links there. */
		obj_get(o->attrs, "peer", peer, sizeof(peer));
		obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns));
		for (int end = 0; !rc && end < 2; end++) {
			const char *ns = end ? peer_ns : o->ns, *name = end ? peer : o->name;
			struct link_info li = { 0 };

			if (strcmp(ns, OBJ_NS_HOST) || !*name)
				continue;
			if (!nl && (rc = nl_open(&nl)))
				break;
			if (link_get(nl, name, &li) == 0)
				rc = err_msg(-EEXIST,
					     "the host has an interface called %s already, which is not "
					     "lab %s's; remove it or rename the %s",
					     name, r->meta.name, o->kind == OBJ_BRIDGE ? "switch" : "host");
		}
	}
	nl_close(nl);
	return rc;
}

static void warn_host(struct lab_run *r, const struct topo *t, const struct plan *p)
{
	struct checks c;
	bool v6fwd = false;

	if (r->meta.sandbox)
		return;
	for (size_t i = 0; i < p->n; i++)
		v6fwd |= p->v[i].op == PLAN_CREATE && p->v[i].obj->kind == OBJ_SYSCTL &&
			 !strcmp(p->v[i].obj->name, "net.ipv6.conf.all.forwarding");
	/* The same check as `nslab doctor`; here it warns and changes nothing. */
	checks_init(&c);
	if (checks_forward_drop(&c, -1, t) == 0)
		checks_overlap(&c, t);
	for (size_t i = 0; i < c.n; i++)
		if (c.v[i].level != CHECK_OK)
			log_warn("%s: %s; %s", r->meta.name, c.v[i].detail,
				 c.v[i].fix ? c.v[i].fix : "");
	checks_free(&c);
	if (v6fwd)
		log_warn("%s: turning on IPv6 forwarding on the host; interfaces that take their "
			 "address from router advertisements stop doing so unless accept_ra=2",
			 r->meta.name);
}

#define LINKS_NUDGE_MAX 8

struct links_down {
	uint32_t group;
	bool mine_only; /* the machine's own namespace: only the lab's links */
	size_t down;
	/* veths to ask about by name: the first few of the namespace */
	char nudge[LINKS_NUDGE_MAX][IF_NAMESIZE];
	size_t n_nudge;
};

static int count_down_cb(const struct link_info *li, void *arg)
{
	struct links_down *q = arg;

	if (!(li->flags & IFF_UP) || (q->mine_only && li->group != q->group) ||
	    li->operstate == IF_OPER_UP)
		return 0;
	/* Veths of the lab's group not up yet, and a veth with a carrier
	 * whose event the kernel's link watcher has not handled yet
	 * (operstate not up): until it has, its transmit queue is the
	 * kernel's noop, which drops what is sent (a host's first ARP
	 * request). A bridge of the lab's with its carrier: it forwards
	 * already (apply.c, bridges_up), but until the watcher has handled
	 * its carrier event IPv6 counts it not ready, and its gateway address
	 * stays tentative, answering no neighbour solicitation (a second). */
	if ((q->group && li->group == q->group && (strcmp(li->kind, "bridge") || li->carrier)) ||
	    (!strcmp(li->kind, "veth") && li->carrier)) {
		q->down++;
		if (li->carrier && q->n_nudge < LINKS_NUDGE_MAX)
			snprintf(q->nudge[q->n_nudge++], IF_NAMESIZE, "%s", li->name);
	}
	return 0;
}

/*
 * A link that was just brought up forwards nothing until the kernel's
 * link watcher has run for it (dev_activate attaches its queue). The
 * watcher takes 200 links at a time and then the rest a hundred a second,
 * so with a thousand new veths some ends wait seconds. Asking the kernel
 * about one link (RTM_GETLINK by name, not a dump) runs the watcher for it
 * there and then (rtnl_getlink: linkwatch_sync_dev). So: find the links
 * not up yet in every namespace this run touched, ask about each, and
 * return once the lab's links are up, so that whatever runs right after
 * `up` finds a working network.
 */
static void wait_links_up(const struct lab_run *r, struct apply_ctx *ctx)
{
	uint64_t deadline = time_mono_ns() + 5000000000ull;
	struct nsctx **pending = calloc(ctx->ns.n + 1, sizeof(*pending));
	size_t n = 0, down = 0;

	if (!pending)
		return;
	for (size_t i = 0; i < ctx->ns.n; i++)
		if (ctx->ns.v[i] && ctx->ns.v[i]->nl)
			pending[n++] = ctx->ns.v[i];
	while (n) {
		size_t k = 0;

		down = 0;
		for (size_t i = 0; i < n; i++) {
			struct links_down q = { .group = r->meta.group,
						.mine_only = strcmp(pending[i]->name, OBJ_NS_HOST) == 0 };
			size_t still = 0;

			if (link_dump(pending[i]->nl, count_down_cb, &q) || !q.down)
				continue;
			still = q.down - q.n_nudge;
			for (size_t j = 0; j < q.n_nudge; j++) {
				struct link_info li = { 0 };

				if (link_get(pending[i]->nl, q.nudge[j], &li) == 0 &&
				    li.operstate != IF_OPER_UP)
					still++;
			}
			if (still) {
				pending[k++] = pending[i];
				down += still;
			}
		}
		n = k;
		if (!n || time_mono_ns() >= deadline || (ctx->stop && *ctx->stop))
			break;
		usleep(20000);
	}
	if (n)
		log_warn("%s: %zu links are still not up after 5 s", r->meta.name, down);
	free(pending);
}

static void log_plan(const struct plan *p)
{
	if (log_level() < LOG_LVL_DEBUG)
		return;
	for (size_t i = 0; i < p->n; i++) {
		char *s = obj_format(p->v[i].obj);

		if (s)
			log_debug("%s%s %s", plan_op_name(p->v[i].op),
				  p->v[i].implicit ? " (with its parent)" : "", s);
		free(s);
	}
}

/* What applying learnt about the objects it made or changed (a sysctl's
 * value to restore) is in cur, the plan's objects are copies made before:
 * the journal must keep the former, or a later run cannot undo them. */
static int carry_state(struct objset *next, const struct objset *cur)
{
	for (size_t i = 0; i < next->n; i++) {
		const struct obj *c = objset_find(cur, next->v[i]);
		int rc;

		if (!c || !c->state || (next->v[i]->state && !strcmp(c->state, next->v[i]->state)))
			continue;
		rc = obj_set_state(next->v[i], c->state);
		if (rc)
			return rc;
	}
	return 0;
}

int lab_up(const struct topo *t, const struct lab_up_opts *o, struct lab_result *res)
{
	struct plan_opts popts = { .ifindex_base = 2, .alive = alive_obj };
	struct alive alive = { 0 };
	struct objset desired, before;
	struct apply_ctx ctx;
	struct plan plan;
	struct lab_run r;
	uint64_t start = time_mono_ns();
	bool have_plan = false, existed = true;
	int rc;

	memset(res, 0, sizeof(*res));
	objset_init(&desired);
	objset_init(&before);
	rc = run_open(&r, t->name, true, o->sandbox);
	if (rc)
		goto out;
	existed = r.current.n > 0;
	res->existed = existed;
	rc = default_uplink(&r, t);
	if (!rc)
		rc = desired_build(t, &r.env, &desired);
	if (rc)
		goto out;
	popts.host_ns = r.env.host_ns;
	popts.alive_arg = &alive;
	if (existed && (rc = alive_init(&alive, r.meta.name, r.env.host_ns)))
		goto out;
	/* Each namespace of a run holds a descriptor and a socket open. */
	rc = netns_raise_nofile(2 * desired.n + 64);
	if (rc)
		goto out;
	if (desired.n > r.current.n || !existed) {
		rc = probe_ifindex_base(&popts.ifindex_base);
		if (rc)
			goto out;
	}
	rc = plan_make(&desired, &r.current, &popts, &plan);
	if (rc)
		goto out;
	have_plan = true;
	log_plan(&plan);
	res->created = plan.n_create;
	res->updated = plan.n_update;
	res->deleted = plan.n_delete;
	res->kept = plan.n_keep;
	/* What a killed first run left half-made was not changed by hand. */
	res->repaired = existed && state_finished(&r.meta) ? plan.n_repair : 0;
	rc = preflight(&r, &plan);
	if (rc || o->dry_run)
		goto out;
	warn_host(&r, t, &plan);
	rc = state_meta_write(&r.meta);
	if (rc)
		goto out;

	/* What a failing edit puts back: the lab as it is now (an edit that
	 * only adds has nothing to put back but what the rollback removes). */
	for (size_t i = 0; existed && (plan.n_delete || plan.n_update) && !rc && i < r.current.n; i++) {
		struct obj *c = obj_dup(r.current.v[i]);

		rc = c ? objset_put(&before, c) : -ENOMEM;
	}
	if (rc)
		goto out;
	memset(&ctx, 0, sizeof(ctx));
	ctx.env = &r.env;
	ctx.journal = r.journal;
	ctx.state = &r.current;
	ctx.progress = o->progress;
	ctx.progress_arg = o->progress_arg;
	apply_init(&ctx);
	ctx.stop = o->stop;
	rc = apply_run(&ctx, &plan);
	if (!rc && plan.n_create) {
		apply_stall_links(&ctx);
		wait_links_up(&r, &ctx);
		requery_switches(&r, &plan);
	} else if (!rc && plan.n_update) {
		/* a port's VLANs changed: its switch forgot the routers it had
		 * heard there, and hears them again at their next query */
		requery_switches(&r, &plan);
	}
	/* A signal while the new links came up: the lab is not up yet, and
	 * what this run made goes, as between two steps. */
	if (!rc)
		rc = apply_stopped(&ctx);
	if (rc) {
		/* Keep the failure's words; the rollback may set its own. */
		char why[ERR_MSG_MAX];
		int rrc;

		snprintf(why, sizeof(why), "%s", err_text(rc));
		rrc = apply_rollback(&ctx);
		if (rrc)
			log_warn("%s: rolling back: %s", r.meta.name, err_text(rrc));
		/* An edit that fails leaves the lab as it was before it: what
		 * it deleted or changed is made again as it was. */
		if (!rrc && before.n) {
			struct plan back = { 0 };

			rrc = apply_restore(&ctx, &before, &popts, &back);
			if (!rrc && back.n_create) {
				wait_links_up(&r, &ctx);
				requery_switches(&r, &back);
			}
			if (rrc)
				log_warn("%s: putting the lab back as it was: %s; nslab up repairs it",
					 r.meta.name, err_text(rrc));
			else if (back.n)
				log_debug("%s: put back as it was (%zu object%s)", r.meta.name,
					 back.n, back.n == 1 ? "" : "s");
			plan_free(&back);
		}
		journal_compact(r.journal, &r.current);
		apply_fini(&ctx);
		err_msg(rc, "%s", why);
		goto out;
	}
	apply_fini(&ctx);
	rc = carry_state(&plan.next, &r.current);
	if (!rc)
		rc = journal_compact(r.journal, &plan.next);
	if (!rc && o->src)
		rc = state_save_topo(r.meta.name, o->src, o->src_len);
	if (!rc) {
		r.meta.builtin = !o->src;
		free(r.meta.uplink);
		r.meta.uplink = r.uplink[0] ? strdup(r.uplink) : NULL;
		free(r.meta.uplink6);
		r.meta.uplink6 = r.env.default_uplink6 ? strdup(r.env.default_uplink6) : NULL;
		free(r.meta.file);
		r.meta.file = t->file && strcmp(t->file, TOPO_STDIN) ? realpath(t->file, NULL) : NULL;
		rc = state_meta_write(&r.meta);
	}
out:
	/* A new lab that failed, or was only a dry run, leaves no record. */
	if ((rc || o->dry_run) && !existed && r.current.n == 0)
		state_remove(r.meta.name);
	if (have_plan)
		plan_free(&plan);
	objset_clear(&desired);
	objset_clear(&before);
	alive_free(&alive);
	run_close(&r);
	res->elapsed_ns = time_mono_ns() - start;
	return rc ? err_ctx(rc, "%s", t->name) : 0;
}

int lab_down(const char *lab, lab_progress_fn progress, void *arg, struct lab_result *res)
{
	struct plan_opts popts = { .ifindex_base = 2 };
	struct apply_ctx ctx;
	struct plan plan;
	struct lab_run r;
	char dir[4096];
	uint64_t start = time_mono_ns();
	int rc;

	memset(res, 0, sizeof(*res));
	if (state_path(lab, NULL, dir, sizeof(dir)) || access(dir, F_OK))
		return err_msg(-ENOENT, "there is no lab called %s (nslab ls lists them)", lab);
	rc = run_open(&r, lab, false, false);
	if (rc)
		goto out_close;
	popts.host_ns = r.env.host_ns;
	rc = plan_teardown(&r.current, &popts, &plan);
	if (rc)
		goto out_close;
	res->deleted = plan.n_delete;
	res->existed = true;
	memset(&ctx, 0, sizeof(ctx));
	ctx.env = &r.env;
	ctx.journal = r.journal;
	ctx.state = &r.current;
	ctx.progress = progress;
	ctx.progress_arg = arg;
	apply_init(&ctx);
	rc = apply_run(&ctx, &plan);
	apply_fini(&ctx);
	plan_free(&plan);
	if (rc)
		journal_compact(r.journal, &r.current);
	else
		rc = state_remove(lab);
out_close:
	run_close(&r);
	res->elapsed_ns = time_mono_ns() - start;
	return rc ? err_ctx(rc, "%s", lab) : 0;
}
