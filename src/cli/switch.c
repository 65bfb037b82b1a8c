// SPDX-License-Identifier: GPL-2.0-or-later
/* nslab switch: a switch's own state: ports, MAC table, counters. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "cli/out.h"
#include "cli/switch_view.h"
#include "common/errmsg.h"
#include "common/strbuf.h"
#include "kernel/bridge_fdb.h"
#include "kernel/nl.h"
#include "cli/show.h"
#include "lab/swclient.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

static void help(void)
{
	printf("Usage: nslab switch [-j] [-l LAB] SWITCH [ports | fdb | stats | flows | mdb]\n"
	       "       nslab switch [-l LAB] SWITCH fdb flush [--port PORT] [--vlan VLAN]\n\n"
	       "A switch's own state: its ports (VLAN or trunk, and the host behind\n"
	       "each), its MAC table (MAC, VLAN, port, age in seconds) and its per-port\n"
	       "counters. With no view, all three. `flows` lists the known unicast\n"
	       "flows nslab-switchd has handed to the kernel (its fast path), with\n"
	       "what the kernel forwarded for each. `mdb` lists the multicast\n"
	       "listeners the hosts reported (group, VLAN, port, seconds left), by which\n"
	       "nslab-switchd sends a group's traffic to its listeners only (IGMP and\n"
	       "MLD snooping). `fdb flush` empties the MAC table\n"
	       "(or the entries of one port or VLAN), and the flows that relied on it;\n"
	       "the switch learns again from traffic. SWITCH may be LAB:SWITCH.\n\n"
	       "  -j, --json      JSON\n"
	       "  -l, --lab LAB   the lab (default: the only running one, or the one\n"
	       "                  that has SWITCH)\n"
	       "  --port PORT     fdb flush: only the entries learnt on PORT\n"
	       "  --vlan VLAN     fdb flush: only the entries of VLAN (1..4094)\n"
	       "  -h, --help      this help\n");
}

/* What a flush did, as the other views print: a line, or with json
 * {switch, removed} (removed null for a bridge, which does not say). */
static void flush_print(const char *sw, long long removed, bool json)
{
	if (json) {
		json_t *o = json_pack("{s:s, s:o}", "switch", sw, "removed",
				      removed < 0 ? json_null() : json_integer(removed));

		out_json(stdout, o);
		json_decref(o);
	} else if (cli_quiet) {
		return;
	} else if (removed < 0) {
		printf("%s: MAC table flushed\n", sw);
	} else {
		printf("%s: %lld MAC entries flushed\n", sw, removed);
	}
}

/* port is one of sw's (as `nslab switch SW ports` lists them), or an error
 * naming those it has. */
static int known_port(const struct topo *t, const struct topo_switch *sw, const char *port)
{
	struct topo_port_iter it = { 0 };
	struct strbuf names = STRBUF_INIT;
	const struct topo_iface *p;
	size_t n = 0;
	int rc;

	if (sw->own_port[0] && !strcmp(port, sw->own_port))
		return 0;
	if (sw->own_port[0]) {
		sb_puts(&names, sw->own_port);
		n++;
	}
	while ((p = topo_port_next(t, sw, &it))) {
		if (p->peer && !strcmp(port, p->peer)) {
			sb_free(&names);
			return 0;
		}
		if (n++ < 8)
			sb_printf(&names, "%s%s", names.len ? ", " : "", p->peer);
	}
	if (n > 8)
		sb_printf(&names, " and %zu more", n - 8);
	rc = err_msg(-ENOENT, "switch %s has no port %s (its ports: %s)", sw->name, port,
		     n ? sb_str(&names) : "none");
	sb_free(&names);
	return rc;
}

static int flush(const struct labsel *ls, const struct topo_switch *sw, const char *port, int vlan,
		 bool json)
{
	char sock[4096];
	json_t *req, *reply;
	int rc;

	if (sw->kind != TOPO_SWITCH_NSLAB) {
		struct nl *nl;
		char netns[128];

		if (port || vlan)
			return err_msg(-EOPNOTSUPP, "%s: a Linux bridge flushes its whole MAC table only",
				       sw->name);
		show_node_netns(ls, "host", netns, sizeof(netns));
		rc = show_open_nl(netns, &nl);
		if (!rc)
			rc = link_bridge_fdb_flush(nl, sw->name, sw->name);
		if (!rc)
			rc = nl_flush(nl);
		nl_close(nl);
		if (!rc)
			flush_print(sw->name, -1, json);
		return rc;
	}
	if (port && (rc = known_port(ls->topo, sw, port)))
		return rc;
	rc = switchd_path(ls->meta.name, sw->name, "sock", sock, sizeof(sock));
	if (rc)
		return rc;
	req = json_pack("{s:s}", "cmd", "fdb-flush");
	if (port)
		json_object_set_new(req, "port", json_string(port));
	if (vlan)
		json_object_set_new(req, "vlan", json_integer(vlan));
	rc = swclient_call(sock, req, 5000, &reply);
	json_decref(req);
	if (rc)
		return rc;
	flush_print(sw->name, (long long)json_integer_value(json_object_get(reply, "removed")), json);
	json_decref(reply);
	return 0;
}

int switch_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "lab", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' }, { "vlan", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },   { NULL, 0, NULL, 0 },
	};
	const char *lab = NULL, *port = NULL, *view = NULL, *name;
	char lab_buf[64];
	const struct topo_switch *sw;
	enum switch_view v = SWITCH_VIEW_ALL;
	struct labsel ls;
	bool json = false, do_flush = false;
	int c, rc, vlan = 0;
	json_t *st = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jl:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'l':
			lab = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'V':
			vlan = atoi(optarg);
			if (vlan < 1 || vlan > 4094)
				return cli_usage_error("switch", "--vlan takes 1..4094");
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("switch", argv, "jl:h");
		}
	}
	if (optind >= argc)
		return cli_usage_error("switch", "which switch?");
	if (argc - optind > 3)
		return cli_usage_error("switch", "too many arguments");
	view = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (!view)
		v = SWITCH_VIEW_ALL;
	else if (!strcmp(view, "ports"))
		v = SWITCH_VIEW_PORTS;
	else if (!strcmp(view, "fdb"))
		v = SWITCH_VIEW_FDB;
	else if (!strcmp(view, "stats"))
		v = SWITCH_VIEW_STATS;
	else if (!strcmp(view, "flows"))
		v = SWITCH_VIEW_FLOWS;
	else if (!strcmp(view, "mdb"))
		v = SWITCH_VIEW_MDB;
	else
		return cli_usage_error("switch", "unknown view '%s' (ports, fdb, stats, flows, mdb)", view);
	if (optind + 2 < argc) {
		if (v != SWITCH_VIEW_FDB || strcmp(argv[optind + 2], "flush"))
			return cli_usage_error("switch", "unknown action '%s'", argv[optind + 2]);
		do_flush = true;
	}
	if ((port || vlan) && !do_flush)
		return cli_usage_error("switch", "--port and --vlan go with fdb flush");
	/* LAB:SWITCH, as LAB:NODE elsewhere. */
	rc = labsel_split(argv[optind], lab_buf, sizeof(lab_buf), &name);
	if (rc < 0)
		return cli_fail(rc);
	if (rc && lab && strcmp(lab, lab_buf))
		return cli_usage_error("switch", "-l %s and %s name different labs", lab, argv[optind]);
	if (rc)
		lab = lab_buf;
	rc = lab ? labsel_open(lab, &ls) : labsel_open_having(name, LABSEL_SWITCH, &ls);
	if (rc)
		return cli_fail(rc);
	sw = topo_switch_find(ls.topo, name);
	if (!sw) {
		rc = err_msg(-ENOENT, "lab %s has no switch called %s", ls.meta.name, name);
	} else if (do_flush) {
		rc = flush(&ls, sw, port, vlan, json);
	} else {
		rc = switch_state(&ls, sw, v, &st);
		if (!rc) {
			switch_print(st, v, json);
			json_decref(st);
		}
	}
	labsel_close(&ls);
	return rc ? cli_fail(rc) : EXIT_OK;
}
