/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The write-ahead journal of a lab (/run/nslab/LAB/journal): every object is
 * recorded before it is created, so `down` can remove exactly what the lab
 * made after a crash or kill -9 at any moment. Lines:
 *
 *     nslab-journal 1          header
 *     + OBJECT                 about to create (or update) OBJECT
 *     =                        everything recorded so far exists
 *     - KIND NS NAME           deleted
 *
 * Replaying gives the objects that may exist; those recorded after the last
 * "=" are unconfirmed (OBJ_F_CONFIRMED clear): they may or may not have been
 * made, so the planner deletes them (tolerantly) and makes them again.
 * Writes go to the file (tmpfs) before the kernel is asked; after a run the
 * journal is compacted to the objects that exist.
 */
#ifndef NSLAB_JOURNAL_H
#define NSLAB_JOURNAL_H

#include "common/strbuf.h"
#include "lab/objset.h"

struct journal {
	int fd;
	char *path;
	struct strbuf pending;  /* lines not yet written */
};

/* Open (creating if needed) for appending. */
int journal_open(const char *path, struct journal **out);
void journal_close(struct journal *j);

/* Replay path into cur (which should be empty). A missing file is an empty
 * journal. A malformed line is -EINVAL with its line number in errmsg. */
int journal_load(const char *path, struct objset *cur);

/* Queue records; journal_write() puts them in the file. */
int journal_add(struct journal *j, const struct obj *o);
int journal_del(struct journal *j, const struct obj *o);
int journal_commit(struct journal *j);
int journal_write(struct journal *j);

/* Rewrite the journal atomically as exactly the (confirmed) objects of cur. */
int journal_compact(struct journal *j, const struct objset *cur);

#endif
