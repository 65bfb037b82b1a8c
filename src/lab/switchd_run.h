/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running nslab-switchd for a lab's switch: its files in the lab's state
 * directory (SW.json config, SW.sock control, SW.pid, SW.log), starting it
 * inside the lab's host namespace, stopping it, telling it to reload, and
 * telling whether it still lives.
 */
#ifndef NSLAB_SWITCHD_RUN_H
#define NSLAB_SWITCHD_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct obj;

/* The path of the switch's FILE ("json", "sock", "pid", "log"). */
int switchd_path(const char *lab, const char *sw, const char *ext, char *buf, size_t len);
/* The daemon's program: $NSLAB_SWITCHD, else nslab-switchd beside this
 * program, else from PATH. */
const char *switchd_program(void);

/* Write the config described by a SWITCHD object's attributes. */
int switchd_write_config(const char *lab, const struct obj *o);
/* Start the daemons for reqs[i].o in namespaces reqs[i].nsfd (-1: here),
 * all at once, each after stopping what is left of an earlier one, and
 * return once each forwards on every port; the first failure's words
 * become errmsg, and the others are started all the same. */
struct switchd_start_req {
	const struct obj *o;
	int nsfd;
};
int switchd_start_many(const char *lab, const struct switchd_start_req *reqs, size_t n);
/* Make a running daemon re-read its config. */
int switchd_reload(const char *lab, const char *sw);
/* Stop it (SIGTERM, then SIGKILL after 2 s) and remove its files. An
 * absent daemon is fine; one already dying (killed) is not waited for. */
int switchd_stop(const char *lab, const char *sw);
/* The same for n daemons at once: all are signalled before any is waited
 * for. 0 or -ENOMEM. */
int switchd_stop_many(const char *lab, const char *const *sws, size_t n);
bool switchd_alive(const char *lab, const char *sw);

#endif
