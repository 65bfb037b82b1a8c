/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fast path's multicast flows: IP multicast data that IGMP or MLD
 * snooping sent from one station, through one port, to a group's
 * listeners and router ports, handed to the kernel as (port, tag, source
 * MAC, group) → that list of ports (fastpath_bpf.h), so a stream crosses
 * the switch as a broadcast does on the fast path: copied by the ports'
 * BPF program, never through the ring.
 *
 * Snooping keeps authority as the FDB does for unicast flows, but more
 * bluntly: whatever could change a group's ports (a report or leave, a
 * router newly heard, a listener or router aging out, a port or VLAN
 * change) takes every multicast flow back (fpm_flush), and the next frame
 * of each stream, through the switch, offers it again with the new list.
 * Used by fastpath.c only; the rest of the switch calls fastpath.h.
 */
#ifndef NSLAB_SWITCH_FASTPATH_MCAST_H
#define NSLAB_SWITCH_FASTPATH_MCAST_H

#include <stdbool.h>
#include <stdint.h>

#include "switch/fastpath.h"

struct fp_bpf;
struct fp_mcast;

int fpm_new(uint32_t max, struct fp_mcast **out);
void fpm_free(struct fp_mcast *m);

void fpm_offer(struct fp_mcast *m, const struct fp_bpf *b, struct sw *sw, const struct port *in,
	       uint16_t vid, bool tagged, const uint8_t src[6], const uint8_t group[16],
	       const uint16_t *outs, uint32_t n, uint32_t now);
/* Fold every flow's last counts in (adding them to *packets, *bytes too)
 * and take it from the kernel. */
void fpm_flush(struct fp_mcast *m, const struct fp_bpf *b, struct sw *sw, uint64_t *packets,
	       uint64_t *bytes);
/* Fold the kernel's counters in; flows idle for idle seconds go. Adds what
 * the kernel forwarded since the last look to *packets, *bytes. */
void fpm_poll(struct fp_mcast *m, const struct fp_bpf *b, struct sw *sw, uint32_t now,
	      uint32_t idle, uint64_t *packets, uint64_t *bytes);
uint32_t fpm_count(const struct fp_mcast *m);

/* (fastpath.c, for broadcasts and multicast alike) list: the ports[0..n)
 * of VLAN vid but skip, as the flood loop wants them: ifindex, marked
 * FP_FLOOD_TAGGED where the frame leaves tagged, those first. False when
 * one of them is gone or not hooked, or they are too many. */
struct fp_flood;
bool fp_flood_fill(struct fp_flood *list, const struct sw *sw, uint16_t vid, const uint16_t *ports,
		   uint32_t n, const struct port *skip);
void fpm_foreach(const struct fp_mcast *m, uint32_t now,
		 void (*fn)(const struct fp_mflow_info *f, void *arg), void *arg);

#endif
