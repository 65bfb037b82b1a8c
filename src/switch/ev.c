// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/ev.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"

#define EV_BATCH 64

struct ev_reg {
	ev_fn fn;
	void *arg;
	uint32_t gen; /* tells a stale event for a reused fd from a live one */
	bool bulk;    /* dispatched after the others of its round */
};

struct ev {
	int epfd;
	bool stop;
	uint32_t gen;
	uint64_t spin_until; /* CLOCK_MONOTONIC ns */
	uint64_t linger_ns;  /* sleep this long before the next wait */
	struct ev_reg *regs; /* indexed by fd */
	size_t cap;
	void (*round_end)(void *arg);
	void *round_arg;
	int watch_fd; /* looked at between bulk handlers; -1: none */
};

struct ev *ev_new(void)
{
	struct ev *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	ev->watch_fd = -1;
	ev->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev->epfd < 0) {
		free(ev);
		return NULL;
	}
	return ev;
}

void ev_free(struct ev *ev)
{
	if (!ev)
		return;
	close(ev->epfd);
	free(ev->regs);
	free(ev);
}

int ev_add(struct ev *ev, int fd, uint32_t events, ev_fn fn, void *arg)
{
	struct epoll_event e = { .events = events };
	size_t old = ev->cap;

	if (fd < 0)
		return -EBADF;
	if (array_reserve(&ev->regs, &ev->cap, (size_t)fd + 1, sizeof(*ev->regs)))
		return -ENOMEM;
	for (size_t i = old; i < ev->cap; i++)
		ev->regs[i] = (struct ev_reg){ 0 };
	ev->regs[fd] = (struct ev_reg){ fn, arg, ++ev->gen, false };
	e.data.u64 = (uint64_t)ev->regs[fd].gen << 32 | (uint32_t)fd;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, fd, &e)) {
		ev->regs[fd].fn = NULL;
		return -errno;
	}
	return 0;
}

int ev_add_bulk(struct ev *ev, int fd, uint32_t events, ev_fn fn, void *arg)
{
	int rc = ev_add(ev, fd, events, fn, arg);

	if (!rc)
		ev->regs[fd].bulk = true;
	return rc;
}

int ev_mod(struct ev *ev, int fd, uint32_t events)
{
	struct epoll_event e = { .events = events };

	if (fd < 0 || (size_t)fd >= ev->cap || !ev->regs[fd].fn)
		return -EBADF;
	e.data.u64 = (uint64_t)ev->regs[fd].gen << 32 | (uint32_t)fd;
	return epoll_ctl(ev->epfd, EPOLL_CTL_MOD, fd, &e) ? -errno : 0;
}

void ev_del(struct ev *ev, int fd)
{
	if (fd < 0 || (size_t)fd >= ev->cap || !ev->regs[fd].fn)
		return;
	epoll_ctl(ev->epfd, EPOLL_CTL_DEL, fd, NULL);
	ev->regs[fd].fn = NULL;
	ev->regs[fd].gen = 0;
}

int ev_timer(struct ev *ev, unsigned period_ms, ev_fn fn, void *arg)
{
	struct itimerspec its = { 0 };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	its.it_interval.tv_sec = period_ms / 1000;
	its.it_interval.tv_nsec = (long)(period_ms % 1000) * 1000000;
	its.it_value = its.it_interval;
	if (timerfd_settime(fd, 0, &its, NULL)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = ev_add(ev, fd, EPOLLIN, fn, arg);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int ev_run_once(struct ev *ev, int timeout_ms)
{
	struct epoll_event evs[EV_BATCH];
	int n = epoll_wait(ev->epfd, evs, EV_BATCH, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	/* Two passes: signals, the timer and control requests first, then
	 * the bulk (ports), so that a flood keeping every port busy cannot
	 * hold up a stop or a request for a whole round. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n && !ev->stop; i++) {
			int fd = (int)(uint32_t)evs[i].data.u64;
			uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
			struct ev_reg *r;

			if ((size_t)fd >= ev->cap)
				continue;
			r = &ev->regs[fd];
			if (!r->fn || r->gen != gen || r->bulk != (pass == 1))
				continue;
			if (pass == 1 && ev->watch_fd >= 0) {
				/* A signal that came during the round is not
				 * kept waiting for the rest of it. */
				struct pollfd w = { .fd = ev->watch_fd, .events = POLLIN };
				struct ev_reg *wr = &ev->regs[ev->watch_fd];

				if (poll(&w, 1, 0) == 1 && wr->fn)
					wr->fn(ev, ev->watch_fd, EPOLLIN, wr->arg);
				if (ev->stop)
					break;
				/* It may have reloaded: ports gone, the table
				 * grown. */
				r = &ev->regs[fd];
				if (!r->fn || r->gen != gen)
					continue;
			}
			r->fn(ev, fd, evs[i].events, r->arg);
		}
	}
	if (ev->round_end)
		ev->round_end(ev->round_arg);
	return n;
}

void ev_watch(struct ev *ev, int fd)
{
	ev->watch_fd = fd;
}

void ev_on_round_end(struct ev *ev, void (*fn)(void *arg), void *arg)
{
	ev->round_end = fn;
	ev->round_arg = arg;
}

int ev_run(struct ev *ev)
{
	ev->stop = false;
	while (!ev->stop) {
		int timeout = ev->spin_until && time_mono_ns() < ev->spin_until ? 0 : -1;
		int rc;

		if (ev->linger_ns) {
			struct timespec ts = { 0, (long)ev->linger_ns };

			ev->linger_ns = 0;
			nanosleep(&ts, NULL);
		}
		rc = ev_run_once(ev, timeout);

		if (rc < 0)
			return rc;
	}
	return 0;
}

void ev_spin(struct ev *ev, uint64_t ns)
{
	ev->spin_until = ns ? time_mono_ns() + ns : 0;
}

void ev_linger(struct ev *ev, uint64_t ns)
{
	ev->linger_ns = ns < 1000000 ? ns : 999999;
}

void ev_stop(struct ev *ev)
{
	ev->stop = true;
}
