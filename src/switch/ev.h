/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small event loop in the manner of redis's ae.c: file descriptors
 * registered with a callback, one epoll_wait(2) that sleeps until something
 * is ready, dispatch, repeat. Timers and signals are file descriptors too
 * (timerfd, signalfd), so there is one kind of event.
 *
 * Registrations are level-triggered: a handler that leaves work behind
 * (a receive ring not drained) is called again on the next round, after
 * every other ready descriptor had its turn.
 */
#ifndef NSLAB_SWITCH_EV_H
#define NSLAB_SWITCH_EV_H

#include <stdint.h>
#include <sys/epoll.h>

struct ev;
typedef void (*ev_fn)(struct ev *ev, int fd, uint32_t events, void *arg);

struct ev *ev_new(void);
void ev_free(struct ev *ev);

/* events: EPOLLIN, EPOLLOUT... 0 or -errno. */
int ev_add(struct ev *ev, int fd, uint32_t events, ev_fn fn, void *arg);
int ev_mod(struct ev *ev, int fd, uint32_t events);
/* Safe from inside a handler, also for another descriptor that is ready
 * in the same round: it is not called again. */
void ev_del(struct ev *ev, int fd);

/* A periodic timer (timerfd): its fd, or -errno. Remove with ev_del and
 * close. */
int ev_timer(struct ev *ev, unsigned period_ms, ev_fn fn, void *arg);

/* Keep polling (epoll_wait without sleeping) for ns more nanoseconds
 * before going back to sleep: a handler calls this after it found work,
 * so that the next frame of an exchange in progress is picked up without
 * the cost of a sleep and a cross-CPU wakeup. Idle, the loop sleeps. */
void ev_spin(struct ev *ev, uint64_t ns);

/* Sleep ns (under 1 ms) before the next wait, once: a handler that found
 * a large batch asks for this so that the next one is larger still, and
 * the processes it feeds get the CPU meanwhile (interrupt moderation). */
void ev_linger(struct ev *ev, uint64_t ns);

/* One round: wait up to timeout_ms (-1: forever) and dispatch what is
 * ready. Returns how many events were dispatched, or -errno. */
int ev_run_once(struct ev *ev, int timeout_ms);

/* ev_add for a bulk source (a switch port): in each round, its handler
 * runs after those of every other ready descriptor. */
int ev_add_bulk(struct ev *ev, int fd, uint32_t events, ev_fn fn, void *arg);

/* Look at registered fd between bulk handlers too, and run its handler as
 * soon as it is ready (the daemon's signals: a stop during a flood). */
void ev_watch(struct ev *ev, int fd);

/* Call fn after the handlers of each round: work they all share, done
 * once (the switch sends what every ready port queued). */
void ev_on_round_end(struct ev *ev, void (*fn)(void *arg), void *arg);

/* Wait and dispatch until ev_stop(); 0 or -errno. */
int ev_run(struct ev *ev);
void ev_stop(struct ev *ev);

#endif
