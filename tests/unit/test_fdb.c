// SPDX-License-Identifier: GPL-2.0-or-later
/* The forwarding database: learning, moves, aging, the cap, flushes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "switch/fdb.h"

static void mac_n(uint8_t m[6], uint32_t n)
{
	m[0] = 0x02; /* locally administered unicast */
	m[1] = 0x00;
	m[2] = (uint8_t)(n >> 24);
	m[3] = (uint8_t)(n >> 16);
	m[4] = (uint8_t)(n >> 8);
	m[5] = (uint8_t)n;
}

static void learn_and_lookup(void **state)
{
	struct fdb *f = fdb_new(16, 300, 8);
	uint8_t a[6], b[6];

	(void)state;
	assert_non_null(f);
	mac_n(a, 1);
	mac_n(b, 2);
	assert_int_equal(fdb_lookup(f, 1, a, 100), FDB_NO_PORT);
	assert_int_equal(fdb_learn(f, 1, a, 3, 100), FDB_LEARNED);
	assert_int_equal(fdb_learn(f, 1, a, 3, 101), FDB_REFRESHED);
	assert_int_equal(fdb_lookup(f, 1, a, 101), 3);
	/* Per VLAN: the same MAC in VLAN 2 is another entry. */
	assert_int_equal(fdb_lookup(f, 2, a, 101), FDB_NO_PORT);
	assert_int_equal(fdb_learn(f, 2, a, 4, 101), FDB_LEARNED);
	assert_int_equal(fdb_lookup(f, 2, a, 101), 4);
	assert_int_equal(fdb_lookup(f, 1, a, 101), 3);
	assert_int_equal(fdb_lookup(f, 1, b, 101), FDB_NO_PORT);
	assert_int_equal(fdb_count(f), 2);
	fdb_free(f);
}

static void moves_between_ports(void **state)
{
	struct fdb *f = fdb_new(16, 300, 8);
	uint8_t a[6];

	(void)state;
	mac_n(a, 7);
	fdb_learn(f, 1, a, 1, 10);
	assert_int_equal(fdb_port_count(f, 1), 1);
	assert_int_equal(fdb_learn(f, 1, a, 2, 11), FDB_MOVED);
	assert_int_equal(fdb_lookup(f, 1, a, 11), 2);
	assert_int_equal(fdb_port_count(f, 1), 0);
	assert_int_equal(fdb_port_count(f, 2), 1);
	assert_int_equal(fdb_count(f), 1);
	fdb_free(f);
}

static void ages_out(void **state)
{
	struct fdb *f = fdb_new(16, 10, 8);
	uint8_t a[6], b[6];

	(void)state;
	mac_n(a, 1);
	mac_n(b, 2);
	fdb_learn(f, 1, a, 1, 100);
	fdb_learn(f, 1, b, 2, 105);
	/* Lookups honour aging even before a sweep. */
	assert_int_equal(fdb_lookup(f, 1, a, 109), 1);
	assert_int_equal(fdb_lookup(f, 1, a, 110), FDB_NO_PORT);
	assert_int_equal(fdb_age(f, 109), 0);
	assert_int_equal(fdb_age(f, 111), 1);
	assert_int_equal(fdb_count(f), 1);
	assert_int_equal(fdb_lookup(f, 1, b, 111), 2);
	/* A refreshed entry lives on. */
	fdb_learn(f, 1, b, 2, 114);
	assert_int_equal(fdb_age(f, 120), 0);
	assert_int_equal(fdb_age(f, 124), 1);
	assert_int_equal(fdb_count(f), 0);
	fdb_set_aging(f, 50);
	fdb_learn(f, 1, a, 1, 200);
	assert_int_equal(fdb_age(f, 240), 0);
	fdb_free(f);
}

static void cap_keeps_live_entries(void **state)
{
	struct fdb *f = fdb_new(64, 300, 8);
	uint8_t m[6], host[6];
	uint32_t learned = 0;

	(void)state;
	/* A real host on port 0, then a flood of addresses on port 1. */
	mac_n(host, 0xabcdef);
	assert_int_equal(fdb_learn(f, 1, host, 0, 1), FDB_LEARNED);
	for (uint32_t i = 0; i < 1000; i++) {
		mac_n(m, i + 1);
		if (fdb_learn(f, 1, m, 1, 2) == FDB_LEARNED)
			learned++;
	}
	assert_true(fdb_count(f) <= fdb_size(f));
	/* The flooding port got at most its share: 3/4 of the table. */
	assert_int_equal(learned, 48);
	assert_int_equal(fdb_port_count(f, 1), 48);
	assert_int_equal(fdb_lookup(f, 1, host, 3), 0);
	/* Hosts on other ports can still be learned... */
	mac_n(m, 0x123456);
	assert_int_equal(fdb_learn(f, 1, m, 2, 3), FDB_LEARNED);
	/* ...until the table is really full, and then nothing is evicted. */
	for (uint32_t i = 0; i < 100; i++) {
		mac_n(m, 0x200000 + i);
		fdb_learn(f, 1, m, 3, 3);
	}
	assert_int_equal(fdb_count(f), 64);
	mac_n(m, 0x999999);
	assert_int_equal(fdb_learn(f, 1, m, 4, 3), FDB_FULL);
	assert_int_equal(fdb_lookup(f, 1, host, 4), 0);
	/* Known addresses still move while full. */
	assert_int_equal(fdb_learn(f, 1, host, 5, 4), FDB_MOVED);
	/* Once the flood ages out there is room again. */
	fdb_learn(f, 1, host, 5, 250);
	assert_true(fdb_age(f, 302) >= 48);
	assert_int_equal(fdb_learn(f, 1, m, 4, 302), FDB_LEARNED);
	assert_int_equal(fdb_lookup(f, 1, host, 302), 5);
	fdb_free(f);
}

static void flush_filters(void **state)
{
	struct fdb *f = fdb_new(64, 300, 8);
	uint8_t m[6];

	(void)state;
	for (uint32_t i = 0; i < 12; i++) {
		mac_n(m, i);
		/* ports 0..2, VLANs 1..2 */
		fdb_learn(f, (uint16_t)(1 + i % 2), m, (uint16_t)(i % 3), 1);
	}
	assert_int_equal(fdb_count(f), 12);
	assert_int_equal(fdb_flush(f, 0, 1), 2);  /* i = 0, 6 */
	assert_int_equal(fdb_flush(f, 1, 0), 4);  /* i = 1, 4, 7, 10 */
	assert_int_equal(fdb_flush(f, FDB_NO_PORT, 2), 4); /* i = 3, 5, 9, 11 */
	assert_int_equal(fdb_count(f), 2); /* i = 2, 8 */
	mac_n(m, 2);
	assert_int_equal(fdb_lookup(f, 1, m, 1), 2);
	assert_int_equal(fdb_flush(f, FDB_NO_PORT, 0), 2);
	assert_int_equal(fdb_count(f), 0);
	assert_int_equal(fdb_port_count(f, 2), 0);
	fdb_free(f);
}

struct seen {
	int n;
	uint32_t max_age;
	uint16_t vid;
};

static void count_entry(const struct fdb_entry_info *e, void *arg)
{
	struct seen *s = arg;

	s->n++;
	if (e->age > s->max_age)
		s->max_age = e->age;
	s->vid = e->vid;
	assert_int_equal(e->mac[0], 0x02);
}

static void foreach_skips_expired(void **state)
{
	struct fdb *f = fdb_new(8, 10, 4);
	struct seen s = { 0 };
	uint8_t m[6];

	(void)state;
	mac_n(m, 1);
	fdb_learn(f, 4094, m, 1, 0);
	mac_n(m, 2);
	fdb_learn(f, 4094, m, 1, 5);
	fdb_foreach(f, 12, count_entry, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.max_age, 7);
	assert_int_equal(s.vid, 4094);
	fdb_free(f);
}

static void bad_arguments(void **state)
{
	uint8_t m[6] = { 2, 0, 0, 0, 0, 1 };
	struct fdb *f;

	(void)state;
	assert_null(fdb_new(0, 300, 4));
	assert_null(fdb_new(16, 0, 4));
	assert_null(fdb_new(FDB_MAX_SIZE + 1, 300, 4));
	f = fdb_new(1, 300, 4);
	assert_non_null(f);
	assert_int_equal(fdb_learn(f, 1, m, 4, 0), FDB_FULL); /* port out of range */
	assert_int_equal(fdb_learn(f, 1, m, 3, 0), FDB_LEARNED);
	fdb_free(f);
	fdb_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(learn_and_lookup),
		cmocka_unit_test(moves_between_ports),
		cmocka_unit_test(ages_out),
		cmocka_unit_test(cap_keeps_live_entries),
		cmocka_unit_test(flush_filters),
		cmocka_unit_test(foreach_skips_expired),
		cmocka_unit_test(bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
