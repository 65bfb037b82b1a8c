// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of a run's open namespaces: found by name after many come and
 * go, and its size bounded by how many it held, not by how many went (a
 * rollback drops hundreds, one by one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "lab/nsctx.h"

#define N 600

static void test_drop_many(void **state)
{
	struct nsctx_table t;
	struct nsctx *c;
	char name[32];

	(void)state;
	nsctx_table_init(&t);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "nsctx-test-%d", i);
		assert_int_equal(nsctx_adopt(&t, name, -1, NULL, NULL), 0);
	}
	size_t held = t.nslots;

	/* Drop every other one, newest first, as a rollback does. */
	for (int i = N - 1; i >= 0; i -= 2) {
		snprintf(name, sizeof(name), "nsctx-test-%d", i);
		nsctx_drop(&t, name);
	}
	assert_int_equal(t.nslots, held);
	for (int i = 0; i < N; i += 2) {
		snprintf(name, sizeof(name), "nsctx-test-%d", i);
		c = NULL;
		assert_int_equal(nsctx_get(&t, name, &c), 0);
		assert_non_null(c);
		assert_string_equal(c->name, name);
	}
	/* A dropped one is not found: it would be opened anew, and this
	 * namespace does not exist. */
	assert_int_not_equal(nsctx_get(&t, "nsctx-test-1", &c), 0);
	for (int i = 0; i < N; i += 2) {
		snprintf(name, sizeof(name), "nsctx-test-%d", i);
		nsctx_drop(&t, name);
	}
	assert_int_equal(t.nslots, held);
	nsctx_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
