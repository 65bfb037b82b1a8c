// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

const char *plan_op_name(enum plan_op op)
{
	static const char *const names[] = { "delete", "create", "update" };

	return names[op];
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		obj_free(p->v[i].obj);
	free(p->v);
	objset_clear(&p->next);
	memset(p, 0, sizeof(*p));
}

static int plan_push_implicit(struct plan *p, enum plan_op op, const struct obj *o, bool implicit)
{
	struct obj *d;
	int rc = array_reserve(&p->v, &p->cap, p->n + 1, sizeof(*p->v));

	if (rc)
		return rc;
	d = obj_dup(o);
	if (!d)
		return -ENOMEM;
	p->v[p->n].op = op;
	p->v[p->n].obj = d;
	p->v[p->n].implicit = implicit;
	p->n++;
	if (op == PLAN_DELETE)
		p->n_delete += !implicit;
	else if (op == PLAN_CREATE)
		p->n_create++;
	else
		p->n_update++;
	return 0;
}

static int plan_push(struct plan *p, enum plan_op op, const struct obj *o)
{
	return plan_push_implicit(p, op, o, false);
}

/* Whether c can become d in place. A link's MTU changes in place: made
 * anew, the link would take its addresses and routes with it. */
static bool updatable(const struct obj *c, const struct obj *d)
{
	enum obj_kind k = c->kind;

	return k == OBJ_PORT || k == OBJ_NFT || k == OBJ_SWITCHD || k == OBJ_SYSCTL ||
	       ((k == OBJ_VETH || k == OBJ_BRIDGE) && obj_same_but(c, d, "mtu"));
}

/*
 * Lookups the rules need, built once per plan over the current objects:
 * link ends by (namespace, interface) and namespaces by name, each giving
 * the object's index in current. Pseudo-objects in an objset serve as the
 * hash map; their state holds the index.
 */
struct index {
	struct objset ends;     /* OBJ_VETH "ns" "ifname" -> index */
	struct objset addrdevs; /* OBJ_ADDR "ns" "dev": a dropped address's device */
};

static long idx_of(const struct obj *o)
{
	return o ? strtol(o->state, NULL, 10) : -1;
}

static int index_put(struct objset *s, enum obj_kind k, const char *ns, const char *name, size_t i)
{
	char st[24];
	struct obj *o;

	snprintf(st, sizeof(st), "%zu", i);
	o = obj_new(k, ns, name, NULL, st);
	return o ? objset_put(s, o) : -ENOMEM;
}

static int index_build(struct index *ix, const struct objset *cur)
{
	char peer_ns[256], peer[32];
	int rc = 0;

	objset_init(&ix->ends);
	objset_init(&ix->addrdevs);
	for (size_t i = 0; !rc && i < cur->n; i++) {
		const struct obj *o = cur->v[i];

		if (o->kind != OBJ_VETH && o->kind != OBJ_BRIDGE)
			continue;
		rc = index_put(&ix->ends, OBJ_VETH, o->ns, o->name, i);
		if (!rc && o->kind == OBJ_VETH && obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns)) &&
		    obj_get(o->attrs, "peer", peer, sizeof(peer)))
			rc = index_put(&ix->ends, OBJ_VETH, peer_ns, peer, i);
	}
	return rc;
}

static void index_free(struct index *ix)
{
	objset_clear(&ix->ends);
	objset_clear(&ix->addrdevs);
}

/* Index in cur of the namespace object called ns, or -1. */
static long netns_idx(const struct objset *cur, const char *ns)
{
	return objset_index(cur, &(struct obj){ .kind = OBJ_NETNS, .ns = OBJ_NS_HOST,
						.name = (char *)ns });
}

static bool dropped_at(const bool *drop, long i)
{
	return i >= 0 && drop[i];
}

/* Whether something o needs is dropped. */
static bool parent_dropped(const struct objset *cur, const struct index *ix, const bool *drop,
			   const struct obj *o)
{
	char buf[256], dev[32];

	if (dropped_at(drop, netns_idx(cur, o->ns)))
		return true;
	switch (o->kind) {
	case OBJ_VETH:
		return obj_get(o->attrs, "peer_ns", buf, sizeof(buf)) &&
		       dropped_at(drop, netns_idx(cur, buf));
	case OBJ_PORT:
		if (obj_get(o->attrs, "master", buf, sizeof(buf)) && strcmp(buf, "-") &&
		    dropped_at(drop, objset_index(cur, &(struct obj){ .kind = OBJ_BRIDGE,
								      .ns = o->ns, .name = buf })))
			return true;
		/* fall through */
	case OBJ_ADDR:
	case OBJ_ROUTE:
		obj_dev(o, dev, sizeof(dev));
		if (dropped_at(drop, idx_of(objset_find_key(&ix->ends, OBJ_VETH, o->ns, dev))))
			return true;
		return o->kind == OBJ_ROUTE && objset_find_key(&ix->addrdevs, OBJ_ADDR, o->ns, dev);
	default:
		return false;
	}
}

/* Whether o vanishes with a dropped parent, needing no delete of its own. */
static bool gone_with_parent(const struct objset *cur, const struct index *ix, const bool *drop,
			     const struct obj *o, const char *host_ns)
{
	char peer_ns[256], dev[32];

	if (o->kind == OBJ_SWITCHD)
		return false; /* a process outlives its namespace's name */
	if (dropped_at(drop, netns_idx(cur, o->ns))) {
		if (o->kind != OBJ_VETH || !obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns)))
			return true;
		/* A veth with its other end in a namespace that stays (the host
		 * side) is deleted explicitly: the dying namespace would free that
		 * end only later, asynchronously, with its name still taken. */
		if (!strcmp(peer_ns, o->ns))
			return true;
		return strcmp(peer_ns, host_ns) && dropped_at(drop, netns_idx(cur, peer_ns));
	}
	if (o->kind == OBJ_ADDR || o->kind == OBJ_ROUTE || o->kind == OBJ_PORT) {
		obj_dev(o, dev, sizeof(dev));
		return dropped_at(drop, idx_of(objset_find_key(&ix->ends, OBJ_VETH, o->ns, dev)));
	}
	return false;
}

/*
 * Whether a port of switch daemon o is made anew by this plan (its veth
 * changed, or was found missing). The daemon holds a socket on the old
 * interface, so it must be told even though its configuration, the list
 * of port names, reads the same.
 */
static bool switchd_port_remade(const struct objset *cur, const bool *drop, const struct obj *o)
{
	size_t len;
	const char *p = obj_attr(o->attrs, "ports", &len), *end = p ? p + len : NULL;

	/* "NAME:SPEC,NAME:SPEC,..." */
	for (; p && p < end; p = memchr(p, ',', (size_t)(end - p)), p = p ? p + 1 : NULL) {
		size_t n = strcspn(p, ":, ");
		char name[32];
		long i;

		if (!n || n >= sizeof(name))
			continue;
		memcpy(name, p, n);
		name[n] = '\0';
		i = objset_index(cur, &(struct obj){ .kind = OBJ_PORT, .ns = o->ns, .name = name });
		if (i < 0 || drop[i])
			return true;
	}
	return false;
}

/* Highest interface index used per namespace, for choosing new ones. */
static int note_ifindex(struct objset *used, const char *ns, long ifindex)
{
	struct obj *u = objset_find_key(used, OBJ_NETNS, "#", ns);
	char st[24];

	if (ifindex <= 0)
		return 0;
	if (u && strtol(u->state, NULL, 10) >= ifindex)
		return 0;
	snprintf(st, sizeof(st), "%ld", ifindex);
	if (u)
		return obj_set_state(u, st);
	u = obj_new(OBJ_NETNS, "#", ns, NULL, st);
	return u ? objset_put(used, u) : -ENOMEM;
}

static long choose_ifindex(struct objset *used, const char *ns, int base)
{
	struct obj *u = objset_find_key(used, OBJ_NETNS, "#", ns);
	long next = u ? strtol(u->state, NULL, 10) + 1 : base;

	if (next < base)
		next = base;
	return note_ifindex(used, ns, next) ? -ENOMEM : next;
}

/* Namespaces where the lab picks interface indexes: its own, but not the
 * host side (the real host's indexes are the kernel's business). */
static bool own_ns(const struct objset *desired, const char *ns, const char *host_ns)
{
	return strcmp(ns, host_ns) &&
	       objset_find_key(desired, OBJ_NETNS, OBJ_NS_HOST, ns) != NULL;
}

static int assign_ifindexes(struct obj *o, const struct objset *desired, struct objset *used,
			    const struct plan_opts *opts)
{
	char peer_ns[256], st[64];
	long a = 0, b = 0;

	if (own_ns(desired, o->ns, opts->host_ns))
		a = choose_ifindex(used, o->ns, opts->ifindex_base);
	if (obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns)) &&
	    own_ns(desired, peer_ns, opts->host_ns))
		b = choose_ifindex(used, peer_ns, opts->ifindex_base);
	if (a < 0 || b < 0)
		return -ENOMEM;
	snprintf(st, sizeof(st), "ifindex=%ld peer_ifindex=%ld", a, b);
	return obj_set_state(o, st);
}

static int plan_deletes(const struct objset *cur, const struct index *ix, const bool *drop,
			const char *host_ns, struct plan *p)
{
	int rc = 0;

	for (size_t i = cur->n; !rc && i-- > 0;) {
		if (drop[i])
			rc = plan_push_implicit(p, PLAN_DELETE, cur->v[i],
						gone_with_parent(cur, ix, drop, cur->v[i], host_ns));
	}
	return rc;
}

int plan_make(const struct objset *desired, const struct objset *cur,
	      const struct plan_opts *opts, struct plan *p)
{
	struct objset used;
	struct index ix;
	bool *drop, *drifted;
	int rc;

	memset(p, 0, sizeof(*p));
	objset_init(&used);
	drop = calloc(cur->n + 1, sizeof(*drop));
	drifted = calloc(cur->n + 1, sizeof(*drifted));
	if (!drop || !drifted) {
		free(drop);
		free(drifted);
		return -ENOMEM;
	}
	rc = index_build(&ix, cur);
	for (size_t i = 0; !rc && i < cur->n; i++) {
		const struct obj *c = cur->v[i], *d = objset_find(desired, c);
		int health = opts->alive && d ? opts->alive(c, opts->alive_arg) : PLAN_ALIVE;

		drifted[i] = health == PLAN_DRIFTED;
		/* Only what was made and confirmed can have been changed by
		 * hand; an unconfirmed object is what a killed run left. */
		if (health != PLAN_ALIVE && (c->flags & OBJ_F_CONFIRMED))
			p->n_repair++;
		drop[i] = !(c->flags & OBJ_F_CONFIRMED) || !d ||
			  (!obj_same(c, d) && !updatable(c, d)) || health == PLAN_GONE ||
			  (drifted[i] && !updatable(c, c)) ||
			  parent_dropped(cur, &ix, drop, c);
		if (drop[i] && c->kind == OBJ_ADDR) {
			char dev[32];

			obj_dev(c, dev, sizeof(dev));
			rc = index_put(&ix.addrdevs, OBJ_ADDR, c->ns, dev, i);
		}
	}
	if (!rc)
		rc = plan_deletes(cur, &ix, drop, opts->host_ns, p);

	/* Interface indexes in use by what stays. */
	for (size_t i = 0; !rc && i < cur->n; i++) {
		char peer_ns[256];

		if (drop[i] || cur->v[i]->kind != OBJ_VETH)
			continue;
		rc = note_ifindex(&used, cur->v[i]->ns, obj_get_long(cur->v[i]->state, "ifindex", 0));
		if (!rc && obj_get(cur->v[i]->attrs, "peer_ns", peer_ns, sizeof(peer_ns)))
			rc = note_ifindex(&used, peer_ns,
					  obj_get_long(cur->v[i]->state, "peer_ifindex", 0));
	}

	for (size_t i = 0; !rc && i < desired->n; i++) {
		const struct obj *d = desired->v[i];
		long at = objset_index(cur, d);
		struct obj *n;

		if (at >= 0 && !drop[at] && !drifted[at] && obj_same(cur->v[at], d) &&
		    !(d->kind == OBJ_SWITCHD && switchd_port_remade(cur, drop, d))) {
			n = obj_dup(cur->v[at]);
			p->n_keep++;
		} else {
			n = obj_dup(d);
			if (n && at >= 0 && !drop[at])
				rc = obj_set_state(n, cur->v[at]->state);
			else if (n && n->kind == OBJ_VETH)
				rc = assign_ifindexes(n, desired, &used, opts);
			if (!rc && n)
				rc = plan_push(p, at >= 0 && !drop[at] ? PLAN_UPDATE : PLAN_CREATE, n);
		}
		if (!n) {
			rc = -ENOMEM;
			break;
		}
		n->flags |= OBJ_F_CONFIRMED;
		if (rc)
			obj_free(n);
		else
			rc = objset_put(&p->next, n);
	}
	index_free(&ix);
	objset_clear(&used);
	free(drop);
	free(drifted);
	if (rc)
		plan_free(p);
	return rc;
}

int plan_teardown(const struct objset *objs, const struct plan_opts *opts, struct plan *p)
{
	struct index ix;
	bool *drop;
	int rc;

	memset(p, 0, sizeof(*p));
	drop = malloc((objs->n + 1) * sizeof(*drop));
	if (!drop)
		return -ENOMEM;
	for (size_t i = 0; i < objs->n; i++)
		drop[i] = true;
	rc = index_build(&ix, objs);
	if (!rc)
		rc = plan_deletes(objs, &ix, drop, opts->host_ns, p);
	index_free(&ix);
	free(drop);
	if (rc)
		plan_free(p);
	return rc;
}
