// SPDX-License-Identifier: GPL-2.0-or-later
/* The switch's configuration file and control protocol: parsing, dispatch,
 * and the socket's limits (oversized lines, garbage, many clients). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "isolate.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "switch/ctl.h"
#include "switch/ctl_cmd.h"
#include "switch/sw.h"
#include "switch/swconf.h"

static int parse(const char *text, struct swconf **c)
{
	return swconf_parse(text, strlen(text), "sw.json", c);
}

static void config_example(void **state)
{
	struct swconf *c;

	(void)state;
	assert_int_equal(parse("{\"switch\": \"v-net-0\", \"fdb\": {\"size\": 8192, \"aging\": 300},"
			       " \"ring_ports\": 64,"
			       " \"ports\": [{\"name\": \"red-eth0\"}, {\"name\": \"blue-eth0\", \"vlan\": 10},"
			       " {\"name\": \"up-eth0\", \"trunk\": [10, 20], \"native\": 1},"
			       " {\"name\": \"v-net-0-sw\"}]}",
			       &c),
			 0);
	assert_string_equal(c->name, "v-net-0");
	assert_int_equal(c->fdb_size, 8192);
	assert_int_equal(c->aging, 300);
	assert_int_equal(c->ring_ports, 64);
	assert_int_equal(c->n_ports, 4);
	assert_int_equal(c->ports[0].vlan.mode, VLAN_MODE_ACCESS);
	assert_int_equal(c->ports[0].vlan.vid, 1);
	assert_int_equal(c->ports[1].vlan.vid, 10);
	assert_int_equal(c->ports[2].vlan.mode, VLAN_MODE_TRUNK);
	assert_int_equal(c->ports[2].vlan.native, 1);
	assert_true(vlan_allowed(&c->ports[2].vlan, 10));
	assert_true(vlan_allowed(&c->ports[2].vlan, 20));
	assert_true(vlan_allowed(&c->ports[2].vlan, 1));
	assert_false(vlan_allowed(&c->ports[2].vlan, 30));
	assert_non_null(swconf_find(c, "v-net-0-sw"));
	assert_null(swconf_find(c, "green-eth0"));
	swconf_free(c);
}

static void config_defaults(void **state)
{
	struct swconf *c;

	(void)state;
	assert_int_equal(parse("{\"ports\": [{\"name\": \"a\", \"trunk\": [5]}]}", &c), 0);
	assert_int_equal(c->fdb_size, 8192);
	assert_int_equal(c->aging, 300);
	assert_int_equal(c->ring_ports, 0); /* this switch's own */
	assert_int_equal(c->ports[0].vlan.native, 1); /* default native */
	swconf_free(c);
	assert_int_equal(parse("{\"ports\": [{\"name\": \"a\", \"trunk\": [5], \"native\": 0}]}", &c), 0);
	assert_int_equal(c->ports[0].vlan.native, 0);
	assert_false(vlan_allowed(&c->ports[0].vlan, 1));
	swconf_free(c);
	assert_int_equal(parse("{}", &c), 0);
	assert_int_equal(c->n_ports, 0);
	swconf_free(c);
}

static void config_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "{\"switch\": \"x\", \"colour\": 1}", "unknown key \"colour\"" },
		{ "{\"ports\": [{\"name\": \"a\", \"mtu\": 9000}]}", "ports[0]: unknown key \"mtu\"" },
		{ "{\"fdb\": {\"size\": 0}}", "fdb.size: 0 is out of range" },
		{ "{\"fdb\": {\"aging\": \"long\"}}", "fdb.aging: must be an integer" },
		{ "{\"fdb\": {\"ttl\": 3}}", "unknown key \"ttl\"" },
		{ "{\"ring_ports\": 0}", "ring_ports: 0 is out of range" },
		{ "{\"ring_ports\": \"many\"}", "ring_ports: must be an integer" },
		{ "{\"ports\": [{\"name\": \"a\", \"vlan\": 4095}]}", "ports[0].vlan: 4095 is out of range" },
		{ "{\"ports\": [{\"name\": \"a\", \"vlan\": 0}]}", "out of range" },
		{ "{\"ports\": [{\"name\": \"a\", \"vlan\": 2, \"trunk\": [3]}]}", "exclude each other" },
		{ "{\"ports\": [{\"name\": \"a\", \"native\": 2}]}", "\"native\" needs \"trunk\"" },
		{ "{\"ports\": [{\"name\": \"a\", \"trunk\": []}]}", "non-empty array" },
		{ "{\"ports\": [{\"name\": \"a\", \"trunk\": [1, \"x\"]}]}", "ports[0].trunk[1]" },
		{ "{\"ports\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", "listed twice" },
		{ "{\"ports\": [{\"name\": \"a\", \"trunk\": [10, 20, 10]}]}",
		  "ports[0].trunk[2]: VLAN 10 is listed twice (ports[0].trunk[0])" },
		/* the end of the file, after a newline: where the text stops */
		{ "{\"switch\": \"x\",\n \"ports\": []\n", "sw.json:2:12: '}' expected" },
		{ "{\"switch\": \"x\",\n\n  \n", "sw.json:1:15: string or '}' expected" },
		{ "\n\n", "sw.json:1:1: '[' or '{' expected" },
		{ "{\"ports\": [{\"name\": \"a-name-that-is-too-long\"}]}", "not a valid interface name" },
		{ "{\"ports\": [{\"name\": \"a/b\"}]}", "not a valid interface name" },
		{ "{\"ports\": [{}]}", "needs \"name\"" },
		{ "{\"ports\": {}}", "ports: must be an array" },
		{ "[1, 2]", "must be a JSON object" },
		{ "{\"switch\": \"x\",\n \"ports\": [}", "sw.json:2:" },
		{ "{\"switch\": \"a\", \"switch\": \"b\"}", "sw.json:1:" },
		{ "", "sw.json:" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct swconf *c = (struct swconf *)1;
		int rc = parse(bad[i].text, &c);

		if (rc != -EINVAL || c != NULL || !strstr(err_text(rc), bad[i].msg))
			fail_msg("config %zu \"%s\": rc %d, message \"%s\", wanted \"%s\"", i, bad[i].text, rc,
				 err_text(rc), bad[i].msg);
	}
}

/* One request through the dispatcher, reply parsed back. */
static json_t *ask(struct sw *sw, const char *req)
{
	struct strbuf out = STRBUF_INIT;
	json_error_t e;
	json_t *r;

	ctl_cmd_handle(sw, req, strlen(req), &out);
	assert_int_equal(sb_error(&out), 0);
	assert_true(out.len > 0 && out.s[out.len - 1] == '\n');
	/* one line */
	assert_ptr_equal(strchr(out.s, '\n'), out.s + out.len - 1);
	r = json_loads(out.s, 0, &e);
	if (!r)
		fail_msg("reply is not JSON: %s", out.s);
	sb_free(&out);
	return r;
}

static void expect_error(struct sw *sw, const char *req, const char *msg)
{
	json_t *r = ask(sw, req);

	assert_true(json_is_false(json_object_get(r, "ok")));
	if (!strstr(json_string_value(json_object_get(r, "error")), msg))
		fail_msg("request %s: error \"%s\", wanted \"%s\"", req,
			 json_string_value(json_object_get(r, "error")), msg);
	json_decref(r);
}

static void dispatch(void **state)
{
	struct sw *sw = sw_new("sw0", 64, 300);
	uint8_t m[6] = { 2, 0, 0, 0, 0, 1 };
	json_t *r;

	(void)state;
	assert_non_null(sw);
	r = ask(sw, "{\"cmd\":\"status\"}");
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_string_equal(json_string_value(json_object_get(r, "switch")), "sw0");
	assert_int_equal(json_integer_value(json_object_get(r, "pid")), getpid());
	assert_int_equal(json_integer_value(json_object_get(r, "ports")), 0);
	json_decref(r);
	r = ask(sw, "{\"cmd\":\"ports\"}");
	assert_int_equal(json_array_size(json_object_get(r, "ports")), 0);
	json_decref(r);
	r = ask(sw, "{\"cmd\":\"stats\"}");
	assert_non_null(json_object_get(r, "total"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "total"), "rx_packets")), 0);
	json_decref(r);
	/* fdb with entries on port index 0 (no port there: named "?") */
	fdb_learn(sw->fdb, 1, m, 0, (uint32_t)(time_mono_ns() / 1000000000u));
	r = ask(sw, "{\"cmd\":\"fdb\"}");
	assert_int_equal(json_array_size(json_object_get(r, "entries")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "entries"), 0), "mac")),
			    "02:00:00:00:00:01");
	json_decref(r);
	r = ask(sw, "{\"cmd\":\"fdb-flush\",\"vlan\":2}");
	assert_int_equal(json_integer_value(json_object_get(r, "removed")), 0);
	json_decref(r);
	r = ask(sw, "{\"cmd\":\"fdb-flush\",\"vlan\":1}");
	assert_int_equal(json_integer_value(json_object_get(r, "removed")), 1);
	json_decref(r);
	r = ask(sw, "{\"cmd\":\"fdb\"}");
	assert_int_equal(json_array_size(json_object_get(r, "entries")), 0);
	json_decref(r);
	/* An entry expired but not yet swept: status counts what fdb lists. */
	fdb_set_aging(sw->fdb, 1);
	fdb_learn(sw->fdb, 1, m, 0, (uint32_t)(time_mono_ns() / 1000000000u) - 2);
	assert_int_equal(fdb_count(sw->fdb), 1);
	r = ask(sw, "{\"cmd\":\"status\"}");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "fdb"), "entries")), 0);
	json_decref(r);
	fdb_flush(sw->fdb, FDB_NO_PORT, 0);

	/* query: no snooping on this bare switch, and nothing to send */
	r = ask(sw, "{\"cmd\":\"query\"}");
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_true(json_is_false(json_object_get(r, "mld")));
	assert_true(json_is_false(json_object_get(r, "igmp")));
	json_decref(r);

	expect_error(sw, "{\"cmd\":\"dance\"}", "unknown command \"dance\"");
	expect_error(sw, "{\"cmd\":42}", "an object with \"cmd\"");
	expect_error(sw, "[\"status\"]", "an object with \"cmd\"");
	expect_error(sw, "{\"cmd\":\"status\"", "malformed request");
	expect_error(sw, "\x01\x02garbage", "malformed request");
	expect_error(sw, "{\"cmd\":\"fdb-flush\",\"port\":\"nope\"}", "no port \"nope\"");
	expect_error(sw, "{\"cmd\":\"fdb-flush\",\"port\":3}", "must be a port name");
	expect_error(sw, "{\"cmd\":\"fdb-flush\",\"vlan\":5000}", "VLAN id");
	expect_error(sw, "{\"cmd\":\"reload\"}", "no configuration file");
	expect_error(sw, "{\"cmd\":\"status\",\"cmd\":\"fdb\"}", "malformed request");
	/* words for a user, not jansson's flags */
	expect_error(sw, "{\"cmd\":\"\\u0000\"}", "malformed request: it contains a NUL character (column 15)");
	expect_error(sw, "", "empty request");
	expect_error(sw, " \t ", "empty request");
	{
		struct strbuf out = STRBUF_INIT;

		ctl_cmd_handle(sw, "{\"cmd\":\"st\0\"}", 14, &out);
		r = json_loads(out.s, 0, NULL);
		assert_non_null(r);
		assert_string_equal(json_string_value(json_object_get(r, "error")),
				    "malformed request: it contains a NUL character (column 11)");
		assert_null(strstr(out.s, "JSON_ALLOW_NUL"));
		json_decref(r);
		sb_free(&out);
	}
	sw_free(sw);
}

static void oversized(void **state)
{
	struct sw *sw = sw_new("sw0", 64, 300);
	size_t n = CTL_MAX_REQUEST + 10;
	char *big = malloc(n + 1);
	struct strbuf out = STRBUF_INIT;

	(void)state;
	memset(big, ' ', n);
	memcpy(big, "{\"cmd\":\"status\"", 15);
	big[n - 1] = '}';
	big[n] = '\0';
	ctl_cmd_handle(sw, big, n, &out);
	assert_non_null(strstr(out.s, "longer than 65536"));
	sb_free(&out);
	free(big);
	sw_free(sw);
}

static void reload_from_file(void **state)
{
	char dir[] = "/tmp/test_swctl.XXXXXX", path[64];
	struct sw *sw = sw_new("sw0", 64, 300);
	uint8_t m[6] = { 2, 0, 0, 0, 0, 1 };
	FILE *f;
	json_t *r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sw.json", dir);
	sw->config_path = strdup(path);
	f = fopen(path, "w");
	fputs("{\"switch\": \"renamed\", \"fdb\": {\"size\": 64, \"aging\": 30}}", f);
	fclose(f);
	fdb_learn(sw->fdb, 1, m, 0, (uint32_t)(time_mono_ns() / 1000000000u));
	r = ask(sw, "{\"cmd\":\"reload\"}");
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_int_equal(json_array_size(json_object_get(r, "added")), 0);
	/* the aging changes in place: the MAC table keeps its entries */
	assert_true(json_is_false(json_object_get(r, "fdb_flushed")));
	json_decref(r);
	assert_string_equal(sw->name, "renamed");
	assert_int_equal(fdb_aging(sw->fdb), 30);
	assert_int_equal(fdb_count(sw->fdb), 1);
	/* a new size: a new, empty table, and the reply says so */
	f = fopen(path, "w");
	fputs("{\"switch\": \"renamed\", \"fdb\": {\"size\": 128, \"aging\": 30}}", f);
	fclose(f);
	r = ask(sw, "{\"cmd\":\"reload\"}");
	assert_true(json_is_true(json_object_get(r, "fdb_flushed")));
	json_decref(r);
	assert_int_equal(fdb_size(sw->fdb), 128);
	assert_int_equal(fdb_count(sw->fdb), 0);
	/* a port that does not exist: an error, and nothing changes */
	f = fopen(path, "w");
	fputs("{\"switch\": \"again\", \"ports\": [{\"name\": \"nslabtest-none\"}]}", f);
	fclose(f);
	expect_error(sw, "{\"cmd\":\"reload\"}", "nslabtest-none");
	assert_int_equal(sw->n_ports, 0);
	/* a broken file: the error names it */
	f = fopen(path, "w");
	fputs("{\"ports\": 1}", f);
	fclose(f);
	expect_error(sw, "{\"cmd\":\"reload\"}", "sw.json: ports: must be an array");
	unlink(path);
	rmdir(dir);
	sw_free(sw);
}

/* --- the socket --- */

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Run the loop until fd has a full line to read (or give up). */
static char *read_line(struct ev *ev, int fd)
{
	static char buf[1 << 16];
	size_t len = 0;

	for (int round = 0; round < 200; round++) {
		ssize_t n;

		ev_run_once(ev, 10);
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, MSG_DONTWAIT);
		if (n > 0)
			len += (size_t)n;
		else if (n == 0)
			break;
		buf[len] = '\0';
		if (memchr(buf, '\n', len))
			return buf;
	}
	buf[len] = '\0';
	return len ? buf : NULL;
}

static void socket_limits(void **state)
{
	char dir[] = "/tmp/test_swctl.XXXXXX", path[64];
	struct sw *sw = sw_new("sw0", 64, 300);
	struct ev *ev = ev_new();
	struct ctl *ctl, *second;
	int fds[CTL_MAX_CLIENTS + 1], fd;
	struct stat st;
	char *line, *big;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	assert_int_equal(ctl_open(&ctl, path, ev, sw), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A second daemon on the same live socket is refused. */
	assert_int_equal(ctl_open(&second, path, ev, sw), -EADDRINUSE);

	fd = connect_to(path);
	/* Two requests in one write, the second split across writes. */
	assert_int_equal(send(fd, "{\"cmd\":\"status\"}\n{\"cmd\":", 24, 0), 24);
	line = read_line(ev, fd);
	assert_non_null(line);
	assert_non_null(strstr(line, "\"switch\":\"sw0\""));
	assert_int_equal(send(fd, "\"nope\"}\n", 8, 0), 8);
	line = read_line(ev, fd);
	assert_non_null(strstr(line, "unknown command"));
	/* An empty line gets an answer like any other. */
	assert_int_equal(send(fd, "\n", 1, 0), 1);
	line = read_line(ev, fd);
	assert_non_null(line);
	assert_non_null(strstr(line, "empty request"));
	/* Garbage with a newline. */
	assert_int_equal(send(fd, "\xff\xfe garbage\n", 11, 0), 11);
	line = read_line(ev, fd);
	assert_non_null(strstr(line, "malformed request"));
	/* An oversized line: an error, the rest of the line skipped, and
	 * the connection still answers afterwards. */
	n = (size_t)CTL_MAX_REQUEST * 2;
	big = malloc(n);
	memset(big, 'x', n);
	for (size_t off = 0; off < n;) {
		ssize_t w = send(fd, big + off, n - off, MSG_DONTWAIT);

		if (w > 0)
			off += (size_t)w;
		ev_run_once(ev, 1);
	}
	free(big);
	line = read_line(ev, fd);
	assert_non_null(line);
	assert_non_null(strstr(line, "longer than 65536"));
	assert_int_equal(send(fd, "tail of the long line\n{\"cmd\":\"ports\"}\n", 38, 0), 38);
	line = read_line(ev, fd);
	assert_non_null(line);
	assert_non_null(strstr(line, "\"ports\":[]"));

	/* Many clients: the ones over the limit are told so. */
	for (int i = 0; i < CTL_MAX_CLIENTS; i++) {
		fds[i] = connect_to(path);
		ev_run_once(ev, 5);
	}
	for (int i = 0; i < 20 && ctl_clients(ctl) < CTL_MAX_CLIENTS; i++)
		ev_run_once(ev, 5);
	assert_int_equal(ctl_clients(ctl), CTL_MAX_CLIENTS);
	fds[CTL_MAX_CLIENTS] = connect_to(path);
	line = read_line(ev, fds[CTL_MAX_CLIENTS]);
	assert_non_null(line);
	assert_non_null(strstr(line, "too many clients"));
	for (int i = 0; i <= CTL_MAX_CLIENTS; i++)
		close(fds[i]);
	close(fd);
	for (int i = 0; i < 50 && ctl_clients(ctl); i++)
		ev_run_once(ev, 5);
	assert_int_equal(ctl_clients(ctl), 0);

	ctl_close(ctl);
	assert_int_equal(stat(path, &st), -1); /* removed */
	/* A stale socket file (no one listening) is replaced. */
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		strcpy(sa.sun_path, path);
		assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
		close(s);
	}
	assert_int_equal(ctl_open(&ctl, path, ev, sw), 0);
	ctl_close(ctl);
	rmdir(dir);
	ev_free(ev);
	sw_free(sw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_example),
		cmocka_unit_test(config_defaults),
		cmocka_unit_test(config_errors),
		cmocka_unit_test(dispatch),
		cmocka_unit_test(oversized),
		cmocka_unit_test(reload_from_file),
		cmocka_unit_test(socket_limits),
	};

	/* Reload looks interfaces up: do it in a namespace of our own. */
	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	log_setup("test_swctl", LOG_LVL_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
