// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The frame parser, the VLAN rules and the NORMAL pipeline on arbitrary
 * bytes with an arbitrary vnet header and out-of-band tag. Input layout:
 *
 *   [0..9]   virtio_net_hdr as a ring slot would hold it
 *   [10]     ingress port (mod 4)
 *   [11]     bit 0: the kernel reported an out-of-band tag; bit 1: its
 *            TPID is given
 *   [12..13] that tag's TPID, [14..15] its TCI
 *   [16..]   the frame's bytes
 *
 * Ports (datagram socketpairs standing in for packet sockets): p0, p1
 * access VLAN 1, p2 trunk 10,20 native 1, p3 trunk 10 without native.
 * Whatever is sent is read back and checked: it is never shorter than an
 * Ethernet header and its vnet offsets stay inside it. MLD and IGMP
 * snooping are on, so IPv6 and IPv4 multicast go through the MLD and IGMP
 * parsers and the mdb (snoop.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "switch/pipeline.h"
#include "switch/snoop.h"
#include "switch/sw.h"

#define NPORTS 4

static struct sw *sw;
static int peer[NPORTS];

static void setup(void)
{
	uint16_t vids[] = { 10, 20 };

	sw = sw_new("fuzz", 256, 300);
	if (!sw)
		abort();
	for (int i = 0; i < NPORTS; i++) {
		struct port *p = calloc(1, sizeof(*p));
		int sp[2];

		if (!p || socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sp))
			abort();
		p->fd = -1;
		p->txfd = sp[0];
		peer[i] = sp[1];
		p->index = (uint16_t)i;
		sw->ports[i] = p;
	}
	vlan_port_access(&sw->ports[0]->vlan, 1);
	vlan_port_access(&sw->ports[1]->vlan, 1);
	vlan_port_trunk(&sw->ports[2]->vlan, vids, 2, 1);
	vlan_port_trunk(&sw->ports[3]->vlan, vids, 1, 0);
	sw->n_ports = sw->max_index = NPORTS;
	if (sw_rebuild(sw) || sw_set_snooping(sw, AF_INET6, true) || sw_set_snooping(sw, AF_INET, true))
		abort();
}

static void drain(void)
{
	static uint8_t buf[70000];

	for (int i = 0; i < NPORTS; i++) {
		ssize_t n;

		while ((n = recv(peer[i], buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
			struct virtio_net_hdr vn;

			if ((size_t)n < sizeof(vn) + 12)
				abort();
			memcpy(&vn, buf, sizeof(vn));
			if ((vn.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
			    (size_t)vn.csum_start + vn.csum_offset + 2 > (size_t)n - sizeof(vn))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t slot[sizeof(struct virtio_net_hdr) + 65536];
	struct frame_accel acc;
	struct pl_pkt pkt = { 0 };
	size_t len;

	if (!sw)
		setup();
	if (size < 16)
		return 0;
	len = size - 16;
	if (len > 65536)
		len = 65536;
	memcpy(slot, data, sizeof(struct virtio_net_hdr));
	memcpy(slot + sizeof(struct virtio_net_hdr), data + 16, len);
	acc.present = data[11] & 1;
	acc.tpid = (data[11] & 2) ? (uint16_t)(data[12] << 8 | data[13]) : 0;
	acc.tci = (uint16_t)(data[14] << 8 | data[15]);

	pkt.in = sw->ports[data[10] % NPORTS];
	pkt.vnet = (struct virtio_net_hdr *)slot;
	pkt.data = slot + sizeof(struct virtio_net_hdr);
	pkt.len = (uint32_t)len;
	/* As the receive path: only frames that parse and whose vnet header
	 * fits them enter the pipeline. */
	if (frame_parse(pkt.data, pkt.len, &acc, &pkt.fr) != FRAME_OK)
		return 0;
	if (pkt.fr.body_off > pkt.len || pkt.fr.len != pkt.len)
		abort();
	if (!frame_vnet_valid(pkt.vnet, pkt.len))
		return 0;
	/* time moves with the input so aging is exercised too */
	pl_process(sw, &pkt, data[15]);
	pl_flush(sw);
	drain();
	if (data[14] == 0xff) {
		fdb_age(sw->fdb, 100000);
		snoop_tick(sw, 100000u + data[13]);
		drain();
	}
	return 0;
}
