/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sysctls that labs turn on in a namespace they do not own (the real host's
 * net.ipv4.ip_forward). Several labs may need the same one; the first
 * records the value it found, and the last to let go puts it back, so a
 * machine that had forwarding off has it off again when no lab needs it.
 * Records live in STATE_ROOT/.host/, keyed by the namespace's inode, under
 * a lock shared by all labs.
 */
#ifndef NSLAB_HOSTSYSCTL_H
#define NSLAB_HOSTSYSCTL_H

/* Hold key at value for lab (in the caller's namespace). */
int hostsysctl_acquire(const char *lab, const char *key, const char *value);
/* Let go; restores the original value when lab was the last holder. */
int hostsysctl_release(const char *lab, const char *key);

#endif
