/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a plan. Actions are taken in steps: a run of consecutive actions
 * of one operation and kind (all new namespaces, then all veths, ...). For a
 * step, every object is first written to the journal, then every request
 * is queued on its namespace's netlink socket, then all sockets are flushed
 * together, then the step is committed in the journal. A failure stops the
 * run with errmsg naming the object; apply_rollback() then deletes what the
 * run made.
 *
 * Deleting the veths of a whole lab uses its link group: one request, and
 * one wait for the kernel instead of one per link.
 */
#ifndef NSLAB_APPLY_H
#define NSLAB_APPLY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "lab/desired.h"
#include "lab/journal.h"
#include "lab/nsctx.h"
#include "lab/plan.h"

struct apply_ctx {
	const struct lab_env *env;
	struct journal *journal;
	struct objset *state;       /* what may exist; kept up to date as we go */
	struct objset made;         /* created in this run, in order (for rollback) */
	struct nsctx_table ns;
	/* Testing aids (NSLAB_FAULT, NSLAB_STALL): fail, or stop forever,
	 * before the Nth object is created. 0: off. NSLAB_STALL=links stops
	 * once everything is made, while the new links come up. */
	long fault_at;
	long stall_at;
	bool stall_links;
	long created;
	void (*progress)(size_t done, size_t total, void *arg);
	void *progress_arg;
	/* Set from a signal handler: stop before the next step, as a failure
	 * would (NULL: never). A rollback is not stopped. */
	const volatile sig_atomic_t *stop;
};

/* ctx->env, journal and state must be set; the rest is set up here. */
void apply_init(struct apply_ctx *ctx);
void apply_fini(struct apply_ctx *ctx);

int apply_run(struct apply_ctx *ctx, const struct plan *p);
/* NSLAB_STALL=links: wait here until a signal asks the run to stop. */
void apply_stall_links(const struct apply_ctx *ctx);
/* -EINTR, with its message, if a signal asked the run to stop; else 0. */
int apply_stopped(const struct apply_ctx *ctx);
/* Delete everything this context made (after a failed apply_run). */
int apply_rollback(struct apply_ctx *ctx);
/* After apply_rollback: make what the failed run deleted or changed as it
 * was in before (the state before the run), without the testing aids or a
 * stop. *p gets the plan run (plan_free it), or is left empty on -ENOMEM. */
int apply_restore(struct apply_ctx *ctx, const struct objset *before, const struct plan_opts *opts,
		  struct plan *p);

#endif
