/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The forwarding path: a plain loop over a batch of received frames,
 *
 *   parse (frame.c) -> classify (hook) -> actions -> per-port send batches
 *
 * Classification is where OpenFlow tables will go: a hook that looks at the
 * parsed frame and returns a short action list. With no hook the list is
 * the single action NORMAL, the traditional switch (normal.c: VLAN ingress
 * rules, MAC learning, lookup or flood, VLAN egress rules), as Open
 * vSwitch's OFPP_NORMAL. A flow table is therefore inserted in front of
 * NORMAL without touching it or the data path around it.
 *
 * Nothing here allocates or logs: the batch arrays are in the ports, the
 * tables were built at configuration time, and drops are counted by reason.
 */
#ifndef NSLAB_SWITCH_PIPELINE_H
#define NSLAB_SWITCH_PIPELINE_H

#include <stdint.h>
#include <linux/virtio_net.h>

#include "switch/frame.h"

struct sw;
struct port;

/* A received frame on its way through the pipeline. */
struct pl_pkt {
	struct port *in;
	uint8_t *data; /* the frame's bytes in the receive ring */
	uint32_t len;
	struct virtio_net_hdr *vnet; /* directly before data in the ring */
	struct frame fr;
};

enum pl_action_type {
	PL_ACT_NORMAL, /* the learning switch */
	PL_ACT_OUTPUT, /* out of one port, bytes unchanged */
	PL_ACT_FLOOD,  /* out of every port but the ingress, bytes unchanged */
	PL_ACT_DROP,
};

struct pl_action {
	enum pl_action_type type;
	uint16_t port;
};

#define PL_MAX_ACTIONS 8

/* A classifier: fill acts (at most max) for pkt, return how many. */
struct pl_hook {
	unsigned (*classify)(void *arg, const struct pl_pkt *pkt, struct pl_action *acts,
			     unsigned max);
	void *arg;
};

/* Receive up to one batch from port in and forward it; returns the number
 * of frames taken from the ring (0: it was empty). now: monotonic seconds.
 * The sends are queued, and the ring slots they point into held, until
 * pl_round_end: so that frames from every port that was ready in one
 * round of the event loop leave each egress port in one sendmmsg, which
 * is what makes a flood (every host's ARP or IPv6 start-up multicast at
 * once) cost one system call per port rather than one per frame and port. */
unsigned pl_rx_batch(struct sw *sw, struct port *in, uint32_t now);
/* Send what the round queued and give its slots back to the kernel. Call
 * it after each round of the event loop, and before a port is detached. */
void pl_round_end(struct sw *sw);

/* Run one frame through classify and its actions (the batch loop's body;
 * exposed for tests and fuzzing). Sends are only queued. */
void pl_process(struct sw *sw, struct pl_pkt *pkt, uint32_t now);
/* Send every queued frame. */
void pl_flush(struct sw *sw);

/* Queue pkt out of port out as a frame of VLAN vid, applying out's egress
 * rules (untagged, tagged, or not at all). */
void pl_output_vlan(struct sw *sw, const struct pl_pkt *pkt, struct port *out, uint16_t vid);

/* NORMAL (normal.c). */
void normal_process(struct sw *sw, const struct pl_pkt *pkt, uint32_t now);

#endif
