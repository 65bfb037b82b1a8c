// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/fastpath.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "common/util.h"
#include "kernel/nl.h"
#include "kernel/tc.h"
#include "switch/fastpath_bpf.h"
#include "switch/fastpath_mcast.h"
#include "switch/sw.h"

struct fp_flow {
	struct fp_key key;
	struct fp_value act; /* out_ifindex, push, pop; counters unused */
	uint16_t in, out, vid;
	uint32_t active;         /* when it last carried traffic (or was made) */
	uint64_t packets, bytes; /* the kernel's counters as last read */
};

struct fastpath {
	struct fp_bpf bpf;
	struct nl *nl; /* the daemon's namespace, for the ports' tc hooks */
	struct fp_flow *flows; /* [max], the first n in use */
	uint32_t n, max;
	/* open addressing over flows: index + 1, 0 = empty; rebuilt on
	 * removal, which is rare next to lookups */
	uint32_t *tab;
	uint32_t mask, seed;
	bool full_said;
	uint64_t packets, bytes;
	uint64_t floods;       /* broadcasts the kernel flooded */
	struct fp_flood *list; /* scratch for fp_floods_sync */
	struct fp_mcast *mc;   /* multicast flows */
	/* ports hooked by fp_claim_ports whose attach is still to come */
	int *claimed;
	size_t n_claimed, cap_claimed;
};

static uint32_t key_hash(const struct fastpath *fp, const struct fp_key *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint32_t h = 2166136261u ^ fp->seed;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 16777619u;
	return h ^ (h >> 15);
}

static void tab_insert(struct fastpath *fp, uint32_t i)
{
	uint32_t s = key_hash(fp, &fp->flows[i].key) & fp->mask;

	while (fp->tab[s])
		s = (s + 1) & fp->mask;
	fp->tab[s] = i + 1;
}

static int tab_find(const struct fastpath *fp, const struct fp_key *k)
{
	for (uint32_t s = key_hash(fp, k) & fp->mask; fp->tab[s]; s = (s + 1) & fp->mask)
		if (!memcmp(&fp->flows[fp->tab[s] - 1].key, k, sizeof(*k)))
			return (int)fp->tab[s] - 1;
	return -1;
}

static void tab_rebuild(struct fastpath *fp)
{
	memset(fp->tab, 0, (size_t)(fp->mask + 1) * sizeof(*fp->tab));
	for (uint32_t i = 0; i < fp->n; i++)
		tab_insert(fp, i);
}

int fp_new(uint32_t max, struct fastpath **out)
{
	struct fastpath *fp = calloc(1, sizeof(*fp));
	uint32_t slots = 2;
	int rc;

	*out = NULL;
	if (!fp)
		return err_set(-ENOMEM, "fast path");
	fp->bpf.map_fd = fp->bpf.flood_fd = fp->bpf.mcast_fd = fp->bpf.tc_fd = fp->bpf.sock_fd = -1;
	fp->max = max ? max : FP_DEFAULT_FLOWS;
	while (slots < fp->max * 2)
		slots *= 2;
	fp->mask = slots - 1;
	fp->flows = calloc(fp->max, sizeof(*fp->flows));
	fp->tab = calloc(slots, sizeof(*fp->tab));
	fp->list = calloc(1, sizeof(*fp->list));
	if (!fp->flows || !fp->tab || !fp->list) {
		rc = err_set(-ENOMEM, "fast path");
		goto fail;
	}
	fp->seed = (uint32_t)hash_seed();
	rc = fp_bpf_open(&fp->bpf, fp->max);
	if (!rc)
		rc = fpm_new(FP_MCAST_FLOWS, &fp->mc);
	if (!rc)
		rc = nl_open(&fp->nl);
	if (rc)
		goto fail;
	*out = fp;
	return 0;
fail:
	fp_free(fp);
	return rc;
}

void fp_free(struct fastpath *fp)
{
	if (!fp)
		return;
	nl_close(fp->nl);
	fpm_free(fp->mc);
	fp_bpf_close(&fp->bpf);
	free(fp->flows);
	free(fp->tab);
	free(fp->list);
	free(fp->claimed);
	free(fp);
}

static void queue_hook_at(struct fastpath *fp, const char *name, int ifindex)
{
	char label[64];

	snprintf(label, sizeof(label), "%s: fast path", name);
	/* A qdisc left by a daemon that was killed is kept: the filter
	 * replaces its program (and with it the stale flows' map) at the same
	 * priority and handle. No deletion first: once an interface has had
	 * a clsact qdisc, deleting one that is not there fails with EINVAL
	 * ("Invalid handle"), not ENOENT, which would fail the whole hook of
	 * a port put back after a reload or by another daemon. */
	tc_clsact_add(fp->nl, ifindex, label);
	tc_ingress_bpf(fp->nl, ifindex, fp->bpf.tc_fd, "nslab-switchd", label);
}

/* Whether p was hooked by fp_claim_ports (and is no more waiting). */
static bool claimed_take(struct fastpath *fp, const struct port *p)
{
	for (size_t i = 0; i < fp->n_claimed; i++)
		if (fp->claimed[i] == p->ifindex) {
			fp->claimed[i] = fp->claimed[--fp->n_claimed];
			return true;
		}
	return false;
}

static void queue_hook(struct fastpath *fp, const struct port *p)
{
	if (!claimed_take(fp, p))
		queue_hook_at(fp, p->name, p->ifindex);
}

void fp_claim_ports(struct fastpath *fp, const char *const *names, size_t n)
{
	struct nl *nl = fp ? fp->nl : NULL;

	if (!n || (!nl && nl_open(&nl))) {
		err_clear();
		return;
	}
	if (fp && fp->n_claimed + n > fp->cap_claimed) {
		int *v = realloc(fp->claimed, (fp->n_claimed + n) * sizeof(*v));

		if (v) {
			fp->claimed = v;
			fp->cap_claimed = fp->n_claimed + n;
		}
	}
	for (size_t i = 0; i < n; i++) {
		int ifindex = (int)if_nametoindex(names[i]);
		char label[64];

		if (!ifindex)
			continue;
		if (!fp) {
			snprintf(label, sizeof(label), "%s: stale fast path", names[i]);
			tc_clsact_del(nl, ifindex, label);
		} else if (fp->n_claimed < fp->cap_claimed) {
			/* ours now, with no flows: every frame goes up to the
			 * socket about to be opened, none by the old flows */
			queue_hook_at(fp, names[i], ifindex);
			fp->claimed[fp->n_claimed++] = ifindex;
		}
	}
	/* Failures are the attach's to see: it hooks again what did not
	 * take. (Without the fast path, "Invalid handle" where an interface
	 * has had a qdisc and has none: nothing to take off either.) */
	if (nl_flush(nl) && fp)
		fp->n_claimed = 0;
	if (!fp)
		nl_close(nl);
	err_clear();
}

void fp_claims_done(struct fastpath *fp)
{
	if (fp)
		fp->n_claimed = 0;
}

static int hook_socket(struct fastpath *fp, struct port *p)
{
	if (setsockopt(p->fd, SOL_SOCKET, SO_ATTACH_BPF, &fp->bpf.sock_fd, sizeof(fp->bpf.sock_fd)))
		return err_set(-errno, "%s: fast path: socket filter", p->name);
	return 0;
}

int fp_port_attach(struct fastpath *fp, struct port *p)
{
	char label[64];
	int rc;

	queue_hook(fp, p);
	rc = nl_flush(fp->nl);
	if (!rc)
		rc = hook_socket(fp, p);
	if (rc) {
		/* Undo what went in, keeping the words of what failed. */
		char *why = strdup(err_text(rc));

		snprintf(label, sizeof(label), "%s: fast path", p->name);
		tc_clsact_del(fp->nl, p->ifindex, label);
		nl_flush(fp->nl);
		err_msg(rc, "%s", why ? why : "fast path");
		free(why);
	}
	p->fast = !rc;
	return rc;
}

void fp_ports_attach(struct fastpath *fp, struct port **ports, size_t n)
{
	/* One batch for all: a thousand ports hooked in milliseconds. */
	for (size_t i = 0; i < n; i++)
		queue_hook(fp, ports[i]);
	if (nl_flush(fp->nl)) {
		/* Someone failed: find out who, one by one. */
		for (size_t i = 0; i < n; i++) {
			int rc = fp_port_attach(fp, ports[i]);

			if (rc)
				log_warn("%s", err_text(rc));
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = hook_socket(fp, ports[i]);

		ports[i]->fast = !rc;
		if (rc)
			log_warn("%s", err_text(rc));
	}
}

static bool fp_tagged_out(const struct fp_flow *f)
{
	return (f->key.tag && !f->act.pop) || f->act.push;
}

/* Fold what the kernel counted for f since the last look into the ports'
 * counters; whether it carried anything. */
static bool fold(struct fastpath *fp, struct sw *sw, struct fp_flow *f)
{
	struct port *in = sw_port_at(sw, f->in), *out = sw_port_at(sw, f->out);
	struct fp_value v;
	uint64_t dp, db;

	if (fp_bpf_lookup(&fp->bpf, &f->key, &v))
		return false;
	dp = v.packets - f->packets;
	db = v.bytes - f->bytes;
	f->packets = v.packets;
	f->bytes = v.bytes;
	if (!dp)
		return false;
	fp->packets += dp;
	fp->bytes += db;
	/* The kernel counts the bytes without the out-of-band tag; the
	 * switch counts a tagged frame with its tag. */
	if (in && (uint32_t)in->ifindex == f->key.ifindex) {
		in->st.rx_packets += dp;
		in->st.rx_bytes += db + (f->key.tag ? FRAME_TAG_LEN * dp : 0);
	}
	if (out && (uint32_t)out->ifindex == f->act.out_ifindex) {
		out->st.tx_packets += dp;
		out->st.tx_bytes += db + (fp_tagged_out(f) ? FRAME_TAG_LEN * dp : 0);
	}
	return true;
}

/* Drop flows for which keep() is false: their last counts folded in, then
 * out of the kernel's map. */
static void drop_flows(struct fastpath *fp, struct sw *sw,
		       bool (*keep)(const struct fp_flow *f, void *arg), void *arg)
{
	uint32_t w = 0;

	for (uint32_t i = 0; i < fp->n; i++) {
		if (keep(&fp->flows[i], arg)) {
			fp->flows[w++] = fp->flows[i];
			continue;
		}
		fold(fp, sw, &fp->flows[i]);
		fp_bpf_delete(&fp->bpf, &fp->flows[i].key);
	}
	if (w != fp->n) {
		fp->n = w;
		/* said again only once the table has had room for a while */
		if (fp->n < fp->max / 2)
			fp->full_said = false;
		tab_rebuild(fp);
	}
}

static bool not_on_port(const struct fp_flow *f, void *arg)
{
	const struct port *p = arg;

	return f->key.ifindex != (uint32_t)p->ifindex && f->act.out_ifindex != (uint32_t)p->ifindex;
}

/* Whether the kernel can flood VLAN vid's broadcasts: every member
 * hooked to the fast path, and not too many of them. */
static bool vlan_kernel_floods(const struct sw *sw, uint16_t vid)
{
	if (sw->flood_n[vid] < 2 || sw->flood_n[vid] > FP_FLOOD_MAX + 1)
		return false;
	for (unsigned i = 0; i < sw->flood_n[vid]; i++) {
		const struct port *p = sw->ports[sw->flood_ports[vid][i]];

		if (!p || !p->fast)
			return false;
	}
	return true;
}

bool fp_flood_fill(struct fp_flood *list, const struct sw *sw, uint16_t vid, const uint16_t *ports,
		   uint32_t n, const struct port *skip)
{
	list->n = 0;
	list->vid = vid;
	if (n > FP_FLOOD_MAX + 1)
		return false;
	for (int tagged = 1; tagged >= 0; tagged--)
		for (uint32_t k = 0; k < n; k++) {
			const struct port *o = sw_port_at(sw, ports[k]);

			if (!o || !o->fast)
				return false;
			/* a port that is down or has no carrier gets no copy,
			 * and NORMAL counts it as a tx-down drop */
			if (o == skip || o->state != PORT_UP ||
			    (vlan_egress(&o->vlan, vid) == VLAN_OUT_TAGGED) != tagged)
				continue;
			if (list->n == FP_FLOOD_MAX)
				return false;
			list->port[list->n++] = (uint32_t)o->ifindex | (tagged ? FP_FLOOD_TAGGED : 0);
		}
	return true;
}

/* Per VLAN, whether the kernel floods its broadcasts: 0 not yet known,
 * 1 it does, 2 it does not. */
static bool kernel_floods(uint8_t *known, const struct sw *sw, uint16_t vid)
{
	if (!known[vid])
		known[vid] = vlan_kernel_floods(sw, vid) ? 1 : 2;
	return known[vid] == 1;
}

static struct fp_fkey flood_key(const struct port *p, uint16_t tag)
{
	return (struct fp_fkey){ .ifindex = (uint32_t)p->ifindex, .tag = tag };
}

static int flood_set(struct fastpath *fp, const struct sw *sw, const struct port *p, uint16_t vid,
		     uint16_t tag)
{
	struct fp_fkey k = flood_key(p, tag);

	fp_flood_fill(fp->list, sw, vid, sw->flood_ports[vid], sw->flood_n[vid], p);
	return fp_bpf_flood_set(&fp->bpf, &k, fp->list);
}

/* The lists for a trunk's tagged broadcasts: one per VLAN it carries tagged
 * that the kernel floods; the others' go (known NULL: all of them). The
 * bitmap says which the kernel holds, for NORMAL to trust: a list that
 * could not be set is not in it. */
static int floods_sync_tagged(struct fastpath *fp, const struct sw *sw, struct port *p,
			      uint8_t *known)
{
	bool trunk = known && p->fast && p->vlan.mode == VLAN_MODE_TRUNK;
	uint64_t any = 0;
	int first = 0;

	if (!trunk && !p->kflood_tagged)
		return 0;
	if (!p->kflood_tagged) {
		p->kflood_tagged = calloc(VLAN_WORDS, sizeof(*p->kflood_tagged));
		if (!p->kflood_tagged)
			return -ENOMEM;
	}
	for (unsigned w = 0; w < VLAN_WORDS; w++) {
		uint64_t want = trunk ? p->vlan.allowed[w] : 0, bits = want | p->kflood_tagged[w];

		while (bits) {
			unsigned b = (unsigned)__builtin_ctzll(bits);
			uint16_t vid = (uint16_t)(w * 64 + b);
			uint64_t m = 1ull << b;
			struct fp_fkey k = flood_key(p, FP_TAG(vid));
			int rc;

			bits &= bits - 1;
			if ((want & m) && vid != p->vlan.native && vid <= VLAN_MAX_VID &&
			    kernel_floods(known, sw, vid)) {
				rc = flood_set(fp, sw, p, vid, FP_TAG(vid));
				if (!rc)
					p->kflood_tagged[w] |= m;
			} else {
				rc = (p->kflood_tagged[w] & m) ? fp_bpf_flood_del(&fp->bpf, &k) : 0;
				p->kflood_tagged[w] &= ~m;
			}
			if (rc && !first)
				first = rc;
		}
		any |= p->kflood_tagged[w];
	}
	if (!any) {
		free(p->kflood_tagged);
		p->kflood_tagged = NULL;
	}
	return first;
}

/* One port's lists, untagged and tagged (known NULL: remove them all). */
static void floods_sync_port(struct fastpath *fp, const struct sw *sw, struct port *p,
			     uint8_t *known)
{
	/* the VLAN of the port's untagged frames, if any */
	uint16_t vid = p->vlan.mode == VLAN_MODE_ACCESS ? p->vlan.vid : p->vlan.native;
	struct fp_fkey k = flood_key(p, 0);
	int rc = 0;

	if (known && vid && p->fast && kernel_floods(known, sw, vid)) {
		rc = flood_set(fp, sw, p, vid, 0);
		p->kflood = !rc;
	} else if (p->kflood) {
		rc = fp_bpf_flood_del(&fp->bpf, &k);
		p->kflood = false;
	}
	if (rc)
		log_warn("port %s: broadcasts flood through the switch: %s", p->name, strerror(-rc));
	rc = floods_sync_tagged(fp, sw, p, known);
	if (rc == -E2BIG)
		log_warn("port %s: some VLANs' tagged broadcasts flood through the switch: the "
			 "kernel holds at most %u flood lists", p->name, FP_FLOOD_LISTS);
	else if (rc)
		log_warn("port %s: some VLANs' tagged broadcasts flood through the switch: %s",
			 p->name, strerror(-rc));
}

void fp_floods_sync(struct fastpath *fp, struct sw *sw)
{
	static uint8_t known[VLAN_MAX_VID + 1];

	memset(known, 0, sizeof(known));
	for (unsigned i = 0; i < sw->max_index; i++)
		if (sw->ports[i])
			floods_sync_port(fp, sw, sw->ports[i], known);
}

void fp_port_detach(struct fastpath *fp, struct sw *sw, struct port *p, bool leaving)
{
	char label[64];
	uint32_t id;

	if (!p->fast)
		return;
	drop_flows(fp, sw, not_on_port, p);
	fpm_flush(fp->mc, &fp->bpf, sw, &fp->packets, &fp->bytes);
	snprintf(label, sizeof(label), "%s: fast path", p->name);
	/* A port moving to another switch of the lab may be hooked by that
	 * switch's daemon before this one lets it go: its program then is
	 * not ours, and stays. (The look costs a round trip, and sends what
	 * is queued: only for a port that leaves.) */
	if (!leaving || tc_ingress_bpf_id(fp->nl, p->ifindex, &id) || !id || !fp->bpf.tc_id ||
	    id == fp->bpf.tc_id)
		tc_clsact_del(fp->nl, p->ifindex, label);
	err_clear();
	p->fast = false;
	floods_sync_port(fp, sw, p, NULL);
}

void fp_flooded(struct fastpath *fp)
{
	fp->floods++;
}

void fp_commit(struct fastpath *fp)
{
	/* Unhooking ports that are gone, with their qdiscs, is no error. */
	if (fp && nl_flush(fp->nl))
		err_clear();
}

/* The flow's action for a frame that comes in on port in with tag (0 or
 * FP_TAG(vid)) and leaves by port out (vlan_path), and its VLAN in *vid.
 * False where the switch would not forward the frame so. */
static bool decide(const struct port *in, const struct port *out, uint16_t tag, uint16_t *vid,
		   struct fp_value *act)
{
	enum vlan_tag_op op;

	*act = (struct fp_value){ .out_ifindex = (uint32_t)out->ifindex };
	if (!vlan_path(&in->vlan, &out->vlan, tag != 0, tag & VLAN_VID_MASK, vid, &op))
		return false;
	act->pop = op == VLAN_TAG_POP;
	act->push = op == VLAN_TAG_PUSH ? *vid : 0;
	return true;
}

void fp_offer(struct fastpath *fp, const struct port *in, const struct port *out, uint16_t vid,
	      bool tagged, const uint8_t src[6], const uint8_t dst[6], uint32_t now)
{
	struct fp_key k = { .ifindex = (uint32_t)in->ifindex, .tag = tagged ? FP_TAG(vid) : 0 };
	struct fp_value v;
	struct fp_flow *f;
	uint16_t x;
	int rc;

	if (fp->n >= fp->max || in->state != PORT_UP || out->state != PORT_UP)
		return;
	memcpy(k.dst, dst, 6);
	memcpy(k.src, src, 6);
	if (tab_find(fp, &k) >= 0)
		return;
	if (!decide(in, out, k.tag, &x, &v) || x != vid)
		return;
	rc = fp_bpf_update(&fp->bpf, &k, &v);
	if (rc) {
		if (!fp->full_said)
			log_warn("fast path: offloading a flow: %s", strerror(-rc));
		fp->full_said = true;
		return;
	}
	f = &fp->flows[fp->n];
	*f = (struct fp_flow){ .key = k, .act = v, .in = in->index, .out = out->index, .vid = vid,
			       .active = now };
	tab_insert(fp, fp->n++);
	if (fp->n == fp->max && !fp->full_said) {
		log_info("fast path: the flow table is full (%u flows): new flows take the slow path "
			 "until idle ones go (1 s without traffic)", fp->max);
		fp->full_said = true;
	}
}

struct check_ctx {
	struct sw *sw;
	uint32_t now;
	uint32_t idle; /* seconds without traffic a flow may stay */
};

static bool agrees(const struct fp_flow *f, void *arg)
{
	const struct check_ctx *c = arg;
	const struct port *in = sw_port_at(c->sw, f->in), *out = sw_port_at(c->sw, f->out);
	struct fp_value act;
	uint16_t vid;

	/* A port down or without carrier takes its flows back: the kernel
	 * would drop their frames unseen, or count them as sent. */
	return in && out && in->state == PORT_UP && out->state == PORT_UP &&
	       (uint32_t)in->ifindex == f->key.ifindex &&
	       decide(in, out, f->key.tag, &vid, &act) && vid == f->vid &&
	       act.out_ifindex == f->act.out_ifindex && act.push == f->act.push &&
	       act.pop == f->act.pop &&
	       fdb_lookup(c->sw->fdb, f->vid, f->key.dst, c->now) == f->out &&
	       fdb_lookup(c->sw->fdb, f->vid, f->key.src, c->now) == f->in;
}

void fp_validate(struct fastpath *fp, struct sw *sw, uint32_t now)
{
	struct check_ctx c = { sw, now, 0 };

	if (fp && fp->n)
		drop_flows(fp, sw, agrees, &c);
}

/* Carried traffic within the idle limit, and still agrees with the FDB. */
static bool live(const struct fp_flow *f, void *arg)
{
	const struct check_ctx *c = arg;

	/* Callers' clocks differ by a tick: a stamp a little ahead is new. */
	return (c->now <= f->active || c->now - f->active < c->idle) && agrees(f, arg);
}

void fp_poll(struct fastpath *fp, struct sw *sw, uint32_t now)
{
	struct check_ctx c = { sw, now, FP_IDLE };

	if (!fp)
		return;
	for (uint32_t i = 0; i < fp->n; i++) {
		struct fp_flow *f = &fp->flows[i];

		if (!fold(fp, sw, f))
			continue;
		f->active = now;
		/* The source is alive where the flow says: what the slow path
		 * would have learned from these frames. */
		fdb_learn(sw->fdb, f->vid, f->key.src, f->in, now);
	}
	/* Idle flows make room for new ones: after FP_IDLE seconds, or one
	 * when the table is three-quarters full (a pingall of a thousand
	 * hosts offers a million), as Open vSwitch's revalidators shorten
	 * their idle time under pressure. The MAC table keeps its own aging. */
	if (c.idle > fdb_aging(sw->fdb))
		c.idle = fdb_aging(sw->fdb);
	fpm_poll(fp->mc, &fp->bpf, sw, now, c.idle, &fp->packets, &fp->bytes);
	if (fp->n >= fp->max / 4 * 3)
		c.idle = 1;
	drop_flows(fp, sw, live, &c);
}

void fp_moffer(struct fastpath *fp, struct sw *sw, const struct port *in, uint16_t vid,
	       bool tagged, const uint8_t src[6], const uint8_t group[16], const uint16_t *outs,
	       uint32_t n, uint32_t now)
{
	if (fp)
		fpm_offer(fp->mc, &fp->bpf, sw, in, vid, tagged, src, group, outs, n, now);
}

void fp_mflush(struct fastpath *fp, struct sw *sw)
{
	if (fp)
		fpm_flush(fp->mc, &fp->bpf, sw, &fp->packets, &fp->bytes);
}

uint32_t fp_mcount(const struct fastpath *fp)
{
	return fp ? fpm_count(fp->mc) : 0;
}

void fp_mforeach(const struct fastpath *fp, uint32_t now,
		 void (*fn)(const struct fp_mflow_info *f, void *arg), void *arg)
{
	if (fp)
		fpm_foreach(fp->mc, now, fn, arg);
}

uint32_t fp_count(const struct fastpath *fp)
{
	return fp ? fp->n : 0;
}

void fp_totals(const struct fastpath *fp, uint64_t *packets, uint64_t *bytes, uint64_t *floods)
{
	*packets = fp ? fp->packets : 0;
	*bytes = fp ? fp->bytes : 0;
	*floods = fp ? fp->floods : 0;
}

void fp_foreach(const struct fastpath *fp, uint32_t now,
		void (*fn)(const struct fp_flow_info *f, void *arg), void *arg)
{
	for (uint32_t i = 0; fp && i < fp->n; i++) {
		const struct fp_flow *f = &fp->flows[i];
		struct fp_flow_info fi = { .in = f->in, .out = f->out, .vid = f->vid,
					   .in_tagged = f->key.tag != 0,
					   .out_tagged = fp_tagged_out(f),
					   .packets = f->packets, .bytes = f->bytes,
					   .idle = now > f->active ? now - f->active : 0 };

		memcpy(fi.src, f->key.src, 6);
		memcpy(fi.dst, f->key.dst, 6);
		fn(&fi, arg);
	}
}
