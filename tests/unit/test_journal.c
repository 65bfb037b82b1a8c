// SPDX-License-Identifier: GPL-2.0-or-later
/* The journal and the object text it stores: what a crash leaves behind
 * must replay to the objects that may exist, no more and no fewer. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/fsutil.h"
#include "lab/journal.h"

static char dir[] = "/tmp/nslab-test-journal-XXXXXX";
static char path[256];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/journal", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(dir);
}

static void write_text(const char *text)
{
	assert_int_equal(fs_write_atomic(path, text, strlen(text), 0600), 0);
}

static void test_obj_text_round_trip(void **state)
{
	struct obj *o = obj_new(OBJ_VETH, "red", "eth0", "peer_ns=nslab-s peer=red-eth0 mtu=0",
				"ifindex=2 peer_ifindex=0"), *p;
	char *s = obj_format(o), buf[32];

	(void)state;
	assert_string_equal(s, "veth red eth0 peer_ns=nslab-s peer=red-eth0 mtu=0 | ifindex=2 peer_ifindex=0");
	assert_int_equal(obj_parse(s, &p), 0);
	assert_true(obj_same(o, p));
	assert_string_equal(p->state, o->state);
	assert_true(obj_get(p->attrs, "peer", buf, sizeof(buf)));
	assert_string_equal(buf, "red-eth0");
	assert_false(obj_get(p->attrs, "pe", buf, sizeof(buf)));
	assert_int_equal(obj_get_long(p->state, "ifindex", -1), 2);
	assert_int_equal(obj_get_long(p->state, "missing", -1), -1);
	free(s);
	{
		struct obj *bad = NULL;

		assert_int_equal(obj_parse("veth red", &bad), -EINVAL);
		assert_int_equal(obj_parse("nokind - x | ", &bad), -EINVAL);
		assert_null(bad);
	}
	obj_free(o);
	obj_free(p);
}

static void test_replay_confirms_and_deletes(void **state)
{
	struct objset cur;

	(void)state;
	write_text("nslab-journal 1\n"
		   "+ netns - red | \n"
		   "+ netns - blue | \n"
		   "=\n"
		   "+ veth red eth0 peer_ns=- peer=red-eth0 | ifindex=2\n"
		   "- netns - blue\n");
	objset_init(&cur);
	assert_int_equal(journal_load(path, &cur), 0);
	assert_int_equal(cur.n, 2);
	assert_true(objset_find_key(&cur, OBJ_NETNS, "-", "red")->flags & OBJ_F_CONFIRMED);
	assert_null(objset_find_key(&cur, OBJ_NETNS, "-", "blue"));
	/* Recorded after the last commit: may or may not exist. */
	assert_false(objset_find_key(&cur, OBJ_VETH, "red", "eth0")->flags & OBJ_F_CONFIRMED);
	objset_clear(&cur);
}

static void test_torn_last_line_is_ignored(void **state)
{
	struct objset cur;

	(void)state;
	write_text("nslab-journal 1\n+ netns - red | \n=\n+ vet");
	objset_init(&cur);
	assert_int_equal(journal_load(path, &cur), 0);
	assert_int_equal(cur.n, 1);
	objset_clear(&cur);
	/* ...but damage in the middle is an error, not a guess. */
	write_text("nslab-journal 1\n+ netns - red | \ngarbage\n+ netns - blue | \n");
	objset_init(&cur);
	assert_int_equal(journal_load(path, &cur), -EINVAL);
	objset_clear(&cur);
}

static void test_missing_journal_is_empty(void **state)
{
	struct objset cur;

	(void)state;
	unlink(path);
	objset_init(&cur);
	assert_int_equal(journal_load(path, &cur), 0);
	assert_int_equal(cur.n, 0);
}

static void test_write_then_compact(void **state)
{
	struct journal *j;
	struct objset cur, back;
	struct obj *a = obj_new(OBJ_NETNS, "-", "red", NULL, NULL);
	struct obj *b = obj_new(OBJ_ADDR, "red", "eth0/10.0.0.1/24", NULL, NULL);

	(void)state;
	unlink(path);
	assert_int_equal(journal_open(path, &j), 0);
	assert_int_equal(journal_add(j, a), 0);
	assert_int_equal(journal_add(j, b), 0);
	assert_int_equal(journal_commit(j), 0);
	assert_int_equal(journal_del(j, b), 0);
	assert_int_equal(journal_write(j), 0);
	objset_init(&cur);
	assert_int_equal(journal_load(path, &cur), 0);
	assert_int_equal(cur.n, 1);
	assert_true(cur.v[0]->flags & OBJ_F_CONFIRMED);
	/* Compaction keeps exactly the set, and appending goes on after it. */
	assert_int_equal(journal_compact(j, &cur), 0);
	assert_int_equal(journal_add(j, b), 0);
	assert_int_equal(journal_write(j), 0);
	objset_init(&back);
	assert_int_equal(journal_load(path, &back), 0);
	assert_int_equal(back.n, 2);
	assert_true(objset_find_key(&back, OBJ_NETNS, "-", "red")->flags & OBJ_F_CONFIRMED);
	assert_false(objset_find_key(&back, OBJ_ADDR, "red", "eth0/10.0.0.1/24")->flags &
		     OBJ_F_CONFIRMED);
	objset_clear(&back);
	objset_clear(&cur);
	journal_close(j);
	obj_free(a);
	obj_free(b);
}

static void test_objset_order_and_removal(void **state)
{
	struct objset s;
	char name[16];

	(void)state;
	objset_init(&s);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		assert_int_equal(objset_put(&s, obj_new(OBJ_NETNS, "-", name, NULL, NULL)), 0);
	}
	/* Same key: replaced in place. */
	assert_int_equal(objset_put(&s, obj_new(OBJ_NETNS, "-", "h5", "x=1", NULL)), 0);
	assert_int_equal(s.n, 1000);
	assert_string_equal(s.v[5]->attrs, "x=1");
	for (int i = 0; i < 1000; i += 2)
		s.v[i]->flags |= OBJ_F_GONE;
	objset_remove_flagged(&s, OBJ_F_GONE);
	assert_int_equal(s.n, 500);
	assert_string_equal(s.v[0]->name, "h1");
	assert_null(objset_find_key(&s, OBJ_NETNS, "-", "h2"));
	assert_non_null(objset_find_key(&s, OBJ_NETNS, "-", "h999"));
	assert_true(objset_del(&s, s.v[0]));
	assert_null(objset_find_key(&s, OBJ_NETNS, "-", "h1"));
	assert_int_equal(objset_index(&s, objset_find_key(&s, OBJ_NETNS, "-", "h3")), 0);
	objset_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_obj_text_round_trip),
		cmocka_unit_test(test_replay_confirms_and_deletes),
		cmocka_unit_test(test_torn_last_line_is_ignored),
		cmocka_unit_test(test_missing_journal_is_empty),
		cmocka_unit_test(test_write_then_compact),
		cmocka_unit_test(test_objset_order_and_removal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
