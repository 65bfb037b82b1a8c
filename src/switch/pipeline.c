// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/pipeline.h"

#include <string.h>

#include "switch/port.h"
#include "switch/sw.h"

static void queue_port(struct sw *sw, struct port *out)
{
	if (!out->tx_queued) {
		out->tx_queued = true;
		sw->txq[sw->n_txq++] = out;
	}
}

void pl_output_vlan(struct sw *sw, const struct pl_pkt *pkt, struct port *out, uint16_t vid)
{
	enum vlan_out eo = vlan_egress(&out->vlan, vid);
	const struct frame *f = &pkt->fr;
	struct virtio_net_hdr vn;
	uint8_t hdr[16];
	unsigned hl;
	int delta;

	if (eo == VLAN_OUT_NONE || out->txfd < 0)
		return;
	/* Out of a trunk untagged (its native VLAN), a frame with a tag inside
	 * would have that tag outermost on the next link: VLAN hopping, from
	 * a trunk whose VLAN is another trunk's native one. The ingress check
	 * (vlan_ingress) covers the ingress trunk's native VLAN only. */
	if (eo == VLAN_OUT_UNTAGGED && f->inner_tags && out->vlan.mode == VLAN_MODE_TRUNK) {
		pkt->in->st.drops[DROP_DOUBLE_TAGGED]++;
		return;
	}
	if (!port_can_send(out)) {
		out->st.drops[DROP_TX_DOWN]++;
		return;
	}
	if (!vlan_rewrite_needed(f, vid, eo)) {
		port_tx_raw(out, (const uint8_t *)pkt->vnet, pkt->len);
	} else {
		hl = vlan_out_header(f, vid, eo, hdr, &delta);
		memcpy(&vn, pkt->vnet, sizeof(vn));
		if (!frame_vnet_shift(&vn, delta)) {
			out->st.tx_errors++;
			return;
		}
		port_tx_rewritten(out, &vn, hdr, hl, pkt->data + f->body_off, pkt->len - f->body_off);
	}
	queue_port(sw, out);
}

/* Out of a port with the bytes as they were received: the tag the kernel
 * took out of band goes back in. */
static void output_raw(struct sw *sw, const struct pl_pkt *pkt, struct port *out)
{
	const struct frame *f = &pkt->fr;

	if (!out || out == pkt->in || out->txfd < 0)
		return;
	if (!port_can_send(out)) {
		out->st.drops[DROP_TX_DOWN]++;
		return;
	}
	if (!frame_is_tagged(f) || f->outer_in_data) {
		port_tx_raw(out, (const uint8_t *)pkt->vnet, pkt->len);
	} else {
		struct virtio_net_hdr vn;
		uint8_t hdr[16];

		memcpy(hdr, pkt->data, FRAME_MACS_LEN);
		hdr[12] = (uint8_t)(f->outer_tpid >> 8);
		hdr[13] = (uint8_t)f->outer_tpid;
		hdr[14] = (uint8_t)(f->outer_tci >> 8);
		hdr[15] = (uint8_t)f->outer_tci;
		memcpy(&vn, pkt->vnet, sizeof(vn));
		if (!frame_vnet_shift(&vn, FRAME_TAG_LEN)) {
			out->st.tx_errors++;
			return;
		}
		port_tx_rewritten(out, &vn, hdr, sizeof(hdr), pkt->data + FRAME_MACS_LEN,
				  pkt->len - FRAME_MACS_LEN);
	}
	queue_port(sw, out);
}

void pl_process(struct sw *sw, struct pl_pkt *pkt, uint32_t now)
{
	struct pl_action acts[PL_MAX_ACTIONS];
	unsigned n;

	if (!sw->hook.classify) {
		normal_process(sw, pkt, now);
		return;
	}
	n = sw->hook.classify(sw->hook.arg, pkt, acts, PL_MAX_ACTIONS);
	for (unsigned i = 0; i < n && i < PL_MAX_ACTIONS; i++) {
		switch (acts[i].type) {
		case PL_ACT_NORMAL:
			normal_process(sw, pkt, now);
			break;
		case PL_ACT_OUTPUT:
			if (acts[i].port < sw->max_index)
				output_raw(sw, pkt, sw->ports[acts[i].port]);
			break;
		case PL_ACT_FLOOD:
			for (unsigned k = 0; k < sw->max_index; k++)
				output_raw(sw, pkt, sw->ports[k]);
			break;
		case PL_ACT_DROP:
			break;
		}
	}
}

void pl_flush(struct sw *sw)
{
	for (unsigned i = 0; i < sw->n_txq; i++) {
		struct port *p = sw->txq[i];

		port_tx_flush(p);
		p->tx_queued = false;
		if (p->tx_errno)
			sw->gone++;
	}
	sw->n_txq = 0;
}

/* One received frame: its slot, and when the slot holds it cut short
 * (TP_STATUS_COPY), the whole frame read from the socket's queue. */
static void rx_one(struct sw *sw, struct port *in, struct tpacket2_hdr *h, uint8_t *big,
		   uint32_t big_len, uint32_t now)
{
	uint32_t st = h->tp_status;
	struct frame_accel acc = {
		.present = (st & TP_STATUS_VLAN_VALID) != 0,
		.tpid = (st & TP_STATUS_VLAN_TPID_VALID) ? h->tp_vlan_tpid : 0,
		.tci = h->tp_vlan_tci,
	};
	struct pl_pkt pkt;

	in->st.rx_packets++;
	in->st.rx_bytes += h->tp_len + (acc.present ? FRAME_TAG_LEN : 0);
	pkt.in = in;
	if (st & TP_STATUS_COPY) {
		/* The whole frame came through the queue: it must be the
		 * length the slot announced. */
		if (!big || big_len != PORT_VNET_LEN + h->tp_len) {
			in->st.rx_errors++;
			return;
		}
		pkt.vnet = (struct virtio_net_hdr *)big;
		pkt.data = big + PORT_VNET_LEN;
		pkt.len = h->tp_len;
	} else {
		/* Cut short without a copy queued (the queue was full): it
		 * cannot be forwarded whole. */
		if (h->tp_snaplen < h->tp_len || h->tp_mac < sizeof(*h) + PORT_VNET_LEN ||
		    (size_t)h->tp_mac + h->tp_snaplen > PORT_FRAME_SIZE) {
			in->st.rx_errors++;
			return;
		}
		pkt.data = (uint8_t *)h + h->tp_mac;
		pkt.len = h->tp_snaplen;
		pkt.vnet = (struct virtio_net_hdr *)(pkt.data - PORT_VNET_LEN);
	}
	if (frame_parse(pkt.data, pkt.len, &acc, &pkt.fr) != FRAME_OK ||
	    !frame_vnet_valid(pkt.vnet, pkt.len)) {
		in->st.rx_errors++;
		return;
	}
	pl_process(sw, &pkt, now);
}

unsigned pl_rx_batch(struct sw *sw, struct port *in, uint32_t now)
{
	struct tpacket2_hdr *slots[PORT_BATCH];
	uint32_t big_lens[PORT_BIG_MAX];
	uint32_t head = in->head, first = in->head;
	unsigned n = 0, copies = 0, got = 0, b = 0;

	/* Held slots still read as ready: stop short of wrapping onto them. */
	while (n < PORT_BATCH && copies < PORT_BIG_MAX && n + in->held_n < in->frame_nr) {
		struct tpacket2_hdr *h = port_slot(in, head);

		if (!port_slot_ready(h))
			break;
		slots[n++] = h;
		if (h->tp_status & TP_STATUS_COPY)
			copies++;
		head = head + 1 == in->frame_nr ? 0 : head + 1;
	}
	if (!n)
		return 0;
	if (copies)
		got = port_rx_big(in, sw->big, big_lens, copies);
	for (unsigned i = 0; i < n; i++) {
		if (slots[i]->tp_status & TP_STATUS_COPY) {
			rx_one(sw, in, slots[i], b < got ? sw->big[b] : NULL, b < got ? big_lens[b] : 0, now);
			b++;
		} else {
			rx_one(sw, in, slots[i], NULL, 0, now);
		}
	}
	in->head = head;
	if (copies) {
		/* The big frames' buffers serve the next batch: send now. The
		 * sends copy the frames (packet_snd), so the slots can go back
		 * right after. */
		pl_round_end(sw);
		for (unsigned i = 0; i < n; i++)
			port_slot_release(slots[i]);
		return n;
	}
	if (!in->held_n)
		in->held_start = first;
	in->held_n += n;
	if (!in->held_queued) {
		in->held_queued = true;
		sw->rxq[sw->n_rxq++] = in;
	}
	/* Never hold more than half a ring: the kernel needs room meanwhile. */
	if (in->held_n >= in->frame_nr / 2)
		pl_round_end(sw);
	return n;
}

void pl_round_end(struct sw *sw)
{
	pl_flush(sw);
	for (unsigned i = 0; i < sw->n_rxq; i++) {
		struct port *p = sw->rxq[i];
		uint32_t k = p->held_start;

		for (uint32_t j = 0; j < p->held_n; j++) {
			port_slot_release(port_slot(p, k));
			k = k + 1 == p->frame_nr ? 0 : k + 1;
		}
		p->held_n = 0;
		p->held_queued = false;
	}
	sw->n_rxq = 0;
}
