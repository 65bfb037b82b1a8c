/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/sys/net reads and writes in a given namespace. A file under
 * /proc/sys/net shows the namespace of the task that opens it, so the thread
 * enters the namespace, opens, and leaves: no fork of sysctl(8).
 * Keys are dotted ("net.ipv4.ip_forward").
 */
#ifndef NSLAB_SYSCTL_H
#define NSLAB_SYSCTL_H

#include <stddef.h>

/* nsfd -1: the current namespace. The value is trimmed of its newline. */
int sysctl_read(int nsfd, const char *key, char *buf, size_t len);
int sysctl_write(int nsfd, const char *key, const char *value);

#endif
