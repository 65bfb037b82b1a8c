/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors travel up as negative errno values. The words that explain them
 * ("red: eth0: adding 172.16.10.1/24") are kept beside, in one per-thread
 * buffer, written by the code that knows the context and prefixed on the way
 * up, so that the top prints a single line:
 *
 *   nslab: seed: red: eth0: creating a veth pair with red-eth0 in host: File exists
 *
 * err_set() records context and lets the errno speak for the reason;
 * err_msg() records a complete sentence (no strerror appended) for failures
 * errno cannot describe; err_extack() adds the kernel's own explanation.
 */
#ifndef NSLAB_ERRMSG_H
#define NSLAB_ERRMSG_H

#include <stdio.h>

#define ERR_MSG_MAX 1024

/* Record context for rc (negative errno); returns rc. */
int err_set(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record a complete message for rc; strerror is not appended. Returns rc. */
int err_msg(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the recorded message with "CONTEXT: ". Returns rc. */
int err_ctx(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Attach the kernel's extended-ACK text (may be NULL). */
void err_extack(const char *text);
void err_clear(void);

/* The full line for rc without program name, e.g. "red: eth0: ...: File exists". */
const char *err_text(int rc);
/* Print "PROG: " + err_text(rc) + "\n" to f. */
void err_print(FILE *f, const char *prog, int rc);

#endif
