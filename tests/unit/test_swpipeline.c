// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The forwarding pipeline (NORMAL) end to end, without the kernel's packet
 * sockets: each port's socket is one end of a datagram socketpair, so what
 * the switch sends out of a port is read back, vnet header and all, from
 * the other end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "switch/pipeline.h"
#include "switch/sw.h"
#include "swrig.h"

#define NPORTS 4

struct rig {
	struct sw *sw;
	struct port *p[NPORTS];
	int peer[NPORTS];
};

static const uint8_t A[6] = { 2, 0, 0, 0, 0, 0xa }, B[6] = { 2, 0, 0, 0, 0, 0xb },
		     C[6] = { 2, 0, 0, 0, 0, 0xc }, BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* p0, p1: access VLAN 1; p2: trunk 10,20 native 1; p3: access VLAN 10. */
static int setup(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	uint16_t vids[] = { 10, 20 };

	r->sw = sw_new("t", 64, 300);
	for (int i = 0; i < NPORTS; i++)
		r->p[i] = swrig_port(r->sw, (uint16_t)i, &r->peer[i]);
	vlan_port_access(&r->p[0]->vlan, 1);
	vlan_port_access(&r->p[1]->vlan, 1);
	vlan_port_trunk(&r->p[2]->vlan, vids, 2, 1);
	vlan_port_access(&r->p[3]->vlan, 10);
	r->sw->n_ports = r->sw->max_index = NPORTS;
	assert_int_equal(sw_rebuild(r->sw), 0);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct rig *r = *state;

	for (int i = 0; i < NPORTS; i++)
		close(r->peer[i]);
	sw_free(r->sw); /* closes the ports */
	free(r);
	return 0;
}

struct sent {
	uint8_t buf[2048];
	size_t len;
	struct virtio_net_hdr vnet;
	uint8_t *frame;
	size_t frame_len;
};

/* A frame as it sits in a ring slot: vnet header, then the bytes. */
static void inject(struct rig *r, int port, const uint8_t dst[6], const uint8_t src[6], int tpid,
		   uint16_t tci, bool accel, const struct virtio_net_hdr *vn, size_t payload)
{
	static uint8_t slot[2048];
	struct frame_accel acc = { accel, accel ? (uint16_t)tpid : 0, tci };
	struct pl_pkt pkt = { 0 };
	size_t off = sizeof(struct virtio_net_hdr);

	memset(slot, 0, sizeof(slot));
	if (vn)
		memcpy(slot, vn, sizeof(*vn));
	memcpy(slot + off, dst, 6);
	memcpy(slot + off + 6, src, 6);
	off += 12;
	if (tpid && !accel) {
		slot[off++] = (uint8_t)(tpid >> 8);
		slot[off++] = (uint8_t)tpid;
		slot[off++] = (uint8_t)(tci >> 8);
		slot[off++] = (uint8_t)tci;
	}
	slot[off++] = 0x08;
	slot[off++] = 0x00;
	for (size_t i = 0; i < payload; i++)
		slot[off++] = (uint8_t)(i * 7);
	pkt.in = r->p[port];
	pkt.vnet = (struct virtio_net_hdr *)slot;
	pkt.data = slot + sizeof(struct virtio_net_hdr);
	pkt.len = (uint32_t)(off - sizeof(struct virtio_net_hdr));
	assert_int_equal(frame_parse(pkt.data, pkt.len, &acc, &pkt.fr), FRAME_OK);
	pkt.in->st.rx_packets++;
	pl_process(r->sw, &pkt, 1000);
	pl_flush(r->sw);
}

/* What came out of port i (false if nothing). */
static bool got(struct rig *r, int i, struct sent *s)
{
	ssize_t n = recv(r->peer[i], s->buf, sizeof(s->buf), MSG_DONTWAIT);

	if (n <= 0)
		return false;
	s->len = (size_t)n;
	assert_true(s->len >= sizeof(s->vnet) + 14);
	memcpy(&s->vnet, s->buf, sizeof(s->vnet));
	s->frame = s->buf + sizeof(s->vnet);
	s->frame_len = s->len - sizeof(s->vnet);
	return true;
}

static bool tagged(const struct sent *s, uint16_t *vid)
{
	if (s->frame[12] != 0x81 || s->frame[13] != 0x00)
		return false;
	*vid = (uint16_t)(((s->frame[14] << 8) | s->frame[15]) & 0xfff);
	return true;
}

static void floods_then_learns(void **state)
{
	struct rig *r = *state;
	struct sent s;
	uint16_t vid;

	/* A to B, unknown: flooded in VLAN 1 to p1 and the trunk (native:
	 * untagged), not to p3 (VLAN 10), not back to p0. */
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	assert_true(got(r, 1, &s));
	assert_memory_equal(s.frame, B, 6);
	assert_memory_equal(s.frame + 6, A, 6);
	assert_int_equal(s.frame_len, 60);
	assert_true(got(r, 2, &s));
	assert_false(tagged(&s, &vid));
	assert_false(got(r, 3, &s));
	assert_false(got(r, 0, &s));
	/* B answers A: A was learned on p0, so only p0. */
	inject(r, 1, A, B, 0, 0, false, NULL, 46);
	assert_true(got(r, 0, &s));
	assert_false(got(r, 1, &s) || got(r, 2, &s) || got(r, 3, &s));
	/* and A to B now goes only to p1 */
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	assert_true(got(r, 1, &s));
	assert_false(got(r, 0, &s) || got(r, 2, &s) || got(r, 3, &s));
	/* A moves to the trunk (VLAN 1 = native there): B's frames follow. */
	inject(r, 2, C, A, 0, 0, false, NULL, 46);
	while (got(r, 0, &s) || got(r, 1, &s))
		;
	inject(r, 1, A, B, 0, 0, false, NULL, 46);
	assert_true(got(r, 2, &s));
	assert_false(got(r, 0, &s));
	/* counters add up */
	assert_int_equal(r->p[0]->st.rx_packets, 2);
	assert_int_equal(r->p[1]->st.tx_packets, 3);
	assert_int_equal(r->p[0]->st.tx_packets, 2); /* B's answer, the flood to C */
}

static void vlans_are_separate(void **state)
{
	struct rig *r = *state;
	struct virtio_net_hdr vn = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 6,
				     .hdr_len = 42 };
	struct sent s;
	uint16_t vid = 0;

	/* Broadcast in VLAN 10 from p3: only the trunk, tagged 10, with the
	 * checksum offsets moved by the tag. */
	inject(r, 3, BCAST, C, 0, 0, false, &vn, 46);
	assert_true(got(r, 2, &s));
	assert_true(tagged(&s, &vid));
	assert_int_equal(vid, 10);
	assert_int_equal(s.frame_len, 64);
	assert_int_equal(s.vnet.csum_start, 38);
	assert_int_equal(s.vnet.hdr_len, 46);
	assert_int_equal(s.frame[16], 0x08); /* EtherType after the tag */
	assert_false(got(r, 0, &s) || got(r, 1, &s) || got(r, 3, &s));

	/* The trunk sends VLAN 10 tagged in band: p3 gets it untagged. */
	vn.csum_start = 38;
	vn.hdr_len = 46;
	inject(r, 2, BCAST, B, 0x8100, 10, false, &vn, 46);
	assert_true(got(r, 3, &s));
	assert_false(tagged(&s, &vid));
	assert_int_equal(s.frame_len, 60);
	assert_int_equal(s.vnet.csum_start, 34);
	assert_false(got(r, 0, &s) || got(r, 1, &s) || got(r, 2, &s));

	/* The same with the tag out of band (as the kernel delivers it):
	 * the bytes are already untagged and leave as they are. */
	vn.csum_start = 34;
	vn.hdr_len = 42;
	inject(r, 2, BCAST, B, 0x8100, 0x200a, true, &vn, 46);
	assert_true(got(r, 3, &s));
	assert_false(tagged(&s, &vid));
	assert_int_equal(s.vnet.csum_start, 34);

	/* VLAN 20 from the trunk: no other member, nowhere to go. */
	inject(r, 2, BCAST, B, 0x8100, 20, true, NULL, 46);
	assert_false(got(r, 0, &s) || got(r, 1, &s) || got(r, 3, &s));
	assert_int_equal(r->p[2]->st.drops[DROP_NO_DESTINATION], 1);
	/* VLAN 30 is not allowed on the trunk. */
	inject(r, 2, BCAST, B, 0x8100, 30, true, NULL, 46);
	assert_int_equal(r->p[2]->st.drops[DROP_VLAN_NOT_ALLOWED], 1);
}

static void double_tag_does_not_hop(void **state)
{
	struct rig *r = *state;
	struct sent s;

	/* From access port p0 (VLAN 1 = the trunk's native VLAN), a frame
	 * tagged 1 outside and 10 inside: if the switch popped the outer
	 * tag the trunk would carry it "untagged" = inner tag 10. */
	static uint8_t slot[256];
	struct pl_pkt pkt = { 0 };
	size_t off = sizeof(struct virtio_net_hdr);
	const uint8_t tags[] = { 0x81, 0x00, 0x00, 0x01, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00 };

	memcpy(slot + off, BCAST, 6);
	memcpy(slot + off + 6, A, 6);
	memcpy(slot + off + 12, tags, sizeof(tags));
	pkt.in = r->p[0];
	pkt.vnet = (struct virtio_net_hdr *)slot;
	pkt.data = slot + off;
	pkt.len = 12 + sizeof(tags) + 46;
	assert_int_equal(frame_parse(pkt.data, pkt.len, NULL, &pkt.fr), FRAME_OK);
	pl_process(r->sw, &pkt, 1000);
	pl_flush(r->sw);
	for (int i = 0; i < NPORTS; i++)
		assert_false(got(r, i, &s));
	assert_int_equal(r->p[0]->st.drops[DROP_TAGGED_ON_ACCESS], 1);
	/* and with the outer tag out of band, as the kernel delivers it */
	inject(r, 0, BCAST, A, 0x8100, 1, true, NULL, 46);
	for (int i = 0; i < NPORTS; i++)
		assert_false(got(r, i, &s));
	assert_int_equal(r->p[0]->st.drops[DROP_TAGGED_ON_ACCESS], 2);
}

/* From the trunk p2 (native 1), a frame whose outer tag (out of band, as
 * the kernel delivers it, tci) puts it in the native VLAN and whose bytes
 * hold another tag, of VLAN 10: it would leave every port of VLAN 1
 * untagged, that is tagged 10, and a switch behind p0 or p1 would put it in
 * VLAN 10. */
static void inject_hop(struct rig *r, uint16_t tci, const uint8_t dst[6])
{
	static uint8_t slot[256];
	const uint8_t inner[] = { 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00 };
	struct frame_accel acc = { true, 0x8100, tci };
	size_t off = sizeof(struct virtio_net_hdr);
	struct pl_pkt pkt = { 0 };

	memset(slot, 0, sizeof(slot));
	memcpy(slot + off, dst, 6);
	memcpy(slot + off + 6, C, 6);
	memcpy(slot + off + 12, inner, sizeof(inner));
	pkt.in = r->p[2];
	pkt.vnet = (struct virtio_net_hdr *)slot;
	pkt.data = slot + off;
	pkt.len = 12 + sizeof(inner) + 46;
	assert_int_equal(frame_parse(pkt.data, pkt.len, &acc, &pkt.fr), FRAME_OK);
	pl_process(r->sw, &pkt, 1000);
	pl_flush(r->sw);
}

static void trunk_double_tag_does_not_hop(void **state)
{
	struct rig *r = *state;
	struct sent s;

	/* tagged 1 (the native VLAN) outside, broadcast and to a known B */
	inject(r, 1, A, B, 0, 0, false, NULL, 46);
	while (got(r, 0, &s) || got(r, 2, &s))
		;
	inject_hop(r, 1, BCAST);
	inject_hop(r, 1, B);
	/* a priority tag outside is the native VLAN as well */
	inject_hop(r, 0x2000, B);
	for (int i = 0; i < NPORTS; i++)
		assert_false(got(r, i, &s));
	assert_int_equal(r->p[2]->st.drops[DROP_DOUBLE_TAGGED], 3);
	assert_string_equal(stats_drop_name(DROP_DOUBLE_TAGGED), "double-tagged");
	/* C was not learned from them */
	assert_int_equal(fdb_count(r->sw->fdb), 1);
	/* 10 outside is a VLAN the trunk carries tagged: its payload is
	 * the VLAN's business (802.1ad-like stacking), and p3 gets it */
	inject_hop(r, 10, BCAST);
	assert_true(got(r, 3, &s));
	assert_int_equal(r->p[2]->st.drops[DROP_DOUBLE_TAGGED], 3);
}

/* From the trunk p2, tagged 10 (which p2 carries tagged) with 20 inside,
 * to a trunk whose native VLAN is 10: out of it untagged, the frame would
 * be tagged 20 on the next link. Dropped there, counted on p2. */
static void double_tag_does_not_hop_out_of_a_native_trunk(void **state)
{
	struct rig *r = *state;
	uint16_t vids[] = { 20 };
	struct sent s;

	vlan_port_trunk(&r->p[3]->vlan, vids, 1, 10);
	inject_hop(r, 10, BCAST);
	for (int i = 0; i < NPORTS; i++)
		assert_false(got(r, i, &s));
	assert_int_equal(r->p[2]->st.drops[DROP_DOUBLE_TAGGED], 1);
	/* without a tag inside, the frame leaves p3 untagged as ever */
	inject(r, 2, BCAST, C, 0, 10, true, NULL, 46);
	assert_true(got(r, 3, &s));
	assert_int_equal(r->p[2]->st.drops[DROP_DOUBLE_TAGGED], 1);
}

/* 802.1Q: a priority tag (VID 0) carries a priority, no VLAN; on a trunk the
 * frame is in the native VLAN. */
static void priority_tagged_on_trunk(void **state)
{
	struct rig *r = *state;
	uint16_t vids[] = { 10, 20 };
	struct sent s;
	uint16_t vid;

	/* in the bytes: out of p0 and p1 (VLAN 1) untagged, the tag taken out */
	inject(r, 2, BCAST, C, 0x8100, 0xa000, false, NULL, 46);
	assert_true(got(r, 0, &s));
	assert_false(tagged(&s, &vid));
	assert_int_equal(s.frame_len, 60);
	assert_int_equal(s.frame[12], 0x08);
	assert_true(got(r, 1, &s));
	assert_false(got(r, 3, &s));
	/* out of band, to a known station */
	inject(r, 0, C, A, 0, 0, false, NULL, 46);
	assert_true(got(r, 2, &s));
	inject(r, 2, A, C, 0x8100, 0xa000, true, NULL, 46);
	assert_true(got(r, 0, &s));
	assert_false(tagged(&s, &vid));
	assert_false(got(r, 1, &s) || got(r, 3, &s));
	assert_int_equal(r->p[2]->st.drops[DROP_VLAN_NOT_ALLOWED], 0);
	/* a trunk with no native VLAN drops it, as an untagged frame */
	vlan_port_trunk(&r->p[2]->vlan, vids, 2, 0);
	assert_int_equal(sw_rebuild(r->sw), 0);
	inject(r, 2, BCAST, C, 0x8100, 0x2000, true, NULL, 46);
	for (int i = 0; i < NPORTS; i++)
		assert_false(got(r, i, &s));
	assert_int_equal(r->p[2]->st.drops[DROP_UNTAGGED_NO_NATIVE], 1);
}

/* Frames for a port that cannot send (down, without carrier, or whose last
 * send failed) are each counted as a tx-down drop, not sent, not lost from
 * the counters. */
static void egress_down_counts_every_frame(void **state)
{
	struct rig *r = *state;
	struct sent s;

	inject(r, 1, A, B, 0, 0, false, NULL, 46); /* B is behind p1 */
	while (got(r, 0, &s) || got(r, 2, &s))
		;
	r->p[1]->state = PORT_DOWN;
	for (int i = 0; i < 5; i++)
		inject(r, 0, B, A, 0, 0, false, NULL, 46);
	assert_false(got(r, 1, &s));
	assert_int_equal(r->p[1]->st.drops[DROP_TX_DOWN], 5);
	assert_int_equal(r->p[1]->st.tx_packets, 0);
	/* a flood: the other members get it, p1 counts it */
	inject(r, 0, C, A, 0, 0, false, NULL, 46);
	assert_true(got(r, 2, &s));
	assert_int_equal(r->p[1]->st.drops[DROP_TX_DOWN], 6);
	r->p[1]->state = PORT_NO_CARRIER;
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	assert_int_equal(r->p[1]->st.drops[DROP_TX_DOWN], 7);
	/* up, but its last send failed (not yet looked at again) */
	r->p[1]->state = PORT_UP;
	r->p[1]->tx_errno = 100;
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	assert_int_equal(r->p[1]->st.drops[DROP_TX_DOWN], 9);
	assert_false(got(r, 1, &s));
	r->p[1]->tx_errno = 0;
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	assert_true(got(r, 1, &s));
	assert_int_equal(r->p[1]->st.tx_packets, 1);
	assert_string_equal(port_state_name(PORT_NO_CARRIER), "no-carrier");
	assert_string_equal(port_state_name(PORT_DOWN), "down");
}

static void bad_frames(void **state)
{
	struct rig *r = *state;
	const uint8_t mcast_src[6] = { 1, 0, 0x5e, 0, 0, 1 }, stp[6] = { 1, 0x80, 0xc2, 0, 0, 0 };
	struct sent s;

	inject(r, 0, B, mcast_src, 0, 0, false, NULL, 46);
	inject(r, 0, stp, A, 0, 0, false, NULL, 46);
	for (int i = 0; i < NPORTS; i++)
		assert_false(got(r, i, &s));
	assert_int_equal(r->p[0]->st.drops[DROP_BAD_SOURCE], 1);
	assert_int_equal(r->p[0]->st.drops[DROP_LINK_LOCAL], 1);
	assert_int_equal(fdb_count(r->sw->fdb), 0);
	/* a destination learned on the ingress port: not sent back */
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	while (got(r, 1, &s) || got(r, 2, &s))
		;
	inject(r, 0, A, B, 0, 0, false, NULL, 46); /* B claims p0 now */
	while (got(r, 1, &s) || got(r, 2, &s))
		;
	inject(r, 0, B, A, 0, 0, false, NULL, 46);
	for (int i = 0; i < NPORTS; i++)
		assert_false(got(r, i, &s));
	assert_int_equal(r->p[0]->st.drops[DROP_LOOPBACK], 2);
}

static unsigned to_p3(void *arg, const struct pl_pkt *pkt, struct pl_action *acts, unsigned max);

static void classify_hook(void **state)
{
	struct rig *r = *state;
	struct sent s;

	/* A table in front of NORMAL: output everything to p3 as is. */
	struct pl_hook h = {
		.classify = NULL,
	};
	h.classify = to_p3;
	r->sw->hook = h;
	inject(r, 0, B, A, 0x8100, 5, true, NULL, 46);
	assert_true(got(r, 3, &s));
	/* the out-of-band tag is put back: OUTPUT sends the frame as received */
	assert_int_equal(s.frame[12], 0x81);
	assert_int_equal(s.frame[15], 5);
	assert_false(got(r, 1, &s) || got(r, 2, &s));
	r->sw->hook.classify = NULL;
}

static unsigned to_p3(void *arg, const struct pl_pkt *pkt, struct pl_action *acts, unsigned max)
{
	(void)arg;
	(void)pkt;
	assert_true(max >= 2);
	acts[0] = (struct pl_action){ PL_ACT_OUTPUT, 3 };
	acts[1] = (struct pl_action){ PL_ACT_DROP, 0 };
	return 2;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(floods_then_learns, setup, teardown),
		cmocka_unit_test_setup_teardown(vlans_are_separate, setup, teardown),
		cmocka_unit_test_setup_teardown(double_tag_does_not_hop, setup, teardown),
		cmocka_unit_test_setup_teardown(trunk_double_tag_does_not_hop, setup, teardown),
		cmocka_unit_test_setup_teardown(double_tag_does_not_hop_out_of_a_native_trunk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(priority_tagged_on_trunk, setup, teardown),
		cmocka_unit_test_setup_teardown(egress_down_counts_every_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(classify_hook, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
