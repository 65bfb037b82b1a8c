/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A growable string. Allocation failure is sticky: every later append is a
 * no-op and sb_error() says -ENOMEM, so callers check once at the end.
 */
#ifndef NSLAB_STRBUF_H
#define NSLAB_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;    /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	int err;
};

#define STRBUF_INIT { NULL, 0, 0, 0 }

void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_append(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_reset(struct strbuf *sb);
int sb_error(const struct strbuf *sb);
/* The text ("" if empty); valid until the next append. */
const char *sb_str(const struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif
