// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/errmsg.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static _Thread_local struct {
	char ctx[ERR_MSG_MAX];
	char extack[256];
	char line[ERR_MSG_MAX + 512];
	bool complete; /* ctx is a whole sentence: do not append strerror */
} err;

static int err_vset(int rc, bool complete, const char *fmt, va_list ap)
{
	vsnprintf(err.ctx, sizeof(err.ctx), fmt, ap);
	err.complete = complete;
	err.extack[0] = '\0';
	return rc;
}

int err_set(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(rc, false, fmt, ap);
	va_end(ap);
	return rc;
}

int err_msg(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(rc, true, fmt, ap);
	va_end(ap);
	return rc;
}

int err_ctx(int rc, const char *fmt, ...)
{
	char pre[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err.ctx, sizeof(old));
	/* A context too long for the buffer is cut, not refused: the start,
	 * which names the object, is the part worth keeping. */
	if (snprintf(err.ctx, sizeof(err.ctx), old[0] ? "%s: %s" : "%s", pre, old) < 0)
		err.ctx[0] = '\0';
	return rc;
}

void err_extack(const char *text)
{
	snprintf(err.extack, sizeof(err.extack), "%s", text ? text : "");
}

void err_clear(void)
{
	err.ctx[0] = '\0';
	err.extack[0] = '\0';
	err.complete = false;
}

const char *err_text(int rc)
{
	const char *reason = rc < 0 ? strerror(-rc) : "failed";
	size_t n;

	if (!err.ctx[0])
		n = (size_t)snprintf(err.line, sizeof(err.line), "%s", reason);
	else if (err.complete)
		n = (size_t)snprintf(err.line, sizeof(err.line), "%s", err.ctx);
	else
		n = (size_t)snprintf(err.line, sizeof(err.line), "%s: %s", err.ctx, reason);
	if (err.extack[0] && n < sizeof(err.line))
		snprintf(err.line + n, sizeof(err.line) - n, " (kernel: %s)", err.extack);
	return err.line;
}

void err_print(FILE *f, const char *prog, int rc)
{
	fprintf(f, "%s: %s\n", prog, err_text(rc));
}
