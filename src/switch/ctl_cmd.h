/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control protocol's requests, one JSON object per line, each answered
 * by one JSON object on one line:
 *
 *   {"cmd":"status"}     pid, switch, uptime, ports, fdb {entries,size,aging}
 *   {"cmd":"ports"}      ports: name, ifindex, mac, state, mode, vlan | trunk+native
 *   {"cmd":"fdb"}        entries: mac, vlan, port, age
 *   {"cmd":"stats"}      ports: rx/tx packets and bytes, drops (+ by reason),
 *                        errors; total: the same summed
 *   {"cmd":"fdb-flush"}  optional "port" (name) and "vlan" filters; removed: N
 *   {"cmd":"reload"}     re-read the configuration; added, removed, changed
 *
 * Success is {"ok":true,...}; failure {"ok":false,"error":"one line"}.
 * This file only turns a request line into a reply line; the socket, the
 * framing and the limits are ctl.c's.
 */
#ifndef NSLAB_SWITCH_CTL_CMD_H
#define NSLAB_SWITCH_CTL_CMD_H

#include <stddef.h>

#include "common/strbuf.h"

struct sw;

#define CTL_MAX_REQUEST (64u << 10) /* bytes in one request line */

/* Answer request line[len] (without its newline): append the reply and a
 * newline to out. Never fails: errors become {"ok":false} replies (only
 * out's own allocation can fail, see sb_error). */
void ctl_cmd_handle(struct sw *sw, const char *line, size_t len, struct strbuf *out);

/* An {"ok":false,"error":msg} line, for errors found before a request is
 * parsed (too long, too many clients). */
void ctl_cmd_error(struct strbuf *out, const char *msg);

#endif
