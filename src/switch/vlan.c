// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/vlan.h"

#include <string.h>

static void set_allowed(struct vlan_port *vp, uint16_t vid)
{
	if (vid >= 1 && vid <= VLAN_MAX_VID)
		vp->allowed[vid >> 6] |= 1ull << (vid & 63);
}

void vlan_port_access(struct vlan_port *vp, uint16_t vid)
{
	memset(vp, 0, sizeof(*vp));
	vp->mode = VLAN_MODE_ACCESS;
	vp->vid = vid;
	set_allowed(vp, vid);
}

void vlan_port_trunk(struct vlan_port *vp, const uint16_t *vids, size_t n, uint16_t native)
{
	memset(vp, 0, sizeof(*vp));
	vp->mode = VLAN_MODE_TRUNK;
	vp->native = native;
	for (size_t i = 0; i < n; i++)
		set_allowed(vp, vids[i]);
	if (native)
		set_allowed(vp, native);
}

bool vlan_port_equal(const struct vlan_port *a, const struct vlan_port *b)
{
	return a->mode == b->mode && a->vid == b->vid && a->native == b->native &&
	       !memcmp(a->allowed, b->allowed, sizeof(a->allowed));
}

enum vlan_verdict vlan_ingress(const struct vlan_port *vp, const struct frame *f, uint16_t *vid)
{
	if (vp->mode == VLAN_MODE_ACCESS) {
		if (frame_is_tagged(f))
			return VLAN_DROP_TAGGED_ON_ACCESS;
		*vid = vp->vid;
		return VLAN_PASS;
	}
	if (!frame_is_tagged(f)) {
		if (!vp->native)
			return VLAN_DROP_NO_NATIVE;
		*vid = vp->native;
		return VLAN_PASS;
	}
	if (f->outer_tpid != ETHERTYPE_VLAN)
		return VLAN_DROP_BAD_TPID;
	if (frame_vid(f) == 0) {
		/* priority-tagged: untagged as far as VLANs go */
		if (!vp->native)
			return VLAN_DROP_NO_NATIVE;
		*vid = vp->native;
	} else if (vlan_allowed(vp, frame_vid(f))) {
		*vid = frame_vid(f); /* 4095 is never allowed */
	} else {
		return VLAN_DROP_NOT_ALLOWED;
	}
	/* The native VLAN leaves trunks untagged: an inner tag would be the
	 * outer one on the next link. */
	if (*vid == vp->native && f->inner_tags)
		return VLAN_DROP_DOUBLE_TAGGED;
	return VLAN_PASS;
}

unsigned vlan_out_header(const struct frame *f, uint16_t vid, enum vlan_out out, uint8_t hdr[16],
			 int *delta)
{
	int before = f->outer_in_data ? FRAME_TAG_LEN : 0;

	memcpy(hdr, f->dst, FRAME_MACS_LEN);
	if (out != VLAN_OUT_TAGGED) {
		*delta = -before;
		return FRAME_MACS_LEN;
	}
	/* Keep PCP and DEI from an 802.1Q ingress tag; an S-tag's bits mean
	 * something else and an untagged frame has none. */
	uint16_t tci = vid & VLAN_VID_MASK;

	if (f->outer_tpid == ETHERTYPE_VLAN)
		tci |= f->outer_tci & ~VLAN_VID_MASK;
	hdr[12] = ETHERTYPE_VLAN >> 8;
	hdr[13] = ETHERTYPE_VLAN & 0xff;
	hdr[14] = (uint8_t)(tci >> 8);
	hdr[15] = (uint8_t)tci;
	*delta = FRAME_TAG_LEN - before;
	return FRAME_MACS_LEN + FRAME_TAG_LEN;
}

bool vlan_path(const struct vlan_port *in, const struct vlan_port *out, bool tagged,
	       uint16_t tag_vid, uint16_t *vid, enum vlan_tag_op *op)
{
	struct frame f = { .outer_tpid = tagged ? ETHERTYPE_VLAN : 0,
			   .outer_tci = tagged ? tag_vid & VLAN_VID_MASK : 0 };

	/* A priority tag joins the native VLAN, but the kernel could only
	 * keep its VID 0 where the frame leaves tagged: never offloaded. */
	if (tagged && !(tag_vid & VLAN_VID_MASK))
		return false;
	if (vlan_ingress(in, &f, vid) != VLAN_PASS)
		return false;
	switch (vlan_egress(out, *vid)) {
	case VLAN_OUT_UNTAGGED:
		*op = tagged ? VLAN_TAG_POP : VLAN_TAG_KEEP;
		return true;
	case VLAN_OUT_TAGGED:
		*op = tagged ? VLAN_TAG_KEEP : VLAN_TAG_PUSH;
		return true;
	case VLAN_OUT_NONE:
		break;
	}
	return false;
}

const char *vlan_verdict_name(enum vlan_verdict v)
{
	switch (v) {
	case VLAN_PASS:
		return "pass";
	case VLAN_DROP_TAGGED_ON_ACCESS:
		return "tagged-on-access";
	case VLAN_DROP_NOT_ALLOWED:
		return "vlan-not-allowed";
	case VLAN_DROP_NO_NATIVE:
		return "untagged-no-native";
	case VLAN_DROP_BAD_TPID:
		return "bad-tpid";
	case VLAN_DROP_DOUBLE_TAGGED:
		return "double-tagged";
	}
	return "?";
}
