/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One-line progress for long runs, on a terminal only; and run summaries. */
#ifndef NSLAB_PROGRESS_H
#define NSLAB_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct topo;
struct lab_result;

struct progress {
	const char *what;
	bool on;
	bool shown;
	uint64_t start;
	uint64_t last;
};

void progress_start(struct progress *p, const char *what, bool quiet);
/* A lab_progress_fn: arg is the struct progress. */
void progress_update(size_t done, size_t total, void *arg);
void progress_end(struct progress *p);

/* "seed: up in 0.05 s in a sandbox: 4 hosts, 1 switch (31 objects made)". */
void progress_summary(FILE *f, const struct topo *t, const struct lab_result *r, bool sandbox,
		      bool dry_run);

#endif
