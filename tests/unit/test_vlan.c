// SPDX-License-Identifier: GPL-2.0-or-later
/* 802.1Q rules: access and trunk ingress/egress decisions, and the bytes a
 * frame leaves with when a tag is pushed or popped (vnet header included). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "switch/vlan.h"

static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

static size_t frame_with(uint8_t *buf, int tag_tpid, uint16_t tci, size_t payload)
{
	size_t off = 12;

	memcpy(buf, macs, 12);
	if (tag_tpid) {
		buf[off++] = (uint8_t)(tag_tpid >> 8);
		buf[off++] = (uint8_t)tag_tpid;
		buf[off++] = (uint8_t)(tci >> 8);
		buf[off++] = (uint8_t)tci;
	}
	buf[off++] = 0x08;
	buf[off++] = 0x00;
	for (size_t i = 0; i < payload; i++)
		buf[off++] = (uint8_t)i;
	return off;
}

static struct frame parse(const uint8_t *buf, size_t len, const struct frame_accel *acc)
{
	struct frame f;

	assert_int_equal(frame_parse(buf, len, acc, &f), FRAME_OK);
	return f;
}

static void access_ingress(void **state)
{
	struct vlan_port vp;
	uint8_t buf[64];
	size_t len;
	uint16_t vid = 0;
	struct frame f;
	struct frame_accel acc = { true, 0x8100, 10 };

	(void)state;
	vlan_port_access(&vp, 10);
	len = frame_with(buf, 0, 0, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_PASS);
	assert_int_equal(vid, 10);
	/* Tagged frames never enter an access port: not with its own VLAN,
	 * not priority-tagged, not 802.1ad, not out of band. */
	len = frame_with(buf, 0x8100, 10, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_TAGGED_ON_ACCESS);
	len = frame_with(buf, 0x8100, 0, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_TAGGED_ON_ACCESS);
	len = frame_with(buf, 0x88a8, 20, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_TAGGED_ON_ACCESS);
	len = frame_with(buf, 0, 0, 20);
	f = parse(buf, len, &acc);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_TAGGED_ON_ACCESS);
}

static void trunk_ingress(void **state)
{
	uint16_t vids[] = { 10, 20 };
	struct vlan_port vp;
	uint8_t buf[64];
	size_t len;
	uint16_t vid = 0;
	struct frame f;

	(void)state;
	vlan_port_trunk(&vp, vids, 2, 1);
	len = frame_with(buf, 0x8100, 0xa014, 20); /* PCP 5, VID 20 */
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_PASS);
	assert_int_equal(vid, 20);
	len = frame_with(buf, 0x8100, 30, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_NOT_ALLOWED);
	len = frame_with(buf, 0x8100, 0xa000, 20); /* priority tag: VID 0 = native */
	f = parse(buf, len, NULL);
	vid = 0;
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_PASS);
	assert_int_equal(vid, 1);
	len = frame_with(buf, 0x88a8, 10, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_BAD_TPID);
	/* The native VLAN is allowed tagged too. */
	len = frame_with(buf, 0x8100, 1, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_PASS);
	assert_int_equal(vid, 1);
	len = frame_with(buf, 0, 0, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_PASS);
	assert_int_equal(vid, 1);
	/* native 0: untagged frames are dropped, priority-tagged ones too */
	vlan_port_trunk(&vp, vids, 2, 0);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_NO_NATIVE);
	len = frame_with(buf, 0x8100, 0, 20);
	f = parse(buf, len, NULL);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_NO_NATIVE);
	assert_false(vlan_member(&vp, 1));
	assert_true(vlan_member(&vp, 10));
}

/* A frame tagged (0x8100, tci) outside, (inner_tpid, VID 20) inside; the
 * outer tag out of band when accel, as the kernel hands it over. */
static struct frame double_tagged(uint8_t *buf, uint16_t tci, uint16_t inner_tpid, bool accel,
				  struct frame_accel *acc)
{
	size_t len = frame_with(buf, inner_tpid, 20, 20);

	*acc = (struct frame_accel){ accel, 0x8100, tci };
	if (!accel) {
		memmove(buf + 16, buf + 12, len - 12);
		buf[12] = 0x81;
		buf[13] = 0x00;
		buf[14] = (uint8_t)(tci >> 8);
		buf[15] = (uint8_t)tci;
		len += 4;
	}
	return parse(buf, len, accel ? acc : NULL);
}

static void trunk_double_tag(void **state)
{
	uint16_t vids[] = { 10, 20 };
	struct frame_accel acc;
	struct vlan_port vp;
	uint8_t buf[96];
	uint16_t vid = 0;
	struct frame f;

	(void)state;
	vlan_port_trunk(&vp, vids, 2, 1);
	/* the native VLAN's tag outside, 20 inside: would hop to 20 on the
	 * next switch, whether the outer tag is in the bytes or not, and
	 * whatever the inner tag's kind */
	f = double_tagged(buf, 1, 0x8100, false, &acc);
	assert_int_equal(f.inner_tags, 1);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_DOUBLE_TAGGED);
	f = double_tagged(buf, 1, 0x8100, true, &acc);
	assert_int_equal(f.inner_tags, 1);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_DOUBLE_TAGGED);
	f = double_tagged(buf, 0x6001, 0x88a8, true, &acc);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_DOUBLE_TAGGED);
	/* a priority tag outside is the native VLAN too */
	f = double_tagged(buf, 0, 0x8100, true, &acc);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_DOUBLE_TAGGED);
	/* a carried VLAN's tag outside leaves trunks tagged: Q-in-Q payload */
	f = double_tagged(buf, 10, 0x8100, true, &acc);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_PASS);
	assert_int_equal(vid, 10);
	/* with 10 native, 10 outside is the hop and 1 is not carried */
	vlan_port_trunk(&vp, vids, 2, 10);
	f = double_tagged(buf, 10, 0x8100, true, &acc);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_DROP_DOUBLE_TAGGED);
	f = double_tagged(buf, 20, 0x8100, false, &acc);
	assert_int_equal(vlan_ingress(&vp, &f, &vid), VLAN_PASS);
	assert_int_equal(vid, 20);
	assert_string_equal(vlan_verdict_name(VLAN_DROP_DOUBLE_TAGGED), "double-tagged");
}

static void egress(void **state)
{
	uint16_t vids[] = { 10, 20 };
	struct vlan_port acc, tr;

	(void)state;
	vlan_port_access(&acc, 10);
	vlan_port_trunk(&tr, vids, 2, 20);
	assert_int_equal(vlan_egress(&acc, 10), VLAN_OUT_UNTAGGED);
	assert_int_equal(vlan_egress(&acc, 20), VLAN_OUT_NONE);
	assert_int_equal(vlan_egress(&tr, 10), VLAN_OUT_TAGGED);
	assert_int_equal(vlan_egress(&tr, 20), VLAN_OUT_UNTAGGED);
	assert_int_equal(vlan_egress(&tr, 30), VLAN_OUT_NONE);
	assert_int_equal(vlan_egress(&tr, 1), VLAN_OUT_NONE);
	assert_false(vlan_port_equal(&acc, &tr));
	struct vlan_port tr2;

	vlan_port_trunk(&tr2, vids, 2, 20);
	assert_true(vlan_port_equal(&tr, &tr2));
	vlan_port_trunk(&tr2, vids, 2, 0);
	assert_false(vlan_port_equal(&tr, &tr2));
}

/* Build the frame that leaves: hdr + body, as the pipeline's iovec does. */
static size_t leave(const struct frame *f, const uint8_t *data, uint16_t vid, enum vlan_out out,
		    uint8_t *dst, int *delta)
{
	uint8_t hdr[16];
	unsigned hl = vlan_out_header(f, vid, out, hdr, delta);

	memcpy(dst, hdr, hl);
	memcpy(dst + hl, data + f->body_off, f->len - f->body_off);
	return hl + f->len - f->body_off;
}

static void push_and_pop(void **state)
{
	uint8_t in[128], out[128], want[128];
	size_t len, olen, wlen;
	struct frame f;
	int delta;
	struct frame_accel acc = { true, 0x8100, 0x6014 }; /* PCP 3, VID 20 */
	struct virtio_net_hdr vn = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				     .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
				     .gso_size = 1448,
				     .hdr_len = 54,
				     .csum_start = 34,
				     .csum_offset = 16 };

	(void)state;
	/* untagged in, tagged out: push */
	len = frame_with(in, 0, 0, 40);
	f = parse(in, len, NULL);
	assert_true(vlan_rewrite_needed(&f, 10, VLAN_OUT_TAGGED));
	olen = leave(&f, in, 10, VLAN_OUT_TAGGED, out, &delta);
	wlen = frame_with(want, 0x8100, 10, 40);
	assert_int_equal(delta, 4);
	assert_int_equal(olen, wlen);
	assert_memory_equal(out, want, wlen);
	assert_true(frame_vnet_shift(&vn, delta));
	assert_int_equal(vn.csum_start, 38);
	assert_int_equal(vn.hdr_len, 58);

	/* tagged in band, untagged out: pop */
	len = frame_with(in, 0x8100, 10, 40);
	f = parse(in, len, NULL);
	assert_true(vlan_rewrite_needed(&f, 10, VLAN_OUT_UNTAGGED));
	olen = leave(&f, in, 10, VLAN_OUT_UNTAGGED, out, &delta);
	wlen = frame_with(want, 0, 0, 40);
	assert_int_equal(delta, -4);
	assert_int_equal(olen, wlen);
	assert_memory_equal(out, want, wlen);
	assert_true(frame_vnet_shift(&vn, delta));
	assert_int_equal(vn.csum_start, 34);

	/* tagged in band, tagged out with the same VID: nothing to do */
	assert_false(vlan_rewrite_needed(&f, 10, VLAN_OUT_TAGGED));
	/* tagged out of band (the kernel's usual way), untagged out: the
	 * bytes are already untagged */
	len = frame_with(in, 0, 0, 40);
	f = parse(in, len, &acc);
	assert_false(vlan_rewrite_needed(&f, 20, VLAN_OUT_UNTAGGED));
	/* ...and tagged out: the tag goes back in, priority kept */
	assert_true(vlan_rewrite_needed(&f, 20, VLAN_OUT_TAGGED));
	olen = leave(&f, in, 20, VLAN_OUT_TAGGED, out, &delta);
	wlen = frame_with(want, 0x8100, 0x6014, 40);
	assert_int_equal(delta, 4);
	assert_int_equal(olen, wlen);
	assert_memory_equal(out, want, wlen);
	/* untagged in, untagged out: untouched */
	f = parse(in, len, NULL);
	assert_false(vlan_rewrite_needed(&f, 1, VLAN_OUT_UNTAGGED));
	/* An 802.1ad outer tag's bits are not carried into a C-tag. */
	len = frame_with(in, 0x88a8, 0xe00a, 40);
	f = parse(in, len, NULL);
	olen = leave(&f, in, 10, VLAN_OUT_TAGGED, out, &delta);
	wlen = frame_with(want, 0x8100, 10, 40);
	assert_int_equal(delta, 0);
	assert_int_equal(olen, wlen);
	assert_memory_equal(out, want, wlen);
}

/* vlan_path: the switch's kernel half sees only the tag; its decision must
 * be the one ingress then egress make. */
static void path(void **state)
{
	static const uint16_t both[] = { 10, 20 };
	struct vlan_port acc1, acc10, acc20, trunk, trunk_nonative, trunk20;
	/* in, out, the frame's tag (0: untagged) → whether it passes, in
	 * which VLAN, and what happens to the tag */
	const struct {
		const struct vlan_port *in, *out;
		bool tagged;
		uint16_t tag_vid;
		bool ok;
		uint16_t vid;
		enum vlan_tag_op op;
	} cases[] = {
		/* access to access: nothing to do, same VLAN only */
		{ &acc10, &acc10, false, 0, true, 10, VLAN_TAG_KEEP },
		{ &acc10, &acc20, false, 0, false, 0, 0 },
		/* a tagged frame never enters an access port, whatever its VLAN */
		{ &acc10, &acc10, true, 10, false, 0, 0 },
		{ &acc10, &trunk, true, 10, false, 0, 0 },
		/* access to trunk: the tag goes on */
		{ &acc20, &trunk, false, 0, true, 20, VLAN_TAG_PUSH },
		/* trunk to access: off */
		{ &trunk, &acc10, true, 10, true, 10, VLAN_TAG_POP },
		{ &trunk, &acc20, true, 10, false, 0, 0 },
		/* trunk to trunk: kept, or off where the VLAN is the egress's native */
		{ &trunk, &trunk_nonative, true, 20, true, 20, VLAN_TAG_KEEP },
		{ &trunk_nonative, &trunk20, true, 10, true, 10, VLAN_TAG_POP },
		/* untagged on a trunk: its native VLAN, or nothing without one */
		{ &trunk, &acc10, false, 0, false, 0, 0 },
		{ &trunk, &acc1, false, 0, true, 1, VLAN_TAG_KEEP },
		/* a tag of the native VLAN is accepted, and comes off */
		{ &trunk, &acc1, true, 1, true, 1, VLAN_TAG_POP },
		{ &trunk_nonative, &acc10, false, 0, false, 0, 0 },
		{ &trunk20, &trunk, false, 0, true, 10, VLAN_TAG_PUSH },
		/* VLANs the ingress trunk does not carry */
		{ &trunk, &trunk, true, 30, false, 0, 0 },
		/* priority tags (VID 0) join the native VLAN, but stay with the
		 * switch: a kept tag would still say VID 0 */
		{ &trunk, &acc10, true, 0, false, 0, 0 },
		{ &trunk, &acc1, true, 0, false, 0, 0 },
		{ &trunk, &trunk_nonative, true, 0, false, 0, 0 },
	};

	(void)state;
	vlan_port_access(&acc1, 1);
	vlan_port_access(&acc10, 10);
	vlan_port_access(&acc20, 20);
	vlan_port_trunk(&trunk, both, 2, 1);
	vlan_port_trunk(&trunk_nonative, both, 2, 0);
	vlan_port_trunk(&trunk20, both + 1, 1, 10);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum vlan_tag_op op = VLAN_TAG_KEEP;
		uint16_t vid = 0;
		bool ok = vlan_path(cases[i].in, cases[i].out, cases[i].tagged, cases[i].tag_vid, &vid, &op);

		if (ok != cases[i].ok || (ok && (vid != cases[i].vid || op != cases[i].op)))
			fail_msg("case %zu: got %d, VLAN %u, op %d; wanted %d, VLAN %u, op %d", i, ok,
				 vid, (int)op, cases[i].ok, cases[i].vid, (int)cases[i].op);
	}
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(vlan_verdict_name(VLAN_DROP_TAGGED_ON_ACCESS), "tagged-on-access");
	assert_string_equal(vlan_verdict_name(VLAN_PASS), "pass");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(access_ingress),
		cmocka_unit_test(trunk_ingress),
		cmocka_unit_test(trunk_double_tag),
		cmocka_unit_test(egress),
		cmocka_unit_test(push_and_pop),
		cmocka_unit_test(path),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
