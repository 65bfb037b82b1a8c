/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named network namespaces, made exactly as `ip netns add` makes them: a
 * file under /run/netns bind-mounted to the namespace, /run/netns itself a
 * shared mount, so iproute2 and other tools see and use ours.
 */
#ifndef NSLAB_NETNS_H
#define NSLAB_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define NETNS_RUN_DIR "/run/netns"

/* Create namespace NAME; -EEXIST if the name is taken. On success *nsfd (if
 * not NULL) is an O_CLOEXEC fd of the new namespace, and *nl (if not NULL)
 * an rtnetlink socket opened inside it (cheaper than nl_open_netns later,
 * as the thread is already there). The new namespace's lo is left down. */
struct nl;
int netns_create(const char *name, int *nsfd, struct nl **nl);
/* Open /run/netns/NAME (O_RDONLY | O_CLOEXEC). -ENOENT if absent. */
int netns_open(const char *name, int *nsfd);
bool netns_exists(const char *name);
/* Unmount and remove /run/netns/NAME; an absent one is fine. The kernel
 * frees the namespace once nothing uses it. */
int netns_delete(const char *name);
/* The inode number that identifies the namespace of nsfd (as /proc/PID/ns/net). */
int netns_ino(int nsfd, unsigned long *ino);
/* The inode of the caller's current namespace. */
int netns_self_ino(unsigned long *ino);

/* Move the calling thread into nsfd's namespace; *saved gets an fd of the
 * one it left, for netns_leave(). */
int netns_enter(int nsfd, int *saved);
/* Return to the namespace saved by netns_enter and close saved. */
int netns_leave(int saved);

/* Make sure this process may hold need open files: raise the soft
 * RLIMIT_NOFILE (never the hard one) if it is lower. A lab keeps a namespace
 * fd and a netlink socket per node, so a thousand nodes need more than the
 * usual soft limit of 1024. -EMFILE if the hard limit is too low. */
int netns_raise_nofile(size_t need);

/* Signal every process whose network namespace is one of inos[n] (as
 * `ip netns pids`), then wait up to timeout_ms for them to go; those still
 * there get SIGKILL. Returns the number of processes found (>= 0). */
int netns_kill_procs(const unsigned long *inos, size_t n, int sig, int timeout_ms);
/* The pids of processes inside namespace ino; caller frees *pids. */
int netns_pids(unsigned long ino, pid_t **pids, size_t *n);

#endif
