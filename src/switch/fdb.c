// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/fdb.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define FDB_NIL UINT32_MAX

struct fdb_entry {
	uint64_t key;     /* MAC in the low 48 bits, VID above */
	uint32_t next;    /* chain, FDB_NIL-terminated; free list when unused */
	uint32_t updated; /* seconds, the caller's clock */
	uint16_t port;
};

struct fdb {
	uint32_t size, count, aging, mask;
	uint64_t seed;
	uint32_t free_head;
	uint32_t *buckets;
	struct fdb_entry *entries;
	uint16_t max_ports;
	uint32_t port_limit;
	uint32_t *port_counts;
};

static uint64_t fdb_key(uint16_t vid, const uint8_t mac[6])
{
	return (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 | (uint64_t)mac[2] << 24 |
	       (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5] | (uint64_t)(vid & 0xfff) << 48;
}

static uint32_t fdb_bucket(const struct fdb *fdb, uint64_t key)
{
	return (uint32_t)hash_mix64(key ^ fdb->seed) & fdb->mask;
}

struct fdb *fdb_new(uint32_t size, uint32_t aging, uint16_t max_ports)
{
	struct fdb *fdb;
	uint32_t nb = 1;

	if (size == 0 || size > FDB_MAX_SIZE || aging == 0 || max_ports == 0)
		return NULL;
	fdb = calloc(1, sizeof(*fdb));
	if (!fdb)
		return NULL;
	while (nb < size)
		nb <<= 1;
	fdb->size = size;
	fdb->aging = aging;
	fdb->mask = nb - 1;
	fdb->max_ports = max_ports;
	fdb->port_limit = size - size / 4;
	if (fdb->port_limit == 0)
		fdb->port_limit = 1;
	fdb->buckets = malloc(sizeof(*fdb->buckets) * nb);
	fdb->entries = malloc(sizeof(*fdb->entries) * size);
	fdb->port_counts = calloc(max_ports, sizeof(*fdb->port_counts));
	if (!fdb->buckets || !fdb->entries || !fdb->port_counts) {
		fdb_free(fdb);
		return NULL;
	}
	fdb->seed = hash_seed();
	for (uint32_t i = 0; i < nb; i++)
		fdb->buckets[i] = FDB_NIL;
	for (uint32_t i = 0; i < size; i++)
		fdb->entries[i].next = i + 1 < size ? i + 1 : FDB_NIL;
	fdb->free_head = 0;
	return fdb;
}

void fdb_free(struct fdb *fdb)
{
	if (!fdb)
		return;
	free(fdb->buckets);
	free(fdb->entries);
	free(fdb->port_counts);
	free(fdb);
}

void fdb_set_aging(struct fdb *fdb, uint32_t aging)
{
	if (aging)
		fdb->aging = aging;
}

uint32_t fdb_aging(const struct fdb *fdb)
{
	return fdb->aging;
}

uint32_t fdb_size(const struct fdb *fdb)
{
	return fdb->size;
}

uint32_t fdb_count(const struct fdb *fdb)
{
	return fdb->count;
}

uint32_t fdb_port_count(const struct fdb *fdb, uint16_t port)
{
	return port < fdb->max_ports ? fdb->port_counts[port] : 0;
}

static bool expired(const struct fdb *fdb, const struct fdb_entry *e, uint32_t now)
{
	return now - e->updated >= fdb->aging && now >= e->updated;
}

static struct fdb_entry *find(const struct fdb *fdb, uint64_t key, uint32_t b)
{
	for (uint32_t i = fdb->buckets[b]; i != FDB_NIL; i = fdb->entries[i].next)
		if (fdb->entries[i].key == key)
			return &fdb->entries[i];
	return NULL;
}

enum fdb_learn_result fdb_learn(struct fdb *fdb, uint16_t vid, const uint8_t mac[6], uint16_t port,
				uint32_t now)
{
	uint64_t key = fdb_key(vid, mac);
	uint32_t b = fdb_bucket(fdb, key);
	struct fdb_entry *e = find(fdb, key, b);
	uint32_t i;

	if (port >= fdb->max_ports)
		return FDB_FULL;
	if (e) {
		/* An expired entry that has not been swept yet is simply
		 * refreshed; it still counts as this port's. */
		e->updated = now;
		if (e->port == port)
			return FDB_REFRESHED;
		fdb->port_counts[e->port]--;
		fdb->port_counts[port]++;
		e->port = port;
		return FDB_MOVED;
	}
	if (fdb->free_head == FDB_NIL || fdb->port_counts[port] >= fdb->port_limit)
		return FDB_FULL;
	i = fdb->free_head;
	e = &fdb->entries[i];
	fdb->free_head = e->next;
	e->key = key;
	e->port = port;
	e->updated = now;
	e->next = fdb->buckets[b];
	fdb->buckets[b] = i;
	fdb->count++;
	fdb->port_counts[port]++;
	return FDB_LEARNED;
}

uint16_t fdb_lookup(const struct fdb *fdb, uint16_t vid, const uint8_t mac[6], uint32_t now)
{
	uint64_t key = fdb_key(vid, mac);
	const struct fdb_entry *e = find(fdb, key, fdb_bucket(fdb, key));

	if (!e || expired(fdb, e, now))
		return FDB_NO_PORT;
	return e->port;
}

/* Remove every entry for which fn says so; returns how many. */
static uint32_t fdb_remove_if(struct fdb *fdb, bool (*fn)(const struct fdb *, const struct fdb_entry *,
							    uint32_t, uint32_t),
			      uint32_t a, uint32_t b)
{
	uint32_t removed = 0;

	if (!fdb->count)
		return 0;
	for (uint32_t bk = 0; bk <= fdb->mask; bk++) {
		uint32_t *link = &fdb->buckets[bk];

		while (*link != FDB_NIL) {
			uint32_t i = *link;
			struct fdb_entry *e = &fdb->entries[i];

			if (!fn(fdb, e, a, b)) {
				link = &e->next;
				continue;
			}
			*link = e->next;
			fdb->port_counts[e->port]--;
			e->next = fdb->free_head;
			fdb->free_head = i;
			fdb->count--;
			removed++;
		}
	}
	return removed;
}

static bool is_expired(const struct fdb *fdb, const struct fdb_entry *e, uint32_t now, uint32_t unused)
{
	(void)unused;
	return expired(fdb, e, now);
}

static bool matches(const struct fdb *fdb, const struct fdb_entry *e, uint32_t port, uint32_t vid)
{
	(void)fdb;
	return (port == FDB_NO_PORT || e->port == port) && (vid == 0 || (e->key >> 48) == vid);
}

uint32_t fdb_age(struct fdb *fdb, uint32_t now)
{
	return fdb_remove_if(fdb, is_expired, now, 0);
}

uint32_t fdb_flush(struct fdb *fdb, uint16_t port, uint16_t vid)
{
	return fdb_remove_if(fdb, matches, port, vid);
}

void fdb_foreach(const struct fdb *fdb, uint32_t now,
		 void (*fn)(const struct fdb_entry_info *e, void *arg), void *arg)
{
	for (uint32_t bk = 0; bk <= fdb->mask && fdb->count; bk++) {
		for (uint32_t i = fdb->buckets[bk]; i != FDB_NIL; i = fdb->entries[i].next) {
			const struct fdb_entry *e = &fdb->entries[i];
			struct fdb_entry_info info;

			if (expired(fdb, e, now))
				continue;
			for (int k = 0; k < 6; k++)
				info.mac[k] = (uint8_t)(e->key >> (40 - 8 * k));
			info.vid = (uint16_t)(e->key >> 48);
			info.port = e->port;
			info.age = now - e->updated;
			fn(&info, arg);
		}
	}
}
