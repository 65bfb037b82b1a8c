/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reachability: which hosts of a lab reach which, tested in-process.
 *
 * The engine (reach.c) sends ICMP echo requests from many namespaces at
 * once without forking a ping per pair. A socket belongs to the network
 * namespace its creator was in when it was made, for the rest of its life
 * (net/socket.c: sock_create uses current->nsproxy->net_ns), so the thread
 * enters each source namespace only to create that source's sockets, one per
 * family, and returns; all the sending and receiving then happens from here,
 * on every socket at once, through one epoll.
 *
 * The sockets are raw ICMP/ICMPv6 sockets (CAP_NET_RAW, which nslab has as
 * root), not "ping" datagram sockets: those need net.ipv4.ping_group_range
 * to include the caller's group, which a fresh namespace does not
 * ("1 0"), and nslab does not change sysctls of the lab's hosts for a test.
 * A raw socket sees every ICMP packet of its namespace, so each gets a
 * kernel filter (ICMP_FILTER, ICMP6_FILTER) that passes echo replies only,
 * and a reply is taken only when its identifier, the run's random cookie,
 * the probe number in its payload and its source address all match.
 *
 * The first packets to a neighbour wait in the kernel while ARP or NDP
 * resolves it (neigh unres_qlen), and may be lost if resolution is slow, so
 * unanswered probes are sent again a few times until the timeout: after
 * REACH_RETRY_FIRST_MS, then every REACH_RETRY_MS.
 *
 * The neighbour tables are the limit of a big lab. The kernel keeps one ARP
 * table and one NDP table for all namespaces of the machine
 * (net/core/neighbour.c: arp_tbl, nd_tbl are global; only their parameters
 * are per namespace), and refuses new entries once gc_thresh3 (1024 by
 * default, settable in the initial namespace only) are younger than five
 * seconds ("neighbor table overflow"). A full mesh of 100 hosts needs 9,900
 * entries, and a table that full also stops the machine's own network from
 * learning a new neighbour. So when a run needs more fresh entries than
 * its budget (REACH_NEIGH_BUDGET, less when the table is already busy),
 * probes are admitted as a sliding window: a probe waits until the entries
 * it needs fit, and once no running probe needs an entry any more, the
 * entry is deleted (RTM_DELNEIGH) unless it was there before the run
 * (reach_neigh.c). Probes that share entries (a to b, b to a) run together.
 * Each probe has the whole timeout from the moment it is sent.
 *
 * The plan (reach_pairs.c): every ordered pair of a topology's hosts, the
 * address to ping for each (reach_pick_addr) and whether the pair is
 * expected to reach (the topology's `expect:` list; pairs it does not name
 * are expected to reach).
 */
#ifndef NSLAB_REACH_H
#define NSLAB_REACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct topo;
struct topo_host;
struct topo_cidr;

#define REACH_TIMEOUT_DEFAULT_MS 1000
#define REACH_RETRY_FIRST_MS 150  /* first resend: ARP/NDP usually done by then */
#define REACH_RETRY_MS 250        /* later resends */
#define REACH_SOCKBUF (4u << 20)  /* per-socket buffers: a reply per target of a big lab */
#define REACH_NEIGH_BUDGET 512    /* fresh neighbour entries per family at once, at most */
#define REACH_NEIGH_MIN 32        /* ... and at least, however busy the table is */

/* A neighbour entry (ARP or NDP, the probe's family) that a probe makes
 * the kernel create: in the namespace of source ns, on interface dev, for
 * addr. */
struct reach_neigh {
	bool set;
	size_t ns;
	char dev[16];
	uint8_t addr[16];
};

/* One echo to send from a source namespace to an address, and its result. */
struct reach_probe {
	size_t src;             /* index of the source namespace */
	int family;             /* AF_INET or AF_INET6 */
	uint8_t addr[16];       /* network byte order; IPv4 in the first 4 */
	/* When the target is on-link: the source's entry for the target, and
	 * the target's for the source (the reply needs it). Optional; with
	 * them the run stays within the kernel's neighbour table (see above). */
	struct reach_neigh neigh[2];
	/* Results. */
	bool reached;
	uint64_t rtt_ns;        /* of the answered echo, 0 if not reached */
	unsigned sent;          /* echoes sent (first and resends) */
	int error;              /* the last send's -errno (e.g. -ENETUNREACH), 0 if none */
};

struct reach_opts {
	unsigned timeout_ms;    /* 0: REACH_TIMEOUT_DEFAULT_MS */
};

/* Send every probe, from namespace nsfds[probe.src] (-1: the caller's own),
 * all in parallel, and wait until each is answered or the timeout passes.
 * Returns 0 with the results filled in (an unreachable target is a result,
 * not an error), or -errno with errmsg when the test itself could not run
 * (no sockets: e.g. -EPERM without CAP_NET_RAW). */
int reach_run(const int *nsfds, size_t n_src, struct reach_probe *probes, size_t n_probes,
	      const struct reach_opts *o);

/* ---- the plan (reach_pairs.c) ---- */

/* One ordered pair of a topology's hosts. */
struct reach_pair {
	size_t from, to;        /* indexes into topo->hosts */
	int family;             /* AF_INET, AF_INET6, or 0: nothing to ping (see below) */
	uint8_t addr[16];
	bool expected;          /* whether from must reach to */
	bool named;             /* an `expect:` entry names this pair */
	struct reach_neigh neigh[2]; /* for reach_probe.neigh (reach_pair_neigh) */
};

/* The first address of family (AF_INET, AF_INET6) of h, in the order of its
 * interfaces and their addresses; link-local IPv6 addresses are skipped.
 * NULL if it has none. */
const struct topo_cidr *reach_host_addr(const struct topo_host *h, int family);

/* The address to ping to from from: with family AF_INET or AF_INET6, to's
 * first address of that family; with AF_UNSPEC, to's first IPv4 address if
 * both hosts have IPv4, else its first IPv6 address if both have IPv6, else
 * its first address of either family. Returns the family chosen, or 0 when
 * to has no usable address. */
int reach_pick_addr(const struct topo_host *from, const struct topo_host *to, int family,
		    uint8_t addr[16]);

/* Whether from must reach to according to t's expectations: the last
 * `expect:` entry naming the pair decides; an unnamed pair must reach.
 * *named (if not NULL) says whether an entry named it. Hosts are indexes
 * into t->hosts. */
bool reach_expected(const struct topo *t, size_t from, size_t to, bool *named);

/* The neighbour entries pinging addr (of family) from host from makes, when
 * addr is on a subnet of one of from's interfaces: from's entry for addr,
 * and to's entry for from's address on that subnet (to answers through it).
 * Hosts are indexes into t->hosts; out[k].set is false for entries that
 * do not apply (addr reached through a router). */
void reach_pair_neigh(const struct topo *t, size_t from, size_t to, int family,
		      const uint8_t addr[16], struct reach_neigh out[2]);

/* Every ordered pair of t's hosts (from != to), rows in host order, with
 * its address (reach_pick_addr with family) and expectation. The caller
 * frees *pairs. 0 or -ENOMEM. */
int reach_pairs(const struct topo *t, int family, struct reach_pair **pairs, size_t *n);

#endif
