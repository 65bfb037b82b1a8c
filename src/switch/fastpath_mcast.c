// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/fastpath_mcast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "switch/fastpath_bpf.h"
#include "switch/sw.h"

struct fpm_flow {
	struct fp_mkey key;
	uint16_t in, vid;
	uint32_t n;
	uint16_t *out;           /* port indexes, n of them */
	uint32_t active;         /* when it last carried traffic (or was made) */
	uint64_t packets, bytes; /* the kernel's counters as last read */
};

struct fp_mcast {
	struct fpm_flow *flows; /* [max], the first n in use */
	uint32_t n, max;
	struct fp_mflow *value; /* scratch: one map value (4 KiB) */
	bool full_said;
};

int fpm_new(uint32_t max, struct fp_mcast **out)
{
	struct fp_mcast *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return err_set(-ENOMEM, "fast path: multicast flows");
	m->max = max;
	m->flows = calloc(max, sizeof(*m->flows));
	m->value = calloc(1, sizeof(*m->value));
	if (!m->flows || !m->value) {
		fpm_free(m);
		return err_set(-ENOMEM, "fast path: multicast flows");
	}
	*out = m;
	return 0;
}

void fpm_free(struct fp_mcast *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->n; i++)
		free(m->flows[i].out);
	free(m->flows);
	free(m->value);
	free(m);
}

static bool tagged_out(const struct port *o, uint16_t vid)
{
	return vlan_egress(&o->vlan, vid) == VLAN_OUT_TAGGED;
}

void fpm_offer(struct fp_mcast *m, const struct fp_bpf *b, struct sw *sw, const struct port *in,
	       uint16_t vid, bool tagged, const uint8_t src[6], const uint8_t group[16],
	       const uint16_t *outs, uint32_t n, uint32_t now)
{
	struct fp_mkey k = { .ifindex = (uint32_t)in->ifindex, .tag = tagged ? FP_TAG(vid) : 0 };
	struct fpm_flow *f;
	int rc;

	if (m->n >= m->max || !n || n > FP_FLOOD_MAX || !in->fast)
		return;
	memcpy(k.src, src, 6);
	memcpy(k.group, group, 16);
	for (uint32_t i = 0; i < m->n; i++)
		if (!memcmp(&m->flows[i].key, &k, sizeof(k)))
			return;
	memset(m->value, 0, sizeof(*m->value));
	if (!fp_flood_fill(&m->value->list, sw, vid, outs, n, in) || m->value->list.n != n)
		return;
	f = &m->flows[m->n];
	*f = (struct fpm_flow){ .key = k, .in = in->index, .vid = vid, .n = n, .active = now };
	f->out = malloc(n * sizeof(*f->out));
	if (!f->out)
		return;
	memcpy(f->out, outs, n * sizeof(*f->out));
	rc = fp_bpf_mcast_set(b, &k, m->value);
	if (rc) {
		free(f->out);
		if (!m->full_said)
			log_warn("fast path: offloading a multicast flow: %s", strerror(-rc));
		m->full_said = true;
		return;
	}
	m->n++;
}

/* Fold what the kernel counted for f since the last look into the ports'
 * counters, as the switch would have counted those frames. */
static bool fold(struct fp_mcast *m, const struct fp_bpf *b, struct sw *sw, struct fpm_flow *f,
		 uint64_t *packets, uint64_t *bytes)
{
	struct port *in = sw_port_at(sw, f->in);
	uint64_t dp, db;

	if (fp_bpf_mcast_get(b, &f->key, m->value))
		return false;
	dp = m->value->packets - f->packets;
	db = m->value->bytes - f->bytes;
	f->packets = m->value->packets;
	f->bytes = m->value->bytes;
	if (!dp)
		return false;
	*packets += dp;
	*bytes += db;
	if (in && (uint32_t)in->ifindex == f->key.ifindex) {
		in->st.rx_packets += dp;
		in->st.rx_bytes += db + (f->key.tag ? FRAME_TAG_LEN * dp : 0);
	}
	/* The kernel counts the bytes without the out-of-band tag. */
	for (uint32_t i = 0; i < f->n; i++) {
		struct port *o = sw_port_at(sw, f->out[i]);

		if (!o)
			continue;
		o->st.tx_packets += dp;
		o->st.tx_bytes += db + (tagged_out(o, f->vid) ? FRAME_TAG_LEN * dp : 0);
	}
	return true;
}

static void drop(struct fp_mcast *m, const struct fp_bpf *b, uint32_t i)
{
	fp_bpf_mcast_del(b, &m->flows[i].key);
	free(m->flows[i].out);
	m->flows[i] = m->flows[--m->n];
	m->full_said = false;
}

void fpm_flush(struct fp_mcast *m, const struct fp_bpf *b, struct sw *sw, uint64_t *packets,
	       uint64_t *bytes)
{
	while (m && m->n) {
		fold(m, b, sw, &m->flows[m->n - 1], packets, bytes);
		drop(m, b, m->n - 1);
	}
}

void fpm_poll(struct fp_mcast *m, const struct fp_bpf *b, struct sw *sw, uint32_t now,
	      uint32_t idle, uint64_t *packets, uint64_t *bytes)
{
	for (uint32_t i = 0; m && i < m->n;) {
		struct fpm_flow *f = &m->flows[i];

		if (fold(m, b, sw, f, packets, bytes)) {
			f->active = now;
			/* the source is alive where the flow says */
			fdb_learn(sw->fdb, f->vid, f->key.src, f->in, now);
		} else if (now > f->active && now - f->active >= idle) {
			drop(m, b, i);
			continue;
		}
		i++;
	}
}

uint32_t fpm_count(const struct fp_mcast *m)
{
	return m ? m->n : 0;
}

void fpm_foreach(const struct fp_mcast *m, uint32_t now,
		 void (*fn)(const struct fp_mflow_info *f, void *arg), void *arg)
{
	for (uint32_t i = 0; m && i < m->n; i++) {
		const struct fpm_flow *f = &m->flows[i];
		struct fp_mflow_info fi = { .in = f->in, .vid = f->vid, .in_tagged = f->key.tag != 0,
					    .out = f->out, .n = f->n, .packets = f->packets,
					    .bytes = f->bytes,
					    .idle = now > f->active ? now - f->active : 0 };

		memcpy(fi.src, f->key.src, 6);
		memcpy(fi.group, f->key.group, 16);
		fn(&fi, arg);
	}
}
