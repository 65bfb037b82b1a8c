/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One switch instance: its ports, its forwarding database, and the tables
 * derived from them at configuration time (which ports carry each VLAN), so
 * that the data path only reads.
 *
 * Ports live in a table indexed by a small integer (the index the FDB
 * stores); a removed port's entries are flushed before its slot is reused.
 * The owner (the daemon) learns of ports coming and going through hooks, to
 * add their sockets to its event loop.
 */
#ifndef NSLAB_SWITCH_SW_H
#define NSLAB_SWITCH_SW_H

#include <stdbool.h>
#include <stdint.h>

#include "switch/fdb.h"
#include "switch/pipeline.h"
#include "switch/port.h"
#include "switch/swconf.h"

#define SW_MAX_PORTS 4096

struct sw_hooks {
	int (*port_added)(void *arg, struct port *p);     /* 0 or -errno */
	void (*port_removed)(void *arg, struct port *p); /* before it closes */
	void *arg;
};

struct sw {
	char name[64];
	char *config_path; /* for reload; may be NULL */
	uint64_t started_ns;
	uint64_t query_asked_ns;    /* when a `query` request last sent queries; 0
				     * after a reload */
	struct fdb *fdb;
	struct port **ports; /* [SW_MAX_PORTS], NULL where free */
	unsigned n_ports;    /* attached */
	unsigned max_index;  /* one past the highest used index */
	/* VLAN vid is carried by flood_ports[vid][0..flood_n[vid]) */
	uint16_t *flood_ports[4096];
	uint16_t flood_n[4096];
	uint16_t *flood_block;
	/* ports with frames queued for sending in the current batch */
	struct port **txq;
	unsigned n_txq;
	/* ports holding ring slots until the round ends (pl_round_end) */
	struct port **rxq;
	unsigned n_rxq;
	/* whole frames too big for a ring slot, read per batch (port.h) */
	uint8_t *big[PORT_BIG_MAX];
	uint8_t *big_block;
	struct pl_hook hook; /* flow tables before NORMAL; none yet */
	struct fastpath *fastpath; /* kernel-forwarded flows; NULL: none */
	bool fast_path_off;        /* never (the daemon's --no-fast-path) */
	uint32_t fp_flows;         /* the fast path's table size, 0: its default */
	/* What fast paths turned off by a reload had counted (fp_totals), so
	 * that the status's totals stay totals since the start. */
	uint64_t fp_past_packets, fp_past_bytes, fp_past_floods;
	uint32_t ring_ports;       /* rings sized for at least this many ports */
	struct snoop *snoop;       /* MLD snooping (snoop.h); NULL: off */
	struct snoop *snoop4;      /* IGMP snooping; NULL: off */
	struct sw_hooks hooks;
	unsigned gone; /* ports seen failing in the data path, to reap */
};

struct sw *sw_new(const char *name, uint32_t fdb_size, uint32_t aging);
/* Detach every port (through the hooks) and free. */
void sw_free(struct sw *sw);

/* Open and attach a port. Ring size follows the number of ports the
 * switch will have (expect: how many in total, 0 = current + 1). */
int sw_attach(struct sw *sw, const char *name, const struct vlan_port *vp, unsigned expect,
	      struct port **out);
void sw_detach(struct sw *sw, struct port *p);
/* Change a port's VLAN settings; its learned addresses go. */
void sw_set_vlan(struct sw *sw, struct port *p, const struct vlan_port *vp);
struct port *sw_port(const struct sw *sw, const char *name);
/* The port in slot i, or NULL (free, or past the table: an index a table
 * kept may outlive its port). */
static inline struct port *sw_port_at(const struct sw *sw, uint32_t i)
{
	return sw && i < sw->max_index ? sw->ports[i] : NULL;
}
/* Turn the fast path (fastpath.h) on or off, for every port; sw_apply
 * does, as the configuration says. Where the kernel cannot, it stays off,
 * with a warning in the log. */
void sw_set_fast_path(struct sw *sw, bool on);
/* Turn MLD (family AF_INET6) or IGMP (AF_INET) snooping (snoop.h) on or
 * off; off, that family's multicast floods. */
int sw_set_snooping(struct sw *sw, int family, bool on);
/* fdb_flush, and the fast path's flows that relied on the entries go too. */
uint32_t sw_fdb_flush(struct sw *sw, uint16_t port, uint16_t vid);
/* Ports' states changed (to or from PORT_UP): the fast path follows. Once
 * for a burst of changes: it looks at every port. */
void sw_ports_changed(struct sw *sw);
/* Recompute the per-VLAN member lists (after any port change). */
int sw_rebuild(struct sw *sw);

/* Make the switch match conf: attach new ports, detach removed ones, apply
 * changed VLAN settings, FDB size and aging, the fast path. All-or-nothing for attaching:
 * if a new port cannot be opened, the ones attached by this call are
 * detached again and nothing else changes. The names added, removed and
 * changed are appended to the three JSON arrays (may be NULL). */
struct json_t;
int sw_apply(struct sw *sw, const struct swconf *conf, struct json_t *added, struct json_t *removed,
	     struct json_t *changed);

#endif
