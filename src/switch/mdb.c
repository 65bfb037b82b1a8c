// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/mdb.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define MDB_NIL UINT32_MAX

struct mdb_entry {
	uint8_t group[16];
	uint32_t next; /* chain, or free list */
	uint32_t expires;
	uint16_t vid;
	uint16_t port;
};

struct mdb {
	uint32_t size, count, mask;
	uint64_t seed;
	uint32_t free_head;
	/* after an overflow, everything floods until this time */
	uint32_t flood_until;
	bool overflowed;
	uint32_t generation; /* changes whenever a lookup's answer may */
	uint32_t *buckets;
	struct mdb_entry *entries;
};

static uint32_t bucket(const struct mdb *mdb, uint16_t vid, const uint8_t g[16])
{
	uint64_t a, b;

	memcpy(&a, g, 8);
	memcpy(&b, g + 8, 8);
	return (uint32_t)hash_mix64((a * 0x9e3779b97f4a7c15ull) ^ b ^ ((uint64_t)vid << 32) ^ mdb->seed) &
	       mdb->mask;
}

struct mdb *mdb_new(uint32_t size)
{
	struct mdb *mdb;
	uint32_t nb = 1;

	if (size == 0 || size > (1u << 24))
		return NULL;
	mdb = calloc(1, sizeof(*mdb));
	if (!mdb)
		return NULL;
	while (nb < size)
		nb <<= 1;
	mdb->size = size;
	mdb->mask = nb - 1;
	mdb->buckets = malloc(sizeof(*mdb->buckets) * nb);
	mdb->entries = malloc(sizeof(*mdb->entries) * size);
	if (!mdb->buckets || !mdb->entries) {
		mdb_free(mdb);
		return NULL;
	}
	mdb->seed = hash_seed();
	for (uint32_t i = 0; i < nb; i++)
		mdb->buckets[i] = MDB_NIL;
	for (uint32_t i = 0; i < size; i++)
		mdb->entries[i].next = i + 1 < size ? i + 1 : MDB_NIL;
	mdb->free_head = 0;
	return mdb;
}

void mdb_free(struct mdb *mdb)
{
	if (!mdb)
		return;
	free(mdb->buckets);
	free(mdb->entries);
	free(mdb);
}

uint32_t mdb_count(const struct mdb *mdb)
{
	return mdb->count;
}

uint32_t mdb_size(const struct mdb *mdb)
{
	return mdb->size;
}

bool mdb_overflowed(const struct mdb *mdb, uint32_t now)
{
	return mdb->overflowed && (int32_t)(mdb->flood_until - now) > 0;
}

static bool live(const struct mdb_entry *e, uint32_t now)
{
	return (int32_t)(e->expires - now) > 0;
}

static bool same(const struct mdb_entry *e, uint16_t vid, const uint8_t g[16])
{
	return e->vid == vid && !memcmp(e->group, g, 16);
}

bool mdb_join(struct mdb *mdb, uint16_t vid, const uint8_t group[16], uint16_t port, uint32_t now,
	      uint32_t expires)
{
	uint32_t b = bucket(mdb, vid, group), i;
	struct mdb_entry *e;

	for (i = mdb->buckets[b]; i != MDB_NIL; i = mdb->entries[i].next) {
		e = &mdb->entries[i];
		if (e->port == port && same(e, vid, group)) {
			/* a refresh changes nothing; reviving an expired
			 * entry does */
			if ((int32_t)(e->expires - now) <= 0)
				mdb->generation++;
			e->expires = expires;
			return true;
		}
	}
	if (mdb->free_head == MDB_NIL) {
		/* Every entry there now will have expired by expires, and
		 * been refreshed into its own slot if still wanted. */
		if (!mdb_overflowed(mdb, now) || (int32_t)(expires - mdb->flood_until) > 0)
			mdb->flood_until = expires;
		mdb->overflowed = true;
		mdb->generation++;
		return false;
	}
	i = mdb->free_head;
	e = &mdb->entries[i];
	mdb->free_head = e->next;
	memcpy(e->group, group, 16);
	e->vid = vid;
	e->port = port;
	e->expires = expires;
	e->next = mdb->buckets[b];
	mdb->buckets[b] = i;
	mdb->count++;
	mdb->generation++;
	return true;
}

/* Unlink and free the entry *link points at. */
static void unlink_entry(struct mdb *mdb, uint32_t *link)
{
	uint32_t i = *link;
	struct mdb_entry *e = &mdb->entries[i];

	mdb->generation++;
	*link = e->next;
	e->next = mdb->free_head;
	mdb->free_head = i;
	mdb->count--;
}

void mdb_leave(struct mdb *mdb, uint16_t vid, const uint8_t group[16], uint16_t port)
{
	uint32_t *link = &mdb->buckets[bucket(mdb, vid, group)];

	while (*link != MDB_NIL) {
		struct mdb_entry *e = &mdb->entries[*link];

		if (e->port == port && same(e, vid, group)) {
			unlink_entry(mdb, link);
			return;
		}
		link = &e->next;
	}
}

uint32_t mdb_lookup(const struct mdb *mdb, uint16_t vid, const uint8_t group[16], uint32_t now,
		    uint16_t *ports, uint32_t max)
{
	uint32_t n = 0;
	bool known = false;

	if (mdb_overflowed(mdb, now))
		return MDB_UNREGISTERED;
	for (uint32_t i = mdb->buckets[bucket(mdb, vid, group)]; i != MDB_NIL; i = mdb->entries[i].next) {
		const struct mdb_entry *e = &mdb->entries[i];

		if (!live(e, now) || !same(e, vid, group))
			continue;
		known = true;
		if (n < max)
			ports[n++] = e->port;
	}
	return known ? n : MDB_UNREGISTERED;
}

static uint32_t remove_if(struct mdb *mdb, bool (*fn)(const struct mdb_entry *, uint32_t, uint32_t),
			  uint32_t a, uint32_t b)
{
	uint32_t removed = 0;

	for (uint32_t bk = 0; bk <= mdb->mask && mdb->count; bk++) {
		uint32_t *link = &mdb->buckets[bk];

		while (*link != MDB_NIL) {
			if (fn(&mdb->entries[*link], a, b)) {
				unlink_entry(mdb, link);
				removed++;
			} else {
				link = &mdb->entries[*link].next;
			}
		}
	}
	return removed;
}

static bool is_expired(const struct mdb_entry *e, uint32_t now, uint32_t unused)
{
	(void)unused;
	return !live(e, now);
}

static bool matches(const struct mdb_entry *e, uint32_t port, uint32_t vid)
{
	return (port == UINT16_MAX || e->port == port) && (vid == 0 || e->vid == vid);
}

uint32_t mdb_age(struct mdb *mdb, uint32_t now)
{
	if (mdb->overflowed && !mdb_overflowed(mdb, now))
		mdb->overflowed = false;
	return remove_if(mdb, is_expired, now, 0);
}

uint32_t mdb_flush(struct mdb *mdb, uint16_t port, uint16_t vid)
{
	return remove_if(mdb, matches, port, vid);
}

void mdb_foreach(const struct mdb *mdb, uint32_t now,
		 void (*fn)(const struct mdb_entry_info *e, void *arg), void *arg)
{
	for (uint32_t bk = 0; bk <= mdb->mask && mdb->count; bk++) {
		for (uint32_t i = mdb->buckets[bk]; i != MDB_NIL; i = mdb->entries[i].next) {
			const struct mdb_entry *e = &mdb->entries[i];
			struct mdb_entry_info info;

			if (!live(e, now))
				continue;
			memcpy(info.group, e->group, 16);
			info.vid = e->vid;
			info.port = e->port;
			info.expires_in = e->expires - now;
			fn(&info, arg);
		}
	}
}

uint32_t mdb_generation(const struct mdb *mdb)
{
	return mdb->generation;
}
