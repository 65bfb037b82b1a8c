/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Leveled messages for people, on stderr (and, for the daemon, a log file).
 * Warnings always show unless -q; info is the default level; debug needs -v.
 */
#ifndef NSLAB_LOG_H
#define NSLAB_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_setup(const char *prog, enum log_level level);
enum log_level log_level(void);
/* Also append timestamped lines to path (the daemon's log). 0 or -errno. */
int log_open_file(const char *path);
/* Whether stderr gets the lines too (the daemon turns it off once detached). */
void log_to_stderr(bool on);
void log_close(void);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
