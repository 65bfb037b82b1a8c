// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *log_prog = "nslab";
static enum log_level log_lvl = LOG_LVL_INFO;
static FILE *log_file;
static bool log_stderr = true;

void log_setup(const char *prog, enum log_level level)
{
	log_prog = prog;
	log_lvl = level;
}

enum log_level log_level(void)
{
	return log_lvl;
}

int log_open_file(const char *path)
{
	FILE *f = fopen(path, "ae");

	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	if (log_file)
		fclose(log_file);
	log_file = f;
	return 0;
}

void log_to_stderr(bool on)
{
	log_stderr = on;
}

void log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const tags[] = { "error: ", "warning: ", "", "" };
	char text[2048];
	va_list ap;

	if (lvl > log_lvl)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (log_stderr)
		fprintf(stderr, "%s: %s%s\n", log_prog, tags[lvl], text);
	if (log_file) {
		struct timespec ts;
		struct tm tm;
		char when[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(log_file, "%s.%03ldZ %s%s\n", when, ts.tv_nsec / 1000000, tags[lvl], text);
	}
}
