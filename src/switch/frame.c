// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/frame.h"

#include <string.h>

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* UDP_SEGMENT; older uapi headers lack it */
#endif

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static bool is_tpid(uint16_t t)
{
	return t == ETHERTYPE_VLAN || t == ETHERTYPE_QINQ;
}

enum frame_err frame_parse(const uint8_t *data, size_t len, const struct frame_accel *accel,
			   struct frame *f)
{
	size_t off = FRAME_MACS_LEN;
	uint16_t type;

	memset(f, 0, sizeof(*f));
	if (len < FRAME_MIN_LEN || len > UINT32_MAX)
		return FRAME_TRUNCATED;
	f->dst = data;
	f->src = data + ETH_ALEN_;
	f->len = (uint32_t)len;
	type = rd16(data + off);

	if (accel && accel->present) {
		f->outer_tpid = accel->tpid ? accel->tpid : ETHERTYPE_VLAN;
		f->outer_tci = accel->tci;
	} else if (is_tpid(type)) {
		/* The outer tag is in the bytes: it needs its TCI and the
		 * EtherType after it. */
		if (len < FRAME_MACS_LEN + FRAME_TAG_LEN + 2)
			return FRAME_TRUNCATED;
		f->outer_tpid = type;
		f->outer_tci = rd16(data + off + 2);
		f->outer_in_data = true;
		off += FRAME_TAG_LEN;
		type = rd16(data + off);
	}
	f->body_off = (uint16_t)(f->outer_in_data ? FRAME_MACS_LEN + FRAME_TAG_LEN : FRAME_MACS_LEN);

	/* Inner tags are payload to this switch, but they are counted so the
	 * VLAN rules can see a double-tagged frame for what it is. */
	while (is_tpid(type)) {
		if (len < off + FRAME_TAG_LEN + 2)
			return FRAME_TRUNCATED;
		if (f->inner_tags < FRAME_MAX_TAGS)
			f->inner_tags++;
		off += FRAME_TAG_LEN;
		type = rd16(data + off);
	}
	f->ethertype = type;
	return FRAME_OK;
}

bool frame_vnet_shift(struct virtio_net_hdr *h, int delta)
{
	int cs = h->csum_start, hl = h->hdr_len;

	if (delta == 0)
		return true;
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		cs += delta;
		if (cs < FRAME_MIN_LEN || cs > UINT16_MAX)
			return false;
	}
	if (hl) {
		hl += delta;
		if (hl < 0 || hl > UINT16_MAX)
			return false;
	}
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		h->csum_start = (uint16_t)cs;
	if (h->hdr_len)
		h->hdr_len = (uint16_t)hl;
	return true;
}

bool frame_vnet_valid(const struct virtio_net_hdr *h, uint32_t frame_len)
{
	uint8_t gso = h->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;

	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if ((uint32_t)h->csum_start + h->csum_offset + 2 > frame_len)
			return false;
	}
	switch (gso) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return true;
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
	case VIRTIO_NET_HDR_GSO_UDP:
	case VIRTIO_NET_HDR_GSO_UDP_L4:
		return h->gso_size != 0;
	default:
		return false;
	}
}
