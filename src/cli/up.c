// SPDX-License-Identifier: GPL-2.0-or-later
/* nslab up: build a lab, or make a running one match its (edited) file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/interrupt.h"
#include "cli/progress.h"
#include "common/errmsg.h"
#include "common/fsutil.h"
#include "lab/lab.h"
#include "topo/topo.h"

static void help(void)
{
	printf("Usage: nslab up [FILE] [--sandbox] [--dry-run]\n\n"
	       "Make the kernel match the topology in FILE: namespaces, veth pairs,\n"
	       "switches, addresses, routes, forwarding and NAT. With no FILE, build the\n"
	       "seed network (lab \"seed\"). Run again on an edited file, only the\n"
	       "difference is applied: hosts that did not change are not touched.\n"
	       "FILE - reads standard input (the topology then needs 'name:').\n"
	       "A failing run undoes what it made and says what failed; so does one\n"
	       "interrupted by Ctrl-C, SIGTERM or SIGHUP, which then ends of that signal.\n\n"
	       "      --sandbox  build the lab inside namespaces of its own: one plays the\n"
	       "                 host (gateway, forwarding, NAT), one the internet beyond\n"
	       "                 the uplink, answering at 198.51.100.1; the machine's own\n"
	       "                 network is neither read nor changed\n"
	       "  -n, --dry-run  say what would change (with -v: every object), change\n"
	       "                 nothing\n"
	       "  -h, --help     this help\n\n"
	       "Exit status: 0 done, 1 failed (and rolled back), 2 bad usage or topology.\n");
}

int up_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sandbox", no_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lab_up_opts uo = { 0 };
	struct topo_diag diag = { 0 };
	struct progress prog;
	struct lab_result res;
	struct topo *t = NULL;
	char *src = NULL;
	size_t len = 0;
	int c, rc, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			uo.sandbox = true;
			break;
		case 'n':
			uo.dry_run = true;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("up", argv, "nh");
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("up", "one topology file at most");
	if (optind < argc) {
		const char *path = argv[optind];

		const char *display;

		rc = topo_read_file(path, &src, &len, &display);
		if (rc) {
			err_print(stderr, "nslab", rc);
			return EXIT_USAGE;
		}
		rc = topo_parse_buffer(display, src, len, &t, &diag);
		if (rc) {
			if (diag.n)
				topo_diag_print(&diag, stderr);
			else
				err_print(stderr, "nslab", rc);
			topo_diag_free(&diag);
			free(src);
			return EXIT_USAGE;
		}
		uo.src = src;
		uo.src_len = len;
	} else {
		t = topo_seed();
		if (!t)
			return cli_fail(-ENOMEM);
	}
	progress_start(&prog, "up", cli_quiet);
	uo.progress = progress_update;
	uo.progress_arg = &prog;
	/* A second Ctrl-C cannot cut the rollback short either (kill -9
	 * still can; down finishes the job then). */
	uo.stop = interrupt_flag();
	interrupt_catch();
	rc = lab_up(t, &uo, &res);
	progress_end(&prog);
	interrupt_release();
	if (rc) {
		status = cli_fail(rc);
	} else {
		status = EXIT_OK;
		if (!cli_quiet)
			progress_summary(stdout, t, &res, uo.sandbox, uo.dry_run);
	}
	topo_free(t);
	free(src);
	/* Stopped by it, or come once the lab was whole: either way up ends
	 * of the signal, as the shell that started it expects. */
	interrupt_die();
	return status;
}
