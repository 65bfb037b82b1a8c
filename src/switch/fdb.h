/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The forwarding database: which port a MAC address was last seen on, per
 * VLAN.
 *
 * Shape (after the Linux bridge's br_fdb.c and Open vSwitch's
 * mac-learning.h): a hash table keyed by (VLAN, MAC) whose entries carry the
 * time they were last refreshed; aging is a periodic sweep (fdb_age(), from
 * the daemon's timer) and a lookup also treats an entry older than the aging
 * time as absent, so forwarding never depends on when the sweep last ran.
 *
 * Memory is fixed at creation: `size` entries are allocated up front and
 * the bucket array is the next power of two, so learning and lookup allocate
 * nothing and a lookup walks one short chain. The hash is seeded at random
 * per table so that nobody can choose MACs that pile into one bucket.
 *
 * Under a MAC flood the table fills and then refuses new addresses: live
 * entries are never evicted, so hosts already learned keep being forwarded
 * to directly and unknown destinations are flooded (what a full bridge
 * does). As a fairness reserve, in the spirit of OVS's per-port eviction, no
 * single port may hold more than 3/4 of the table: a flooding port leaves
 * room for hosts arriving on the other ports.
 *
 * Not thread-safe: the daemon is one thread.
 */
#ifndef NSLAB_SWITCH_FDB_H
#define NSLAB_SWITCH_FDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDB_DEFAULT_SIZE 8192
#define FDB_DEFAULT_AGING 300 /* seconds, as the Linux bridge and OVS */
#define FDB_MAX_SIZE (1u << 20)
#define FDB_NO_PORT UINT16_MAX

struct fdb;

struct fdb_entry_info {
	uint8_t mac[6];
	uint16_t vid;
	uint16_t port;
	uint32_t age; /* seconds since last seen */
};

enum fdb_learn_result {
	FDB_REFRESHED, /* known on this port: timestamp updated */
	FDB_LEARNED,   /* new entry */
	FDB_MOVED,     /* known on another port: moved here */
	FDB_FULL,      /* not learned: the table (or the port's share) is full */
};

/* size entries (1..FDB_MAX_SIZE), aging in seconds (>= 1), ports indexes
 * below max_ports. NULL on allocation failure. */
struct fdb *fdb_new(uint32_t size, uint32_t aging, uint16_t max_ports);
void fdb_free(struct fdb *fdb);

void fdb_set_aging(struct fdb *fdb, uint32_t aging);
uint32_t fdb_aging(const struct fdb *fdb);
uint32_t fdb_size(const struct fdb *fdb);
uint32_t fdb_count(const struct fdb *fdb);
uint32_t fdb_port_count(const struct fdb *fdb, uint16_t port);

/* now: a monotonic time in seconds (the caller reads the clock once per
 * batch). */
enum fdb_learn_result fdb_learn(struct fdb *fdb, uint16_t vid, const uint8_t mac[6], uint16_t port,
				uint32_t now);
/* The port of (vid, mac), or FDB_NO_PORT when unknown or expired. */
uint16_t fdb_lookup(const struct fdb *fdb, uint16_t vid, const uint8_t mac[6], uint32_t now);
/* Remove expired entries; returns how many. */
uint32_t fdb_age(struct fdb *fdb, uint32_t now);
/* Remove entries of port (FDB_NO_PORT: any) and vid (0: any); returns how
 * many. */
uint32_t fdb_flush(struct fdb *fdb, uint16_t port, uint16_t vid);
/* Call fn for every live entry (order unspecified); fn must not change the
 * table. */
void fdb_foreach(const struct fdb *fdb, uint32_t now,
		 void (*fn)(const struct fdb_entry_info *e, void *arg), void *arg);

#endif
