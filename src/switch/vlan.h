/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VLAN membership of a port and the 802.1Q ingress and egress rules, as
 * pure functions of (port settings, frame), computed without touching the
 * frame so the data path can decide first and copy nothing.
 *
 * Access port (vid V): untagged frames join V; any tagged frame (0x8100 or
 * 0x88a8, priority-tagged VID 0 included) is dropped. Frames leave
 * untagged.
 *
 * Trunk port (allowed set A, native N or none): a frame tagged 0x8100 with a
 * VID in A joins that VID; a priority tag (VID 0) means "no VLAN, priority
 * only" (802.1Q 9.6), so such a frame is an untagged one: it joins N; other
 * tags are dropped; untagged frames join N, or are dropped when there is no
 * native VLAN. Frames leave tagged, except on N, where they leave untagged.
 * N is always allowed.
 *
 * VLAN hopping by double tagging: a frame that joins N by its outer tag (N
 * or 0) and carries another tag inside would leave every trunk of N
 * untagged, that is with its inner tag outermost, and the next switch
 * would put it in the inner tag's VLAN. Such a frame is dropped at
 * ingress. (On an access port every tagged frame is dropped anyway.)
 */
#ifndef NSLAB_SWITCH_VLAN_H
#define NSLAB_SWITCH_VLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "switch/frame.h"

#define VLAN_DEFAULT 1
#define VLAN_WORDS (4096 / 64)

enum vlan_mode { VLAN_MODE_ACCESS, VLAN_MODE_TRUNK };

struct vlan_port {
	enum vlan_mode mode;
	uint16_t vid;    /* access: the port's VLAN */
	uint16_t native; /* trunk: untagged frames' VLAN, 0 = none */
	uint64_t allowed[VLAN_WORDS]; /* trunk: VIDs carried tagged (and native) */
};

/* Why the ingress rules refused a frame (also the drop counters' reasons). */
enum vlan_verdict {
	VLAN_PASS = 0,
	VLAN_DROP_TAGGED_ON_ACCESS,
	VLAN_DROP_NOT_ALLOWED,  /* trunk: VID outside the allowed set */
	VLAN_DROP_NO_NATIVE,    /* trunk: untagged, no native VLAN */
	VLAN_DROP_BAD_TPID,     /* trunk: an outer tag other than 0x8100 */
	VLAN_DROP_DOUBLE_TAGGED, /* trunk: tagged N (or 0) with a tag inside */
};

/* What leaving through a port does to a frame of a VLAN. */
enum vlan_out { VLAN_OUT_NONE, VLAN_OUT_UNTAGGED, VLAN_OUT_TAGGED };

void vlan_port_access(struct vlan_port *vp, uint16_t vid);
/* A trunk carrying vids[n] tagged, native (0 = none) untagged. */
void vlan_port_trunk(struct vlan_port *vp, const uint16_t *vids, size_t n, uint16_t native);
bool vlan_port_equal(const struct vlan_port *a, const struct vlan_port *b);

static inline bool vlan_allowed(const struct vlan_port *vp, uint16_t vid)
{
	return (vp->allowed[vid >> 6] >> (vid & 63)) & 1;
}

/* Whether vid is carried by the port at all. */
static inline bool vlan_member(const struct vlan_port *vp, uint16_t vid)
{
	return vp->mode == VLAN_MODE_ACCESS ? vp->vid == vid : vlan_allowed(vp, vid);
}

/* Ingress: the frame's VLAN in *vid, or why it is dropped. */
enum vlan_verdict vlan_ingress(const struct vlan_port *vp, const struct frame *f, uint16_t *vid);

/* Egress of a frame of VLAN vid. */
static inline enum vlan_out vlan_egress(const struct vlan_port *vp, uint16_t vid)
{
	if (vp->mode == VLAN_MODE_ACCESS)
		return vp->vid == vid ? VLAN_OUT_UNTAGGED : VLAN_OUT_NONE;
	if (!vlan_allowed(vp, vid))
		return VLAN_OUT_NONE;
	return vid == vp->native ? VLAN_OUT_UNTAGGED : VLAN_OUT_TAGGED;
}

/*
 * The bytes that replace the frame's first body_off bytes on the way out:
 * the two addresses, then an 802.1Q tag when out is VLAN_OUT_TAGGED. The tag
 * keeps the ingress tag's priority bits when it had one. Writes hdr[16],
 * returns its length (12 or 16); *delta is how much longer the frame gets
 * (-4, 0 or +4), for frame_vnet_shift(). Whether the frame needs rewriting
 * at all is vlan_rewrite_needed().
 */
unsigned vlan_out_header(const struct frame *f, uint16_t vid, enum vlan_out out, uint8_t hdr[16],
			 int *delta);

/* False when the frame's bytes leave exactly as received (no accelerated
 * tag to put back, no in-band tag to take out or change). */
static inline bool vlan_rewrite_needed(const struct frame *f, uint16_t vid, enum vlan_out out)
{
	if (out == VLAN_OUT_TAGGED)
		return !(f->outer_in_data && f->outer_tpid == ETHERTYPE_VLAN && frame_vid(f) == vid);
	return f->outer_in_data;
}

/* What forwarding a frame from one port to another does to its tag. */
enum vlan_tag_op { VLAN_TAG_KEEP, VLAN_TAG_POP, VLAN_TAG_PUSH };

/*
 * The whole path of a frame from port in to port out, for a frame that
 * arrives untagged or (tagged) with an 802.1Q tag of VLAN tag_vid: its
 * VLAN in *vid and the tag operation in *op (a push puts on a tag of *vid).
 * False where the switch would not carry it from in to out (ingress drop,
 * or out not in the VLAN). The same rules as vlan_ingress and vlan_egress,
 * for a switch's kernel half, which sees only the tag.
 */
bool vlan_path(const struct vlan_port *in, const struct vlan_port *out, bool tagged,
	       uint16_t tag_vid, uint16_t *vid, enum vlan_tag_op *op);

/* Whether a flow key of the kernel's half (the out-of-band tag's VID or
 * none) describes the frame: not with a tag still in its bytes, not
 * priority-tagged (whose VID 0 is not its VLAN: the kernel could not put
 * the right tag on where it leaves tagged). */
static inline bool vlan_kernel_keyable(const struct frame *f)
{
	return !f->outer_in_data && !(frame_is_tagged(f) && frame_vid(f) == 0);
}

const char *vlan_verdict_name(enum vlan_verdict v);

#endif
