/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The neighbour entries a reachability run makes, kept within a budget
 * (why: reach.h). Private to reach.c.
 */
#ifndef NSLAB_REACH_NEIGH_H
#define NSLAB_REACH_NEIGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reach_probe;
struct reach_ntab;

/* Learn the entries of every probe (probe.neigh). When they fit the budget
 * nothing more happens and every probe is admitted at once; otherwise the
 * table opens a netlink socket in each namespace concerned and notes the
 * entries that exist already (never deleted). */
int reach_ntab_new(const int *nsfds, size_t n_ns, const struct reach_probe *probes, size_t n,
		   struct reach_ntab **out);
void reach_ntab_free(struct reach_ntab *t);

/* Whether the table deletes what the run makes (the budget is too small). */
bool reach_ntab_windowed(const struct reach_ntab *t);
/* Reserve probe i's entries; false if they do not fit now. A probe is
 * always admitted when nothing else runs. */
bool reach_ntab_admit(struct reach_ntab *t, size_t i);
/* Probe i is done: entries no running probe needs are queued for deletion. */
void reach_ntab_release(struct reach_ntab *t, size_t i);
/* Probe i is about to be sent again, unanswered: delete the entry it made
 * in its source (in a windowed run), so that the kernel resolves the target
 * afresh instead of waiting a second (retrans_time) to ask again after a
 * lost request. */
void reach_ntab_renew(struct reach_ntab *t, size_t i);
/* Send the queued deletions and wait for the kernel's answers. */
int reach_ntab_flush(struct reach_ntab *t);
/* Delete again the entries released a while ago whose time has come
 * (reach_neigh.c says why); queued for the next flush. */
void reach_ntab_tick(struct reach_ntab *t, uint64_t now);
/* At the end of a windowed run: delete every entry the run made again,
 * including those the kernel made anew after their first deletion. */
int reach_ntab_sweep(struct reach_ntab *t);

/* A key ordering probes so that those sharing entries are neighbours:
 * the two hosts of the pair, lower first. */
void reach_ntab_pair(const struct reach_probe *p, size_t *lo, size_t *hi);

#endif
