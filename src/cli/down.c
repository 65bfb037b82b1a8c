// SPDX-License-Identifier: GPL-2.0-or-later
/* nslab down: take labs down, leaving nothing behind. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/interrupt.h"
#include "cli/progress.h"
#include "common/errmsg.h"
#include "lab/lab.h"
#include "lab/state.h"
#include "topo/topo.h"

static void help(void)
{
	printf("Usage: nslab down [-l LAB | LAB | FILE | --all]\n\n"
	       "Remove everything a lab made, newest first: its switch daemons, NAT table,\n"
	       "addresses, routes, links and namespaces (and the processes running in\n"
	       "them), and put back the sysctls it changed once no other lab needs them.\n"
	       "Nothing the lab did not make is touched. Works on a half-built lab and\n"
	       "after a crash. With no argument, the one running lab.\n\n"
	       "  -l, --lab LAB  that lab (as other commands name it; LAB alone works too)\n"
	       "  -a, --all      every running lab\n"
	       "  -h, --help     this help\n");
}

/* A FILE argument names its lab (the `name:` inside, or the file's name). */
static int lab_of(const char *arg, char *lab, size_t len)
{
	struct topo_diag diag = { 0 };
	struct topo *t;
	const char *base, *dot;

	if (!strchr(arg, '/') && !strstr(arg, ".yaml") && !strstr(arg, ".yml"))
		return snprintf(lab, len, "%s", arg), 0;
	if (access(arg, R_OK) == 0 && topo_parse_file(arg, &t, &diag) == 0) {
		snprintf(lab, len, "%s", t->name);
		topo_free(t);
		return 0;
	}
	topo_diag_free(&diag);
	base = strrchr(arg, '/');
	base = base ? base + 1 : arg;
	dot = strrchr(base, '.');
	snprintf(lab, len, "%.*s", dot ? (int)(dot - base) : (int)strlen(base), base);
	return 0;
}

/* Testing aid: NSLAB_DOWN_WAIT_MS=N waits that long, signals caught, before
 * taking the lab down, so that a test's signal surely comes meanwhile. */
static void down_wait_for_test(void)
{
	const char *ms = getenv("NSLAB_DOWN_WAIT_MS");

	if (!ms)
		return;
	fprintf(stderr, "nslab: waiting %s ms before taking the lab down (NSLAB_DOWN_WAIT_MS)\n", ms);
	usleep((useconds_t)atol(ms) * 1000); /* a signal ends it early */
}

static int down_one(const char *lab)
{
	struct progress prog;
	struct lab_result res;
	int rc;

	progress_start(&prog, "down", cli_quiet);
	rc = lab_down(lab, progress_update, &prog, &res);
	progress_end(&prog);
	if (rc)
		return rc;
	if (!cli_quiet)
		printf("%s: down in %.2f s\n", lab, (double)res.elapsed_ns / 1e9);
	return 0;
}

int down_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "lab", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lab_opt = NULL;
	char lab[128];
	bool all = false;
	int c, rc, status = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "al:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'l':
			lab_opt = optarg;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("down", argv, "al:h");
		}
	}
	if (argc - optind > 1 || ((all || lab_opt) && optind < argc) || (all && lab_opt))
		return cli_usage_error("down", "give one lab, one file, or --all");
	if (all) {
		char **labs;
		size_t n, i;

		rc = state_list(&labs, &n);
		if (rc)
			return cli_fail(rc);
		/* Interrupted, --all finishes the lab it is at and stops. */
		interrupt_catch();
		for (i = 0; i < n && !*interrupt_flag(); i++) {
			rc = down_one(labs[i]);
			if (rc)
				status = cli_fail(rc);
		}
		interrupt_release();
		if (i < n)
			fprintf(stderr, "nslab: interrupted: %zu of %zu labs left running\n", n - i, n);
		state_list_free(labs, n);
		interrupt_die();
		if (!n && !cli_quiet)
			printf("no lab is running\n");
		return status;
	}
	if (lab_opt) {
		snprintf(lab, sizeof(lab), "%s", lab_opt);
	} else if (optind < argc) {
		lab_of(argv[optind], lab, sizeof(lab));
	} else {
		char **labs;
		size_t n;

		rc = state_list(&labs, &n);
		if (rc)
			return cli_fail(rc);
		if (n != 1) {
			state_list_free(labs, n);
			if (!n) {
				if (!cli_quiet)
					printf("no lab is running\n");
				return EXIT_OK;
			}
			return cli_usage_error("down", "%zu labs are running; name one, or use --all",
					       n);
		}
		snprintf(lab, sizeof(lab), "%s", labs[0]);
		state_list_free(labs, n);
	}
	/* A lab half taken down helps nobody: an interrupted down finishes
	 * (it takes a second), then ends of the signal. */
	interrupt_catch();
	down_wait_for_test();
	rc = down_one(lab);
	interrupt_release();
	status = rc ? cli_fail(rc) : EXIT_OK;
	interrupt_die();
	return status;
}
