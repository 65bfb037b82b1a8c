/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whole operations: bring a lab up (or reconcile it with an edited
 * topology), and take it down. Everything else in src/lab serves these.
 */
#ifndef NSLAB_LAB_H
#define NSLAB_LAB_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct topo;

typedef void (*lab_progress_fn)(size_t done, size_t total, void *arg);

struct lab_up_opts {
	bool sandbox;
	const char *src;        /* the topology file's bytes, saved for later runs; */
	size_t src_len;         /* NULL for the built-in seed */
	bool dry_run;           /* plan and print (at -v), change nothing */
	lab_progress_fn progress;
	void *progress_arg;
	/* Set by a signal handler to stop and roll back (NULL: never). */
	const volatile sig_atomic_t *stop;
};

struct lab_result {
	size_t created, updated, deleted, kept;
	size_t repaired;        /* of those, objects set right after changes by hand */
	bool existed;           /* the lab was running before */
	uint64_t elapsed_ns;
};

/* Make the kernel match t. On failure what this run made is rolled back and
 * errmsg says what failed. */
int lab_up(const struct topo *t, const struct lab_up_opts *o, struct lab_result *r);
/* Remove everything lab made. -ENOENT if there is no such lab. */
int lab_down(const char *lab, lab_progress_fn progress, void *arg, struct lab_result *r);
/* The lab other than self (NULL: any) whose journal holds namespace ns,
 * into owner: hosts' namespaces are named after them, so labs that run
 * together cannot share a host name. */
bool lab_netns_owner(const char *self, const char *ns, char *owner, size_t len);

#endif
