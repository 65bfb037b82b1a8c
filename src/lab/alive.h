/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whether a running lab's objects are still there, so that `up` remakes
 * what was deleted behind its back (ip netns del, ip link del, a daemon
 * killed): namespaces by a stat each, the links of the lab's host
 * namespace — every switch and every switch-side end of a veth — by one
 * dump, switch daemons by their pid files.
 */
#ifndef NSLAB_LAB_ALIVE_H
#define NSLAB_LAB_ALIVE_H

#include <net/if.h>
#include <stdbool.h>

#include "lab/obj.h"

struct alive {
	const char *lab;
	const char *host_ns;    /* the lab's host namespace, OBJ_NS_HOST for ours */
	char (*links)[IF_NAMESIZE]; /* its links' names, sorted */
	size_t n_links;
	bool have_links;        /* false: not read, every link counts as there */
};

/* Read what the checks need; a host namespace that is gone is not an
 * error (its namespace object is then found dead). */
int alive_init(struct alive *a, const char *lab, const char *host_ns);
void alive_free(struct alive *a);
/* A plan_opts.alive callback; arg is the struct alive. */
bool alive_obj(const struct obj *o, void *arg);

#endif
