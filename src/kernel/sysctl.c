// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/sys reads and writes in a given network namespace. The net.*
 * tables a file under /proc/sys/net resolves to are those of the opening
 * task's namespace (the sysctl "set" is looked up from current->nsproxy at
 * lookup time, fs/proc/proc_sysctl.c), and an open file keeps them: enter,
 * open, leave, then read or write.
 */
#include "kernel/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "kernel/netns.h"

/* "net.ipv4.ip_forward" → "/proc/sys/net/ipv4/ip_forward". A key with a
 * '/' is taken as a path below /proc/sys as it is, for names with dots
 * ("net/ipv4/conf/eth0.10/forwarding"), as sysctl(8) allows. */
static int sysctl_path(const char *key, char *path, size_t len)
{
	size_t n;

	if (!key[0] || strstr(key, ".."))
		return err_set(-EINVAL, "sysctl key '%s'", key);
	n = (size_t)snprintf(path, len, "/proc/sys/%s", key);
	if (n >= len)
		return err_set(-ENAMETOOLONG, "sysctl key '%s'", key);
	if (!strchr(key, '/')) {
		for (char *p = path + strlen("/proc/sys/"); *p; p++) {
			if (*p == '.')
				*p = '/';
		}
	}
	return 0;
}

static int sysctl_open(int nsfd, const char *key, int flags, int *fd)
{
	char path[PATH_MAX];
	int saved = -1, rc;

	rc = sysctl_path(key, path, sizeof(path));
	if (rc)
		return rc;
	if (nsfd >= 0) {
		rc = netns_enter(nsfd, &saved);
		if (rc)
			return err_ctx(rc, "sysctl %s", key);
	}
	*fd = open(path, flags | O_CLOEXEC);
	rc = *fd < 0 ? -errno : 0;
	if (nsfd >= 0) {
		int rc2 = netns_leave(saved);

		if (rc2) {
			if (*fd >= 0)
				close(*fd);
			return err_ctx(rc2, "sysctl %s", key);
		}
	}
	if (rc)
		return err_set(rc, "sysctl %s", key);
	return 0;
}

int sysctl_read(int nsfd, const char *key, char *buf, size_t len)
{
	ssize_t n;
	int fd = -1, rc;

	if (!len)
		return -EINVAL;
	rc = sysctl_open(nsfd, key, O_RDONLY, &fd);
	if (rc)
		return rc;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return err_set(rc, "reading sysctl %s", key);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int sysctl_write(int nsfd, const char *key, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd = -1, rc;

	rc = sysctl_open(nsfd, key, O_WRONLY, &fd);
	if (rc)
		return rc;
	/* A sysctl takes the value in one write(2). */
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	rc = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	close(fd);
	if (rc)
		return err_set(rc, "setting sysctl %s to %s", key, value);
	return 0;
}
