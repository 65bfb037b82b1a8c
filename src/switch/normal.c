// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NORMAL: the learning switch. 802.1Q ingress rules decide the frame's
 * VLAN; the source address is learned in that VLAN; a known unicast
 * destination goes out of its port, anything else floods to the VLAN's
 * other member ports; each output applies that port's egress rules.
 */
#include "switch/fastpath.h"
#include "switch/pipeline.h"
#include "switch/snoop.h"
#include "switch/sw.h"

static const enum drop_reason vlan_drop[] = {
	[VLAN_DROP_TAGGED_ON_ACCESS] = DROP_TAGGED_ON_ACCESS,
	[VLAN_DROP_NOT_ALLOWED] = DROP_VLAN_NOT_ALLOWED,
	[VLAN_DROP_NO_NATIVE] = DROP_UNTAGGED_NO_NATIVE,
	[VLAN_DROP_BAD_TPID] = DROP_BAD_TPID,
	[VLAN_DROP_DOUBLE_TAGGED] = DROP_DOUBLE_TAGGED,
};

/* Whether the kernel flooded this broadcast already (fp_floods_sync). Its
 * program floods exactly what it can key (fastpath_bpf.c, emit_tag_key):
 * no tag, or an 802.1Q tag the kernel took out of band, and no tag left in
 * the bytes; everything else (a double-tagged frame, an 802.1ad outer tag)
 * it passes up for the switch to flood. */
static bool kernel_flooded(const struct port *in, const struct frame *f, uint16_t vid)
{
	if (f->inner_tags)
		return false;
	if (!frame_is_tagged(f))
		return in->kflood;
	return !f->outer_in_data && f->outer_tpid == ETHERTYPE_VLAN && in->kflood_tagged &&
	       ((in->kflood_tagged[vid >> 6] >> (vid & 63)) & 1);
}

void normal_process(struct sw *sw, const struct pl_pkt *pkt, uint32_t now)
{
	struct port *in = pkt->in;
	const struct frame *f = &pkt->fr;
	enum vlan_verdict v;
	uint16_t vid = 0, out;
	unsigned sent = 0;

	v = vlan_ingress(&in->vlan, f, &vid);
	if (v != VLAN_PASS) {
		in->st.drops[vlan_drop[v]]++;
		return;
	}
	if (mac_is_link_local(f->dst)) {
		in->st.drops[DROP_LINK_LOCAL]++;
		return;
	}
	/* As br_handle_frame: a group or all-zero source is not a station. */
	if (mac_is_multicast(f->src) || mac_is_zero(f->src)) {
		in->st.drops[DROP_BAD_SOURCE]++;
		return;
	}
	/* A station that moved takes the flows through its old port with it. */
	if (fdb_learn(sw->fdb, vid, f->src, in->index, now) == FDB_MOVED && sw->fastpath)
		fp_validate(sw->fastpath, sw, now);

	if (!mac_is_multicast(f->dst)) {
		struct port *o;

		out = fdb_lookup(sw->fdb, vid, f->dst, now);
		if (out == in->index) {
			in->st.drops[DROP_LOOPBACK]++;
			return;
		}
		/* FDB_NO_PORT is past every table: no port either. */
		o = sw_port_at(sw, out);
		if (o) {
			pl_output_vlan(sw, pkt, o, vid);
			/* The kernel can take this flow from here on, tag
			 * and all, unless its key cannot say what the tag is. */
			if (sw->fastpath && in->fast && o->fast && vlan_kernel_keyable(f))
				fp_offer(sw->fastpath, in, o, vid, frame_is_tagged(f), f->src, f->dst,
					 now);
			return;
		}
	}
	/* Multicast to its group's listeners only, when known. */
	if (sw->snoop && f->dst[0] == 0x33 && f->dst[1] == 0x33 &&
	    snoop_forward(sw, sw->snoop, pkt, vid, now))
		return;
	if (sw->snoop4 && f->dst[0] == 0x01 && f->dst[1] == 0x00 && f->dst[2] == 0x5e &&
	    snoop_forward(sw, sw->snoop4, pkt, vid, now))
		return;
	/* A broadcast the kernel flooded already (fp_floods_sync): its
	 * copies are only counted. */
	if (sw->fastpath && mac_is_broadcast(f->dst) && kernel_flooded(in, f, vid)) {
		for (unsigned i = 0; i < sw->flood_n[vid]; i++) {
			struct port *o = sw->ports[sw->flood_ports[vid][i]];

			if (o == in || o->txfd < 0)
				continue;
			/* not in the kernel's list: fp_flood_fill leaves out the
			 * ports that are not up (a send error alone does not) */
			if (o->state != PORT_UP) {
				o->st.drops[DROP_TX_DOWN]++;
			} else {
				o->st.tx_packets++;
				o->st.tx_bytes += pkt->len;
				if (vlan_egress(&o->vlan, vid) == VLAN_OUT_TAGGED)
					o->st.tx_bytes += FRAME_TAG_LEN;
			}
		}
		fp_flooded(sw->fastpath);
		return;
	}
	/* Broadcast, multicast and unknown unicast: every other member of
	 * the VLAN. */
	for (unsigned i = 0; i < sw->flood_n[vid]; i++) {
		uint16_t k = sw->flood_ports[vid][i];

		if (k == in->index)
			continue;
		pl_output_vlan(sw, pkt, sw->ports[k], vid);
		sent++;
	}
	if (!sent)
		in->st.drops[DROP_NO_DESTINATION]++;
}
