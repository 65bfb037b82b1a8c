// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/linkmon.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "kernel/nlattr.h"

int linkmon_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1u << (RTNLGRP_LINK - 1) };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return err_set(-errno, "link events: socket");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int rc = err_set(-errno, "link events: bind");

		close(fd);
		return rc;
	}
	return fd;
}

size_t linkmon_parse(const void *buf, size_t len, void (*fn)(void *arg, int ifindex), void *arg)
{
	const struct nlmsghdr *nlh = buf;
	size_t n = 0;

	/* nlattr's walk, not libmnl's: mnl_nlmsg_ok takes a length of 2 GiB
	 * or more, cast to int, for a short one (found by fuzz_nlparse). */
	for (; nlattr_msg_ok(nlh, len); nlh = nlattr_msg_next(nlh, &len)) {
		const struct ifinfomsg *ifi;

		if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
			continue;
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
			continue;
		ifi = NLMSG_DATA(nlh);
		fn(arg, ifi->ifi_index);
		n++;
	}
	return n;
}

int linkmon_read(int fd, void (*fn)(void *arg, int ifindex), void *arg)
{
	/* One link message with its statistics and attributes is about 1.5
	 * KiB; a burst of a lab's links comes a few per recv. */
	static uint8_t buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	int rc = 0;

	for (;;) {
		ssize_t r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (r > 0) {
			linkmon_parse(buf, (size_t)r, fn, arg);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == ENOBUFS) {
			rc = -ENOBUFS; /* and read on: the socket works again */
			continue;
		}
		return rc;
	}
}
