/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whether a running lab's objects are still as `up` made them, so that `up`
 * sets right what was changed behind its back: namespaces by a stat each,
 * switch daemons by their pid files, and links (there, and up), addresses
 * and routes by one dump of each per namespace, read when the first of its
 * objects is asked about. Something that cannot be read counts as there:
 * a wrong "gone" would remake what works.
 */
#ifndef NSLAB_LAB_ALIVE_H
#define NSLAB_LAB_ALIVE_H

#include <stddef.h>

#include "lab/obj.h"

struct ns_view;

struct alive {
	const char *lab;
	const char *host_ns;    /* the lab's host namespace, OBJ_NS_HOST for ours */
	struct ns_view **views; /* sorted by namespace name */
	size_t n_views, cap_views;
};

int alive_init(struct alive *a, const char *lab, const char *host_ns);
void alive_free(struct alive *a);
/* A plan_opts.alive callback (PLAN_ALIVE, PLAN_GONE, PLAN_DRIFTED); arg is
 * the struct alive. */
int alive_obj(const struct obj *o, void *arg);

#endif
