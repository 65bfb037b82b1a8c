/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The client side of nslab-switchd's control socket: one JSON object per line. */
#ifndef NSLAB_SWCLIENT_H
#define NSLAB_SWCLIENT_H

#include <jansson.h>

/* Send req (a JSON object) to the daemon at sock_path and return its reply.
 * A reply {"ok": false, "error": E} becomes -EPROTO with E in errmsg, or
 * -EOPNOTSUPP when the daemon does not know the request (an older daemon).
 * timeout_ms bounds the whole exchange. Caller json_decref()s *reply. */
int swclient_call(const char *sock_path, json_t *req, int timeout_ms, json_t **reply);
/* The same with {"cmd": CMD}. */
int swclient_cmd(const char *sock_path, const char *cmd, int timeout_ms, json_t **reply);

#endif
