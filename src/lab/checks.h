/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks of the machine (the network namespace nslab runs in) before a lab
 * is built: privileges, kernel features, /run/netns, a firewall that drops
 * forwarded traffic, sysctls that get in the way, the switch daemon, and
 * names of a topology that are taken already. `nslab doctor` runs them all;
 * `up` may run the cheap ones (checks_forward_drop, checks_names).
 *
 * Each check appends results to a list: a level, one line saying what was
 * found, and for anything not OK one line saying how to fix it. A check
 * that cannot look (no permission, a tool missing) says so as a result;
 * the functions fail only on -ENOMEM. Nothing a check does survives it:
 * kernel features are tried in a child process inside a namespace of its
 * own, which vanishes with the child.
 */
#ifndef NSLAB_CHECKS_H
#define NSLAB_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

struct topo;

enum check_level { CHECK_OK, CHECK_WARN, CHECK_FAIL };

struct check {
	const char *name;       /* a short fixed id, e.g. "forward-policy" */
	enum check_level level;
	char *detail;           /* what was found */
	char *fix;              /* how to fix it; NULL when OK */
};

struct checks {
	struct check *v;
	size_t n, cap;
};

void checks_init(struct checks *c);
void checks_free(struct checks *c);
/* Append a result; fix may be NULL. 0 or -ENOMEM. */
int checks_add(struct checks *c, const char *name, enum check_level level, const char *fix,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Every result of check name that is not OK becomes level (an OK one
 * loses its fix), with "; why" added to what it found: for what a check
 * means to the lab at hand. 0 or -ENOMEM. */
int checks_settle(struct checks *c, const char *name, enum check_level level, const char *why);
/* The worst level in c (CHECK_OK when empty). */
enum check_level checks_worst(const struct checks *c);
/* "OK", "WARN", "FAIL"; lower case with lower set. */
const char *check_level_str(enum check_level l, bool lower);

/* Root, or CAP_SYS_ADMIN, CAP_NET_ADMIN and CAP_NET_RAW. */
int checks_privileges(struct checks *c);
/* Network namespaces, veth, the Linux bridge and its VLAN filtering,
 * nf_tables masquerading (in the inet family), AF_PACKET with TPACKET_V3 and
 * vnet headers, and IPv6: each tried in a throwaway namespace (forks a
 * child). Bridge VLAN filtering is a warning, or when t (may be NULL) is
 * given, a failure if it has a bridge with VLANs and OK if not. */
int checks_kernel(struct checks *c, const struct topo *t);
/* /run/netns and nslab's state directory can be written (or made). */
int checks_dirs(struct checks *c);
/* A base chain on the forward hook with policy drop (Docker's iptables-nft
 * "filter FORWARD", or iptables-legacy's) in the namespace of nsfd (-1:
 * here): labs on the host would not get past their gateway. t (may be
 * NULL) lets the fix name the lab's subnets. */
int checks_forward_drop(struct checks *c, int nsfd, const struct topo *t);
/* ip_forward (a note: nslab turns it on while a lab needs it), strict
 * rp_filter, IPv6 switched off. */
int checks_sysctls(struct checks *c);
/* nslab-switchd can be found (see switchd_program); required (FAIL instead
 * of WARN) when t uses a switch of kind nslab. */
int checks_switchd(struct checks *c, const struct topo *t);
/* ping(8), which `nslab ping` runs. */
int checks_tools(struct checks *c);
/* The names t's lab would take: namespaces (its hosts, and for a sandbox
 * nslab-LAB and nslab-LAB-inet), and on the host (sandbox false) the
 * interfaces it makes there and the uplinks it needs. A name that belongs
 * to the running lab of the same name is its own, not a clash. */
int checks_names(struct checks *c, const struct topo *t, bool sandbox);
/* Whether the lab's gateway subnets overlap routes this machine has (not the
 * lab's own, nor default routes): its traffic to them, or theirs to the
 * lab, would go the wrong way. WARN per overlap, else one OK. */
int checks_overlap(struct checks *c, const struct topo *t);

#endif
