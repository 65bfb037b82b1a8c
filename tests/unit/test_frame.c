// SPDX-License-Identifier: GPL-2.0-or-later
/* Frame parsing: untagged, tagged in band or out of band, double-tagged,
 * truncated; and the vnet header's offsets when a tag comes or goes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "switch/frame.h"

static const uint8_t macs[12] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1 };

static size_t build(uint8_t *buf, const uint16_t *types, size_t ntypes, size_t payload)
{
	size_t off = 12;

	memcpy(buf, macs, 12);
	for (size_t i = 0; i < ntypes; i++) {
		buf[off++] = (uint8_t)(types[i] >> 8);
		buf[off++] = (uint8_t)types[i];
	}
	memset(buf + off, 0xab, payload);
	return off + payload;
}

static void untagged(void **state)
{
	uint8_t buf[64];
	uint16_t t[] = { 0x0800 };
	size_t len = build(buf, t, 1, 20);
	struct frame f;

	(void)state;
	assert_int_equal(frame_parse(buf, len, NULL, &f), FRAME_OK);
	assert_false(frame_is_tagged(&f));
	assert_int_equal(f.ethertype, 0x0800);
	assert_int_equal(f.body_off, 12);
	assert_ptr_equal(f.dst, buf);
	assert_ptr_equal(f.src, buf + 6);
	assert_true(mac_is_multicast(f.dst));
	assert_false(mac_is_multicast(f.src));
	assert_int_equal(f.inner_tags, 0);
}

static void tagged_in_band(void **state)
{
	uint8_t buf[64];
	uint16_t t[] = { 0x8100, 0x600a, 0x86dd }; /* PCP 3, VID 10 */
	size_t len = build(buf, t, 3, 10);
	struct frame f;

	(void)state;
	assert_int_equal(frame_parse(buf, len, NULL, &f), FRAME_OK);
	assert_true(frame_is_tagged(&f));
	assert_true(f.outer_in_data);
	assert_int_equal(f.outer_tpid, 0x8100);
	assert_int_equal(frame_vid(&f), 10);
	assert_int_equal(f.outer_tci >> 13, 3);
	assert_int_equal(f.ethertype, 0x86dd);
	assert_int_equal(f.body_off, 16);
}

static void tagged_out_of_band(void **state)
{
	uint8_t buf[64];
	uint16_t t[] = { 0x0806 };
	size_t len = build(buf, t, 1, 28);
	struct frame_accel acc = { true, 0, 20 };
	struct frame f;

	(void)state;
	assert_int_equal(frame_parse(buf, len, &acc, &f), FRAME_OK);
	assert_true(frame_is_tagged(&f));
	assert_false(f.outer_in_data);
	assert_int_equal(f.outer_tpid, 0x8100); /* tpid not reported: 802.1Q */
	assert_int_equal(frame_vid(&f), 20);
	assert_int_equal(f.body_off, 12);
	acc.tpid = 0x88a8;
	assert_int_equal(frame_parse(buf, len, &acc, &f), FRAME_OK);
	assert_int_equal(f.outer_tpid, 0x88a8);
	/* accel not present: untagged */
	acc.present = false;
	assert_int_equal(frame_parse(buf, len, &acc, &f), FRAME_OK);
	assert_false(frame_is_tagged(&f));
}

static void double_tagged(void **state)
{
	uint8_t buf[64];
	uint16_t t[] = { 0x8100, 0x0001, 0x8100, 0x0014, 0x0800 };
	size_t len = build(buf, t, 5, 20);
	struct frame_accel acc = { true, 0x8100, 5 };
	struct frame f;

	(void)state;
	assert_int_equal(frame_parse(buf, len, NULL, &f), FRAME_OK);
	assert_int_equal(frame_vid(&f), 1);
	assert_int_equal(f.inner_tags, 1);
	assert_int_equal(f.ethertype, 0x0800);
	/* The kernel took the outer tag out: the in-band ones are inner. */
	assert_int_equal(frame_parse(buf, len, &acc, &f), FRAME_OK);
	assert_int_equal(frame_vid(&f), 5);
	assert_int_equal(f.inner_tags, 2);
	assert_int_equal(f.body_off, 12);
	/* An S-tag outside a C-tag. */
	uint16_t q[] = { 0x88a8, 0x0064, 0x8100, 0x0014, 0x0800 };

	len = build(buf, q, 5, 0);
	assert_int_equal(frame_parse(buf, len, NULL, &f), FRAME_OK);
	assert_int_equal(f.outer_tpid, 0x88a8);
	assert_int_equal(frame_vid(&f), 100);
	assert_int_equal(f.inner_tags, 1);
}

static void truncated(void **state)
{
	uint8_t buf[64];
	uint16_t t[] = { 0x8100, 0x000a, 0x8100, 0x0014, 0x0800 };
	size_t len = build(buf, t, 5, 0);
	struct frame f;

	(void)state;
	assert_int_equal(frame_parse(buf, 0, NULL, &f), FRAME_TRUNCATED);
	assert_int_equal(frame_parse(buf, 13, NULL, &f), FRAME_TRUNCATED);
	/* Every cut inside the tags is caught. */
	for (size_t n = 14; n < len; n++)
		if (n != 14)
			assert_int_equal(frame_parse(buf, n, NULL, &f), n >= len ? FRAME_OK : FRAME_TRUNCATED);
	assert_int_equal(frame_parse(buf, len, NULL, &f), FRAME_OK);
	/* A bare 14-byte frame whose type is a TPID lacks its TCI. */
	assert_int_equal(frame_parse(buf, 14, NULL, &f), FRAME_TRUNCATED);
	uint16_t u[] = { 0x0800 };

	len = build(buf, u, 1, 0);
	assert_int_equal(frame_parse(buf, len, NULL, &f), FRAME_OK);
}

static void link_local_and_zero(void **state)
{
	uint8_t stp[6] = { 0x01, 0x80, 0xc2, 0, 0, 0 }, lldp[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e };
	uint8_t other[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x10 }, zero[6] = { 0 };

	(void)state;
	assert_true(mac_is_link_local(stp));
	assert_true(mac_is_link_local(lldp));
	assert_false(mac_is_link_local(other));
	assert_true(mac_is_zero(zero));
	assert_false(mac_is_zero(stp));
}

static void vnet_shift(void **state)
{
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
				    .hdr_len = 66,
				    .gso_size = 1448,
				    .csum_start = 34,
				    .csum_offset = 16 };
	struct virtio_net_hdr before;

	(void)state;
	assert_true(frame_vnet_shift(&h, 4)); /* tag pushed */
	assert_int_equal(h.csum_start, 38);
	assert_int_equal(h.hdr_len, 70);
	assert_int_equal(h.gso_size, 1448); /* segments keep their size */
	assert_int_equal(h.csum_offset, 16);
	assert_true(frame_vnet_shift(&h, -4)); /* and popped */
	assert_int_equal(h.csum_start, 34);
	assert_int_equal(h.hdr_len, 66);
	/* Without NEEDS_CSUM, csum_start means nothing and stays. */
	h.flags = 0;
	h.csum_start = 0;
	assert_true(frame_vnet_shift(&h, -4));
	assert_int_equal(h.csum_start, 0);
	assert_int_equal(h.hdr_len, 62);
	/* hdr_len 0 (unknown) stays 0. */
	h.hdr_len = 0;
	assert_true(frame_vnet_shift(&h, 4));
	assert_int_equal(h.hdr_len, 0);
	/* A shift that would put the checksum inside the Ethernet header
	 * is refused and leaves the header alone. */
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h.csum_start = 16;
	h.hdr_len = 54;
	before = h;
	assert_false(frame_vnet_shift(&h, -4));
	assert_memory_equal(&h, &before, sizeof(h));
}

static void vnet_valid(void **state)
{
	struct virtio_net_hdr h = { 0 };

	(void)state;
	assert_true(frame_vnet_valid(&h, 60));
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h.csum_start = 34;
	h.csum_offset = 16;
	assert_true(frame_vnet_valid(&h, 52));
	assert_false(frame_vnet_valid(&h, 51));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	assert_false(frame_vnet_valid(&h, 9000)); /* no gso_size */
	h.gso_size = 1428;
	assert_true(frame_vnet_valid(&h, 9000));
	h.gso_type = 0x42;
	assert_false(frame_vnet_valid(&h, 9000));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN;
	assert_true(frame_vnet_valid(&h, 9000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(untagged),
		cmocka_unit_test(tagged_in_band),
		cmocka_unit_test(tagged_out_of_band),
		cmocka_unit_test(double_tagged),
		cmocka_unit_test(truncated),
		cmocka_unit_test(link_local_and_zero),
		cmocka_unit_test(vnet_shift),
		cmocka_unit_test(vnet_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
