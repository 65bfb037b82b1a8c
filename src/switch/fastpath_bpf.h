/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel half of the fast path: one BPF hash map of offloaded flows and
 * the two small programs that read it, written here as eBPF instructions
 * (no compiler needed at build time, nothing loaded from files).
 *
 * A flow is (ingress port's ifindex, the frame's 802.1Q tag or none,
 * destination MAC, source MAC) → egress port's ifindex and what to do to
 * the tag on the way (take it off, put one on, leave it), with packet and
 * byte counters the kernel adds to. The tag is the one the kernel holds out
 * of band (skb->vlan_tci), so taking it off or putting one on touches no
 * byte of the frame and GSO super-frames stay whole.
 *
 *   - the tc program runs at each port's clsact ingress: a frame of an
 *     offloaded flow is counted and redirected (bpf_redirect) to the egress
 *     port, in the sender's own softirq, as the Linux bridge would;
 *   - the socket program is the receive socket's filter: a frame of an
 *     offloaded flow is dropped before it is copied into the ring, since
 *     packet taps run before tc ingress and would otherwise hand the switch
 *     a frame the kernel also forwards.
 *
 * Both look up the same map, so one map update switches a flow between the
 * two paths for both hooks at once: no frame is sent twice or lost while a
 * flow is installed or removed. A frame with a tag still in its bytes (the
 * inner tag of a double-tagged frame, or one the kernel did not take out)
 * or with an outer tag other than 802.1Q never matches.
 *
 * A second map holds flood lists: for a port and the tag its broadcasts
 * come with — none, for the VLAN its untagged frames join (an access
 * port's, a trunk's native), or one of the VLANs a trunk carries tagged —
 * when every member of that VLAN is hooked, the other members, each with
 * whether a frame leaves it tagged. The tc program sends such a broadcast
 * out of each (bpf_clone_redirect), the VLAN's tag put on or taken off as
 * each wants, and lets it on to the switch's ring too, where the switch
 * learns its source and counts the copies but sends none itself.
 */
#ifndef NSLAB_SWITCH_FASTPATH_BPF_H
#define NSLAB_SWITCH_FASTPATH_BPF_H

#include <stdint.h>

/* fp_key.tag of a frame with an 802.1Q tag of VLAN vid; 0 is untagged */
#define FP_TAGGED 0x1000
#define FP_TAG(vid) (FP_TAGGED | ((vid) & 0xfff))

struct fp_key {
	uint32_t ifindex; /* where the frame came in */
	uint16_t tag;     /* 0 or FP_TAG(vid) */
	uint8_t dst[6];
	uint8_t src[6];
	uint16_t pad;     /* 0: the kernel hashes every byte */
};

struct fp_value {
	uint32_t out_ifindex;
	uint16_t push;    /* a tag of this VLAN goes on (an untagged frame), 0: none */
	uint8_t pop;      /* the tag comes off */
	uint8_t pad;
	uint64_t packets; /* added to by the tc program */
	uint64_t bytes;   /* whole frames, Ethernet header included */
};

#define FP_FLOOD_MAX 1024   /* a flood list's length */
#define FP_FLOOD_LISTS 8192 /* (port, tag) pairs with a list */

#define FP_FLOOD_TAGGED 0x80000000u /* in fp_flood.port: the copy leaves tagged */

/* Whose list: broadcasts coming in at ifindex with this tag. */
struct fp_fkey {
	uint32_t ifindex;
	uint16_t tag; /* 0 or FP_TAG(vid) */
	uint16_t pad; /* 0 */
};

struct fp_flood {
	uint32_t n;
	uint16_t vid; /* the VLAN, for the tag */
	uint16_t pad;
	uint32_t port[FP_FLOOD_MAX]; /* ifindex, | FP_FLOOD_TAGGED; the tagged ones first */
};

/*
 * A multicast flow: IP multicast data (UDP) from one station through one
 * port to a group, as IGMP or MLD snooping sent it: to the list of ports
 * it chose, each copy tagged as that port wants, by the same loop as a
 * broadcast's. IPv4 groups are IPv4-mapped, as in the snooping tables.
 */
struct fp_mkey {
	uint32_t ifindex;
	uint16_t tag; /* 0 or FP_TAG(vid) */
	uint8_t src[6];
	uint8_t group[16];
};

struct fp_mflow {
	struct fp_flood list; /* first: the flood loop reads it */
	uint64_t packets, bytes;
};

#define FP_MCAST_FLOWS 1024

struct fp_bpf {
	int map_fd;
	int flood_fd;
	int mcast_fd;
	int tc_fd;   /* BPF_PROG_TYPE_SCHED_CLS, direct action */
	uint32_t tc_id; /* its id, as tc filter show names it; 0 if unknown */
	int sock_fd; /* BPF_PROG_TYPE_SOCKET_FILTER */
};

/* Create the map (max entries) and load both programs. On failure, -errno
 * with the verifier's first line in errmsg. */
int fp_bpf_open(struct fp_bpf *b, uint32_t max);
void fp_bpf_close(struct fp_bpf *b);

int fp_bpf_update(const struct fp_bpf *b, const struct fp_key *k, const struct fp_value *v);
int fp_bpf_delete(const struct fp_bpf *b, const struct fp_key *k);
int fp_bpf_lookup(const struct fp_bpf *b, const struct fp_key *k, struct fp_value *v);
/* Set or delete a flood list (deleting a missing one succeeds). */
int fp_bpf_flood_set(const struct fp_bpf *b, const struct fp_fkey *k, const struct fp_flood *f);
int fp_bpf_flood_del(const struct fp_bpf *b, const struct fp_fkey *k);
int fp_bpf_mcast_set(const struct fp_bpf *b, const struct fp_mkey *k, const struct fp_mflow *v);
int fp_bpf_mcast_del(const struct fp_bpf *b, const struct fp_mkey *k);
int fp_bpf_mcast_get(const struct fp_bpf *b, const struct fp_mkey *k, struct fp_mflow *v);

#endif
