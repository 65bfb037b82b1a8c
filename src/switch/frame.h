/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ethernet frames as the switch sees them: the bytes an AF_PACKET ring slot
 * holds, plus the outer VLAN tag the kernel may have taken out of them.
 *
 * The kernel strips the outermost 802.1Q/802.1ad tag on receive
 * (__netif_receive_skb_core -> skb_vlan_untag) before packet taps run, and
 * tpacket_rcv reports it in tp_vlan_tci/tp_vlan_tpid with
 * TP_STATUS_VLAN_VALID. So the outer tag is either "accelerated" (out of
 * band) or still in the bytes (a frame built by hand, another kernel path);
 * frame_parse() accepts both and describes the frame the same way, so the
 * VLAN rules never ask where the tag was.
 *
 * Frames carry a virtio_net_hdr in front (PACKET_VNET_HDR): GSO type and
 * size, and the partial checksum's start. Its offsets count from the first
 * byte of the Ethernet header, so pushing or popping a 4-byte tag moves
 * csum_start and hdr_len by 4 (frame_vnet_shift()).
 */
#ifndef NSLAB_SWITCH_FRAME_H
#define NSLAB_SWITCH_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/virtio_net.h>

#define ETH_ALEN_ 6
#define FRAME_MACS_LEN 12 /* destination + source */
#define FRAME_TAG_LEN 4
#define FRAME_MIN_LEN 14 /* the two addresses and an EtherType */
#define FRAME_MAX_TAGS 8 /* further in-band tags are not counted */

#define ETHERTYPE_VLAN 0x8100 /* 802.1Q C-tag */
#define ETHERTYPE_QINQ 0x88a8 /* 802.1ad S-tag */

#define VLAN_VID_MASK 0x0fff
#define VLAN_MAX_VID 4094

/* The outer tag the kernel took out of the bytes, if any. */
struct frame_accel {
	bool present;
	uint16_t tpid; /* 0 when the kernel did not report it: means 0x8100 */
	uint16_t tci;
};

struct frame {
	const uint8_t *dst;
	const uint8_t *src;
	uint16_t outer_tpid; /* 0: untagged */
	uint16_t outer_tci;
	bool outer_in_data;  /* the outer tag occupies bytes 12..15 */
	uint8_t inner_tags;  /* further tags inside the bytes, after the outer */
	uint16_t ethertype;  /* the first EtherType that is not a tag */
	uint16_t body_off;   /* first byte after addresses and an in-band outer tag */
	uint32_t len;        /* bytes in data */
};

enum frame_err {
	FRAME_OK = 0,
	FRAME_TRUNCATED = 1, /* shorter than addresses + EtherType (+ its tags) */
};

/* Describe data[len] (and the accelerated tag, may be NULL). Returns
 * FRAME_OK or FRAME_TRUNCATED; never reads past len. */
enum frame_err frame_parse(const uint8_t *data, size_t len, const struct frame_accel *accel,
			   struct frame *f);

static inline bool frame_is_tagged(const struct frame *f)
{
	return f->outer_tpid != 0;
}

static inline uint16_t frame_vid(const struct frame *f)
{
	return f->outer_tci & VLAN_VID_MASK;
}

static inline bool mac_is_multicast(const uint8_t *mac)
{
	return mac[0] & 1; /* the I/G bit; broadcast is multicast too */
}

static inline bool mac_is_broadcast(const uint8_t *mac)
{
	return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff;
}

static inline bool mac_is_zero(const uint8_t *mac)
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

/* IEEE 802.1Q-2018 §8.6.3: 01-80-C2-00-00-00..0F are never forwarded by a
 * bridge (STP, pause, LACP, LLDP, 802.1X). */
static inline bool mac_is_link_local(const uint8_t *mac)
{
	return mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2 && mac[3] == 0 && mac[4] == 0 &&
	       (mac[5] & 0xf0) == 0;
}

/*
 * The virtio_net_hdr of a frame whose bytes before the network header grew
 * by delta (a tag pushed: +4, popped: -4). csum_start counts from the
 * Ethernet header (virtio 1.2 §5.1.6.2), so it moves when NEEDS_CSUM is set;
 * hdr_len (the linear part the kernel copies first) moves when set. Returns
 * false when the result would not be a valid header (offsets under zero or
 * past 16 bits), in which case h is unchanged.
 */
bool frame_vnet_shift(struct virtio_net_hdr *h, int delta);

/* Sanity of a received vnet header against the frame it describes, so that a
 * header the kernel would refuse on transmit is caught at ingress: the
 * checksum must lie inside the frame, GSO needs a size. */
bool frame_vnet_valid(const struct virtio_net_hdr *h, uint32_t frame_len);

#endif
