/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket: a Unix stream socket (mode 0600) that speaks the
 * line protocol of ctl_cmd.h. It shares the data path's thread and event
 * loop, so it must never block or grow without bound:
 *
 * - every descriptor is non-blocking; a client whose reply does not fit in
 *   the socket is written to as it drains (EPOLLOUT), and is not read from
 *   meanwhile, so one client cannot queue unbounded replies;
 * - a request line longer than CTL_MAX_REQUEST gets an error reply and the
 *   rest of that line is discarded;
 * - at most CTL_MAX_CLIENTS at once; when all are taken, the client that
 *   has been silent longest, if for CTL_IDLE_EVICT_MS, is closed to make
 *   room, else the newcomer is told so and closed;
 * - a client whose unread replies pass CTL_MAX_OUT is disconnected;
 * - at most CTL_LINES_PER_ROUND of a client's requests are answered per
 *   round of the event loop: one that pipelines thousands waits between
 *   batches while the ports are served (its socket, writable, brings it
 *   back next round), and one that has gone is dropped at its first reply.
 *
 * A last request without its newline is answered when the client shuts
 * down its side, as if the newline were there.
 *
 * A stale socket file left by a killed daemon is replaced; a live one (a
 * daemon answers on it) is an error.
 */
#ifndef NSLAB_SWITCH_CTL_H
#define NSLAB_SWITCH_CTL_H

#include "switch/ev.h"

#define CTL_MAX_CLIENTS 32
#define CTL_IDLE_EVICT_MS 1000
#define CTL_MAX_OUT (32u << 20)
#define CTL_LINES_PER_ROUND 4

struct sw;
struct ctl;

int ctl_open(struct ctl **out, const char *path, struct ev *ev, struct sw *sw);
/* Close every client and the socket, and remove the socket file. */
void ctl_close(struct ctl *ctl);
unsigned ctl_clients(const struct ctl *ctl);

#endif
