// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/swclient.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/strbuf.h"
#include "common/util.h"

#define REPLY_MAX (64u << 20)

static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		uint64_t now = time_mono_ns();
		struct pollfd p = { .fd = fd, .events = events };
		int n;

		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)((deadline - now) / 1000000 + 1));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int swclient_call(const char *sock_path, json_t *req, int timeout_ms, json_t **reply)
{
	uint64_t deadline = time_mono_ns() + (uint64_t)timeout_ms * 1000000u;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct strbuf in = STRBUF_INIT;
	char *text = NULL, buf[65536];
	json_error_t jerr;
	size_t off = 0, len;
	int fd = -1, rc;

	*reply = NULL;
	if (str_copy(sa.sun_path, sizeof(sa.sun_path), sock_path))
		return err_set(-ENAMETOOLONG, "%s", sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		rc = -errno;
		if (rc == -ECONNREFUSED || rc == -ENOENT)
			err_msg(rc, "connecting to the switch at %s: %s: its nslab-switchd is not running; nslab up starts it again",
				sock_path, strerror(-rc));
		else
			err_set(rc, "connecting to the switch at %s", sock_path);
		goto out;
	}
	text = json_dumps(req, JSON_COMPACT);
	if (!text) {
		rc = -ENOMEM;
		goto out;
	}
	len = strlen(text);
	text[len++] = '\n'; /* json_dumps leaves room: overwrite the NUL */
	while (off < len) {
		ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			rc = wait_fd(fd, POLLOUT, deadline);
			if (rc)
				goto timeout;
			continue;
		}
		if (n < 0) {
			rc = err_set(-errno, "writing to the switch at %s", sock_path);
			goto out;
		}
		off += (size_t)n;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EAGAIN) {
			rc = wait_fd(fd, POLLIN, deadline);
			if (rc)
				goto timeout;
			continue;
		}
		if (n < 0) {
			rc = err_set(-errno, "reading from the switch at %s", sock_path);
			goto out;
		}
		if (n == 0) {
			rc = err_msg(-EPROTO, "the switch at %s closed the connection", sock_path);
			goto out;
		}
		sb_append(&in, buf, (size_t)n);
		if (sb_error(&in) || in.len > REPLY_MAX) {
			rc = -ENOMEM;
			goto out;
		}
		if (memchr(buf, '\n', (size_t)n))
			break;
	}
	*reply = json_loads(sb_str(&in), JSON_DISABLE_EOF_CHECK, &jerr);
	if (!*reply) {
		rc = err_msg(-EPROTO, "the switch at %s answered badly: %s", sock_path, jerr.text);
		goto out;
	}
	if (!json_is_true(json_object_get(*reply, "ok"))) {
		const char *e = json_string_value(json_object_get(*reply, "error"));

		const char *cmd = json_string_value(json_object_get(req, "cmd"));

		/* A daemon started by an older nslab lacks the newer requests:
		 * say so, with a code callers can tell from a failure. */
		if (e && cmd && !strncmp(e, "unknown command", 15))
			rc = err_msg(-EOPNOTSUPP,
				     "the running nslab-switchd is older than this nslab and has no '%s' request; nslab down and nslab up restart it",
				     cmd);
		else
			rc = err_msg(-EPROTO, "switch: %s", e ? e : "request failed");
		json_decref(*reply);
		*reply = NULL;
		goto out;
	}
	rc = 0;
	goto out;
timeout:
	rc = err_set(rc, "waiting for the switch at %s", sock_path);
out:
	if (text)
		free(text);
	sb_free(&in);
	close(fd);
	return rc;
}

int swclient_cmd(const char *sock_path, const char *cmd, int timeout_ms, json_t **reply)
{
	json_t *req = json_pack("{s:s}", "cmd", cmd);
	int rc;

	if (!req)
		return -ENOMEM;
	rc = swclient_call(sock_path, req, timeout_ms, reply);
	json_decref(req);
	return rc;
}
