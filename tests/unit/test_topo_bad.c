// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every file in tests/unit/topo/bad/ is a topology with known mistakes. Its
 * first lines say which problems it has, one per line:
 *
 *   # expect: 4:5: unknown key 'gatway' in switch 'v-net-0'; did you mean 'gateway'?
 *
 * Parsing it must fail with -EINVAL, nothing allocated, and the problems
 * reported must be exactly the expected ones: each expectation is found
 * (as "FILE:" + the text, position included) in one reported line, in the
 * order given, and nothing else is reported, so a check that starts
 * reporting a cascade of follow-on problems fails here too.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/fsutil.h"
#include "topo/topo.h"

#define BAD_DIR "tests/unit/topo/bad"
#define EXPECT_TAG "# expect: "
#define MIN_CASES 40

static char dir[4096];

static void show(const struct topo_diag *diag)
{
	for (size_t i = 0; i < diag->n; i++)
		print_message("# got: %s\n", diag->lines[i]);
}

static void check_file(void **state)
{
	const char *path = *state;
	struct topo_diag diag = { 0 };
	struct topo *t = (struct topo *)1;
	char *buf, *line, *save = NULL, want[8192];
	size_t len, n_expect = 0;
	int rc;

	assert_int_equal(fs_read_file(path, 1 << 20, &buf, &len), 0);
	rc = topo_parse_file(path, &t, &diag);
	assert_int_equal(rc, -EINVAL);
	assert_null(t);
	for (line = strtok_r(buf, "\n", &save); line && !strncmp(line, EXPECT_TAG, strlen(EXPECT_TAG));
	     line = strtok_r(NULL, "\n", &save)) {
		snprintf(want, sizeof(want), "%s:%s", path, line + strlen(EXPECT_TAG));
		if (n_expect >= diag.n || !strstr(diag.lines[n_expect], want)) {
			show(&diag);
			fail_msg("expected \"%s\"", want);
		}
		n_expect++;
	}
	assert_true(n_expect > 0); /* a case without expectations proves nothing */
	if (diag.n != n_expect) {
		show(&diag);
		fail_msg("%zu unexpected problem(s), the first: %s", diag.n - n_expect,
			 diag.lines[n_expect]);
	}
	topo_diag_free(&diag);
	free(buf);
}

static int yaml_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".yaml");
}

int main(void)
{
	const char *top = getenv("TOP");
	struct CMUnitTest *tests;
	struct dirent **names;
	int n, rc;

	snprintf(dir, sizeof(dir), "%s%s%s", top ? top : "", top ? "/" : "", BAD_DIR);
	n = scandir(dir, &names, yaml_file, alphasort);
	if (n < MIN_CASES) {
		printf("not ok 1 - %s: %d cases, expected at least %d\n", dir, n, MIN_CASES);
		return 1;
	}
	tests = calloc((size_t)n, sizeof(*tests));
	if (!tests)
		return 1;
	for (int i = 0; i < n; i++) {
		char *path;

		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0)
			abort();
		tests[i].name = names[i]->d_name;
		tests[i].test_func = check_file;
		tests[i].initial_state = path;
	}
	rc = _cmocka_run_group_tests("topo_bad", tests, (size_t)n, NULL, NULL);
	for (int i = 0; i < n; i++) {
		free(tests[i].initial_state);
		free(names[i]);
	}
	free(names);
	free(tests);
	return rc;
}
