// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab doctor: is this machine (the namespace nslab runs in) ready for a
 * lab? The checks live in src/lab/checks.c, where `up` can use them too.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"
#include "common/errmsg.h"
#include "lab/checks.h"
#include "topo/topo.h"

static void help(void)
{
	printf("Usage: nslab doctor [-j] [--sandbox] [FILE]\n\n"
	       "Check this machine before building a lab: privileges, kernel features\n"
	       "(network namespaces, veth, the bridge, nftables NAT, AF_PACKET rings,\n"
	       "IPv6; each tried in a throwaway namespace), /run/netns, a firewall that\n"
	       "drops forwarded traffic, sysctls in the way, nslab-switchd and ping.\n"
	       "With FILE, also the topology: is it valid, and are the namespaces and\n"
	       "interfaces it would make free (with --sandbox: as a sandbox lab), and\n"
	       "on the machine, do its subnets overlap the machine's routes;\n"
	       "FILE - reads standard input.\n"
	       "One line per check, OK, WARN or FAIL, with how to fix what is wrong.\n\n"
	       "  -j, --json     JSON: {checks: [{name, level, detail, fix}], summary}\n"
	       "      --sandbox  check for labs built with --sandbox: FILE's names as\n"
	       "                 nslab up --sandbox takes them, and the host's firewall\n"
	       "                 and br_netfilter as out of their way\n"
	       "  -h, --help     this help\n\n"
	       "Exit status: 0 when nothing fails (warnings are fine), 1 otherwise.\n");
}

static int run_checks(struct checks *c, const struct topo *t, bool sandbox)
{
	int rc = checks_privileges(c);

	rc = rc ? rc : checks_kernel(c, t);
	rc = rc ? rc : checks_dirs(c);
	rc = rc ? rc : checks_forward_drop(c, -1, t);
	rc = rc ? rc : checks_sysctls(c);
	rc = rc ? rc : checks_switchd(c, t);
	rc = rc ? rc : checks_tools(c);
	if (!rc && t)
		rc = checks_names(c, t, sandbox);
	if (!rc && t && !sandbox)
		rc = checks_overlap(c, t);
	/* A sandbox lab's gateway and forwarding live in a namespace of its
	 * own, with no firewall and br_netfilter's hooks off: the host's stay
	 * out of its way. */
	if (!rc && sandbox)
		rc = checks_settle(c, "forward-policy", CHECK_OK, "labs built with --sandbox are not affected");
	if (!rc && sandbox)
		rc = checks_settle(c, "br-netfilter", CHECK_OK, "labs built with --sandbox are not affected");
	return rc;
}

static json_t *checks_json(const struct checks *c)
{
	json_t *arr = json_array();
	size_t counts[3] = { 0, 0, 0 };

	for (size_t i = 0; i < c->n; i++) {
		const struct check *k = &c->v[i];

		counts[k->level]++;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?}", "name", k->name, "level",
						     check_level_str(k->level, true), "detail",
						     k->detail, "fix", k->fix));
	}
	return json_pack("{s:o, s:{s:i, s:i, s:i}}", "checks", arr, "summary", "ok", (int)counts[0],
			 "warn", (int)counts[1], "fail", (int)counts[2]);
}

static void print_text(json_t *root)
{
	static const char *const colors[] = { "\033[32m", "\033[33m", "\033[1;31m" };
	json_t *checks = json_object_get(root, "checks"), *k, *sum = json_object_get(root, "summary");
	bool color = out_color(stdout);
	size_t i, namew = 0;

	json_array_foreach(checks, i, k) {
		size_t l = strlen(json_string_value(json_object_get(k, "name")));

		namew = l > namew ? l : namew;
	}
	json_array_foreach(checks, i, k) {
		const char *lv = json_string_value(json_object_get(k, "level"));
		const char *fix = json_string_value(json_object_get(k, "fix"));
		int li = !strcmp(lv, "ok") ? 0 : !strcmp(lv, "warn") ? 1 : 2;

		printf("%s%-4s%s  %-*s  %s", color ? colors[li] : "", check_level_str(li, false),
		       color ? "\033[0m" : "", (int)namew,
		       json_string_value(json_object_get(k, "name")),
		       json_string_value(json_object_get(k, "detail")));
		if (fix)
			printf("; fix: %s", fix);
		putchar('\n');
	}
	long long ok = json_integer_value(json_object_get(sum, "ok"));
	long long warn = json_integer_value(json_object_get(sum, "warn"));
	long long fail = json_integer_value(json_object_get(sum, "fail"));

	printf("\n%lld OK, %lld warning%s, %lld failure%s\n", ok, warn, warn == 1 ? "" : "s", fail,
	       fail == 1 ? "" : "s");
}

int doctor_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "sandbox", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct topo_diag diag = { 0 };
	struct topo *t = NULL;
	struct checks c;
	bool json = false, sandbox = false;
	int ch, rc, status;
	json_t *root;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 's':
			sandbox = true;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("doctor", argv, "jh");
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("doctor", "one topology file at most");
	checks_init(&c);
	if (optind < argc) {
		rc = topo_parse_file(argv[optind], &t, &diag);
		if (rc) {
			/* A bad file is a finding like any other, reported with
			 * the parser's own lines. */
			bool listed = diag.n > 0;

			rc = listed ? 0 : rc;
			if (listed)
				for (size_t i = 0; i < diag.n && !rc; i++)
					rc = checks_add(&c, "topology", CHECK_FAIL, NULL, "%s", diag.lines[i]);
			else
				rc = checks_add(&c, "topology", CHECK_FAIL, "give a readable topology file",
						"%s", err_text(rc));
			topo_diag_free(&diag);
			err_clear();
			if (rc)
				goto fail;
		} else {
			rc = checks_add(&c, "topology", CHECK_OK, NULL, "%s: lab %s, %zu host%s, %zu switch%s, %zu link%s",
					argv[optind], t->name, t->n_hosts, t->n_hosts == 1 ? "" : "s",
					t->n_switches, t->n_switches == 1 ? "" : "es",
					t->n_links + t->n_swlinks,
					t->n_links + t->n_swlinks == 1 ? "" : "s");
			if (rc)
				goto fail;
		}
	}
	rc = run_checks(&c, t, sandbox);
	if (rc)
		goto fail;
	root = checks_json(&c);
	if (!root) {
		rc = -ENOMEM;
		goto fail;
	}
	if (json)
		out_json(stdout, root);
	else
		print_text(root);
	json_decref(root);
	status = checks_worst(&c) == CHECK_FAIL ? EXIT_FAIL : EXIT_OK;
	checks_free(&c);
	topo_free(t);
	return status;
fail:
	checks_free(&c);
	topo_free(t);
	return cli_fail(rc);
}
