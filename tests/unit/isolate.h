/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For unit tests that touch the kernel (netlink, namespaces, nftables): move
 * the whole test process into a new network and mount namespace with a
 * private tmpfs on /run, so whatever it makes dies with it and the
 * machine's own network is never read or changed. Call first in main().
 * Needs root (CAP_SYS_ADMIN); returns 0 or -errno.
 */
#ifndef NSLAB_TEST_ISOLATE_H
#define NSLAB_TEST_ISOLATE_H

int test_isolate(void);

#endif
