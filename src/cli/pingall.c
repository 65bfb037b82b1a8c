// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab pingall: every ordered pair of a lab's hosts, pinged in parallel
 * in-process (src/lab/reach.c), shown as a matrix and checked against the
 * topology's expectations.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "cli/out.h"
#include "common/errmsg.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "kernel/netns.h"
#include "lab/reach.h"
#include "topo/topo.h"

/* Above this many hosts, or this many columns, the matrix numbers its
 * columns instead of naming them. */
#define MATRIX_NAMED_MAX_HOSTS 16
#define MATRIX_NAMED_MAX_WIDTH 120

static void help(void)
{
	printf("Usage: nslab pingall [-l LAB] [-j] [-4|-6] [-t SECONDS] [LAB]\n\n"
	       "Ping every ordered pair of the lab's hosts, all at once, and show who\n"
	       "reaches whom as a matrix (rows: from, columns: to):\n"
	       "  +  reached                  -  not reached, as expected\n"
	       "  X  not reached, expected to !  reached, expected not to\n"
	       "  ?  not tested: the two hosts have no address family in common\n"
	       "The topology's `expect:` list says which pairs must and must not reach;\n"
	       "pairs it does not name must reach. Each mismatch is named, and the exit\n"
	       "status is 1 if there is any, else 0. With -q (nslab -q pingall), only\n"
	       "the mismatches are printed: nothing when every pair is as expected.\n\n"
	       "Each host is pinged at its first IPv4 address when both hosts have IPv4,\n"
	       "else at its first IPv6 address.\n\n"
	       "  -l, --lab LAB          the lab (default: the only running one)\n"
	       "  -4, -6                 IPv4 or IPv6 addresses only\n"
	       "  -t, --timeout SECONDS  how long to wait for answers (default %.1f);\n"
	       "                         unanswered echoes are resent meanwhile\n"
	       "  -j, --json             JSON: {lab, family, timeout_ms, elapsed_ms, hosts,\n"
	       "                         pairs: [{from, to, address, reached, expected,\n"
	       "                         rtt (ms or null), error?}], summary: {pairs,\n"
	       "                         reached, not_reached, skipped, mismatches},\n"
	       "                         mismatches} (a pair not tested: address,\n"
	       "                         reached and rtt null)\n"
	       "  -h, --help             this help\n",
	       REACH_TIMEOUT_DEFAULT_MS / 1000.0);
}

enum mark { MARK_SELF, MARK_REACHED, MARK_BLOCKED, MARK_MISSING, MARK_UNEXPECTED, MARK_SKIPPED };

static const char mark_chars[] = { ' ', '+', '-', 'X', '!', '?' };

static enum mark pair_mark(json_t *pair)
{
	json_t *reached = json_object_get(pair, "reached");
	bool expected = json_is_true(json_object_get(pair, "expected"));

	if (!json_is_boolean(reached))
		return MARK_SKIPPED;
	if (json_is_true(reached))
		return expected ? MARK_REACHED : MARK_UNEXPECTED;
	return expected ? MARK_MISSING : MARK_BLOCKED;
}

static void put_mark(struct strbuf *row, enum mark m, bool color)
{
	static const char *const colors[] = { "", "\033[32m", "\033[2m", "\033[1;31m", "\033[1;31m",
					      "\033[33m" };

	if (color && m != MARK_SELF)
		sb_printf(row, "%s%c\033[0m", colors[m], mark_chars[m]);
	else
		sb_printf(row, "%c", mark_chars[m]);
}

/* Print a row without the blanks that end it (the diagonal is blank). */
static void put_row(struct strbuf *row)
{
	size_t n = row->len;

	while (n && row->s[n - 1] == ' ')
		n--;
	printf("%.*s\n", (int)n, sb_str(row));
	sb_reset(row);
}

/* marks[from * n + to] from the pairs of the JSON answer. */
static enum mark *marks_of(json_t *root, size_t n)
{
	enum mark *marks = calloc(n ? n * n : 1, sizeof(*marks));
	json_t *hosts = json_object_get(root, "hosts"), *pair;
	json_t *index = json_object();
	size_t i;

	if (!marks || !index) {
		free(marks);
		json_decref(index);
		return NULL;
	}
	for (i = 0; i < n; i++)
		json_object_set_new(index, json_string_value(json_array_get(hosts, i)), json_integer((json_int_t)i));
	json_array_foreach(json_object_get(root, "pairs"), i, pair) {
		json_t *a = json_object_get(index, json_string_value(json_object_get(pair, "from")));
		json_t *b = json_object_get(index, json_string_value(json_object_get(pair, "to")));

		if (a && b)
			marks[json_integer_value(a) * (json_int_t)n + json_integer_value(b)] = pair_mark(pair);
	}
	json_decref(index);
	return marks;
}

static void print_matrix(json_t *root)
{
	json_t *hosts = json_object_get(root, "hosts");
	size_t n = json_array_size(hosts), namew = strlen("from \\ to"), width;
	bool color = out_color(stdout);
	enum mark *marks = marks_of(root, n);
	struct strbuf row = STRBUF_INIT;

	if (!marks)
		return;
	width = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(json_string_value(json_array_get(hosts, i)));

		if (l > namew)
			namew = l;
		width += l + 2;
	}
	if (n <= MATRIX_NAMED_MAX_HOSTS && namew + 2 + width <= MATRIX_NAMED_MAX_WIDTH) {
		/* Named columns: each mark under the first letter of its name. */
		printf("%-*s", (int)namew, "from \\ to");
		for (size_t b = 0; b < n; b++)
			printf("  %s", json_string_value(json_array_get(hosts, b)));
		putchar('\n');
		for (size_t a = 0; a < n; a++) {
			sb_printf(&row, "%-*s", (int)namew, json_string_value(json_array_get(hosts, a)));
			for (size_t b = 0; b < n; b++) {
				size_t w = strlen(json_string_value(json_array_get(hosts, b)));

				sb_puts(&row, "  ");
				put_mark(&row, marks[a * n + b], color);
				sb_printf(&row, "%*s", (int)w - 1, "");
			}
			put_row(&row);
		}
	} else {
		/* Numbered columns, one character each, read down the header:
		 * column 12 is the one under "1" over "2". */
		int digits = 1;

		for (size_t x = n; x >= 10; x /= 10)
			digits++;
		for (int d = digits - 1; d >= 0; d--) {
			unsigned long div = 1;

			for (int k = 0; k < d; k++)
				div *= 10;
			printf("%-*s", digits + 1 + (int)namew + 2, d == digits - 1 ? "from \\ to" : "");
			for (size_t b = 0; b < n; b++) {
				unsigned long num = (unsigned long)b + 1;

				putchar(num >= div || d == 0 ? (char)('0' + num / div % 10) : ' ');
			}
			putchar('\n');
		}
		for (size_t a = 0; a < n; a++) {
			sb_printf(&row, "%*zu %-*s  ", digits, a + 1, (int)namew,
				  json_string_value(json_array_get(hosts, a)));
			for (size_t b = 0; b < n; b++)
				put_mark(&row, marks[a * n + b], color);
			put_row(&row);
		}
	}
	sb_free(&row);
	free(marks);
}

static void print_result(json_t *root)
{
	json_t *sum = json_object_get(root, "summary"), *mm = json_object_get(root, "mismatches"), *m;
	long long pairs = json_integer_value(json_object_get(sum, "pairs"));
	long long reached = json_integer_value(json_object_get(sum, "reached"));
	long long skipped = json_integer_value(json_object_get(sum, "skipped"));
	size_t i;

	if (cli_quiet) {
		/* for scripts: the mismatches alone, nothing when all is well */
		if (json_array_size(mm))
			printf("%zu of %lld pairs not as expected:\n", json_array_size(mm), pairs);
		json_array_foreach(mm, i, m)
			printf("  %s\n", json_string_value(m));
		return;
	}
	print_matrix(root);
	printf("\n%lld pairs: %lld reached, %lld not reached", pairs, reached,
	       pairs - reached - skipped);
	if (skipped)
		printf(", %lld not tested (no address family in common)", skipped);
	if (json_array_size(mm))
		printf("; %zu not as expected (%.2f s):\n", json_array_size(mm),
		       json_real_value(json_object_get(root, "elapsed_ms")) / 1000.0);
	else
		printf("; all as expected (%.2f s)\n",
		       json_real_value(json_object_get(root, "elapsed_ms")) / 1000.0);
	json_array_foreach(mm, i, m)
		printf("  %s\n", json_string_value(m));
}

static int parse_timeout(const char *s, unsigned *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 3600)
		return -EINVAL;
	*ms = (unsigned)(v * 1000.0 + 0.5);
	if (!*ms)
		*ms = 1;
	return 0;
}

/* Namespace fds of every host of the lab. */
static int open_sources(const struct labsel *ls, int **fds)
{
	const struct topo *t = ls->topo;
	int *v, rc;

	/* Per host: its namespace, two echo sockets, a netlink socket. */
	rc = netns_raise_nofile(t->n_hosts * 4 + 64);
	if (rc)
		return rc;
	v = malloc((t->n_hosts ? t->n_hosts : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t h = 0; h < t->n_hosts; h++)
		v[h] = -1;
	for (size_t h = 0; h < t->n_hosts; h++) {
		rc = netns_open(t->hosts[h].name, &v[h]);
		if (rc) {
			for (size_t k = 0; k < h; k++)
				close(v[k]);
			free(v);
			if (rc == -ENOENT)
				return err_msg(rc, "lab %s: host %s has no namespace; nslab up repairs the lab",
					       ls->meta.name, t->hosts[h].name);
			return err_set(rc, "lab %s: opening host %s's namespace", ls->meta.name,
				       t->hosts[h].name);
		}
	}
	*fds = v;
	return 0;
}

static json_t *result_json(const struct labsel *ls, int family, unsigned timeout_ms,
			   uint64_t elapsed_ns, const struct reach_pair *pairs, size_t n_pairs,
			   const struct reach_probe *probes, const size_t *probe_of)
{
	const struct topo *t = ls->topo;
	json_t *hosts = json_array(), *jp = json_array(), *mm = json_array();
	size_t reached = 0, skipped = 0;
	uint64_t elapsed_10us = (elapsed_ns + 5000) / 10000;

	for (size_t h = 0; h < t->n_hosts; h++)
		json_array_append_new(hosts, json_string(t->hosts[h].name));
	for (size_t i = 0; i < n_pairs; i++) {
		const struct reach_pair *p = &pairs[i];
		const char *from = t->hosts[p->from].name, *to = t->hosts[p->to].name;
		char addr[TOPO_CIDR_STRLEN], line[512];
		uint64_t rtt_us;
		json_t *o;

		if (!p->family) {
			skipped++;
			json_array_append_new(jp, json_pack("{s:s, s:s, s:n, s:n, s:b, s:n}", "from", from,
							    "to", to, "address", "reached", "expected",
							    p->expected, "rtt"));
			continue;
		}
		const struct reach_probe *pr = &probes[probe_of[i]];

		topo_addr_str(p->family, p->addr, addr, sizeof(addr));
		o = json_pack("{s:s, s:s, s:s, s:b, s:b}", "from", from, "to", to, "address", addr,
			      "reached", pr->reached, "expected", p->expected);
		rtt_us = (pr->rtt_ns + 500) / 1000; /* milliseconds with 3 decimals */
		json_object_set_new(o, "rtt", pr->reached ? json_real((double)rtt_us / 1e3) : json_null());
		if (!pr->reached && pr->error)
			json_object_set_new(o, "error", json_string(strerror(-pr->error)));
		json_array_append_new(jp, o);
		reached += pr->reached;
		if (pr->reached != p->expected) {
			snprintf(line, sizeof(line), "%s -> %s: %s", from, to,
				 pr->reached ? "reached, expected not to" : "not reached, expected to");
			json_array_append_new(mm, json_string(line));
		}
	}
	return json_pack("{s:s, s:s, s:i, s:f, s:o, s:o, s:{s:i, s:i, s:i, s:i, s:i}, s:o}", "lab",
			 ls->meta.name, "family",
			 family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "any",
			 "timeout_ms", (int)timeout_ms, "elapsed_ms", (double)elapsed_10us / 1e2,
			 "hosts", hosts, "pairs", jp, "summary", "pairs", (int)n_pairs, "reached",
			 (int)reached, "not_reached", (int)(n_pairs - reached - skipped), "skipped",
			 (int)skipped, "mismatches", (int)json_array_size(mm), "mismatches", mm);
}

int pingall_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lab", required_argument, NULL, 'l' },   { "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned timeout_ms = REACH_TIMEOUT_DEFAULT_MS;
	struct reach_pair *pairs = NULL;
	struct reach_probe *probes = NULL;
	size_t n_pairs = 0, n_probes = 0, *probe_of = NULL;
	const char *lab = NULL;
	struct labsel ls;
	int *fds = NULL, family = AF_UNSPEC, c, rc, status = EXIT_FAIL;
	bool json = false;
	uint64_t start;
	json_t *root;

	optind = 1;
	while ((c = getopt_long(argc, argv, "l:j46t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			lab = optarg;
			break;
		case 'j':
			json = true;
			break;
		case '4':
		case '6':
			if (family != AF_UNSPEC && family != (c == '4' ? AF_INET : AF_INET6))
				return cli_usage_error("pingall", "-4 or -6, not both");
			family = c == '4' ? AF_INET : AF_INET6;
			break;
		case 't':
			if (parse_timeout(optarg, &timeout_ms))
				return cli_usage_error("pingall", "-t wants seconds (e.g. 0.5), not %s",
						       optarg);
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("pingall", argv, "l:j46t:h");
		}
	}
	if (optind < argc && !lab)
		lab = argv[optind++];
	if (optind < argc)
		return cli_usage_error("pingall", "too many arguments");
	rc = labsel_open(lab, &ls);
	if (rc)
		return cli_fail(rc);
	rc = reach_pairs(ls.topo, family, &pairs, &n_pairs);
	if (rc)
		goto out;
	if (n_pairs == 0) {
		rc = err_msg(-EINVAL, "lab %s has fewer than two hosts: no pairs to ping", ls.meta.name);
		goto out;
	}
	probes = calloc(n_pairs, sizeof(*probes));
	probe_of = calloc(n_pairs, sizeof(*probe_of));
	if (!probes || !probe_of) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n_pairs; i++) {
		if (!pairs[i].family)
			continue;
		probe_of[i] = n_probes;
		probes[n_probes].src = pairs[i].from;
		probes[n_probes].family = pairs[i].family;
		memcpy(probes[n_probes].addr, pairs[i].addr, 16);
		memcpy(probes[n_probes].neigh, pairs[i].neigh, sizeof(pairs[i].neigh));
		n_probes++;
	}
	if (!n_probes) {
		rc = err_msg(-EINVAL, "lab %s: no host has an %s address to ping", ls.meta.name,
			     family == AF_INET6 ? "IPv6" : family == AF_INET ? "IPv4" : "IP");
		goto out;
	}
	rc = open_sources(&ls, &fds);
	if (rc)
		goto out;
	start = time_mono_ns();
	rc = reach_run(fds, ls.topo->n_hosts, probes, n_probes,
		       &(struct reach_opts){ .timeout_ms = timeout_ms });
	if (rc)
		goto out;
	root = result_json(&ls, family, timeout_ms, time_mono_ns() - start, pairs, n_pairs, probes,
			   probe_of);
	if (!root) {
		rc = -ENOMEM;
		goto out;
	}
	if (json)
		out_json(stdout, root);
	else
		print_result(root);
	status = json_array_size(json_object_get(root, "mismatches")) ? EXIT_FAIL : EXIT_OK;
	json_decref(root);
out:
	if (fds)
		for (size_t h = 0; h < ls.topo->n_hosts; h++)
			close(fds[h]);
	free(fds);
	free(pairs);
	free(probes);
	free(probe_of);
	labsel_close(&ls);
	return rc ? cli_fail(rc) : status;
}
