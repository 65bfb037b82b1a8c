/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The multicast database: which ports have listeners for a group, per
 * VLAN, as MLD or IGMP reports said (the Linux bridge's "mdb"); IPv4 groups
 * are IPv4-mapped (mcast.h).
 *
 * One entry per (VLAN, group, port), with the time it expires unless a
 * report refreshes it. Entries hash by (VLAN, group) alone, so all the
 * ports of a group share one chain and a lookup is a walk of it. Memory is
 * fixed at creation, as the FDB's: nothing allocates on the data path.
 *
 * A table that cannot hold a membership must not drop a listener: when a
 * join finds it full, every group floods (mdb_lookup says "unregistered")
 * until every entry that was there then has expired — by then each group's
 * listeners have all reported again into a table with room.
 */
#ifndef NSLAB_SWITCH_MDB_H
#define NSLAB_SWITCH_MDB_H

#include <stdbool.h>
#include <stdint.h>

#define MDB_DEFAULT_SIZE 16384
#define MDB_UNREGISTERED UINT32_MAX

struct mdb;

struct mdb_entry_info {
	uint8_t group[16];
	uint16_t vid;
	uint16_t port;
	uint32_t expires_in; /* seconds */
};

struct mdb *mdb_new(uint32_t size);
void mdb_free(struct mdb *mdb);

uint32_t mdb_count(const struct mdb *mdb);
uint32_t mdb_size(const struct mdb *mdb);
/* Whether the table is flooding everything after it overflowed. */
bool mdb_overflowed(const struct mdb *mdb, uint32_t now);

/* A listener for (vid, group) behind port, until expires (seconds, the
 * caller's clock). Returns false when the table was full. */
bool mdb_join(struct mdb *mdb, uint16_t vid, const uint8_t group[16], uint16_t port, uint32_t now,
	      uint32_t expires);
/* The port's listener left. */
void mdb_leave(struct mdb *mdb, uint16_t vid, const uint8_t group[16], uint16_t port);

/* The ports with live listeners for (vid, group) into ports[max]; returns
 * how many, or MDB_UNREGISTERED when nobody reported the group (or the
 * table overflowed): such a group floods. */
uint32_t mdb_lookup(const struct mdb *mdb, uint16_t vid, const uint8_t group[16], uint32_t now,
		    uint16_t *ports, uint32_t max);

/* Remove expired entries; returns how many. */
uint32_t mdb_age(struct mdb *mdb, uint32_t now);
/* Remove the entries of port (UINT16_MAX: every port) and vid (0: any). */
uint32_t mdb_flush(struct mdb *mdb, uint16_t port, uint16_t vid);
/* A number that changes whenever a lookup's answer may have (a new,
 * revived or removed listener, an overflow); not when a report refreshes
 * a listener. */
uint32_t mdb_generation(const struct mdb *mdb);
/* fn for every live entry; fn must not change the table. */
void mdb_foreach(const struct mdb *mdb, uint32_t now,
		 void (*fn)(const struct mdb_entry_info *e, void *arg), void *arg);

#endif
