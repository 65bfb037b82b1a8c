/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fast path: known unicast flows forwarded by the kernel, as Open
 * vSwitch's datapath caches the decisions of its userspace. The first
 * frames of a flow take the slow path (the ring, NORMAL); when NORMAL finds
 * the destination behind one port, it offers the flow here, and from then
 * on the kernel redirects that flow's frames port to port (fastpath_bpf.h),
 * applying the egress port's VLAN rule to the tag the kernel holds out of
 * band: off towards an access port or a trunk's native VLAN, on towards a
 * trunk, kept from trunk to trunk. The flow's key carries the frame's tag,
 * so a tagged frame on an access port never matches an untagged flow.
 *
 * The switch keeps authority: a flow lives only while the FDB agrees with
 * it. A MAC that moves, an entry that ages out or is flushed, a port that
 * goes or changes VLAN, and the flows that depend on it are removed at once
 * (fp_validate), and their frames come back to the slow path. The kernel's
 * per-flow counters are folded into the ports' counters and refresh the
 * source's FDB entry (fp_poll, every second and before stats are shown), so
 * counters and aging read as if every frame had crossed the switch.
 *
 * Offers come from NORMAL's decisions only. Flow tables put in front of
 * NORMAL (sw->hook, for OpenFlow) must take the fast path's flows back
 * whenever they change, or offer their own exact-match decisions instead, since a frame
 * on the fast path never reaches them.
 *
 * Broadcasts go the kernel's way too where it can flood them as the switch
 * would: in a VLAN whose members are all on the fast path, each port's BPF
 * program copies a broadcast of the VLAN (untagged, or tagged from a trunk)
 * out of the others, tagged where a trunk carries the VLAN tagged and
 * untagged elsewhere (fp_floods_sync), while the switch, which still
 * receives the frame, learns from it and counts the copies.
 * Multicast streams too, once IGMP or MLD snooping has chosen their ports
 * (fastpath_mcast.h). Other floods (flooded multicast, unknown unicast),
 * broadcasts tagged with a trunk's native VLAN and everything NORMAL would drop
 * always take the slow path; so do all frames when the kernel lacks BPF
 * (fp_new fails and the daemon runs without the fast path).
 */
#ifndef NSLAB_SWITCH_FASTPATH_H
#define NSLAB_SWITCH_FASTPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fastpath;
struct port;
struct sw;

#define FP_DEFAULT_FLOWS 16384
/* seconds a flow without traffic stays in the kernel (Open vSwitch's
 * max-idle); one when the table is three-quarters full */
#define FP_IDLE 10

/* max flows at once (the kernel map's size; 0: FP_DEFAULT_FLOWS). Fails
 * (-errno, errmsg set) where the kernel has no BPF or no memory. */
int fp_new(uint32_t max, struct fastpath **out);
void fp_free(struct fastpath *fp);

/* Before the switch opens ports: hook their ingress with this daemon's
 * program (fp NULL, the fast path off: take the hook off), replacing one a
 * killed daemon may have left, whose stale flows would go on redirecting
 * frames the new socket also receives (each would arrive twice), and which
 * nothing would ever take back with the fast path off. The ports' attach
 * then only adds their socket filters. Best effort: a port without a hook,
 * or gone, is no error. fp_claims_done forgets claims whose ports were
 * never attached. */
void fp_claim_ports(struct fastpath *fp, const char *const *names, size_t n);
void fp_claims_done(struct fastpath *fp);

/* Hook a port's ingress (a clsact qdisc with the tc program) and its
 * receive socket (the filter) to the fast path; p->fast says whether it
 * is. The many-ports form sends one netlink batch for all and logs the
 * ports it could not hook. A hook outlives the daemon if it is killed
 * (the flows it had keep forwarding, as Open vSwitch's datapath does); the
 * next daemon on the port replaces it. */
int fp_port_attach(struct fastpath *fp, struct port *p);
void fp_ports_attach(struct fastpath *fp, struct port **ports, size_t n);
/* Unhook a port (before its socket closes): its flows go now, its qdisc
 * with the next fp_commit (the interface may be gone by then). leaving:
 * the port leaves the switch, and another daemon may have hooked it
 * already (its hook then stays); false when the fast path is turned off,
 * where every hook is this daemon's. */
void fp_port_detach(struct fastpath *fp, struct sw *sw, struct port *p, bool leaving);
void fp_commit(struct fastpath *fp);

/* NORMAL decided that a frame src -> dst on VLAN vid, untagged or with an
 * 802.1Q tag the kernel holds out of band, goes from port in to port out:
 * offload the flow. Cheap when the flow is known or the table is full. */
void fp_offer(struct fastpath *fp, const struct port *in, const struct port *out, uint16_t vid,
	      bool tagged, const uint8_t src[6], const uint8_t dst[6], uint32_t now);
/* Remove every flow the FDB and the ports no longer agree with. */
void fp_validate(struct fastpath *fp, struct sw *sw, uint32_t now);
/* Fold the kernel's counters into the ports' and refresh the FDB for
 * flows that carried traffic; flows idle for FP_IDLE seconds (or the aging
 * time, if shorter; or one second in a table three-quarters full) go. */
void fp_poll(struct fastpath *fp, struct sw *sw, uint32_t now);

/* Hand the kernel the broadcast floods it can do: from every port, for its
 * untagged frames' VLAN and each VLAN a trunk carries tagged, where all the
 * VLAN's members are hooked, to the others (the flood map, fastpath_bpf.h);
 * take back the rest. Sets each port's kflood and kflood_tagged.
 * After the member lists (sw_rebuild) or the hooks change. */
void fp_floods_sync(struct fastpath *fp, struct sw *sw);
/* NORMAL saw a broadcast the kernel flooded. */
void fp_flooded(struct fastpath *fp);

uint32_t fp_count(const struct fastpath *fp);

struct fp_flow_info {
	uint16_t in, out, vid;   /* port indexes and VLAN */
	bool in_tagged, out_tagged; /* whether the frames come in, go out tagged */
	uint8_t src[6], dst[6];
	uint64_t packets, bytes; /* forwarded by the kernel (as of fp_poll) */
	uint32_t idle;           /* seconds since it last carried traffic */
};
void fp_foreach(const struct fastpath *fp, uint32_t now,
		void (*fn)(const struct fp_flow_info *f, void *arg), void *arg);
/* IGMP or MLD snooping sent multicast data from src (station) to group
 * (IPv4-mapped for IPv4), that came in on port in untagged or with a tag of
 * VLAN vid, to the ports outs[n]: offload it (fastpath_mcast.h). */
void fp_moffer(struct fastpath *fp, struct sw *sw, const struct port *in, uint16_t vid,
	       bool tagged, const uint8_t src[6], const uint8_t group[16], const uint16_t *outs,
	       uint32_t n, uint32_t now);
/* Snooping's state changed: take every multicast flow back. */
void fp_mflush(struct fastpath *fp, struct sw *sw);
uint32_t fp_mcount(const struct fastpath *fp);

struct fp_mflow_info {
	uint16_t in, vid;
	bool in_tagged;
	uint8_t src[6], group[16];
	const uint16_t *out; /* port indexes */
	uint32_t n;
	uint64_t packets, bytes; /* that came in; each out port sent as many */
	uint32_t idle;
};
void fp_mforeach(const struct fastpath *fp, uint32_t now,
		 void (*fn)(const struct fp_mflow_info *f, void *arg), void *arg);

/* Frames and bytes the kernel forwarded since the daemon started (a
 * multicast frame once, however many copies), and broadcasts it flooded. */
void fp_totals(const struct fastpath *fp, uint64_t *packets, uint64_t *bytes, uint64_t *floods);

#endif
