/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A pid file that is also a lock: the daemon holds flock(LOCK_EX) on it for
 * its whole life, so a second daemon for the same file is refused while the
 * first runs, and a file left by a daemon killed with SIGKILL (whose lock
 * died with it) is simply taken over.
 */
#ifndef NSLAB_SWITCH_PIDFILE_H
#define NSLAB_SWITCH_PIDFILE_H

struct pidfile;

/* Lock path and write the caller's pid into it. -EBUSY (message names the
 * running pid) when another process holds it; 0 or -errno. */
int pidfile_open(struct pidfile **out, const char *path);
/* Remove the file and drop the lock. NULL-safe. */
void pidfile_close(struct pidfile *pf);

#endif
