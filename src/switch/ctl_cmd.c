// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/ctl_cmd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "common/util.h"
#include "switch/fastpath.h"
#include "switch/mcast.h"
#include "switch/snoop.h"
#include "switch/sw.h"

static void emit(struct strbuf *out, json_t *reply)
{
	char *s = json_dumps(reply, JSON_COMPACT);

	if (s) {
		sb_puts(out, s);
		free(s);
	} else {
		sb_puts(out, "{\"ok\":false,\"error\":\"out of memory\"}");
	}
	sb_puts(out, "\n");
	json_decref(reply);
}

void ctl_cmd_error(struct strbuf *out, const char *msg)
{
	emit(out, json_pack("{s:b,s:s}", "ok", 0, "error", msg));
}

static json_t *ok(void)
{
	return json_pack("{s:b}", "ok", 1);
}

static uint32_t now_s(void)
{
	return (uint32_t)(time_mono_ns() / 1000000000u);
}

static void mac_str(const uint8_t m[6], char s[18])
{
	snprintf(s, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* A snooper's state for status; false when it is off. */
static json_t *snoop_json(const struct snoop *s)
{
	struct snoop_info si;

	if (!s)
		return json_false();
	snoop_get_info(s, now_s(), &si);
	return json_pack("{s:b,s:I,s:I,s:I,s:I,s:b,s:I,s:I,s:I}", "querier", si.querier, "next_query",
			 (json_int_t)si.next_query_in, "router_ports", (json_int_t)si.routers,
			 "memberships", (json_int_t)si.memberships, "size", (json_int_t)si.size,
			 "overflowed", si.overflowed, "reports", (json_int_t)si.reports, "queries_sent",
			 (json_int_t)si.queries_sent, "queries_heard", (json_int_t)si.queries_heard);
}

static void count_one(const struct fdb_entry_info *e, void *arg)
{
	(void)e;
	++*(uint32_t *)arg;
}

/* Each query makes every listener report: a client asking without pause
 * would have the switch flood the lab with queries and reports. A reload
 * (ports changed) makes the next request no repeat (sw_apply). */
#define QUERY_MIN_GAP_NS 250000000ull

/* IGMP and MLD general queries out of every port now: what nslab up asks
 * once the lab's links are up, since the queries sent when the ports were
 * attached may have been lost on links the kernel had not yet activated,
 * and a querier behind them would otherwise be heard half a minute later. */
static json_t *cmd_query(struct sw *sw)
{
	uint64_t now = time_mono_ns();
	bool send = !sw->query_asked_ns || now - sw->query_asked_ns >= QUERY_MIN_GAP_NS;

	if (send) {
		sw->query_asked_ns = now;
		snoop_query_all(sw, now_s());
	}
	return json_pack("{s:b, s:b, s:b, s:b}", "ok", 1, "mld", sw->snoop != NULL, "igmp",
			 sw->snoop4 != NULL, "sent", send);
}

static json_t *cmd_status(struct sw *sw)
{
	json_t *r = ok();
	uint32_t live = 0;

	/* The live entries, as fdb lists them: the table may still hold
	 * expired ones until the once-a-second sweep. */
	fdb_foreach(sw->fdb, now_s(), count_one, &live);

	json_object_set_new(r, "pid", json_integer(getpid()));
	json_object_set_new(r, "switch", json_string(sw->name));
	json_object_set_new(r, "uptime", json_integer((json_int_t)((time_mono_ns() - sw->started_ns) / 1000000000u)));
	json_object_set_new(r, "ports", json_integer(sw->n_ports));
	json_object_set_new(r, "fdb", json_pack("{s:I,s:I,s:I}", "entries", (json_int_t)live,
						"size", (json_int_t)fdb_size(sw->fdb), "aging",
						(json_int_t)fdb_aging(sw->fdb)));
	if (sw->fastpath) {
		uint64_t packets, bytes, floods;

		fp_totals(sw->fastpath, &packets, &bytes, &floods);
		packets += sw->fp_past_packets;
		bytes += sw->fp_past_bytes;
		floods += sw->fp_past_floods;
		json_object_set_new(r, "fast_path",
				    json_pack("{s:I,s:I,s:I,s:I,s:I}", "flows",
					      (json_int_t)fp_count(sw->fastpath), "multicast_flows",
					      (json_int_t)fp_mcount(sw->fastpath), "packets",
					      (json_int_t)packets, "bytes", (json_int_t)bytes, "floods",
					      (json_int_t)floods));
	} else {
		json_object_set_new(r, "fast_path", json_false());
	}
	json_object_set_new(r, "mld_snooping", snoop_json(sw->snoop));
	json_object_set_new(r, "igmp_snooping", snoop_json(sw->snoop4));
	return r;
}

static json_t *vlan_json(const struct vlan_port *vp, json_t *o)
{
	if (vp->mode == VLAN_MODE_ACCESS) {
		json_object_set_new(o, "mode", json_string("access"));
		json_object_set_new(o, "vlan", json_integer(vp->vid));
		return o;
	}
	json_t *vids = json_array();

	for (unsigned v = 1; v <= VLAN_MAX_VID; v++)
		if (vlan_allowed(vp, (uint16_t)v) && v != vp->native)
			json_array_append_new(vids, json_integer(v));
	json_object_set_new(o, "mode", json_string("trunk"));
	json_object_set_new(o, "trunk", vids);
	json_object_set_new(o, "native", json_integer(vp->native));
	return o;
}

/* The VLANs whose broadcasts from port p the kernel floods (fastpath.h). */
static json_t *kernel_floods_json(const struct port *p)
{
	json_t *vids = json_array();
	uint16_t untagged = p->vlan.mode == VLAN_MODE_ACCESS ? p->vlan.vid : p->vlan.native;

	if (!p->kflood_tagged) {
		if (p->kflood)
			json_array_append_new(vids, json_integer(untagged));
		return vids;
	}
	for (unsigned v = 1; v <= VLAN_MAX_VID; v++)
		if ((v == untagged && p->kflood) || ((p->kflood_tagged[v >> 6] >> (v & 63)) & 1))
			json_array_append_new(vids, json_integer(v));
	return vids;
}

static json_t *cmd_ports(struct sw *sw)
{
	json_t *r = ok(), *arr = json_array();

	for (unsigned i = 0; i < sw->max_index; i++) {
		struct port *p = sw->ports[i];
		char mac[18];
		json_t *o;

		if (!p)
			continue;
		mac_str(p->mac, mac);
		o = vlan_json(&p->vlan,
			      json_pack("{s:s,s:i,s:s,s:s,s:b,s:b,s:b}", "name", p->name, "ifindex",
					p->ifindex, "mac", mac, "state", port_state_name(p->state),
					"fast_path", p->fast, "mld_router",
					sw->snoop && snoop_is_router(sw->snoop, p->index, now_s()),
					"igmp_router",
					sw->snoop4 && snoop_is_router(sw->snoop4, p->index, now_s())));
		json_object_set_new(o, "kernel_floods", kernel_floods_json(p));
		json_array_append_new(arr, o);
	}
	json_object_set_new(r, "ports", arr);
	return r;
}

/* An array filled from one of the switch's tables (fdb, flows). */
struct dump {
	struct sw *sw;
	json_t *arr;
};

static void fdb_one(const struct fdb_entry_info *e, void *arg)
{
	struct dump *d = arg;
	struct port *p = sw_port_at(d->sw, e->port);
	char mac[18];

	mac_str(e->mac, mac);
	json_array_append_new(d->arr, json_pack("{s:s,s:i,s:s,s:I}", "mac", mac, "vlan", e->vid, "port",
						p ? p->name : "?", "age", (json_int_t)e->age));
}

static json_t *cmd_fdb(struct sw *sw)
{
	struct dump d = { sw, json_array() };
	json_t *r = ok();

	fdb_foreach(sw->fdb, now_s(), fdb_one, &d);
	json_object_set_new(r, "entries", d.arr);
	return r;
}

static json_t *stats_json(const struct port_stats *s, json_t *o)
{
	json_t *why = json_object();

	json_object_set_new(o, "rx_packets", json_integer((json_int_t)s->rx_packets));
	json_object_set_new(o, "rx_bytes", json_integer((json_int_t)s->rx_bytes));
	json_object_set_new(o, "tx_packets", json_integer((json_int_t)s->tx_packets));
	json_object_set_new(o, "tx_bytes", json_integer((json_int_t)s->tx_bytes));
	json_object_set_new(o, "drops", json_integer((json_int_t)stats_drops(s)));
	json_object_set_new(o, "snooped", json_integer((json_int_t)s->snooped));
	json_object_set_new(o, "errors", json_integer((json_int_t)s->rx_errors + (json_int_t)s->tx_errors));
	json_object_set_new(o, "rx_errors", json_integer((json_int_t)s->rx_errors));
	json_object_set_new(o, "tx_errors", json_integer((json_int_t)s->tx_errors));
	for (int i = 0; i < DROP_MAX; i++)
		if (s->drops[i])
			json_object_set_new(why, stats_drop_name((enum drop_reason)i),
					    json_integer((json_int_t)s->drops[i]));
	json_object_set_new(o, "drop_reasons", why);
	return o;
}

static void flow_one(const struct fp_flow_info *f, void *arg)
{
	struct dump *d = arg;
	struct port *in = sw_port_at(d->sw, f->in), *out = sw_port_at(d->sw, f->out);
	char src[18], dst[18];

	mac_str(f->src, src);
	mac_str(f->dst, dst);
	json_array_append_new(d->arr, json_pack("{s:s,s:s,s:s,s:s,s:i,s:b,s:b,s:I,s:I,s:I}", "in",
						in ? in->name : "?", "out", out ? out->name : "?",
						"src", src, "dst", dst, "vlan", f->vid, "in_tagged",
						f->in_tagged, "out_tagged", f->out_tagged, "packets",
						(json_int_t)f->packets, "bytes", (json_int_t)f->bytes,
						"idle", (json_int_t)f->idle));
}

/* A group as users read it elsewhere: dotted IPv4 for an IPv4-mapped one
 * (mcast.h), else IPv6's shortest form (RFC 5952). */
static void group_str(const uint8_t a[16], char s[40])
{
	struct in6_addr in;

	memcpy(&in, a, 16);
	if (!(mc_is_mapped4(a) ? inet_ntop(AF_INET, a + 12, s, 40) : inet_ntop(AF_INET6, &in, s, 40)))
		snprintf(s, 40, "?");
}

static void mflow_one(const struct fp_mflow_info *f, void *arg)
{
	struct dump *d = arg;
	struct port *in = sw_port_at(d->sw, f->in);
	json_t *outs = json_array();
	char src[18], group[40];

	mac_str(f->src, src);
	group_str(f->group, group);
	for (uint32_t i = 0; i < f->n; i++) {
		struct port *o = sw_port_at(d->sw, f->out[i]);

		json_array_append_new(outs, json_string(o ? o->name : "?"));
	}
	json_array_append_new(d->arr, json_pack("{s:s,s:o,s:s,s:s,s:i,s:b,s:I,s:I,s:I}", "in",
						in ? in->name : "?", "out", outs, "src", src,
						"group", group, "vlan", f->vid, "in_tagged",
						f->in_tagged, "packets", (json_int_t)f->packets,
						"bytes", (json_int_t)f->bytes, "idle",
						(json_int_t)f->idle));
}

/* The flows the kernel forwards for the switch (fastpath.h). */
static json_t *cmd_flows(struct sw *sw)
{
	struct dump d = { sw, json_array() };
	json_t *r = ok();

	fp_foreach(sw->fastpath, now_s(), flow_one, &d);
	json_object_set_new(r, "flows", d.arr);
	d.arr = json_array();
	fp_mforeach(sw->fastpath, now_s(), mflow_one, &d);
	json_object_set_new(r, "multicast_flows", d.arr);
	return r;
}

static void mdb_one(const struct mdb_entry_info *e, void *arg)
{
	struct dump *d = arg;
	struct port *p = sw_port_at(d->sw, e->port);
	char g[40];

	group_str(e->group, g);
	json_array_append_new(d->arr, json_pack("{s:s,s:i,s:s,s:I}", "group", g, "vlan", e->vid, "port",
						p ? p->name : "?", "expires", (json_int_t)e->expires_in));
}

/* The multicast groups the hosts reported (snoop.h). */
static json_t *cmd_mdb(struct sw *sw)
{
	struct dump d = { sw, json_array() };
	json_t *r = ok();

	if (sw->snoop4)
		mdb_foreach(snoop_mdb(sw->snoop4), now_s(), mdb_one, &d);
	if (sw->snoop)
		mdb_foreach(snoop_mdb(sw->snoop), now_s(), mdb_one, &d);
	json_object_set_new(r, "groups", d.arr);
	json_object_set_new(r, "snooping", json_boolean(sw->snoop != NULL));
	json_object_set_new(r, "igmp_snooping", json_boolean(sw->snoop4 != NULL));
	return r;
}

static json_t *cmd_stats(struct sw *sw)
{
	json_t *r = ok(), *arr = json_array();
	struct port_stats tot = { 0 };

	for (unsigned i = 0; i < sw->max_index; i++) {
		struct port *p = sw->ports[i];

		if (!p)
			continue;
		port_poll_kernel_drops(p);
		tot.rx_packets += p->st.rx_packets;
		tot.rx_bytes += p->st.rx_bytes;
		tot.tx_packets += p->st.tx_packets;
		tot.tx_bytes += p->st.tx_bytes;
		tot.rx_errors += p->st.rx_errors;
		tot.tx_errors += p->st.tx_errors;
		tot.snooped += p->st.snooped;
		for (int k = 0; k < DROP_MAX; k++)
			tot.drops[k] += p->st.drops[k];
		json_array_append_new(arr, stats_json(&p->st, json_pack("{s:s}", "name", p->name)));
	}
	json_object_set_new(r, "ports", arr);
	json_object_set_new(r, "total", stats_json(&tot, json_object()));
	return r;
}

static json_t *fail(const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	return json_pack("{s:b,s:s}", "ok", 0, "error", msg);
}

static json_t *cmd_fdb_flush(struct sw *sw, json_t *req)
{
	json_t *jp = json_object_get(req, "port"), *jv = json_object_get(req, "vlan"), *r;
	uint16_t port = FDB_NO_PORT, vid = 0;

	if (jp) {
		struct port *p;

		if (!json_is_string(jp))
			return fail("%s", "\"port\" must be a port name");
		p = sw_port(sw, json_string_value(jp));
		if (!p)
			return fail("no port \"%s\"", json_string_value(jp));
		port = p->index;
	}
	if (jv) {
		if (!json_is_integer(jv) || json_integer_value(jv) < 1 || json_integer_value(jv) > VLAN_MAX_VID)
			return fail("%s", "\"vlan\" must be a VLAN id 1..4094");
		vid = (uint16_t)json_integer_value(jv);
	}
	r = ok();
	json_object_set_new(r, "removed", json_integer(sw_fdb_flush(sw, port, vid)));
	return r;
}

static json_t *cmd_reload(struct sw *sw)
{
	struct swconf *conf;
	json_t *added, *removed, *changed, *r;
	bool flushed;
	int rc;

	if (!sw->config_path)
		return fail("%s", "no configuration file to reload");
	rc = swconf_load(sw->config_path, &conf);
	if (rc)
		return fail("%s", err_text(rc));
	added = json_array();
	removed = json_array();
	changed = json_array();
	flushed = conf->fdb_size != fdb_size(sw->fdb);
	rc = sw_apply(sw, conf, added, removed, changed);
	swconf_free(conf);
	if (rc) {
		json_decref(added);
		json_decref(removed);
		json_decref(changed);
		log_warn("reload: %s", err_text(rc));
		return fail("%s", err_text(rc));
	}
	log_info("reloaded %s: %zu added, %zu removed, %zu changed", sw->config_path,
		 json_array_size(added), json_array_size(removed), json_array_size(changed));
	r = ok();
	json_object_set_new(r, "added", added);
	json_object_set_new(r, "removed", removed);
	json_object_set_new(r, "changed", changed);
	/* a resized MAC table starts empty (sw_apply) */
	json_object_set_new(r, "fdb_flushed", json_boolean(flushed));
	return r;
}

void ctl_cmd_handle(struct sw *sw, const char *line, size_t len, struct strbuf *out)
{
	json_error_t jerr;
	json_t *req, *cmd, *r;
	size_t blank = 0;
	const char *c;

	if (len > CTL_MAX_REQUEST) {
		ctl_cmd_error(out, "request longer than 65536 bytes");
		return;
	}
	/* Every line gets its reply, so a client reading one per line it
	 * sent never waits for an answer that does not come. */
	while (blank < len && (line[blank] == ' ' || line[blank] == '\t'))
		blank++;
	if (blank == len) {
		ctl_cmd_error(out, "empty request");
		return;
	}
	req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req) {
		const char *nul = memchr(line, '\0', len);
		char msg[256];

		/* jansson's words name its own flag (JSON_ALLOW_NUL) for a
		 * \u0000, and a raw NUL is a "control character 0x0". */
		if (nul || strstr(jerr.text, "JSON_ALLOW_NUL"))
			snprintf(msg, sizeof(msg), "malformed request: it contains a NUL character (column %d)",
				 nul ? (int)(nul - line) + 1 : jerr.column);
		else
			snprintf(msg, sizeof(msg), "malformed request: %s (column %d)", jerr.text,
				 jerr.column);
		ctl_cmd_error(out, msg);
		return;
	}
	cmd = json_object_get(req, "cmd");
	if (!json_is_object(req) || !json_is_string(cmd)) {
		json_decref(req);
		ctl_cmd_error(out, "a request is an object with \"cmd\"");
		return;
	}
	c = json_string_value(cmd);
	/* What the kernel forwarded counts, and keeps its sources alive,
	 * before anything is shown. */
	fp_poll(sw->fastpath, sw, now_s());
	if (!strcmp(c, "status"))
		r = cmd_status(sw);
	else if (!strcmp(c, "ports"))
		r = cmd_ports(sw);
	else if (!strcmp(c, "fdb"))
		r = cmd_fdb(sw);
	else if (!strcmp(c, "stats"))
		r = cmd_stats(sw);
	else if (!strcmp(c, "flows"))
		r = cmd_flows(sw);
	else if (!strcmp(c, "mdb"))
		r = cmd_mdb(sw);
	else if (!strcmp(c, "fdb-flush"))
		r = cmd_fdb_flush(sw, req);
	else if (!strcmp(c, "reload"))
		r = cmd_reload(sw);
	else if (!strcmp(c, "query"))
		r = cmd_query(sw);
	else
		r = fail("unknown command \"%.64s\" (status, ports, fdb, flows, mdb, stats, fdb-flush, reload, query)", c);
	json_decref(req);
	emit(out, r ? r : json_pack("{s:b,s:s}", "ok", 0, "error", "out of memory"));
}
