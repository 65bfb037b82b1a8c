// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The top level of a topology file and its switches. The sections are read
 * in dependency order (switches, hosts, links, expectations) whatever order
 * the file writes them in, so every reference can be resolved as it is met.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *const root_keys[] = { "name", "switches", "hosts", "links", "expect", NULL };
static const char *const switch_keys[] = { "kind", "gateway", "nat", "uplink", "mtu", "fdb",
					   "fast_path", "mld_snooping", "igmp_snooping", NULL };
static const char *const fdb_keys[] = { "size", "aging", NULL };

#define FDB_SIZE_MIN 16
#define FDB_SIZE_MAX 1048576
#define FDB_AGING_MIN 10
#define FDB_AGING_MAX 1000000

/* The lab name from the file name: "dir/seed.yaml" -> "seed". */
static char *name_from_file(const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".yml"))
		n -= 4;
	return strndup(base, n);
}

/* A valid lab name close to s, for the message that asks for one. */
static void lab_name_like(const char *s, char out[TOPO_LAB_MAX + 1])
{
	size_t k = 0;

	for (; *s && k < TOPO_LAB_MAX; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			c = k && out[k - 1] != '-' ? '-' : 0;
		if (c == '_' && !k)
			c = 0;
		if (c)
			out[k++] = c;
	}
	while (k && out[k - 1] == '-')
		k--;
	out[k] = '\0';
	if (!k)
		strcpy(out, "mylab");
}

static void parse_name(struct topo_pctx *ctx, const struct topo_ynode *root)
{
	const struct topo_ynode *n = topo_ymap_get(root, "name", NULL);
	char like[TOPO_LAB_MAX + 1];
	const char *s;

	if (n) {
		if (!topo_yget_str(ctx, n, "name", "at the top level", &s))
			return;
		if (topo_lab_name_valid(s)) {
			lab_name_like(s, like);
			topo_report(ctx, n->pos, "invalid lab name '%s'; use 1 to %d of a-z, 0-9, '_' and '-', starting with a letter or digit, e.g. '%s'",
				    topo_q(s), TOPO_LAB_MAX, like);
			return;
		}
		ctx->t->name = strdup(s);
	} else {
		if (!strcmp(ctx->file, TOPO_STDIN)) {
			topo_report(ctx, root->pos, "a topology read from standard input needs 'name:', e.g. 'name: lab1'");
			return;
		}
		ctx->t->name = name_from_file(ctx->file);
		if (ctx->t->name && topo_lab_name_valid(ctx->t->name)) {
			lab_name_like(ctx->t->name, like);
			topo_report(ctx, root->pos, "no 'name:' and the file name '%s' is not a valid lab name (1 to %d of a-z, 0-9, '_', '-'); add e.g. 'name: %s'",
				    topo_q(ctx->t->name), TOPO_LAB_MAX, like);
			return;
		}
	}
	if (!ctx->t->name)
		ctx->err = -ENOMEM;
}

void topo_parse_root(struct topo_pctx *ctx, const struct topo_ynode *root)
{
	const struct topo_ynode *n, *k;
	size_t unknown;

	if (!root || (root->type == TOPO_YSCALAR && root->null)) {
		struct topo_pos pos = root ? root->pos : (struct topo_pos){ 1, 1 };

		topo_report(ctx, pos, "the file is empty; a topology needs at least a 'hosts:' mapping (see nslab-topology(5))");
		return;
	}
	if (root->type != TOPO_YMAP) {
		topo_report(ctx, root->pos, "the top level must be a mapping of name, switches, hosts, links and expect, not %s",
			    topo_ydesc(root));
		return;
	}
	unknown = topo_ycheck_keys(ctx, root, root_keys, "at the top level");
	parse_name(ctx, root);
	n = topo_ymap_get(root, "switches", NULL);
	if (n)
		topo_parse_switches(ctx, n);
	if (topo_index_build(ctx))
		return;
	n = topo_ymap_get(root, "hosts", &k);
	if (!n) {
		if (!unknown) /* else probably misspelt, and reported */
			topo_report(ctx, root->pos, "no 'hosts:'; a lab needs at least one host");
	} else if ((n->type == TOPO_YSCALAR && n->null) || (n->type == TOPO_YMAP && n->n == 0))
		topo_report(ctx, k->pos, "'hosts' is empty; define at least one host");
	else
		topo_parse_hosts(ctx, n);
	if (topo_index_build(ctx))
		return;
	n = topo_ymap_get(root, "links", NULL);
	if (n)
		topo_parse_links(ctx, n);
	n = topo_ymap_get(root, "expect", NULL);
	if (n)
		topo_parse_expects(ctx, n);
}

/* ---- switches ---- */

static void parse_gateways(struct topo_pctx *ctx, struct topo_switch *sw,
			   struct topo_switch_src *src, const struct topo_ynode *n,
			   const char *where)
{
	const struct topo_ynode *const *items = &n;
	size_t count = 1;

	if (n->type == TOPO_YSEQ) {
		items = (const struct topo_ynode *const *)n->items;
		count = n->n;
	} else if (n->type != TOPO_YSCALAR || n->null) {
		topo_report(ctx, n->pos, "'gateway' %s must be an address such as 172.16.10.254/24 or a list of one IPv4 and one IPv6 address, not %s",
			    where, topo_ydesc(n));
		return;
	}
	sw->gateways = calloc(2, sizeof(*sw->gateways));
	if (!sw->gateways) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < count; i++) {
		struct topo_cidr c;
		const struct topo_cidr *other;

		if (!topo_yget_host_cidr(ctx, items[i], "gateway", where, &c))
			continue;
		other = topo_switch_gateway(sw, c.family);
		if (other) {
			size_t j = (size_t)(other - sw->gateways);

			topo_report(ctx, items[i]->pos, "a second %s gateway %s (the first is at %s); a switch has at most one gateway per family",
				    topo_family_str(c.family), where, topo_qpos(src->gw_pos[j]));
			continue;
		}
		src->gw_pos[sw->n_gateways] = items[i]->pos;
		sw->gateways[sw->n_gateways++] = c;
	}
}

static void parse_fdb(struct topo_pctx *ctx, struct topo_switch *sw, const struct topo_ynode *n,
		      const char *where)
{
	const struct topo_ynode *v;
	char w[TOPO_WHERE_MAX + 16];

	if (n->type != TOPO_YMAP) {
		topo_report(ctx, n->pos, "'fdb' %s must be a mapping such as {size: 8192, aging: 300}, not %s",
			    where, topo_ydesc(n));
		return;
	}
	snprintf(w, sizeof(w), "in the fdb of %s", where + 3);
	topo_ycheck_keys(ctx, n, fdb_keys, w);
	v = topo_ymap_get(n, "size", NULL);
	if (v)
		topo_yget_uint(ctx, v, "size", w, FDB_SIZE_MIN, FDB_SIZE_MAX, &sw->fdb_size);
	v = topo_ymap_get(n, "aging", NULL);
	if (v)
		topo_yget_uint(ctx, v, "aging", w, FDB_AGING_MIN, FDB_AGING_MAX, &sw->fdb_aging);
}

static void parse_kind(struct topo_pctx *ctx, struct topo_switch *sw, const struct topo_ynode *n,
		       const char *where)
{
	static const char *const kinds[] = { "bridge", "nslab" };
	const char *s, *like;

	if (!topo_yget_str(ctx, n, "kind", where, &s))
		return;
	if (!strcmp(s, "bridge")) {
		sw->kind = TOPO_SWITCH_BRIDGE;
	} else if (!strcmp(s, "nslab")) {
		sw->kind = TOPO_SWITCH_NSLAB;
	} else {
		like = topo_suggest(ctx, s, kinds, 2, sizeof(*kinds), 0);
		if (like)
			topo_report(ctx, n->pos, "unknown switch kind '%s' %s; did you mean '%s'?",
				    topo_q(s), where, like);
		else
			topo_report(ctx, n->pos, "unknown switch kind '%s' %s; use bridge (the Linux bridge) or nslab (nslab-switchd)",
				    topo_q(s), where);
	}
}

/* mld_snooping or igmp_snooping: on unless false; nslab-switchd's alone. */
static void parse_snooping(struct topo_pctx *ctx, const struct topo_switch *sw, const struct topo_ynode *val,
			   const char *key, const char *where, bool *off)
{
	const struct topo_ynode *n = topo_ymap_get(val, key, NULL);
	bool on = true;

	if (!n || !topo_yget_bool(ctx, n, key, where, &on))
		return;
	*off = !on;
	if (sw->kind == TOPO_SWITCH_BRIDGE)
		topo_report(ctx, n->pos, "'%s' %s is a setting of nslab-switchd; nslab keeps the Linux bridge's (kind: bridge) multicast snooping off: remove it",
			    key, where);
}

static void parse_switch(struct topo_pctx *ctx, const struct topo_ynode *key,
			 const struct topo_ynode *val)
{
	struct topo *t = ctx->t;
	struct topo_switch *sw = &t->switches[t->n_switches];
	struct topo_switch_src *src = &ctx->sw_src[t->n_switches];
	const struct topo_ynode *n, *nat_n, *uplink_k = NULL, *uplink_v;
	bool nat_ok = false;
	char where[TOPO_WHERE_MAX];
	const char *s;

	t->n_switches++;
	sw->kind = TOPO_SWITCH_KIND_DEFAULT;
	sw->pos = key->pos;
	sw->name = strdup(key->str);
	if (!sw->name) {
		ctx->err = -ENOMEM;
		return;
	}
	snprintf(where, sizeof(where), "in switch '%s'", topo_q(key->str));
	if (topo_ifname_valid(key->str))
		topo_report(ctx, key->pos, "invalid switch name '%s'; a switch is a network interface: use 1 to 15 printable characters without '/', ':', '%%' or spaces",
			    topo_q(key->str));
	else if (!strcmp(key->str, "lo"))
		topo_report(ctx, key->pos, "switch name 'lo' is the loopback interface's; choose another name");
	else if (!strcmp(key->str, "eth0"))
		topo_report(ctx, key->pos, "switch name 'eth0' is the uplink's in a sandbox (and most hosts'); choose another name");
	else if (!strcmp(key->str, "host") || !strcmp(key->str, "inet"))
		topo_report(ctx, key->pos, "switch name '%s' is reserved for the lab's %s (nslab show %s); choose another name",
			    key->str, !strcmp(key->str, "host") ? "host side" : "sandbox internet", key->str);
	if (val->type == TOPO_YSCALAR && val->null)
		return;
	if (val->type != TOPO_YMAP) {
		topo_report(ctx, val->pos, "switch '%s' must be a mapping of %s, not %s; write e.g. '%s: {gateway: 172.16.10.254/24}'",
			    topo_q(key->str), "kind, gateway, nat, uplink, mtu, fdb, fast_path, mld_snooping, igmp_snooping", topo_ydesc(val),
			    topo_q(key->str));
		return;
	}
	topo_ycheck_keys(ctx, val, switch_keys, where);
	if ((n = topo_ymap_get(val, "kind", NULL)))
		parse_kind(ctx, sw, n, where);
	if ((n = topo_ymap_get(val, "gateway", NULL)))
		parse_gateways(ctx, sw, src, n, where);
	if ((nat_n = topo_ymap_get(val, "nat", NULL)))
		nat_ok = topo_yget_bool(ctx, nat_n, "nat", where, &sw->nat);
	uplink_v = n = topo_ymap_get(val, "uplink", &uplink_k);
	if (n && topo_yget_str(ctx, n, "uplink", where, &s)) {
		if (topo_ifname_valid(s)) {
			topo_report(ctx, n->pos, "'uplink' '%s' %s is not an interface name; use 1 to 15 printable characters without '/', ':', '%%' or spaces",
				    topo_q(s), where);
		} else if (!(sw->uplink = strdup(s))) {
			ctx->err = -ENOMEM;
			return;
		}
	}
	if ((n = topo_ymap_get(val, "mtu", NULL))) {
		src->mtu_pos = n->pos;
		topo_yget_uint(ctx, n, "mtu", where, TOPO_MTU_MIN, TOPO_MTU_MAX, &sw->mtu);
	}
	if ((n = topo_ymap_get(val, "fdb", NULL)))
		parse_fdb(ctx, sw, n, where);
	if ((n = topo_ymap_get(val, "fast_path", NULL))) {
		bool on = true;

		if (topo_yget_bool(ctx, n, "fast_path", where, &on)) {
			sw->no_fast_path = !on;
			if (sw->kind == TOPO_SWITCH_BRIDGE)
				topo_report(ctx, n->pos, "'fast_path' %s is a setting of nslab-switchd; the Linux bridge (kind: bridge) forwards in the kernel anyway: remove it",
					    where);
		}
	}
	parse_snooping(ctx, sw, val, "mld_snooping", where, &sw->no_mld_snooping);
	parse_snooping(ctx, sw, val, "igmp_snooping", where, &sw->no_igmp_snooping);

	if (sw->nat && nat_n && !sw->n_gateways && !topo_ymap_get(val, "gateway", NULL))
		topo_report(ctx, nat_n->pos, "'nat: true' %s needs a gateway to masquerade; add e.g. 'gateway: 172.16.10.254/24'",
			    where);
	if (uplink_k && uplink_v && !uplink_v->null && !sw->nat && (!nat_n || nat_ok))
		topo_report(ctx, uplink_k->pos, "'uplink' %s is only used for NAT; add 'nat: true' or remove it",
			    where);
	if (sw->mtu && sw->mtu < TOPO_MTU_IPV6_MIN && topo_switch_gateway(sw, AF_INET6))
		topo_report(ctx, src->mtu_pos, "'mtu' %u %s is below IPv6's minimum of %d (RFC 8200 §5), and the switch has an IPv6 gateway; use at least %d",
			    sw->mtu, where, TOPO_MTU_IPV6_MIN, TOPO_MTU_IPV6_MIN);
}

void topo_parse_switches(struct topo_pctx *ctx, const struct topo_ynode *n)
{
	struct topo *t = ctx->t;

	if (n->type == TOPO_YSCALAR && n->null)
		return;
	if (n->type != TOPO_YMAP) {
		topo_report(ctx, n->pos, "'switches' must be a mapping of switch names to settings, not %s; write e.g. 'switches: {v-net-0: {gateway: 172.16.10.254/24}}'",
			    topo_ydesc(n));
		return;
	}
	t->switches = calloc(n->n ? n->n : 1, sizeof(*t->switches));
	ctx->sw_src = calloc(n->n ? n->n : 1, sizeof(*ctx->sw_src));
	if (!t->switches || !ctx->sw_src) {
		ctx->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < n->n && !ctx->err; i++)
		parse_switch(ctx, n->items[2 * i], n->items[2 * i + 1]);
}
