/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-port counters. Packets and bytes are counted as they were on the wire
 * (a GSO super-frame is one packet of its full length; a tag the kernel
 * carried out of band counts its 4 bytes). Every frame received is either
 * forwarded (counted in tx of the ports it left through), dropped for a
 * named reason, snooped, or an error, so the counters add up.
 */
#ifndef NSLAB_SWITCH_STATS_H
#define NSLAB_SWITCH_STATS_H

#include <stdint.h>

enum drop_reason {
	/* ingress, charged to the receiving port */
	DROP_TAGGED_ON_ACCESS,
	DROP_VLAN_NOT_ALLOWED,
	DROP_UNTAGGED_NO_NATIVE,
	DROP_BAD_TPID,
	DROP_DOUBLE_TAGGED, /* a trunk's native VLAN tag with a tag inside */
	DROP_BAD_SOURCE,   /* multicast or all-zero source address */
	DROP_LINK_LOCAL,   /* 01-80-C2-00-00-0x: never forwarded */
	DROP_LOOPBACK,     /* destination learned on the ingress port */
	DROP_NO_DESTINATION, /* nowhere to send it (flood to nobody) */
	DROP_RING_FULL,    /* the kernel found the receive ring full */
	/* egress, charged to the sending port */
	DROP_TX_BUSY,      /* no send buffer / the peer's backlog was full */
	DROP_TX_DOWN,      /* the port is down or gone */
	DROP_MAX
};

struct port_stats {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint64_t rx_errors; /* truncated frames, invalid vnet headers */
	uint64_t tx_errors; /* frames the kernel refused */
	uint64_t drops[DROP_MAX];
	/* IPv6 multicast that no other port wanted (MLD snooping): a report
	 * with no multicast router to go to, data whose only listener sent it.
	 * Not a drop: the switch did with it what it is for. */
	uint64_t snooped;
};

static inline uint64_t stats_drops(const struct port_stats *s)
{
	uint64_t n = 0;

	for (int i = 0; i < DROP_MAX; i++)
		n += s->drops[i];
	return n;
}

const char *stats_drop_name(enum drop_reason r);

#endif
