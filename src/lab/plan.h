/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The planner: what must change to turn the objects the journal says exist
 * (current) into the objects the topology wants (desired).
 *
 * An existing object is dropped when it is unconfirmed (a crash may have
 * left it half made), no longer wanted, changed in a way that cannot be
 * applied in place, dead (a switch daemon that died), or when something it
 * needs is dropped (a host's addresses go with its namespace). Dropped
 * objects are deleted newest first, except those that vanish with their
 * parent anyway (everything inside a deleted namespace, the addresses of a
 * deleted link), which is what makes `down` fast. Then the desired objects
 * that do not exist are created, in creation order, and changed ones that
 * can be updated in place (a port's VLANs, the NAT table, a switch's
 * configuration) are updated. Unchanged objects are not touched at all,
 * which is why traffic between unchanged hosts never stops.
 *
 * New veths get chosen interface indexes inside the lab's namespaces, so
 * addresses and routes can be queued in the same batch as the links.
 */
#ifndef NSLAB_PLAN_H
#define NSLAB_PLAN_H

#include <stdbool.h>

#include "lab/objset.h"

enum plan_op { PLAN_DELETE, PLAN_CREATE, PLAN_UPDATE };

struct plan_action {
	enum plan_op op;
	struct obj *obj;        /* owned; for PLAN_DELETE, as the journal had it */
	bool implicit;          /* a delete that happens with its parent's: journal only */
};

struct plan {
	struct plan_action *v;
	size_t n, cap;
	struct objset next;     /* the objects that exist once the plan ran */
	size_t n_delete, n_create, n_update, n_keep;
	size_t n_repair;        /* objects found gone or drifted (and set right) */
};

enum { PLAN_ALIVE, PLAN_GONE, PLAN_DRIFTED };

struct plan_opts {
	const char *host_ns;    /* the lab's host namespace (no chosen ifindexes there) */
	int ifindex_base;       /* first index to choose in a new namespace (2: after lo) */
	/* Whether an existing object is still as made (NULL: assume it is):
	 * PLAN_ALIVE, PLAN_GONE (made again) or PLAN_DRIFTED (changed behind
	 * our back: set right in place where its kind allows, else made again). */
	int (*alive)(const struct obj *o, void *arg);
	void *alive_arg;
};

int plan_make(const struct objset *desired, const struct objset *current,
	      const struct plan_opts *opts, struct plan *p);
/* Delete everything of objs (a teardown or a rollback). */
int plan_teardown(const struct objset *objs, const struct plan_opts *opts, struct plan *p);
void plan_free(struct plan *p);

/* One line per action, for -v and tests: "create veth red eth0 ...". */
const char *plan_op_name(enum plan_op op);

#endif
