// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab show: what a lab is, read live from the kernel and annotated with
 * the topology (which switch, VLAN or link each interface belongs to).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "cli/out.h"
#include "cli/show.h"
#include "common/errmsg.h"
#include "common/strbuf.h"
#include "kernel/addr.h"
#include "kernel/link.h"
#include "kernel/nat.h"
#include "kernel/neigh.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/route.h"
#include "lab/desired.h"
#include "lab/switch_kind.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

static void help(void)
{
	printf("Usage: nslab show [-j] [-l LAB | LAB] [NODE | SWITCH | host]\n\n"
	       "With no NODE: every node of the lab with its interfaces, link state, MAC,\n"
	       "addresses and what each is attached to (switch and VLAN, or the other\n"
	       "end of a link), and the switches with their gateway and NAT.\n"
	       "With NODE: that node's interfaces, routes and neighbour table (ARP and\n"
	       "NDP). \"host\" shows the lab's host side the same way, so a node and the\n"
	       "host can be compared. With SWITCH: its ports, VLANs, MAC table and\n"
	       "counters.\n\n"
	       "  -l, --lab LAB  the lab (default: the only running one)\n"
	       "  -j, --json     JSON (schema in the README; stable)\n"
	       "  -h, --help     this help\n");
}

static const char *oper_str(uint8_t st, unsigned flags)
{
	static const char *const names[] = { "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
					     "TESTING", "DORMANT", "UP" };

	if (!(flags & IFF_UP))
		return "DOWN";
	/* Carrier came, and the kernel's link watcher has not yet run to say
	 * so in the operational state (up to a second for a new bridge). */
	if (st == IF_OPER_DOWN && (flags & IFF_LOWER_UP))
		return "UP";
	return st < sizeof(names) / sizeof(names[0]) ? names[st] : "UNKNOWN";
}

static void mac_str(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* ---- interfaces of one namespace ---- */

struct ifcollect {
	json_t *ifs;            /* array of interface objects */
	json_t *byindex;        /* "ifindex" -> the same objects */
};

/* A string the kernel gave (an alias: any bytes) as JSON: null when empty,
 * or when it is not UTF-8, which JSON cannot carry. */
static json_t *str_or_null(const char *s)
{
	json_t *j = s && *s ? json_string(s) : NULL;

	return j ? j : json_null();
}

static int link_cb(const struct link_info *li, void *arg)
{
	struct ifcollect *c = arg;
	char mac[24], key[16];
	json_t *o;

	mac_str(li->mac, mac, sizeof(mac));
	/* Every key of the documented IFACE is there, null when it has no
	 * value (the tables print "-"). */
	o = json_pack("{s:s, s:i, s:s, s:o, s:i, s:[], s:n, s:o, s:o, s:I, s:I, s:I, s:I}",
		      "name", li->name, "ifindex", li->ifindex, "state",
		      oper_str(li->operstate, li->flags), "mac",
		      li->has_mac ? json_string(mac) : json_null(), "mtu", (int)li->mtu,
		      "addresses", "link_local", "kind", str_or_null(li->kind), "alias",
		      str_or_null(li->alias), "rx_packets",
		      (json_int_t)li->rx_packets, "tx_packets", (json_int_t)li->tx_packets,
		      "rx_bytes", (json_int_t)li->rx_bytes, "tx_bytes", (json_int_t)li->tx_bytes);
	if (!o)
		return -ENOMEM;
	if (li->master)
		json_object_set_new(o, "master_ifindex", json_integer(li->master));
	snprintf(key, sizeof(key), "%d", li->ifindex);
	json_object_set(c->byindex, key, o);
	json_array_append_new(c->ifs, o);
	return 0;
}

static int addr_cb(const struct addr_info *a, void *arg)
{
	struct ifcollect *c = arg;
	char key[16], ip[INET6_ADDRSTRLEN], cidr[80];
	json_t *o;

	snprintf(key, sizeof(key), "%d", a->ifindex);
	o = json_object_get(c->byindex, key);
	if (!o)
		return 0;
	inet_ntop(a->family, a->addr, ip, sizeof(ip));
	snprintf(cidr, sizeof(cidr), "%s/%u", ip, a->plen);
	/* Every IPv6 interface has a link-local address; kept apart so the
	 * addresses people gave stand out. */
	if (a->family == AF_INET6 && a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
		json_object_set_new(o, "link_local", json_string(cidr));
	else
		json_array_append_new(json_object_get(o, "addresses"), json_string(cidr));
	return 0;
}

int show_open_nl(const char *netns, struct nl **nl)
{
	int fd, rc;

	if (!netns[0])
		return nl_open(nl);
	rc = netns_open(netns, &fd);
	if (rc)
		return err_set(rc, "opening network namespace %s", netns);
	rc = nl_open_netns(fd, nl);
	close(fd);
	return rc;
}

/* Every interface of nl's namespace with its addresses; caller decrefs. */
static int collect_ifaces(struct nl *nl, json_t **out)
{
	struct ifcollect c = { json_array(), json_object() };
	int rc;

	rc = link_dump(nl, link_cb, &c);
	if (!rc)
		rc = addr_dump(nl, AF_UNSPEC, addr_cb, &c);
	json_decref(c.byindex);
	if (rc) {
		json_decref(c.ifs);
		return rc;
	}
	*out = c.ifs;
	return 0;
}

/* ---- what the topology says about an interface ---- */

void show_port_vlans(const struct topo_iface *port, json_t *o)
{
	if (port->n_trunk) {
		json_t *vids = json_array();

		for (size_t i = 0; i < port->n_trunk; i++)
			json_array_append_new(vids, json_integer(port->trunk[i]));
		json_object_set_new(o, "trunk", vids);
		json_object_set_new(o, "native_vlan", json_integer(port->native_vlan));
	} else {
		json_object_set_new(o, "vlan", json_integer(port->vlan));
	}
}

static void annotate_host_iface(const struct topo *t, const struct topo_host *h, json_t *ifo)
{
	const struct topo_iface *ifc = topo_iface_find(h, json_string_value(json_object_get(ifo, "name")));

	if (!ifc)
		return;
	if (ifc->sw) {
		json_object_set_new(ifo, "switch", json_string(ifc->sw->name));
		json_object_set_new(ifo, "peer", json_string(ifc->peer));
		show_port_vlans(ifc, ifo);
		return;
	}
	for (size_t l = 0; l < t->n_links; l++) {
		for (int e = 0; e < 2; e++) {
			const struct topo_link_end *me = &t->links[l].end[e], *other = &t->links[l].end[!e];
			char peer[200];

			if (me->host == h && me->iface == ifc) {
				snprintf(peer, sizeof(peer), "%s:%s", other->host->name, other->iface->name);
				json_object_set_new(ifo, "link", json_string(peer));
			}
		}
	}
}

static const char *connects(json_t *ifo, char *buf, size_t len)
{
	const char *sw = json_string_value(json_object_get(ifo, "switch"));
	const char *port = json_string_value(json_object_get(ifo, "peer"));
	const char *link = json_string_value(json_object_get(ifo, "link"));
	const char *role = json_string_value(json_object_get(ifo, "role"));
	json_t *vlan = json_object_get(ifo, "vlan"), *trunk = json_object_get(ifo, "trunk");

	/* The port is named so that `tcpdump -i PORT` on the host side is
	 * one look away; VLAN 1 untagged, the common case, goes unsaid. */
	if (sw && json_is_array(trunk)) {
		json_int_t native = json_integer_value(json_object_get(ifo, "native_vlan"));
		char vids[200], nat[32] = "";

		out_cell(ifo, "trunk", vids, sizeof(vids));
		/* The native VLAN said when it is not the default 1. */
		if (native == 0)
			snprintf(nat, sizeof(nat), " native none");
		else if (native != 1)
			snprintf(nat, sizeof(nat), " native %lld", (long long)native);
		snprintf(buf, len, "%s port %s trunk %s%s", sw, port ? port : "?", vids, nat);
	} else if (sw && json_integer_value(vlan) > 1) {
		snprintf(buf, len, "%s port %s vlan %lld", sw, port ? port : "?",
			 (long long)json_integer_value(vlan));
	} else if (sw) {
		snprintf(buf, len, "%s port %s", sw, port ? port : "?");
	} else if (link) {
		snprintf(buf, len, "link to %s", link);
	} else if (role) {
		snprintf(buf, len, "%s", role);
	} else {
		buf[0] = '\0';
	}
	return buf;
}

/* An interface the topology gives a host that its namespace does not have
 * (deleted by hand, or the whole namespace gone): every IFACE key, with
 * state MISSING. */
static json_t *missing_iface(const struct topo *t, const struct topo_host *h, const char *name)
{
	json_t *o = json_pack("{s:s, s:n, s:s, s:n, s:n, s:[], s:n, s:n, s:n, s:n, s:n, s:n, s:n}",
			      "name", name, "ifindex", "state", "MISSING", "mac", "mtu", "addresses",
			      "link_local", "kind", "alias", "rx_packets", "tx_packets", "rx_bytes",
			      "tx_bytes");
	char buf[512];

	if (!o)
		return NULL;
	annotate_host_iface(t, h, o);
	connects(o, buf, sizeof(buf));
	json_object_set_new(o, "connects", buf[0] ? json_string(buf) : json_null());
	return o;
}

static json_t *find_iface(json_t *ifs, const char *name)
{
	json_t *ifo;
	size_t i;

	json_array_foreach(ifs, i, ifo)
		if (!strcmp(json_string_value(json_object_get(ifo, "name")), name))
			return ifo;
	return NULL;
}

/* A host's interfaces in its file's order (a missing one where the file
 * has it), then any others: the kernel lists them as they were made, and
 * an edit makes them in another order than a first up would. */
static json_t *in_file_order(const struct topo *t, const struct topo_host *h, json_t *ifs)
{
	json_t *out = json_array(), *ifo;
	size_t i;

	for (size_t k = 0; k < h->n_ifaces; k++) {
		ifo = find_iface(ifs, h->ifaces[k].name);
		if (ifo)
			json_array_append(out, ifo);
		else
			json_array_append_new(out, missing_iface(t, h, h->ifaces[k].name));
	}
	json_array_foreach(ifs, i, ifo)
		if (!topo_iface_find(h, json_string_value(json_object_get(ifo, "name"))))
			json_array_append(out, ifo);
	json_decref(ifs);
	return out;
}

/* Interfaces of a node as rows, with the role roles gives each (NULL: none);
 * only those roles names if only, else all but lo. A host's interfaces the
 * topology names and the kernel lacks come last, MISSING. */
static int node_ifaces(const struct labsel *ls, const char *node, const char *netns,
		       json_t *roles, bool only, json_t **out)
{
	const struct topo_host *h = topo_host_find(ls->topo, node);
	struct nl *nl;
	json_t *all, *keep, *ifo;
	size_t i;
	int rc;

	rc = show_open_nl(netns, &nl);
	if (rc)
		return err_ctx(rc, "%s", node);
	rc = collect_ifaces(nl, &all);
	nl_close(nl);
	if (rc)
		return err_ctx(rc, "%s: reading its interfaces", node);
	keep = json_array();
	json_array_foreach(all, i, ifo) {
		const char *name = json_string_value(json_object_get(ifo, "name"));
		char buf[512];

		if (only ? !json_object_get(roles, name) : !strcmp(name, "lo"))
			continue;
		if (roles && json_is_string(json_object_get(roles, name)))
			json_object_set(ifo, "role", json_object_get(roles, name));
		if (h)
			annotate_host_iface(ls->topo, h, ifo);
		connects(ifo, buf, sizeof(buf));
		json_object_set_new(ifo, "connects", buf[0] ? json_string(buf) : json_null());
		json_array_append(keep, ifo);
	}
	json_decref(all);
	*out = h ? in_file_order(ls->topo, h, keep) : keep;
	return 0;
}

/* The link a switch's IPv6 NAT goes out of when it is not its IPv4 NAT's
 * (the machine's IPv6 default route takes another); NULL otherwise. */
static const char *uplink6_of(const struct labsel *ls, const struct topo_switch *sw)
{
	bool v6 = false;

	for (size_t g = 0; g < sw->n_gateways; g++)
		v6 |= sw->gateways[g].family == AF_INET6;
	return sw->nat && v6 && !sw->uplink && !ls->meta.sandbox ? ls->meta.uplink6 : NULL;
}

/* The host side's interfaces that belong to the lab and their roles:
 * gateways, uplink and links between switches, and with ports also the
 * switches' ports to the hosts and nslab-switchd's own ends. */
static json_t *host_side_names(const struct labsel *ls, bool ports)
{
	json_t *want = json_object();
	char dev[TOPO_IFNAMSIZ], role[128];

	bool nat = false;

	for (size_t s = 0; s < ls->topo->n_switches; s++) {
		const struct topo_switch *sw = &ls->topo->switches[s];

		nat |= sw->nat;
		switch_kind_of(sw)->gateway_dev(sw, dev, sizeof(dev));
		snprintf(role, sizeof(role), "%s of %s", sw->n_gateways ? "gateway" : "host side",
			 sw->name);
		json_object_set_new(want, dev, json_string(role));
		if (sw->nat && (sw->uplink || ls->meta.uplink))
			json_object_set_new(want, sw->uplink ? sw->uplink : ls->meta.uplink,
					    json_string("uplink (NAT)"));
		if (uplink6_of(ls, sw))
			json_object_set_new(want, uplink6_of(ls, sw), json_string("uplink (NAT, IPv6)"));
	}
	for (size_t l = 0; l < ls->topo->n_swlinks; l++) {
		for (int e = 0; e < 2; e++) {
			const struct topo_iface *p = &ls->topo->swlinks[l].port[e];
			struct strbuf r = STRBUF_INIT;

			sb_printf(&r, "%s port to switch %s", p->sw->name,
				  ls->topo->swlinks[l].port[!e].sw->name);
			if (p->n_trunk) {
				sb_puts(&r, " trunk ");
				for (size_t v = 0; v < p->n_trunk; v++)
					sb_printf(&r, "%s%u", v ? "," : "", p->trunk[v]);
				if (p->native_vlan == 0)
					sb_puts(&r, " native none");
				else if (p->native_vlan != TOPO_VLAN_DEFAULT)
					sb_printf(&r, " native %u", p->native_vlan);
			} else if (p->vlan != TOPO_VLAN_DEFAULT) {
				sb_printf(&r, " vlan %u", p->vlan);
			}
			if (!sb_error(&r))
				json_object_set_new(want, p->peer, json_string(sb_str(&r)));
			sb_free(&r);
		}
	}
	if (ls->meta.sandbox)
		json_object_set_new(want, SANDBOX_UPLINK, json_string(nat ? "uplink (NAT)" : "uplink"));
	for (size_t s = 0; ports && s < ls->topo->n_switches; s++) {
		const struct topo_switch *sw = &ls->topo->switches[s];

		if (sw->kind != TOPO_SWITCH_NSLAB)
			continue;
		snprintf(role, sizeof(role), "%s port to its host side", sw->name);
		json_object_set_new(want, sw->own_port, json_string(role));
	}
	for (size_t h = 0; ports && h < ls->topo->n_hosts; h++) {
		const struct topo_host *host = &ls->topo->hosts[h];

		for (size_t i = 0; i < host->n_ifaces; i++) {
			const struct topo_iface *ifc = &host->ifaces[i];

			if (!ifc->sw || !ifc->peer)
				continue;
			snprintf(role, sizeof(role), "%s port to %s:%s", ifc->sw->name, host->name,
				 ifc->name);
			json_object_set_new(want, ifc->peer, json_string(role));
		}
	}
	return want;
}

void show_node_netns(const struct labsel *ls, const char *node, char *buf, size_t len)
{
	char host[128], inet[128];

	desired_sandbox_names(ls->meta.name, host, sizeof(host), inet, sizeof(inet));
	if (!strcmp(node, "host"))
		snprintf(buf, len, "%s", ls->meta.sandbox ? host : "");
	else if (!strcmp(node, "inet"))
		snprintf(buf, len, "%s", inet);
	else
		snprintf(buf, len, "%s", node);
}

/* The interface a switch's NAT goes out of. */
static const char *default_uplink(const struct labsel *ls, const struct topo_switch *sw)
{
	if (sw->uplink)
		return sw->uplink;
	if (ls->meta.sandbox)
		return SANDBOX_UPLINK;
	return ls->meta.uplink ? ls->meta.uplink : "(default route)";
}

/* The lab's masquerade rules and their counters, read from its host side:
 * 0, -ENOENT when its table is gone, another error when it cannot be read
 * (the namespace gone: a note of its own says so). */
static int nat_counts(const struct labsel *ls, struct nat_rule_count **v, size_t *n)
{
	char netns[128], table[96];
	int fd = -1, rc;

	*v = NULL;
	*n = 0;
	for (size_t s = 0; s < ls->topo->n_switches; s++)
		if (ls->topo->switches[s].nat)
			goto read;
	return -ENODATA;
read:
	show_node_netns(ls, "host", netns, sizeof(netns));
	if (netns[0] && netns_open(netns, &fd)) {
		err_clear();
		return -ENODATA;
	}
	snprintf(table, sizeof(table), "nslab-%s", ls->meta.name);
	rc = nat_table_counts(fd, table, v, n);
	if (fd >= 0)
		close(fd);
	err_clear();
	return rc;
}

/* What sw's NAT rules counted into *packets and *bytes (*counted: whether
 * any has a counter, as an older nslab's rules do not): false if its rules
 * are not among v. */
static bool nat_of(const struct topo_switch *sw, const struct nat_rule_count *v, size_t n,
		   uint64_t *packets, uint64_t *bytes, bool *counted)
{
	bool found = false;

	*counted = false;
	*packets = *bytes = 0;
	for (size_t g = 0; g < sw->n_gateways; g++) {
		struct topo_cidr net;

		topo_cidr_network(&sw->gateways[g], &net);
		for (size_t i = 0; i < n; i++) {
			if (v[i].family != net.family || v[i].plen != net.plen ||
			    memcmp(v[i].net, net.addr, net.family == AF_INET ? 4 : 16) != 0)
				continue;
			found = true;
			*counted |= v[i].has_counter;
			*packets += v[i].packets;
			*bytes += v[i].bytes;
		}
	}
	return found;
}

/* The switches, with notes for those whose daemon or NAT rules are gone. */
static json_t *switches_json(const struct labsel *ls, struct strbuf *notes)
{
	json_t *arr = json_array();
	struct nat_rule_count *nr;
	size_t n_nr;
	int nat_rc = nat_counts(ls, &nr, &n_nr);

	for (size_t s = 0; s < ls->topo->n_switches; s++) {
		const struct topo_switch *sw = &ls->topo->switches[s];
		json_t *gws = json_array();
		char cidr[TOPO_CIDR_STRLEN];

		for (size_t g = 0; g < sw->n_gateways; g++)
			json_array_append_new(gws, json_string(topo_cidr_str(&sw->gateways[g], cidr,
									     sizeof(cidr))));
		json_t *running = json_null();

		if (sw->kind == TOPO_SWITCH_NSLAB) {
			bool alive = switchd_alive(ls->meta.name, sw->name);

			running = json_boolean(alive);
			if (!alive)
				sb_printf(notes, "%s: nslab-switchd is not running; nslab up starts it "
						 "again\n", sw->name);
		}
		json_t *pk = json_null(), *by = json_null();
		uint64_t p, b;
		bool counted = false;

		if (sw->nat && (nat_rc == -ENOENT || (!nat_rc && !nat_of(sw, nr, n_nr, &p, &b, &counted)))) {
			sb_printf(notes, "%s: its NAT rules are gone (nftables table inet nslab-%s); "
					 "nslab up writes them again\n", sw->name, ls->meta.name);
		} else if (sw->nat && counted) {
			pk = json_integer((json_int_t)p);
			by = json_integer((json_int_t)b);
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:b, s:o, s:o, s:s?, s:s?, s:o}",
						     "name", sw->name, "kind",
						     switch_kind_of(sw)->name, "gateways", gws,
						     "nat", sw->nat, "nat_packets", pk, "nat_bytes",
						     by, "uplink",
						     sw->nat ? default_uplink(ls, sw) : NULL, "uplink6",
						     uplink6_of(ls, sw), "running", running));
	}
	free(nr);
	return arr;
}

static int show_overview(const struct labsel *ls, bool json)
{
	static const struct out_col icols[] = {
		{ "NODE", "node", false },   { "IFACE", "name", false },
		{ "STATE", "state", false }, { "MAC", "mac", false },
		{ "ADDRESSES", "addresses", false }, { "CONNECTS", "connects", false },
	};
	static const struct out_col scols[] = {
		{ "SWITCH", "name", false }, { "KIND", "kind", false },
		{ "GATEWAY", "gateways", false }, { "NAT", "nat_cell", false }, { "UPLINK", "uplinks", false },
	};
	json_t *root, *nodes = json_array(), *rows = json_array(), *ifs, *ifo;
	struct strbuf notes = STRBUF_INIT;
	char netns[128];
	size_t i;
	int rc = 0;

	for (size_t h = 0; !rc && h <= ls->topo->n_hosts + 1; h++) {
		const char *node, *role = "host";
		json_t *want = NULL;
		bool gone;

		if (h == 0) {
			node = "host";
			role = "host-side";
			want = host_side_names(ls, false);
		} else if (h <= ls->topo->n_hosts) {
			node = ls->topo->hosts[h - 1].name;
		} else if (ls->meta.sandbox) {
			node = "inet";
			role = "internet";
		} else {
			break;
		}
		show_node_netns(ls, node, netns, sizeof(netns));
		/* A namespace deleted by hand: the node is still the lab's, with
		 * what it should have, until `up` makes it again. */
		gone = netns[0] && !netns_exists(netns);
		if (gone) {
			const struct topo_host *th = topo_host_find(ls->topo, node);

			ifs = json_array();
			for (size_t k = 0; th && k < th->n_ifaces; k++)
				json_array_append_new(ifs, missing_iface(ls->topo, th, th->ifaces[k].name));
			sb_printf(&notes, "%s: its namespace %s is gone; nslab up makes it again\n", node,
				  netns);
		} else {
			rc = node_ifaces(ls, node, netns, want, want != NULL, &ifs);
		}
		json_decref(want);
		if (rc)
			break;
		json_array_foreach(ifs, i, ifo) {
			json_t *row = json_deep_copy(ifo);

			json_object_set_new(row, "node", json_string(node));
			json_array_append_new(rows, row);
		}
		json_array_append_new(nodes, json_pack("{s:s, s:s, s:s, s:b, s:o}", "name", node,
						       "role", role, "netns",
						       netns[0] ? netns : "(host)", "missing", gone,
						       "interfaces", ifs));
	}
	if (rc) {
		json_decref(nodes);
		json_decref(rows);
		sb_free(&notes);
		return rc;
	}
	root = json_pack("{s:s, s:s, s:o, s:o}", "lab", ls->meta.name, "mode",
			 ls->meta.sandbox ? "sandbox" : "host", "switches",
			 switches_json(ls, &notes), "nodes", nodes);
	if (json) {
		out_json(stdout, root);
	} else {
		json_t *sw = json_deep_copy(json_object_get(root, "switches")), *so;

		/* UPLINK: IPv4's, and IPv6's when that is another link */
		json_array_foreach(sw, i, so) {
			const char *u = json_string_value(json_object_get(so, "uplink"));
			const char *u6 = json_string_value(json_object_get(so, "uplink6"));
			char cell[2 * IF_NAMESIZE + 16];

			snprintf(cell, sizeof(cell), "%s%s%s%s", u ? u : "-", u6 ? ", " : "", u6 ? u6 : "",
				 u6 ? " (IPv6)" : "");
			json_object_set_new(so, "uplinks", json_string(cell));
			/* NAT: what its rules masqueraded so far (iptables -t nat -vnL) */
			json_t *pk = json_object_get(so, "nat_packets");

			if (!json_is_true(json_object_get(so, "nat")))
				snprintf(cell, sizeof(cell), "no");
			else if (json_is_integer(pk))
				snprintf(cell, sizeof(cell), "yes, %lld packet%s",
					 (long long)json_integer_value(pk),
					 json_integer_value(pk) == 1 ? "" : "s");
			else
				snprintf(cell, sizeof(cell), "yes");
			json_object_set_new(so, "nat_cell", json_string(cell));
		}
		printf("lab %s (%s)\n\n", ls->meta.name, ls->meta.sandbox ? "sandbox" : "host");
		out_table(stdout, rows, icols, sizeof(icols) / sizeof(icols[0]));
		if (json_array_size(sw)) {
			printf("\n");
			out_table(stdout, sw, scols, sizeof(scols) / sizeof(scols[0]));
		}
		json_decref(sw);
		if (notes.len)
			printf("\n%s", sb_str(&notes));
	}
	json_decref(rows);
	json_decref(root);
	sb_free(&notes);
	return 0;
}

/* ---- one node: interfaces, routes, neighbours ---- */

/* Route protocols by the names iproute2 gives them (rt_protos), so a
 * route reads as in `ip route`; others by number. */
static const char *route_proto_str(uint8_t proto, char *buf, size_t len)
{
	static const struct { uint8_t id; const char *name; } names[] = {
		{ RTPROT_REDIRECT, "redirect" }, { RTPROT_KERNEL, "kernel" },
		{ RTPROT_BOOT, "boot" },         { RTPROT_STATIC, "static" },
		{ RTPROT_GATED, "gated" },       { RTPROT_RA, "ra" },
		{ RTPROT_MRT, "mrt" },           { RTPROT_ZEBRA, "zebra" },
		{ RTPROT_BIRD, "bird" },         { RTPROT_DNROUTED, "dnrouted" },
		{ RTPROT_XORP, "xorp" },         { RTPROT_NTK, "ntk" },
		{ RTPROT_DHCP, "dhcp" },         { RTPROT_KEEPALIVED, "keepalived" },
		{ RTPROT_BABEL, "babel" },       { RTPROT_OPENR, "openr" },
		{ RTPROT_BGP, "bgp" },           { RTPROT_ISIS, "isis" },
		{ RTPROT_OSPF, "ospf" },         { RTPROT_RIP, "rip" },
		{ RTPROT_EIGRP, "eigrp" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == proto)
			return names[i].name;
	snprintf(buf, len, "%u", proto);
	return buf;
}

/* Route types a main table holds besides unicast, as `ip route` names
 * them; NULL for the types show leaves out. */
static const char *route_type_str(uint8_t type)
{
	switch (type) {
	case RTN_UNICAST: return "unicast";
	case RTN_BLACKHOLE: return "blackhole";
	case RTN_UNREACHABLE: return "unreachable";
	case RTN_PROHIBIT: return "prohibit";
	case RTN_THROW: return "throw";
	default: return NULL;
	}
}

static json_t *hop_json(int family, bool has_via, const uint8_t *via, int ifindex, json_t *names)
{
	char a[INET6_ADDRSTRLEN], key[16];
	json_t *dev;

	if (has_via)
		inet_ntop(family, via, a, sizeof(a));
	snprintf(key, sizeof(key), "%d", ifindex);
	dev = ifindex ? json_object_get(names, key) : NULL;
	return json_pack("{s:o, s:O}", "via", has_via ? json_string(a) : json_null(), "dev",
			 dev ? dev : json_null());
}

/* A column of the human table: each hop's field, joined by ','. */
static json_t *hops_cell(json_t *hops, const char *field)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *h, *cell;
	size_t i;

	json_array_foreach(hops, i, h) {
		const char *v = json_string_value(json_object_get(h, field));

		sb_printf(&sb, "%s%s", i ? "," : "", v ? v : "-");
	}
	cell = sb_error(&sb) || !sb.len ? json_null() : json_string(sb_str(&sb));
	sb_free(&sb);
	return cell;
}

static int route_cb(const struct route_info *r, void *arg)
{
	struct { json_t *arr; json_t *names; } *c = arg;
	char dst[INET6_ADDRSTRLEN + 8], a[INET6_ADDRSTRLEN], pbuf[8];
	const char *type = route_type_str(r->type);
	json_t *hops = json_array(), *first;

	if (!type) {
		json_decref(hops);
		return 0;
	}
	if (r->plen == 0) {
		snprintf(dst, sizeof(dst), "default");
	} else {
		inet_ntop(r->family, r->dst, a, sizeof(a));
		snprintf(dst, sizeof(dst), "%s/%u", a, r->plen);
	}
	if (r->family == AF_INET6 && r->plen == 64 && r->dst[0] == 0xfe && (r->dst[1] & 0xc0) == 0x80) {
		json_decref(hops);
		return 0; /* every interface's link-local route: noise */
	}
	if (r->n_hops) {
		for (uint8_t i = 0; i < r->n_hops; i++)
			json_array_append_new(hops, hop_json(r->family, r->hops[i].has_via,
							     r->hops[i].via, r->hops[i].ifindex, c->names));
	} else if (r->type == RTN_UNICAST) {
		json_array_append_new(hops, hop_json(r->family, r->has_via, r->via, r->ifindex, c->names));
	}
	/* via and dev: the first hop's, as before multipath was shown. */
	first = json_array_get(hops, 0);
	json_array_append_new(c->arr,
			      json_pack("{s:s, s:s, s:s, s:O, s:O, s:o, s:s, s:i}",
					"family", r->family == AF_INET ? "inet" : "inet6", "dst", dst,
					"type", type,
					"via", first ? json_object_get(first, "via") : json_null(),
					"dev", first ? json_object_get(first, "dev") : json_null(),
					"nexthops", hops, "protocol",
					route_proto_str(r->protocol, pbuf, sizeof(pbuf)), "metric",
					(int)r->metric));
	return 0;
}

/* The routes as the table shows them, as `ip route` writes them: the type
 * before the destination unless unicast, and every hop's via and dev. */
static json_t *route_rows(json_t *routes)
{
	json_t *rows = json_array(), *r;
	size_t i;

	json_array_foreach(routes, i, r) {
		const char *type = json_string_value(json_object_get(r, "type"));
		const char *dst = json_string_value(json_object_get(r, "dst"));
		json_t *hops = json_object_get(r, "nexthops"), *row = json_deep_copy(r);
		char label[INET6_ADDRSTRLEN + 24];

		snprintf(label, sizeof(label), "%s%s%s", strcmp(type, "unicast") ? type : "",
			 strcmp(type, "unicast") ? " " : "", dst);
		json_object_set_new(row, "route", json_string(label));
		json_object_set_new(row, "vias", hops_cell(hops, "via"));
		json_object_set_new(row, "devs", hops_cell(hops, "dev"));
		json_array_append_new(rows, row);
	}
	return rows;
}

static int neigh_cb(const struct neigh_info *n, void *arg)
{
	struct { json_t *arr; json_t *names; } *c = arg;
	char ip[INET6_ADDRSTRLEN], mac[24], key[16];
	json_t *dev;

	/* As `ip neigh`: NOARP entries (multicast addresses mapped, not
	 * learnt) and NONE ones are not neighbours anyone looked up. */
	if ((n->family != AF_INET && n->family != AF_INET6) || !n->state || (n->state & NUD_NOARP))
		return 0;
	inet_ntop(n->family, n->addr, ip, sizeof(ip));
	mac_str(n->mac, mac, sizeof(mac));
	snprintf(key, sizeof(key), "%d", n->ifindex);
	dev = json_object_get(c->names, key);
	json_array_append_new(c->arr, json_pack("{s:s, s:o, s:O, s:s}", "address", ip, "mac",
						n->has_mac ? json_string(mac) : json_null(), "dev",
						dev ? dev : json_null(), "state",
						neigh_state_str(n->state)));
	return 0;
}

static int show_node(const struct labsel *ls, const char *node, bool json)
{
	static const struct out_col icols[] = {
		{ "IFACE", "name", false },  { "STATE", "state", false }, { "MAC", "mac", false },
		{ "ADDRESSES", "addresses", false }, { "CONNECTS", "connects", false },
	};
	static const struct out_col rcols[] = {
		{ "ROUTE", "route", false }, { "VIA", "vias", false }, { "DEV", "devs", false },
		{ "PROTO", "protocol", false },
	};
	static const struct out_col ncols[] = {
		{ "NEIGHBOUR", "address", false }, { "MAC", "mac", false }, { "DEV", "dev", false },
		{ "STATE", "state", false },
	};
	struct { json_t *arr; json_t *names; } rc_ctx, nc_ctx;
	json_t *ifs, *all, *names = json_object(), *ifo, *root, *want = NULL;
	char netns[128];
	struct nl *nl;
	size_t i;
	int rc;

	show_node_netns(ls, node, netns, sizeof(netns));
	if (netns[0] && !netns_exists(netns)) {
		json_decref(names);
		return err_msg(-ENOENT, "%s: its namespace %s is gone; nslab up makes it again", node,
			       netns);
	}
	/* The host side's interfaces with their roles, as in the overview; on
	 * the real host, only the lab's (a sandbox's are all the lab's). */
	if (!strcmp(node, "host"))
		want = host_side_names(ls, true);
	rc = node_ifaces(ls, node, netns, want, want && !ls->meta.sandbox, &ifs);
	json_decref(want);
	if (rc) {
		json_decref(names);
		return rc;
	}
	rc = show_open_nl(netns, &nl);
	if (!rc)
		rc = collect_ifaces(nl, &all);
	if (rc) {
		json_decref(ifs);
		json_decref(names);
		return err_ctx(rc, "%s", node);
	}
	json_array_foreach(all, i, ifo) {
		char key[16];

		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(ifo, "ifindex")));
		json_object_set(names, key, json_object_get(ifo, "name"));
	}
	json_decref(all);
	rc_ctx.arr = json_array();
	rc_ctx.names = names;
	nc_ctx.arr = json_array();
	nc_ctx.names = names;
	rc = route_dump(nl, AF_UNSPEC, route_cb, &rc_ctx);
	if (!rc)
		rc = neigh_dump(nl, AF_UNSPEC, neigh_cb, &nc_ctx);
	nl_close(nl);
	json_decref(names);
	root = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "lab", ls->meta.name, "node", node,
			 "netns", netns[0] ? netns : "(host)", "interfaces", ifs, "routes",
			 rc_ctx.arr, "neighbours", nc_ctx.arr);
	if (rc) {
		json_decref(root);
		return err_ctx(rc, "%s", node);
	}
	if (json) {
		out_json(stdout, root);
	} else {
		json_t *rows = route_rows(rc_ctx.arr);

		printf("%s (lab %s, namespace %s)\n\n", node, ls->meta.name,
		       netns[0] ? netns : "of the host");
		out_table(stdout, ifs, icols, sizeof(icols) / sizeof(icols[0]));
		printf("\n");
		out_table(stdout, rows, rcols, sizeof(rcols) / sizeof(rcols[0]));
		json_decref(rows);
		printf("\n");
		if (json_array_size(nc_ctx.arr))
			out_table(stdout, nc_ctx.arr, ncols, sizeof(ncols) / sizeof(ncols[0]));
		else
			printf("no neighbours yet (ARP/NDP learn them from traffic)\n");
	}
	json_decref(root);
	return 0;
}

int show_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "lab", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lab = NULL, *what = NULL;
	bool lab_opt = false;
	struct labsel ls;
	bool json = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jl:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'l':
			lab = optarg;
			lab_opt = true;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("show", argv, "jl:h");
		}
	}
	if (argc - optind > (lab_opt ? 1 : 2))
		return cli_usage_error("show", "too many arguments");
	if (lab_opt) {
		what = argc > optind ? argv[optind] : NULL;
	} else if (argc - optind == 2) {
		lab = argv[optind];
		what = argv[optind + 1];
	} else if (argc - optind == 1) {
		char probe[4096];

		/* One word: a lab if there is one of that name, else a node or
		 * switch of the running lab. */
		if (!state_path(argv[optind], "lab.json", probe, sizeof(probe)) && !access(probe, F_OK))
			lab = argv[optind];
		else
			what = argv[optind];
	}
	if (what) {
		static char l[64];

		rc = labsel_split(what, l, sizeof(l), &what);
		if (rc < 0)
			return cli_fail(rc);
		if (rc && lab && strcmp(lab, l))
			return cli_usage_error("show", "%s and %s:%s name different labs", lab, l, what);
		if (rc)
			lab = l;
	}

	rc = !lab && what ? labsel_open_having(what, LABSEL_HOST | LABSEL_SWITCH, &ls) : labsel_open(lab, &ls);
	if (rc)
		return cli_fail(rc);
	if (!what)
		rc = show_overview(&ls, json);
	else if (!strcmp(what, "host") || !strcmp(what, "inet") || topo_host_find(ls.topo, what))
		rc = show_node(&ls, what, json);
	else if (topo_switch_find(ls.topo, what))
		rc = show_switch(&ls, topo_switch_find(ls.topo, what), json);
	else
		rc = err_msg(-ENOENT, "lab %s has no node or switch called %s", ls.meta.name, what);
	labsel_close(&ls);
	return rc ? cli_fail(rc) : EXIT_OK;
}
