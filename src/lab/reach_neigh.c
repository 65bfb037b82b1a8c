// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The neighbour entries of a reachability run, kept within a budget: the
 * kernel's ARP and NDP tables are shared by every namespace of the machine
 * and refuse entries beyond gc_thresh3 (reach.h says more).
 *
 * Every entry a probe may create is interned once, keyed by namespace,
 * interface, family and address; a probe holds a reference to its (at most
 * two) entries while it runs. When every entry of the run fits the budget
 * the table does nothing else. Otherwise an entry that no running probe
 * holds any more is deleted (RTM_DELNEIGH, as `ip neigh del`), unless it
 * existed before the run: those belong to the lab's own traffic.
 */
#include "lab/reach_neigh.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "common/errmsg.h"
#include "common/util.h"
#include "kernel/link.h"
#include "kernel/neigh.h"
#include "kernel/nl.h"
#include "lab/reach.h"

#define NONE SIZE_MAX
#define DEFAULT_GC_THRESH3 1024 /* net/ipv4/arp.c, net/ipv6/ndisc.c */

struct nent {
	size_t ns;
	char dev[16];
	int family;
	uint8_t addr[16];
	int ifindex;            /* 0 until resolved (windowed runs only) */
	unsigned refs;          /* running probes that hold it */
	bool pre;               /* existed before the run: never deleted */
	bool made;              /* a probe held it since it was last deleted */
	bool ever;              /* a probe held it during this run */
};

struct nsinfo {
	struct nl *nl;
	size_t seen[2];         /* entries of each family there at the start */
	bool dirty;             /* deletions queued */
	struct link_info *links;
	size_t n_links, cap_links;
};

struct reach_ntab {
	struct nent *v;
	size_t n, cap;
	size_t *slots;          /* open addressing: index + 1, 0 empty */
	size_t nslots;
	size_t (*pe)[2];        /* per probe: its entries, NONE if none */
	size_t n_probes;
	bool windowed;
	size_t budget[2], inuse[2];
	size_t unflushed[2];    /* released, deletion queued but not yet sent */
	int err;                /* a failed flush inside admit, for the next flush */
	struct nsinfo *ns;
	size_t n_ns;
	size_t queued;
	bool lagged;            /* a probe had to be sent again */
	const int *nsfds;
	/* Released entries, deleted once more a little later (AGAIN_MS):
	 * one FIFO of (entry, when) per delay. */
	struct again {
		size_t *e;
		uint64_t *at;
		size_t cap, head, n;
	} again[2];
};

/* A busy switch may deliver an ARP request or neighbour solicitation after
 * its probe is over and its entries deleted: the target then makes its
 * entry anew, outside the run's count, and enough of those overflow the
 * machine's table. Entries are deleted again after these delays. */
static const unsigned AGAIN_MS[2] = { 300, 1200 };

static int fslot(int family)
{
	return family == AF_INET6;
}

static size_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static uint32_t key_hash(size_t ns, const char *dev, int family, const uint8_t *addr)
{
	uint8_t buf[sizeof(size_t) + 16 + sizeof(int) + 16];
	size_t off = 0, dl = strnlen(dev, 16);

	memcpy(buf, &ns, sizeof(ns));
	off += sizeof(ns);
	memcpy(buf + off, dev, dl);
	off += dl;
	memcpy(buf + off, &family, sizeof(family));
	off += sizeof(family);
	memcpy(buf + off, addr, alen(family));
	off += alen(family);
	return hash_fnv1a(buf, off);
}

static bool key_eq(const struct nent *e, size_t ns, const char *dev, int family, const uint8_t *addr)
{
	return e->ns == ns && e->family == family && !strncmp(e->dev, dev, 16) &&
	       !memcmp(e->addr, addr, alen(family));
}

static size_t lookup(const struct reach_ntab *t, size_t ns, const char *dev, int family,
		     const uint8_t *addr)
{
	size_t mask = t->nslots - 1, s = key_hash(ns, dev, family, addr) & mask;

	for (; t->slots[s]; s = (s + 1) & mask)
		if (key_eq(&t->v[t->slots[s] - 1], ns, dev, family, addr))
			return t->slots[s] - 1;
	return NONE;
}

/* The entry for the key, added if new. NONE on ENOMEM. */
static size_t intern(struct reach_ntab *t, const struct reach_neigh *nb, int family)
{
	size_t mask = t->nslots - 1, s = key_hash(nb->ns, nb->dev, family, nb->addr) & mask;
	struct nent *e;

	for (; t->slots[s]; s = (s + 1) & mask)
		if (key_eq(&t->v[t->slots[s] - 1], nb->ns, nb->dev, family, nb->addr))
			return t->slots[s] - 1;
	/* The slot table is sized for every possible entry up front. */
	if (array_reserve(&t->v, &t->cap, t->n + 1, sizeof(*t->v)))
		return NONE;
	e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->ns = nb->ns;
	memcpy(e->dev, nb->dev, sizeof(e->dev));
	e->dev[sizeof(e->dev) - 1] = '\0';
	e->family = family;
	memcpy(e->addr, nb->addr, alen(family));
	t->slots[s] = ++t->n;
	return t->n - 1;
}

/* The entries in the kernel's table now, and gc_thresh3 (readable in the
 * initial namespace only; elsewhere the kernel's default is assumed). */
static size_t budget_of(int family, size_t seen)
{
	const char *stat = family == AF_INET ? "/proc/net/stat/arp_cache" : "/proc/net/stat/ndisc_cache";
	const char *thr = family == AF_INET ? "/proc/sys/net/ipv4/neigh/default/gc_thresh3"
					    : "/proc/sys/net/ipv6/neigh/default/gc_thresh3";
	unsigned long entries = 0, thresh3 = DEFAULT_GC_THRESH3;
	size_t free_slots, b;
	char line[512];
	FILE *f;

	f = fopen(thr, "re");
	if (f) {
		if (fscanf(f, "%lu", &thresh3) != 1)
			thresh3 = DEFAULT_GC_THRESH3;
		fclose(f);
	}
	/* Its first column is the table's entry count (the same on every
	 * CPU's line), in hex, for all namespaces together. */
	f = fopen(stat, "re");
	if (f) {
		if (!fgets(line, sizeof(line), f) || fscanf(f, "%lx", &entries) != 1)
			entries = 0;
		fclose(f);
	}
	/* Outside the initial namespace the count cannot be read: the
	 * entries the lab's namespaces hold are a floor for it. */
	if (entries < seen)
		entries = seen;
	free_slots = thresh3 > entries ? thresh3 - entries : 0;
	/* Half of what is free: the rest of the machine keeps room too. */
	b = free_slots / 2;
	if (b > REACH_NEIGH_BUDGET)
		b = REACH_NEIGH_BUDGET;
	return b < REACH_NEIGH_MIN ? REACH_NEIGH_MIN : b;
}

static int link_cb(const struct link_info *li, void *arg)
{
	struct nsinfo *ni = arg;

	if (array_reserve(&ni->links, &ni->cap_links, ni->n_links + 1, sizeof(*ni->links)))
		return -ENOMEM;
	ni->links[ni->n_links++] = *li;
	return 0;
}

struct pre_ctx {
	struct reach_ntab *t;
	size_t ns;
};

static int neigh_cb(const struct neigh_info *n, void *arg)
{
	struct pre_ctx *c = arg;
	struct nsinfo *ni = &c->t->ns[c->ns];
	size_t e;

	if (n->family != AF_INET && n->family != AF_INET6)
		return 0;
	ni->seen[fslot(n->family)]++;
	for (size_t i = 0; i < ni->n_links; i++) {
		if (ni->links[i].ifindex != n->ifindex)
			continue;
		e = lookup(c->t, c->ns, ni->links[i].name, n->family, n->addr);
		if (e != NONE)
			c->t->v[e].pre = true;
	}
	return 0;
}

/* Windowed runs: a netlink socket per namespace concerned, the indexes of
 * the interfaces named, and which entries exist already. */
static int prepare(struct reach_ntab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct nent *e = &t->v[i];
		struct nsinfo *ni = &t->ns[e->ns];
		int rc;

		if (!ni->nl) {
			struct pre_ctx c = { t, e->ns };

			rc = nl_open_netns(t->nsfds[e->ns], &ni->nl);
			if (!rc)
				rc = link_dump(ni->nl, link_cb, ni);
			if (rc)
				return rc;
			/* Interned keys need the link names first (above). */
			rc = neigh_dump(ni->nl, AF_UNSPEC, neigh_cb, &c);
			if (rc)
				return rc;
		}
		for (size_t l = 0; l < ni->n_links; l++)
			if (!strncmp(ni->links[l].name, e->dev, sizeof(e->dev)))
				e->ifindex = ni->links[l].ifindex;
		/* An interface that is not there cannot get an entry. */
		if (!e->ifindex)
			e->pre = true;
	}
	return 0;
}

int reach_ntab_new(const int *nsfds, size_t n_ns, const struct reach_probe *probes, size_t n,
		   struct reach_ntab **out)
{
	struct reach_ntab *t = calloc(1, sizeof(*t));
	size_t want = 2 * n + 1, counts[2] = { 0, 0 };
	int rc = -ENOMEM;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->nsfds = nsfds;
	t->n_ns = n_ns;
	t->n_probes = n;
	for (t->nslots = 16; t->nslots < 2 * want; t->nslots *= 2)
		;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	t->pe = malloc((n ? n : 1) * sizeof(*t->pe));
	t->ns = calloc(n_ns ? n_ns : 1, sizeof(*t->ns));
	if (!t->slots || !t->pe || !t->ns)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 2; k++) {
			const struct reach_neigh *nb = &probes[i].neigh[k];

			t->pe[i][k] = NONE;
			if (!nb->set || nb->ns >= n_ns)
				continue;
			t->pe[i][k] = intern(t, nb, probes[i].family);
			if (t->pe[i][k] == NONE)
				goto fail;
		}
	}
	for (size_t i = 0; i < t->n; i++)
		counts[fslot(t->v[i].family)]++;
	for (int f = 0; f < 2; f++) {
		t->budget[f] = budget_of(f ? AF_INET6 : AF_INET, 0);
		t->windowed |= counts[f] > t->budget[f];
	}
	if (t->windowed) {
		size_t seen[2] = { 0, 0 };

		rc = prepare(t);
		if (rc)
			goto fail;
		/* Entries left in the lab's namespaces (by the lab's traffic,
		 * or late answers to an earlier run) fill the same table. */
		for (size_t i = 0; i < t->n_ns; i++)
			for (int f = 0; f < 2; f++)
				seen[f] += t->ns[i].seen[f];
		for (int f = 0; f < 2; f++)
			t->budget[f] = budget_of(f ? AF_INET6 : AF_INET, seen[f]);
		for (int a = 0; a < 2; a++) {
			t->again[a].cap = 2 * t->n + 1;
			t->again[a].e = malloc(t->again[a].cap * sizeof(*t->again[a].e));
			t->again[a].at = malloc(t->again[a].cap * sizeof(*t->again[a].at));
			if (!t->again[a].e || !t->again[a].at) {
				rc = -ENOMEM;
				goto fail;
			}
		}
	}
	*out = t;
	return 0;
fail:
	reach_ntab_free(t);
	return rc;
}

void reach_ntab_free(struct reach_ntab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_ns; i++) {
		nl_close(t->ns[i].nl);
		free(t->ns[i].links);
	}
	free(t->ns);
	for (int a = 0; a < 2; a++) {
		free(t->again[a].e);
		free(t->again[a].at);
	}
	free(t->v);
	free(t->slots);
	free(t->pe);
	free(t);
}

bool reach_ntab_windowed(const struct reach_ntab *t)
{
	return t->windowed;
}

bool reach_ntab_admit(struct reach_ntab *t, size_t i)
{
	size_t need[2] = { 0, 0 }, active = t->inuse[0] + t->inuse[1];

	if (!t->windowed)
		return true;
	for (int k = 0; k < 2; k++) {
		size_t e = t->pe[i][k];

		if (e != NONE && !t->v[e].refs && !t->v[e].pre && (k == 0 || e != t->pe[i][0]))
			need[fslot(t->v[e].family)]++;
	}
	for (int f = 0; f < 2; f++) {
		if (!need[f] || !active || t->inuse[f] + t->unflushed[f] + need[f] <= t->budget[f])
			continue;
		/* Entries released but not deleted yet still fill the kernel's
		 * table: delete them now, then look again. */
		if (!t->unflushed[f])
			return false;
		t->err = reach_ntab_flush(t);
		if (t->inuse[f] + need[f] > t->budget[f])
			return false;
	}
	for (int k = 0; k < 2; k++) {
		size_t e = t->pe[i][k];

		if (e == NONE || (k == 1 && e == t->pe[i][0]))
			continue;
		if (!t->v[e].refs++ && !t->v[e].pre) {
			t->inuse[fslot(t->v[e].family)]++;
			t->v[e].made = true;
			t->v[e].ever = true;
		}
	}
	return true;
}

static void delete_entry(struct reach_ntab *t, struct nent *e)
{
	struct nsinfo *ni = &t->ns[e->ns];
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	nlh = nl_req_begin(ni->nl, RTM_DELNEIGH, 0, sizeof(*ndm), NL_F_GONE_OK,
			   "deleting a neighbour entry pingall made");
	if (!nlh)
		return; /* remembered by the socket; the flush reports it */
	ndm = mnl_nlmsg_get_payload(nlh);
	ndm->ndm_family = (uint8_t)e->family;
	ndm->ndm_ifindex = e->ifindex;
	mnl_attr_put(nlh, NDA_DST, alen(e->family), e->addr);
	ni->dirty = true;
	t->queued++;
}

void reach_ntab_release(struct reach_ntab *t, size_t i)
{
	if (!t->windowed)
		return;
	for (int k = 0; k < 2; k++) {
		size_t e = t->pe[i][k];
		struct nent *ent;

		if (e == NONE || (k == 1 && e == t->pe[i][0]))
			continue;
		ent = &t->v[e];
		if (!ent->refs || --ent->refs || ent->pre)
			continue;
		t->inuse[fslot(ent->family)]--;
		if (ent->made) {
			uint64_t now = time_mono_ns();

			t->unflushed[fslot(ent->family)]++;
			delete_entry(t, ent);
			ent->made = false;
			for (int a = 0; a < 2; a++) {
				struct again *q = &t->again[a];

				if (q->n == q->cap)
					continue;
				q->e[(q->head + q->n) % q->cap] = e;
				q->at[(q->head + q->n) % q->cap] = now + AGAIN_MS[a] * 1000000ull;
				q->n++;
			}
		}
	}
}

void reach_ntab_renew(struct reach_ntab *t, size_t i)
{
	size_t e = t->windowed ? t->pe[i][0] : NONE;
	struct nent *ent;
	int rc;

	if (e == NONE)
		return;
	ent = &t->v[e];
	if (ent->pre || !ent->made || !ent->ifindex)
		return;
	t->lagged = true;
	/* Deleted now, not queued: the resend that follows must find no
	 * entry, so that it makes a new one and sends a new ARP request or
	 * neighbour solicitation. The entry stays counted as in use. */
	delete_entry(t, ent);
	t->queued--;
	t->ns[ent->ns].dirty = false; /* the flush sends whatever it had queued too */
	rc = nl_flush(t->ns[ent->ns].nl);
	if (rc && !t->err)
		t->err = rc;
}

void reach_ntab_tick(struct reach_ntab *t, uint64_t now)
{
	for (int a = 0; t->windowed && a < 2; a++) {
		struct again *q = &t->again[a];

		while (q->n && q->at[q->head] <= now) {
			struct nent *e = &t->v[q->e[q->head]];

			/* Held again meanwhile: its next release deletes it. */
			if (!e->refs && !e->pre)
				delete_entry(t, e);
			q->head = (q->head + 1) % q->cap;
			q->n--;
		}
	}
}

static int sweep_once(struct reach_ntab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct nent *e = &t->v[i];

		if (e->ever && !e->pre && !e->refs && e->ifindex)
			delete_entry(t, e);
	}
	return reach_ntab_flush(t);
}

int reach_ntab_sweep(struct reach_ntab *t)
{
	int rc;

	if (!t->windowed)
		return 0;
	/* An ARP request that reached its target late (a busy switch)
	 * makes the target's entry after the run deleted it: the run's
	 * entries go once more, whatever became of them, and where probes
	 * had to be resent, once more after the stragglers had time to
	 * arrive. */
	rc = sweep_once(t);
	if (!rc && t->lagged) {
		struct timespec ts = { 0, 300 * 1000000L };

		nanosleep(&ts, NULL);
		rc = sweep_once(t);
	}
	return rc;
}

int reach_ntab_flush(struct reach_ntab *t)
{
	struct nl *batch[64];
	size_t nb = 0;
	int rc = t->err, r;

	t->err = 0;
	if (!t->windowed || !t->queued)
		return rc;
	for (size_t i = 0; i < t->n_ns; i++) {
		if (!t->ns[i].dirty)
			continue;
		t->ns[i].dirty = false;
		batch[nb++] = t->ns[i].nl;
		if (nb == sizeof(batch) / sizeof(batch[0])) {
			r = nl_flush_many(batch, nb);
			rc = rc ? rc : r;
			nb = 0;
		}
	}
	if (nb) {
		r = nl_flush_many(batch, nb);
		rc = rc ? rc : r;
	}
	t->queued = 0;
	t->unflushed[0] = t->unflushed[1] = 0;
	return rc;
}

void reach_ntab_pair(const struct reach_probe *p, size_t *lo, size_t *hi)
{
	size_t other = p->neigh[1].set ? p->neigh[1].ns : p->src;

	*lo = p->src < other ? p->src : other;
	*hi = p->src < other ? other : p->src;
}
