/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Link events of the daemon's namespace (RTNLGRP_LINK): which interfaces
 * changed (administratively up or down, carrier gained or lost, renamed,
 * deleted), so that a port's state follows its interface at once. The
 * packet sockets only report an interface going down (ENETDOWN on the
 * socket); a veth whose peer went down keeps IFF_UP and loses its carrier
 * (IFF_RUNNING), and the kernel then drops what is sent to it without a
 * word (the noop qdisc), so without these events the switch would count
 * such frames as sent.
 */
#ifndef NSLAB_SWITCH_LINKMON_H
#define NSLAB_SWITCH_LINKMON_H

#include <stddef.h>

/* A non-blocking NETLINK_ROUTE socket subscribed to RTNLGRP_LINK: its fd,
 * or -errno (context recorded). */
int linkmon_open(void);

/* Call fn(arg, ifindex) for every link message in buf[len] (one recv's
 * worth); returns how many. Ignores everything else. */
size_t linkmon_parse(const void *buf, size_t len, void (*fn)(void *arg, int ifindex), void *arg);

/* Read what fd holds: fn for each interface named, as above. 0 when all
 * was read; -ENOBUFS when the kernel dropped events (the socket's buffer
 * overflowed): the caller must look at every port again. */
int linkmon_read(int fd, void (*fn)(void *arg, int ifindex), void *arg);

#endif
