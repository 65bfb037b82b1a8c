// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A switch's own state, whichever its kind: ports (with VLANs and the host
 * behind each), the MAC table and per-port counters. For kind bridge they
 * come from the kernel (links enslaved to the bridge, the bridge's fdb, link
 * statistics); for kind nslab from the daemon's control socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/labsel.h"
#include "cli/out.h"
#include "common/strbuf.h"
#include "cli/show.h"
#include "cli/switch_view.h"
#include "common/errmsg.h"
#include "kernel/link.h"
#include "kernel/neigh.h"
#include "kernel/nl.h"
#include "lab/swclient.h"
#include "lab/switch_kind.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

#define SWITCH_TIMEOUT_MS 5000

/* What a switch-side port name belongs to: the gateway (the host side of a
 * switch without one), a host's interface ("red:eth0") or a link to another
 * switch ("(switch s2)"). */
static void port_owner(const struct topo *t, const struct topo_switch *sw, const char *port,
		       json_t *row)
{
	struct topo_port_iter it = { 0 };
	const struct topo_iface *p;
	char who[200];

	if ((sw->own_port[0] && !strcmp(port, sw->own_port)) || !strcmp(port, sw->name)) {
		json_object_set_new(row, "host",
				    json_string(sw->n_gateways ? "(gateway)" : "(host side)"));
		json_object_set_new(row, "vlan", json_integer(TOPO_VLAN_DEFAULT));
		return;
	}
	while ((p = topo_port_next(t, sw, &it))) {
		if (!p->peer || strcmp(p->peer, port))
			continue;
		if (it.link)
			snprintf(who, sizeof(who), "(switch %s)", it.link->port[!it.end].sw->name);
		else
			snprintf(who, sizeof(who), "%s:%s", it.host->name, p->name);
		json_object_set_new(row, "host", json_string(who));
		show_port_vlans(p, row);
		return;
	}
}

/* ---- kind bridge: the kernel's view ---- */

struct bridge_q {
	int bridge;
	json_t *ports;          /* ifindex -> row */
	json_t *rows;
	json_t *fdb;
	const struct labsel *ls;
	const struct topo_switch *sw;
};

static int bridge_link_cb(const struct link_info *li, void *arg)
{
	struct bridge_q *q = arg;
	char key[16], mac[24];
	json_t *row;

	if (li->master != q->bridge)
		return 0;
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", li->mac[0], li->mac[1],
		 li->mac[2], li->mac[3], li->mac[4], li->mac[5]);
	/* A bridge port's counters are its link's, seen from the bridge: what
	 * the link receives the switch receives. */
	row = json_pack("{s:s, s:i, s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "name", li->name,
			"ifindex", li->ifindex, "mac", mac, "state",
			li->operstate == 6 ? "up" : "down", "stats", "rx_packets",
			(json_int_t)li->rx_packets, "rx_bytes", (json_int_t)li->rx_bytes,
			"tx_packets", (json_int_t)li->tx_packets, "tx_bytes",
			(json_int_t)li->tx_bytes, "drops",
			(json_int_t)(li->rx_dropped + li->tx_dropped), "errors", (json_int_t)0);
	if (!row)
		return -ENOMEM;
	port_owner(q->ls->topo, q->sw, li->name, row);
	snprintf(key, sizeof(key), "%d", li->ifindex);
	json_object_set(q->ports, key, row);
	json_array_append_new(q->rows, row);
	return 0;
}

static int bridge_fdb_cb(const struct neigh_info *n, void *arg)
{
	struct bridge_q *q = arg;
	char key[16], mac[24];
	json_t *port;

	if (n->family != AF_BRIDGE || !n->has_mac)
		return 0;
	snprintf(key, sizeof(key), "%d", n->ifindex);
	port = json_object_get(q->ports, key);
	/* The bridge's own addresses ("permanent") are not learnt entries. */
	if (!port || (n->state & NUD_PERMANENT))
		return 0;
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", n->mac[0], n->mac[1], n->mac[2],
		 n->mac[3], n->mac[4], n->mac[5]);
	json_array_append_new(q->fdb, json_pack("{s:s, s:i, s:s, s:i}", "mac", mac, "vlan",
						n->vlan ? n->vlan : TOPO_VLAN_DEFAULT, "port",
						json_string_value(json_object_get(port, "name")), "age",
						(int)n->age_s));
	return 0;
}

static int bridge_state(const struct labsel *ls, const struct topo_switch *sw, json_t **out)
{
	struct bridge_q q = { 0 };
	char netns[128];
	struct nl *nl;
	int rc;

	show_node_netns(ls, "host", netns, sizeof(netns));
	rc = show_open_nl(netns, &nl);
	if (rc)
		return rc;
	rc = link_index(nl, sw->name, &q.bridge);
	if (rc) {
		nl_close(nl);
		return err_set(rc, "%s: finding the bridge", sw->name);
	}
	q.ports = json_object();
	q.rows = json_array();
	q.fdb = json_array();
	q.ls = ls;
	q.sw = sw;
	rc = link_dump(nl, bridge_link_cb, &q);
	if (!rc)
		rc = neigh_dump(nl, AF_BRIDGE, bridge_fdb_cb, &q);
	nl_close(nl);
	json_decref(q.ports);
	if (rc) {
		json_decref(q.rows);
		json_decref(q.fdb);
		return err_ctx(rc, "%s", sw->name);
	}
	*out = json_pack("{s:s, s:s, s:o, s:o}", "switch", sw->name, "kind", "bridge", "ports",
			 q.rows, "fdb", q.fdb);
	return 0;
}

/* ---- kind nslab: the daemon's view ---- */

static int daemon_call(const struct labsel *ls, const struct topo_switch *sw, const char *cmd,
		       json_t **reply)
{
	char sock[4096];
	int rc = switchd_path(ls->meta.name, sw->name, "sock", sock, sizeof(sock));

	if (rc)
		return rc;
	rc = swclient_cmd(sock, cmd, SWITCH_TIMEOUT_MS, reply);
	return rc ? err_ctx(rc, "%s", sw->name) : 0;
}

/* A request newer daemons answer: one started by an older nslab lacks it,
 * which leaves that part out (NULL) unless the view is about it. */
static int daemon_call_newer(const struct labsel *ls, const struct topo_switch *sw, const char *cmd,
			     bool wanted, json_t **reply)
{
	int rc = daemon_call(ls, sw, cmd, reply);

	if (rc == -EOPNOTSUPP && !wanted) {
		err_clear();
		rc = 0;
	}
	return rc;
}

static int daemon_state(const struct labsel *ls, const struct topo_switch *sw, enum switch_view view,
			json_t **out)
{
	json_t *ports = NULL, *fdb = NULL, *stats = NULL, *flows = NULL, *mdb = NULL, *p, *s, *rows;
	size_t i, k;
	int rc;

	rc = daemon_call(ls, sw, "ports", &ports);
	if (!rc)
		rc = daemon_call(ls, sw, "fdb", &fdb);
	if (!rc)
		rc = daemon_call(ls, sw, "stats", &stats);
	if (!rc)
		rc = daemon_call_newer(ls, sw, "flows", view == SWITCH_VIEW_FLOWS, &flows);
	if (!rc)
		rc = daemon_call_newer(ls, sw, "mdb", view == SWITCH_VIEW_MDB, &mdb);
	if (rc)
		goto out;
	rows = json_array();
	json_array_foreach(json_object_get(ports, "ports"), i, p) {
		json_t *row = json_deep_copy(p);
		const char *name = json_string_value(json_object_get(p, "name"));

		json_array_foreach(json_object_get(stats, "ports"), k, s) {
			if (name && !strcmp(name, json_string_value(json_object_get(s, "name")) ?: "")) {
				json_t *st = json_deep_copy(s);

				json_object_del(st, "name");
				json_object_set_new(row, "stats", st);
			}
		}
		if (name && !json_object_get(row, "host"))
			port_owner(ls->topo, sw, name, row);
		json_array_append_new(rows, row);
	}
	*out = json_pack("{s:s, s:s, s:o, s:O}", "switch", sw->name, "kind", "nslab", "ports", rows,
			 "fdb", json_object_get(fdb, "entries") ?: json_array());
	if (*out && flows) {
		json_object_set(*out, "flows", json_object_get(flows, "flows") ?: json_array());
		/* absent from a daemon older than multicast flows */
		if (json_object_get(flows, "multicast_flows"))
			json_object_set(*out, "multicast_flows", json_object_get(flows, "multicast_flows"));
	}
	if (*out && mdb) {
		json_object_set(*out, "mdb", json_object_get(mdb, "groups") ?: json_array());
		json_object_set_new(*out, "mld_snooping", json_boolean(json_is_true(json_object_get(mdb, "snooping"))));
		/* a daemon from before IGMP snooping floods IPv4 multicast */
		json_object_set_new(*out, "igmp_snooping",
				    json_boolean(json_is_true(json_object_get(mdb, "igmp_snooping"))));
	}
	if (!*out)
		rc = -ENOMEM;
out:
	json_decref(mdb);
	json_decref(flows);
	json_decref(ports);
	json_decref(fdb);
	json_decref(stats);
	return rc;
}

int switch_state(const struct labsel *ls, const struct topo_switch *sw, enum switch_view view, json_t **out)
{
	return sw->kind == TOPO_SWITCH_NSLAB ? daemon_state(ls, sw, view, out) : bridge_state(ls, sw, out);
}

static const struct out_col port_cols[] = {
	{ "PORT", "name", false }, { "STATE", "state", false }, { "VLAN", "vlan", true },
	{ "TRUNK", "trunk_cell", false }, { "HOST", "host", false }, { "MAC", "mac", false },
};

/* The ports as the table shows them: a trunk's VLANs with its native VLAN
 * when that is not the default 1 ("none": untagged frames dropped). */
static json_t *port_rows(json_t *ports)
{
	json_t *rows = json_array(), *p;
	size_t i;

	json_array_foreach(ports, i, p) {
		json_t *row = json_deep_copy(p), *native = json_object_get(p, "native_vlan");
		char vids[200], cell[240];

		if (json_is_array(json_object_get(p, "trunk"))) {
			out_cell(p, "trunk", vids, sizeof(vids));
			if (json_is_integer(native) && json_integer_value(native) == 0)
				snprintf(cell, sizeof(cell), "%s native none", vids);
			else if (json_is_integer(native) && json_integer_value(native) != 1)
				snprintf(cell, sizeof(cell), "%s native %lld", vids,
					 (long long)json_integer_value(native));
			else
				snprintf(cell, sizeof(cell), "%s", vids);
			json_object_set_new(row, "trunk_cell", json_string(cell));
		}
		json_array_append_new(rows, row);
	}
	return rows;
}
static const struct out_col fdb_cols[] = {
	{ "MAC", "mac", false }, { "VLAN", "vlan", true }, { "PORT", "port", false },
	{ "AGE", "age", true },
};
static const struct out_col flow_cols[] = {
	{ "IN", "in", false },		 { "OUT", "out", false },	{ "SRC", "src", false },
	{ "DST", "dst", false },	 { "VLAN", "vlan", true },	{ "IN-TAG", "in_tagged", false },
	{ "OUT-TAG", "out_tagged", false },	{ "PACKETS", "packets", true },
	{ "BYTES", "bytes", true },	 { "IDLE", "idle", true },
};
static const struct out_col mflow_cols[] = {
	{ "IN", "in", false },	     { "SRC", "src", false },	      { "GROUP", "group", false },
	{ "VLAN", "vlan", true },    { "IN-TAG", "in_tagged", false }, { "OUT", "outs", false },
	{ "PACKETS", "packets", true }, { "BYTES", "bytes", true },   { "IDLE", "idle", true },
};
static const struct out_col mdb_cols[] = {
	{ "GROUP", "group", false }, { "VLAN", "vlan", true }, { "PORT", "port", false },
	{ "EXPIRES", "expires", true },
};
static const struct out_col stat_cols[] = {
	{ "PORT", "name", false },
	{ "RX-PKTS", "stats.rx_packets", true }, { "RX-BYTES", "stats.rx_bytes", true },
	{ "TX-PKTS", "stats.tx_packets", true }, { "TX-BYTES", "stats.tx_bytes", true },
	{ "DROPS", "stats.drops", true }, { "ERRORS", "stats.errors", true },
	{ "SNOOPED", "stats.snooped", true },
};

/* The multicast flows, their output ports joined by commas. */
static void print_mflows(json_t *mflows)
{
	json_t *rows, *f, *o;
	size_t i, k;

	if (!json_array_size(mflows))
		return;
	rows = json_array();
	json_array_foreach(mflows, i, f) {
		json_t *row = json_deep_copy(f);
		struct strbuf outs = STRBUF_INIT;

		json_array_foreach(json_object_get(f, "out"), k, o)
			sb_printf(&outs, "%s%s", k ? "," : "", json_string_value(o) ?: "?");
		json_object_set_new(row, "outs", json_string(outs.s ? outs.s : ""));
		sb_free(&outs);
		json_array_append_new(rows, row);
	}
	printf("\nmulticast flows (the kernel copies each frame to every OUT port)\n");
	out_table(stdout, rows, mflow_cols, sizeof(mflow_cols) / sizeof(mflow_cols[0]));
	json_decref(rows);
}

void switch_print(json_t *st, enum switch_view view, bool json)
{
	json_t *ports = json_object_get(st, "ports"), *fdb = json_object_get(st, "fdb");
	json_t *flows = json_object_get(st, "flows"), *mdb = json_object_get(st, "mdb");
	const char *name = json_string_value(json_object_get(st, "switch"));

	if (json) {
		if (view == SWITCH_VIEW_ALL)
			out_json(stdout, st);
		else if (view == SWITCH_VIEW_FLOWS)
			out_json(stdout, flows ? flows : json_array());
		else if (view == SWITCH_VIEW_MDB)
			out_json(stdout, mdb ? mdb : json_array());
		else
			out_json(stdout, view == SWITCH_VIEW_FDB ? fdb : ports);
		return;
	}
	if (view == SWITCH_VIEW_FLOWS) {
		if (!flows)
			printf("%s is a Linux bridge: the kernel forwards every frame, by no flows\n",
			       json_string_value(json_object_get(st, "switch")));
		else if (json_array_size(flows))
			out_table(stdout, flows, flow_cols, sizeof(flow_cols) / sizeof(flow_cols[0]));
		else
			printf("no flow is forwarded by the kernel\n");
		print_mflows(json_object_get(st, "multicast_flows"));
		return;
	}
	if (view == SWITCH_VIEW_MDB) {
		bool mld = json_is_true(json_object_get(st, "mld_snooping"));
		bool igmp = json_is_true(json_object_get(st, "igmp_snooping"));

		if (!mdb)
			printf("%s is a Linux bridge, its multicast snooping off: it floods multicast to every port\n",
			       name);
		else if (!mld && !igmp)
			printf("multicast snooping is off on %s: multicast floods to every port\n", name);
		else if (json_array_size(mdb))
			out_table(stdout, mdb, mdb_cols, sizeof(mdb_cols) / sizeof(mdb_cols[0]));
		else
			printf("no port has reported a multicast listener\n");
		if (mdb && mld != igmp)
			printf("%s snooping is off on %s: %s multicast floods to every port\n", mld ? "IGMP" : "MLD",
			       name, mld ? "IPv4" : "IPv6");
		return;
	}
	if (view == SWITCH_VIEW_ALL)
		printf("switch %s (%s)\n\n", json_string_value(json_object_get(st, "switch")),
		       json_string_value(json_object_get(st, "kind")));
	if (view == SWITCH_VIEW_ALL || view == SWITCH_VIEW_PORTS) {
		json_t *rows = port_rows(ports);

		out_table(stdout, rows, port_cols, sizeof(port_cols) / sizeof(port_cols[0]));
		json_decref(rows);
	}
	if (view == SWITCH_VIEW_ALL)
		printf("\n");
	if (view == SWITCH_VIEW_ALL || view == SWITCH_VIEW_FDB) {
		if (json_array_size(fdb))
			out_table(stdout, fdb, fdb_cols, sizeof(fdb_cols) / sizeof(fdb_cols[0]));
		else
			printf("the MAC table is empty\n");
	}
	if (view == SWITCH_VIEW_ALL)
		printf("\n");
	if (view == SWITCH_VIEW_ALL || view == SWITCH_VIEW_STATS)
		out_table(stdout, ports, stat_cols, sizeof(stat_cols) / sizeof(stat_cols[0]));
	if (view == SWITCH_VIEW_ALL && flows)
		printf("\n%zu %s forwarded by the kernel (nslab switch %s flows)\n",
		       json_array_size(flows), json_array_size(flows) == 1 ? "flow" : "flows",
		       json_string_value(json_object_get(st, "switch")));
	if (view == SWITCH_VIEW_ALL && mdb)
		printf("%zu multicast %s (nslab switch %s mdb)\n", json_array_size(mdb),
		       json_array_size(mdb) == 1 ? "listener" : "listeners", name);
}

int show_switch(const struct labsel *ls, const struct topo_switch *sw, bool json)
{
	json_t *st = NULL;
	int rc = switch_state(ls, sw, SWITCH_VIEW_ALL, &st);

	if (rc)
		return rc;
	switch_print(st, SWITCH_VIEW_ALL, json);
	json_decref(st);
	return 0;
}
