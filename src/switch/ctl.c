// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/ctl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "common/util.h"
#include "common/strbuf.h"
#include "switch/ctl_cmd.h"

struct ctl_client {
	struct ctl *ctl;
	int fd;
	char *in; /* CTL_MAX_REQUEST + 1 bytes */
	size_t in_len;
	bool discarding; /* inside a too-long line: skip to its newline */
	bool eof;        /* the client shut down its side: answer what is left, close */
	struct strbuf out;
	size_t out_off;
	uint64_t active_ns; /* when it last sent or took anything */
};

struct ctl {
	int fd;
	bool bound; /* the socket file is ours to remove */
	char *path;
	struct ev *ev;
	struct sw *sw;
	struct ctl_client *clients[CTL_MAX_CLIENTS];
	unsigned n_clients;
};

static void client_close(struct ctl_client *c)
{
	struct ctl *ctl = c->ctl;

	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++)
		if (ctl->clients[i] == c) {
			ctl->clients[i] = NULL;
			ctl->n_clients--;
		}
	ev_del(ctl->ev, c->fd);
	close(c->fd);
	sb_free(&c->out);
	free(c->in);
	free(c);
}

/* Write what is pending; returns false if the client was closed. Left
 * with replies the socket cannot take yet, it waits for EPOLLOUT only. */
static bool client_flush(struct ctl_client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.s + c->out_off, c->out.len - c->out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				if (c->out.len - c->out_off > CTL_MAX_OUT) {
					client_close(c);
					return false;
				}
				ev_mod(c->ctl->ev, c->fd, EPOLLOUT);
				return true;
			}
			client_close(c);
			return false;
		}
		c->out_off += (size_t)n;
	}
	sb_reset(&c->out);
	c->out_off = 0;
	return true;
}

static bool has_line(const struct ctl_client *c)
{
	return memchr(c->in, '\n', c->in_len) != NULL;
}

static void answer(struct ctl_client *c, size_t start, size_t n)
{
	if (n && c->in[start + n - 1] == '\r')
		n--;
	/* an empty line too: one reply per line */
	ctl_cmd_handle(c->ctl->sw, c->in + start, n, &c->out);
}

/* Answer up to CTL_LINES_PER_ROUND complete lines of the input buffer
 * (after the client's EOF, also a last one without its newline). */
static void client_lines(struct ctl_client *c)
{
	size_t start = 0;
	unsigned done = 0;

	for (size_t i = 0; i < c->in_len && done < CTL_LINES_PER_ROUND; i++) {
		if (c->in[i] != '\n')
			continue;
		if (c->discarding) {
			c->discarding = false;
		} else {
			answer(c, start, i - start);
			done++;
		}
		start = i + 1;
	}
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	if (c->eof && !has_line(c) && c->in_len) {
		if (!c->discarding)
			answer(c, 0, c->in_len);
		c->in_len = 0;
	}
	if (c->in_len > CTL_MAX_REQUEST) {
		if (!c->discarding)
			ctl_cmd_error(&c->out, "request longer than 65536 bytes");
		c->discarding = true;
		c->in_len = 0;
	} else if (c->discarding) {
		c->in_len = 0;
	}
}

static void client_event(struct ev *ev, int fd, uint32_t events, void *arg)
{
	struct ctl_client *c = arg;

	(void)ev;
	(void)fd;
	c->active_ns = time_mono_ns();
	if (events & EPOLLOUT) {
		if (!client_flush(c))
			return;
		if (c->out.len)
			return;
	}
	/* One read per event, and only once the lines read before are all
	 * answered: a client that writes without end still lets the data
	 * path run between its reads. */
	if (!has_line(c) && !c->eof) {
		ssize_t n;

		if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
			/* replies written, nothing left to answer */
			ev_mod(c->ctl->ev, c->fd, EPOLLIN);
			return;
		}
		n = recv(c->fd, c->in + c->in_len, CTL_MAX_REQUEST + 1 - c->in_len, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			client_close(c);
			return;
		}
		if (n == 0)
			c->eof = true;
		c->in_len += (size_t)n;
	}
	client_lines(c);
	if (sb_error(&c->out)) {
		client_close(c);
		return;
	}
	if (c->out.len && !client_flush(c))
		return;
	if (c->out.len)
		return; /* waiting for EPOLLOUT */
	if (c->eof && !c->in_len) {
		client_close(c);
		return;
	}
	/* Lines left for the next round: a writable socket wakes it at once. */
	ev_mod(c->ctl->ev, c->fd, has_line(c) || c->eof ? EPOLLOUT : EPOLLIN);
}

static void refuse(int fd)
{
	static const char msg[] = "{\"ok\":false,\"error\":\"too many clients\"}\n";

	if (send(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* Nothing more to say to it. */
	}
	close(fd);
}

/* With every slot taken, the client silent longest makes room, if it has
 * been silent CTL_IDLE_EVICT_MS: clients that connect and never finish a
 * request cannot lock nslab out of its switch. */
static bool make_room(struct ctl *ctl)
{
	struct ctl_client *idle = NULL;
	uint64_t now = time_mono_ns();

	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++) {
		struct ctl_client *c = ctl->clients[i];

		if (c && (!idle || c->active_ns < idle->active_ns))
			idle = c;
	}
	if (!idle || now - idle->active_ns < (uint64_t)CTL_IDLE_EVICT_MS * 1000000u)
		return false;
	log_debug("control: a client silent for %llu ms makes room for a new one",
		  (unsigned long long)((now - idle->active_ns) / 1000000u));
	client_close(idle);
	return true;
}

static void listen_event(struct ev *ev, int lfd, uint32_t events, void *arg)
{
	struct ctl *ctl = arg;

	(void)events;
	for (int tries = 0; tries < CTL_MAX_CLIENTS; tries++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ctl_client *c;
		unsigned slot;

		if (fd < 0)
			return;
		if (ctl->n_clients >= CTL_MAX_CLIENTS && !make_room(ctl)) {
			refuse(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c)
			c->in = malloc(CTL_MAX_REQUEST + 1);
		if (!c || !c->in) {
			if (c)
				free(c);
			close(fd);
			continue;
		}
		c->ctl = ctl;
		c->fd = fd;
		c->active_ns = time_mono_ns();
		if (ev_add(ev, fd, EPOLLIN, client_event, c)) {
			free(c->in);
			free(c);
			close(fd);
			continue;
		}
		for (slot = 0; ctl->clients[slot]; slot++)
			;
		ctl->clients[slot] = c;
		ctl->n_clients++;
	}
}

/* A socket file from an earlier daemon: in use if something accepts. */
static int clear_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : err_set(-errno, "%s", path);
	if (!S_ISSOCK(st.st_mode))
		return err_msg(-EEXIST, "%s: exists and is not a socket", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(-errno, "socket");
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (rc == 0)
		return err_msg(-EADDRINUSE, "%s: another daemon is listening there", path);
	if (unlink(path) && errno != ENOENT)
		return err_set(-errno, "removing stale %s", path);
	return 0;
}

int ctl_open(struct ctl **out, const char *path, struct ev *ev, struct sw *sw)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl *ctl;
	mode_t old;
	int rc;

	*out = NULL;
	if (strlen(path) >= sizeof(sa.sun_path))
		return err_msg(-ENAMETOOLONG, "%s: longer than a socket path may be (%zu)", path,
			       sizeof(sa.sun_path) - 1);
	strcpy(sa.sun_path, path);
	rc = clear_stale(path, &sa);
	if (rc)
		return rc;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -ENOMEM;
	ctl->fd = -1;
	ctl->ev = ev;
	ctl->sw = sw;
	ctl->path = strdup(path);
	ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (!ctl->path || ctl->fd < 0) {
		rc = err_set(ctl->path ? -errno : -ENOMEM, "control socket");
		goto fail;
	}
	/* Created 0600 from the start: no window where others may connect. */
	old = umask(0177);
	rc = bind(ctl->fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old);
	if (rc) {
		err_set(rc, "binding %s", path);
		goto fail;
	}
	ctl->bound = true;
	if (chmod(path, 0600) || listen(ctl->fd, 64)) {
		rc = err_set(-errno, "%s", path);
		goto fail;
	}
	rc = ev_add(ev, ctl->fd, EPOLLIN, listen_event, ctl);
	if (rc) {
		err_set(rc, "%s", path);
		goto fail;
	}
	*out = ctl;
	return 0;
fail:
	ctl_close(ctl);
	return rc;
}

void ctl_close(struct ctl *ctl)
{
	if (!ctl)
		return;
	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++)
		if (ctl->clients[i])
			client_close(ctl->clients[i]);
	if (ctl->fd >= 0) {
		ev_del(ctl->ev, ctl->fd);
		close(ctl->fd);
		if (ctl->bound)
			unlink(ctl->path);
	}
	free(ctl->path);
	free(ctl);
}

unsigned ctl_clients(const struct ctl *ctl)
{
	return ctl->n_clients;
}
