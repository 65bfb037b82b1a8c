// SPDX-License-Identifier: GPL-2.0-or-later
/* nslab ls: the running labs. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "cli/out.h"
#include "common/errmsg.h"
#include "kernel/netns.h"
#include "lab/desired.h"
#include "lab/state.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

static void help(void)
{
	printf("Usage: nslab ls [-j]\n\n"
	       "List running labs: name, where (sandbox or host), hosts, switches, links,\n"
	       "when it was built and from which file. STATE is up, damaged (a host's\n"
	       "namespace or a switch daemon is gone: nslab up repairs it) or incomplete\n"
	       "(its first up died: nslab down clears it).\n\n"
	       "  -j, --json   JSON: an array of {name, mode, hosts, switches, links,\n"
	       "               created, file, state}\n"
	       "  -h, --help   this help\n");
}

/* A namespace or a switch daemon of the lab is gone (deleted, killed):
 * one stat or pid check each, what `nslab up` would remake. */
static bool damaged(const struct labsel *ls)
{
	char host[128], inet[128];

	if (ls->meta.sandbox) {
		desired_sandbox_names(ls->meta.name, host, sizeof(host), inet, sizeof(inet));
		if (!netns_exists(host) || !netns_exists(inet))
			return true;
	}
	for (size_t h = 0; h < ls->topo->n_hosts; h++)
		if (!netns_exists(ls->topo->hosts[h].name))
			return true;
	for (size_t s = 0; s < ls->topo->n_switches; s++)
		if (ls->topo->switches[s].kind == TOPO_SWITCH_NSLAB &&
		    !switchd_alive(ls->meta.name, ls->topo->switches[s].name))
			return true;
	return false;
}

static json_t *lab_row(const char *name)
{
	struct labsel ls;
	char when[32] = "-";
	json_t *row;

	if (labsel_open(name, &ls)) {
		/* A lab whose first `up` died: it has a journal, so `down` can
		 * clean it, but no topology to show. */
		err_clear();
		return json_pack("{s:s, s:n, s:i, s:i, s:i, s:n, s:n, s:s}", "name", name, "mode",
				 "hosts", 0, "switches", 0, "links", 0, "created", "file", "state",
				 "incomplete");
	}
	if (ls.meta.created) {
		time_t t = (time_t)ls.meta.created;
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	}
	row = json_pack("{s:s, s:s, s:i, s:i, s:i, s:s, s:s?, s:s}", "name", name, "mode",
			ls.meta.sandbox ? "sandbox" : "host", "hosts", (int)ls.topo->n_hosts,
			"switches", (int)ls.topo->n_switches, "links", (int)(ls.topo->n_links + ls.topo->n_swlinks),
			"created", when, "file", ls.meta.builtin ? "(built in)" : ls.meta.file,
			"state", damaged(&ls) ? "damaged" : "up");
	labsel_close(&ls);
	return row;
}

int ls_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "LAB", "name", false },     { "MODE", "mode", false },
		{ "HOSTS", "hosts", true },   { "SWITCHES", "switches", true },
		{ "LINKS", "links", true },   { "STATE", "state", false },
		{ "CREATED", "created", false }, { "FILE", "file", false },
	};
	bool json = false;
	char **labs;
	size_t n;
	json_t *rows;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("ls", argv, "jh");
		}
	}
	if (optind < argc)
		return cli_usage_error("ls", "no arguments expected");
	rc = state_list(&labs, &n);
	if (rc)
		return cli_fail(rc);
	rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, lab_row(labs[i]));
	state_list_free(labs, n);
	if (json)
		out_json(stdout, rows);
	else if (n)
		out_table(stdout, rows, cols, sizeof(cols) / sizeof(cols[0]));
	else if (!cli_quiet)
		printf("no lab is running\n");
	json_decref(rows);
	return EXIT_OK;
}
