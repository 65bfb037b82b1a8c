// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/apply.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "common/util.h"
#include "kernel/addr.h"
#include "kernel/bridge.h"
#include "kernel/link.h"
#include "kernel/nat.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/route.h"
#include "kernel/sysctl.h"
#include "lab/hostsysctl.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

#define LABEL_MAX 256
#define KILL_WAIT_MS 1000

void apply_init(struct apply_ctx *ctx)
{
	const char *f = getenv("NSLAB_FAULT"), *s = getenv("NSLAB_STALL");

	objset_init(&ctx->made);
	nsctx_table_init(&ctx->ns);
	ctx->fault_at = f ? atol(f) : 0;
	ctx->stall_at = s ? atol(s) : 0;
	ctx->stall_links = s && !strcmp(s, "links");
	ctx->created = 0;
}

void apply_fini(struct apply_ctx *ctx)
{
	objset_clear(&ctx->made);
	nsctx_table_free(&ctx->ns);
}

/* "red: eth0" style prefix: the namespace as people know it. */
static const char *ns_label(const struct apply_ctx *ctx, const char *ns)
{
	if (!strcmp(ns, OBJ_NS_HOST) || !strcmp(ns, ctx->env->host_ns))
		return "host";
	if (ctx->env->inet_ns && !strcmp(ns, ctx->env->inet_ns))
		return "inet";
	return ns;
}

static int ns_get(struct apply_ctx *ctx, const char *ns, struct nsctx **c)
{
	return nsctx_get(&ctx->ns, ns, c);
}

static int flush_all(struct apply_ctx *ctx)
{
	struct nl **nls;
	size_t n;
	int rc = nsctx_pending(&ctx->ns, &nls, &n);

	if (rc)
		return rc;
	if (n)
		rc = nl_flush_many(nls, n);
	free(nls);
	return rc;
}

static bool is_group_member(const struct apply_ctx *ctx, const struct obj *o)
{
	char buf[256];

	if (!ctx->env->group)
		return false;
	if (o->kind == OBJ_BRIDGE)
		return !strcmp(o->ns, ctx->env->host_ns) &&
		       obj_get_long(o->attrs, "group", 0) == (long)ctx->env->group;
	if (o->kind == OBJ_VETH)
		return obj_get(o->attrs, "peer_ns", buf, sizeof(buf)) &&
		       !strcmp(buf, ctx->env->host_ns) &&
		       obj_get_long(o->attrs, "peer_group", 0) == (long)ctx->env->group;
	return false;
}

/*
 * Whether a link in the real host's namespace is the lab's, so a delete by
 * name can never hit a link of the same name that someone else made (say, a
 * creation that failed because the name was taken). The lab marks its
 * links with its group and alias; a veth also counts as the lab's when its
 * switch-side end carries the group.
 */
static bool owned_link(struct apply_ctx *ctx, struct nsctx *c, const struct obj *o)
{
	struct link_info li = { 0 };
	char alias[64], peer[32];
	int rc;

	if (strcmp(c->name, OBJ_NS_HOST))
		return true; /* a namespace of the lab's own */
	desired_alias(ctx->env->lab, alias, sizeof(alias));
	rc = link_get(c->nl, o->name, &li);
	if (rc == -ENODEV) {
		err_clear();
		return true; /* nothing there: deleting it finds nothing */
	}
	if (rc == 0 &&
	    ((ctx->env->group && li.group == ctx->env->group) || !strcmp(li.alias, alias)))
		return true;
	if (o->kind == OBJ_VETH && obj_get(o->attrs, "peer", peer, sizeof(peer)) &&
	    link_get(c->nl, peer, &li) == 0 && ctx->env->group && li.group == ctx->env->group)
		return true;
	return false;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

/* ---- namespaces ---- */

static int create_netns(struct apply_ctx *ctx, const struct obj *o)
{
	char label[LABEL_MAX];
	struct nsctx *c;
	struct nl *nl;
	int fd, rc;

	rc = netns_create(o->name, &fd, &nl);
	if (rc == -EEXIST) {
		/* Not ours: make sure the rollback never deletes it. */
		objset_del(&ctx->made, o);
		return err_msg(rc,
			       "a network namespace called %s exists already and is not this "
			       "lab's; remove it (ip netns del %s) or rename the host",
			       o->name, o->name);
	}
	if (rc)
		return err_ctx(rc, "%s: creating its network namespace", o->name);
	rc = nsctx_adopt(&ctx->ns, o->name, fd, nl, &c);
	if (rc) {
		nl_close(nl);
		close(fd);
		return rc;
	}
	rc = nsctx_set_ifindex(c, "lo", 1);
	snprintf(label, sizeof(label), "%s: lo: setting it up", ns_label(ctx, o->name));
	return rc ? rc
		  : link_set(c->nl, &(struct link_change){ .ifindex = 1, .set_up = true, .up = true },
			     label);
}

static int delete_netns_step(struct apply_ctx *ctx, struct plan_action *a, size_t n)
{
	unsigned long *inos = calloc(n + 1, sizeof(*inos));
	size_t k = 0;
	int rc = 0;

	if (!inos)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int fd;

		if (netns_open(a[i].obj->name, &fd) == 0) {
			if (netns_ino(fd, &inos[k]) == 0)
				k++;
			close(fd);
		}
	}
	/* Processes people started in the nodes (servers, shells) would keep
	 * the namespaces alive after their names are gone. */
	if (k)
		netns_kill_procs(inos, k, SIGTERM, KILL_WAIT_MS);
	free(inos);
	for (size_t i = 0; i < n && !rc; i++) {
		nsctx_drop(&ctx->ns, a[i].obj->name);
		rc = netns_delete(a[i].obj->name);
		if (rc)
			err_ctx(rc, "%s: deleting its network namespace", a[i].obj->name);
	}
	return rc;
}

/* ---- links ---- */

static int create_veth(struct apply_ctx *ctx, const struct obj *o)
{
	char peer_ns[256], peer[32], mac_s[24], pmac_s[24], label[LABEL_MAX];
	uint8_t mac[6], pmac[6];
	struct nsctx *c, *pc;
	struct link_veth v;
	int rc;

	memset(&v, 0, sizeof(v));
	obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns));
	obj_get(o->attrs, "peer", peer, sizeof(peer));
	obj_get(o->attrs, "mac", mac_s, sizeof(mac_s));
	obj_get(o->attrs, "peer_mac", pmac_s, sizeof(pmac_s));
	rc = ns_get(ctx, o->ns, &c);
	if (!rc)
		rc = ns_get(ctx, peer_ns, &pc);
	if (rc)
		return rc;
	v.name = o->name;
	v.ifindex = (int)obj_get_long(o->state, "ifindex", 0);
	v.mac = parse_mac(mac_s, mac) ? NULL : mac;
	v.mtu = (unsigned)obj_get_long(o->attrs, "mtu", 0);
	v.up = true;
	v.peer = peer;
	v.peer_nsfd = pc == c ? -1 : pc->fd;
	v.peer_ifindex = (int)obj_get_long(o->state, "peer_ifindex", 0);
	v.peer_mac = parse_mac(pmac_s, pmac) ? NULL : pmac;
	/* The kernel can bring up, at creation, an end in another namespace
	 * only if its index is chosen too (kernel/link.c); a switch-side end
	 * is brought up by its port's setup instead. */
	v.peer_up = pc == c || v.peer_ifindex || !v.ifindex;
	/* Both ends ports (a link between switches): up only once set up, so
	 * that neither ever gets an IPv6 link-local address. */
	if (obj_get_long(o->attrs, "down", 0))
		v.up = v.peer_up = false;
	v.peer_group = (uint32_t)obj_get_long(o->attrs, "peer_group", 0);
	if (v.ifindex)
		rc = nsctx_set_ifindex(c, o->name, v.ifindex);
	if (!rc && v.peer_ifindex)
		rc = nsctx_set_ifindex(pc, peer, v.peer_ifindex);
	if (rc)
		return rc;
	snprintf(label, sizeof(label), "%s: %s: creating a veth pair with %s in %s",
		 ns_label(ctx, o->ns), o->name, peer, ns_label(ctx, peer_ns));
	return link_veth_add(c->nl, &v, label);
}

static int create_bridge(struct apply_ctx *ctx, const struct obj *o)
{
	char label[LABEL_MAX];
	struct nsctx *c;
	int rc = ns_get(ctx, o->ns, &c);

	if (rc)
		return rc;
	snprintf(label, sizeof(label), "%s: creating bridge %s", ns_label(ctx, o->ns), o->name);
	return link_bridge_add(c->nl, o->name, (unsigned)obj_get_long(o->attrs, "mtu", 0),
			       obj_get_long(o->attrs, "vlan_filtering", 0) != 0, label);
}

/* After the bridges exist (and only then: a name that was taken must not
 * get our marks), mark them. They come up last (bridges_up). */
static int mark_bridge(struct apply_ctx *ctx, const struct obj *o)
{
	char label[LABEL_MAX], alias[64], mac_s[24];
	uint8_t mac[6];
	bool has_mac;
	struct nsctx *c;
	int rc = ns_get(ctx, o->ns, &c);

	if (rc)
		return rc;
	obj_get(o->attrs, "alias", alias, sizeof(alias));
	/* An address of its own, set once: otherwise the bridge takes the
	 * lowest of its ports' and changes it as they come and go, leaving
	 * the hosts' neighbour entries for the gateway wrong. */
	has_mac = obj_get(o->attrs, "mac", mac_s, sizeof(mac_s)) && !parse_mac(mac_s, mac);
	snprintf(label, sizeof(label), "%s: %s: setting it up", ns_label(ctx, o->ns), o->name);
	return link_set(c->nl,
			&(struct link_change){ .name = o->name, .alias = alias, .set_group = true,
					       .group = (uint32_t)obj_get_long(o->attrs, "group", 0),
					       .mac = has_mac ? mac : NULL },
			label);
}

static int parse_vids(const char *s, uint16_t *vids, size_t max, size_t *n)
{
	char *end;

	*n = 0;
	if (!strcmp(s, "-") || !*s)
		return 0;
	while (*s) {
		long v = strtol(s, &end, 10);

		if (end == s || v < 1 || v > 4094 || *n >= max)
			return -EINVAL;
		vids[(*n)++] = (uint16_t)v;
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/* A port made (update false), or one whose settings changed: a port that
 * moves between kinds of switch leaves the other kind's behind too (its
 * bridge, or the IPv4 settings of an nslab-switchd port). */
static int setup_port(struct apply_ctx *ctx, const struct obj *o, bool update)
{
	char master[32], alias[64], ll[8], ipv4[8], pvid_s[16], vids_s[20000], label[LABEL_MAX];
	struct link_change ch = { .name = o->name };
	struct nsctx *c;
	int rc, mi = 0;

	rc = ns_get(ctx, o->ns, &c);
	if (rc)
		return rc;
	obj_get(o->attrs, "alias", alias, sizeof(alias));
	ch.alias = alias;
	if (obj_get(o->attrs, "ll", ll, sizeof(ll)) && !strcmp(ll, "off")) {
		ch.set_ipv6_ll = true;
		ch.ipv6_ll = false;
	}
	if (obj_get(o->attrs, "ipv4", ipv4, sizeof(ipv4)) && !strcmp(ipv4, "off"))
		ch.set_ipv4_off = true;
	if (obj_get(o->attrs, "arp", ipv4, sizeof(ipv4)) && !strcmp(ipv4, "own"))
		ch.set_arp_own_only = true;
	if (update && !ch.set_ipv4_off && !ch.set_arp_own_only) {
		char rp[16] = "0";

		ch.set_ipv4_on = true;
		if (!sysctl_read(c->fd, "net.ipv4.conf.default.rp_filter", rp, sizeof(rp)))
			ch.rp_filter = (unsigned)atoi(rp);
		err_clear();
	}
	if (obj_get(o->attrs, "master", master, sizeof(master)) && strcmp(master, "-")) {
		rc = nsctx_ifindex(c, master, &mi);
		if (rc)
			return err_ctx(rc, "%s: finding bridge %s", ns_label(ctx, o->ns), master);
		ch.set_master = true;
		ch.master = mi;
	} else if (update) {
		ch.set_master = true; /* out of any bridge */
	}
	snprintf(label, sizeof(label), "%s: %s: attaching it to %s", ns_label(ctx, o->ns), o->name,
		 mi ? master : "its switch");
	rc = link_set(c->nl, &ch, label);
	if (!rc && obj_get(o->attrs, "pvid", pvid_s, sizeof(pvid_s))) {
		uint16_t vids[4094];
		size_t n;
		int pi;

		obj_get(o->attrs, "vids", vids_s, sizeof(vids_s));
		rc = parse_vids(vids_s, vids, ARRAY_SIZE(vids), &n);
		if (!rc)
			rc = nsctx_ifindex(c, o->name, &pi);
		snprintf(label, sizeof(label), "%s: %s: setting its VLANs", ns_label(ctx, o->ns),
			 o->name);
		if (!rc)
			rc = bridge_vlan_set(c->nl, pi, false, (uint16_t)atoi(pvid_s), vids, n, label);
	}
	return rc;
}

static int port_up(struct apply_ctx *ctx, const struct obj *o)
{
	char label[LABEL_MAX];
	struct nsctx *c;
	int rc = ns_get(ctx, o->ns, &c);

	if (rc)
		return rc;
	snprintf(label, sizeof(label), "%s: %s: setting it up", ns_label(ctx, o->ns), o->name);
	return link_set(c->nl, &(struct link_change){ .name = o->name, .set_up = true, .up = true },
			label);
}

/*
 * A veth whose namespace was deleted behind our back (ip netns del) goes
 * with it, but its other end only when the kernel has finished with that
 * namespace, asynchronously, keeping its name until then: delete that end
 * now, so the name is free for the veth made again.
 */
static int delete_orphan_peer(struct apply_ctx *ctx, const struct obj *o)
{
	char peer_ns[256], peer[32], label[LABEL_MAX];
	struct nsctx *c;
	int rc;

	if (o->kind != OBJ_VETH || !obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns)) ||
	    !obj_get(o->attrs, "peer", peer, sizeof(peer)))
		return 0;
	rc = ns_get(ctx, peer_ns, &c);
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	if (!owned_link(ctx, c, &(struct obj){ .kind = OBJ_PORT, .ns = peer_ns, .name = peer }))
		return 0;
	nsctx_forget_ifindex(c, peer);
	snprintf(label, sizeof(label), "%s: deleting %s", ns_label(ctx, peer_ns), peer);
	return link_del(c->nl, peer, 0, NL_F_GONE_OK, label);
}

static int delete_link(struct apply_ctx *ctx, const struct obj *o)
{
	char label[LABEL_MAX];
	struct nsctx *c;
	int rc = ns_get(ctx, o->ns, &c);

	if (rc == -ENOENT)
		return delete_orphan_peer(ctx, o);
	if (rc)
		return rc;
	if (!owned_link(ctx, c, o)) {
		log_warn("not deleting %s: a link of that name exists but is not lab %s's", o->name,
			 ctx->env->lab);
		return 0;
	}
	nsctx_forget_ifindex(c, o->name);
	snprintf(label, sizeof(label), "%s: deleting %s", ns_label(ctx, o->ns), o->name);
	rc = link_del(c->nl, o->name, 0, NL_F_GONE_OK, label);
	/* The other end too, by its name: if this end was renamed by hand,
	 * deleting it by name found nothing, and the pair, still there,
	 * would stand in the way of the one made again. (Otherwise the pair
	 * is gone already and this finds nothing.) */
	return rc ? rc : delete_orphan_peer(ctx, o);
}

/*
 * The changes a plan makes to a link in place: its MTU (0: the default), at
 * both ends of a veth, its state, up again where someone set it down (an
 * end that is a switch port is brought up as a port), and its MAC where the
 * file gives one (someone changed it).
 */
static int update_link(struct apply_ctx *ctx, const struct obj *o)
{
	unsigned mtu = (unsigned)obj_get_long(o->attrs, "mtu", 0);
	char peer_ns[256], peer[32], label[LABEL_MAX], mac_s[24];
	uint8_t mac[6];
	struct nsctx *c;
	int rc;

	if (!mtu)
		mtu = ETH_DATA_LEN;
	for (int end = 0; end < 2; end++) {
		const char *ns = o->ns, *name = o->name;

		if (end) {
			if (o->kind != OBJ_VETH ||
			    !obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns)) ||
			    !obj_get(o->attrs, "peer", peer, sizeof(peer)))
				break;
			ns = peer_ns;
			name = peer;
		}
		bool up = !obj_get_long(o->attrs, "down", 0) &&
			  (!end || strcmp(ns, ctx->env->host_ns));
		bool has_mac = obj_get(o->attrs, end ? "peer_mac" : "mac", mac_s, sizeof(mac_s)) &&
			       !parse_mac(mac_s, mac);

		rc = ns_get(ctx, ns, &c);
		if (rc)
			return rc;
		snprintf(label, sizeof(label), "%s: %s: setting MTU %u%s%s", ns_label(ctx, ns), name,
			 mtu, has_mac ? ", its MAC" : "", up ? " and the link up" : "");
		rc = link_set(c->nl,
			      &(struct link_change){ .name = name, .mtu = mtu, .set_up = up, .up = up,
						     .mac = has_mac ? mac : NULL },
			      label);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- addresses and routes ---- */

static int addr_parse(const struct obj *o, char *dev, size_t len, struct topo_cidr *c)
{
	const char *slash = strchr(o->name, '/');

	if (!slash || (size_t)(slash - o->name) >= len)
		return -EINVAL;
	memcpy(dev, o->name, (size_t)(slash - o->name));
	dev[slash - o->name] = '\0';
	return topo_cidr_parse(slash + 1, c);
}

static int do_addr(struct apply_ctx *ctx, const struct obj *o, bool add)
{
	char dev[32], label[LABEL_MAX];
	struct topo_cidr a;
	struct nsctx *c;
	int rc, ifindex;

	rc = addr_parse(o, dev, sizeof(dev), &a);
	if (rc)
		return err_msg(rc, "bad address object %s", o->name);
	rc = ns_get(ctx, o->ns, &c);
	if (!add && rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	rc = nsctx_ifindex(c, dev, &ifindex);
	if (!add && rc == -ENODEV)
		return 0;
	if (rc)
		return err_ctx(rc, "%s: %s", ns_label(ctx, o->ns), dev);
	snprintf(label, sizeof(label), "%s: %s: %s %s", ns_label(ctx, o->ns), dev,
		 add ? "adding" : "removing", strchr(o->name, '/') + 1);
	/* An address already there (someone added it by hand to the lab's
	 * interface) is the one wanted: adopted, not an error that would undo
	 * the run and, with it, that address. */
	return add ? addr_add(c->nl, ifindex, a.family, a.addr, a.plen, NL_F_EXIST_OK, label)
		   : addr_del(c->nl, ifindex, a.family, a.addr, a.plen, NL_F_GONE_OK, label);
}

static int do_route(struct apply_ctx *ctx, const struct obj *o, bool add)
{
	char via[64], dev[32], label[LABEL_MAX];
	struct route_spec r = { 0 };
	struct topo_cidr dst;
	struct nsctx *c;
	int rc;

	rc = topo_cidr_parse(o->name, &dst);
	if (rc)
		return err_msg(rc, "bad route object %s", o->name);
	r.family = dst.family;
	memcpy(r.dst, dst.addr, sizeof(r.dst));
	r.plen = dst.plen;
	if (obj_get(o->attrs, "via", via, sizeof(via)) && strcmp(via, "-")) {
		if (inet_pton(r.family, via, r.via) != 1)
			return err_msg(-EINVAL, "bad route object %s: via %s", o->name, via);
		r.has_via = true;
	}
	rc = ns_get(ctx, o->ns, &c);
	if (!add && rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (obj_get(o->attrs, "dev", dev, sizeof(dev)) && strcmp(dev, "-")) {
		rc = nsctx_ifindex(c, dev, &r.ifindex);
		if (!add && rc == -ENODEV)
			return 0;
		if (rc)
			return err_ctx(rc, "%s: %s", ns_label(ctx, o->ns), dev);
	}
	snprintf(label, sizeof(label), "%s: %s route %s via %s", ns_label(ctx, o->ns),
		 add ? "adding" : "removing",
		 dst.plen == 0 ? "default" : o->name, via);
	if (!add)
		return route_del(c->nl, &r, NL_F_GONE_OK, label);
	/* In a namespace of the lab's own the topology decides, over a route
	 * someone set by hand; the machine's own routes are never replaced. */
	return strcmp(o->ns, OBJ_NS_HOST) ? route_replace(c->nl, &r, 0, label)
					  : route_add(c->nl, &r, 0, label);
}

/* ---- sysctls, NAT, switch daemons ---- */

static int do_sysctl(struct apply_ctx *ctx, struct obj *o, bool set)
{
	char value[32], saved[32];
	bool optional = obj_get_long(o->attrs, "optional", 0) != 0;
	struct nsctx *c;
	int rc;

	if (!strcmp(o->ns, OBJ_NS_HOST)) {
		obj_get(o->attrs, "value", value, sizeof(value));
		return set ? hostsysctl_acquire(ctx->env->lab, o->name, value)
			   : hostsysctl_release(ctx->env->lab, o->name);
	}
	rc = ns_get(ctx, o->ns, &c);
	if (!set && rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (!set) {
		/* Journals written before the value was kept in them: these
		 * are the lab's own namespaces, where a new one has 0. */
		if (!obj_get(o->state, "saved", saved, sizeof(saved)) || !saved[0])
			snprintf(saved, sizeof(saved), "0");
		rc = sysctl_write(c->fd, o->name, saved);
		if (rc == -ENOENT && optional) {
			err_clear();
			return 0;
		}
		return rc ? err_ctx(rc, "%s: restoring %s", ns_label(ctx, o->ns), o->name) : 0;
	}
	obj_get(o->attrs, "value", value, sizeof(value));
	if (!obj_get(o->state, "saved", saved, sizeof(saved))) {
		char st[64];

		rc = sysctl_read(c->fd, o->name, saved, sizeof(saved));
		if (rc == -ENOENT && optional) {
			err_clear();
			return 0; /* no such setting here (its module not loaded) */
		}
		if (!rc) {
			snprintf(st, sizeof(st), "saved=%s", saved);
			rc = obj_set_state(o, st);
		}
	}
	if (!rc)
		rc = sysctl_write(c->fd, o->name, value);
	return rc ? err_ctx(rc, "%s: setting %s=%s", ns_label(ctx, o->ns), o->name, value) : 0;
}

static int do_nft(struct apply_ctx *ctx, const struct obj *o, bool set)
{
	struct nat_masq rules[64];
	char list[4096], *save = NULL;
	struct nsctx *c;
	size_t n = 0;
	int rc;

	rc = ns_get(ctx, o->ns, &c);
	if (!set && rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (!set) {
		rc = nat_table_delete(c->fd, o->name);
		return rc ? err_ctx(rc, "%s: deleting nftables table %s", ns_label(ctx, o->ns), o->name)
			  : 0;
	}
	obj_get(o->attrs, "masq", list, sizeof(list));
	for (char *r = strtok_r(list, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
		char *at = strchr(r, '@');
		struct topo_cidr net;

		if (!at || n >= ARRAY_SIZE(rules))
			return err_msg(-EINVAL, "bad NAT rule %s", r);
		*at = '\0';
		if (topo_cidr_parse(r, &net) || str_copy(rules[n].oifname, sizeof(rules[n].oifname), at + 1))
			return err_msg(-EINVAL, "bad NAT rule %s", r);
		rules[n].family = net.family;
		memcpy(rules[n].src, net.addr, sizeof(rules[n].src));
		rules[n].plen = net.plen;
		n++;
	}
	rc = nat_table_apply(c->fd, o->name, rules, n);
	return rc ? err_ctx(rc, "%s: nftables table %s", ns_label(ctx, o->ns), o->name) : 0;
}

/* A running daemon re-reads its configuration; the others are started by
 * make_step, together (switchd_defer), and stopped by delete_step. */
static int do_switchd(struct apply_ctx *ctx, const struct obj *o, enum plan_op op)
{
	int rc;

	if (op == PLAN_DELETE)
		return switchd_stop(ctx->env->lab, o->name);
	rc = switchd_write_config(ctx->env->lab, o);
	return rc ? rc : switchd_reload(ctx->env->lab, o->name);
}

/* ---- steps ---- */

static int exec_one(struct apply_ctx *ctx, const struct plan_action *a)
{
	struct obj *o = a->obj;
	bool make = a->op != PLAN_DELETE;

	switch (o->kind) {
	case OBJ_NETNS:
		return make ? create_netns(ctx, o) : 0;
	case OBJ_BRIDGE:
	case OBJ_VETH:
		if (a->op == PLAN_UPDATE)
			return update_link(ctx, o);
		if (!make)
			return delete_link(ctx, o);
		return o->kind == OBJ_BRIDGE ? create_bridge(ctx, o) : create_veth(ctx, o);
	case OBJ_PORT:
		/* A port goes with its link; there is nothing to undo alone. */
		return make ? setup_port(ctx, o, a->op == PLAN_UPDATE) : 0;
	case OBJ_ADDR:
		return do_addr(ctx, o, make);
	case OBJ_ROUTE:
		return do_route(ctx, o, make);
	case OBJ_SYSCTL:
		return do_sysctl(ctx, o, make);
	case OBJ_NFT:
		return do_nft(ctx, o, make);
	case OBJ_SWITCHD:
		return do_switchd(ctx, o, a->op);
	default:
		return -EINVAL;
	}
}

/* Daemons to start, together, at the end of their step. */
struct switchd_starts {
	struct switchd_start_req *v;
	size_t n, cap;
};

/* A running daemon is reloaded at once; one to (re)start — new, or dead
 * since the last run — joins starts. */
static int switchd_defer(struct apply_ctx *ctx, const struct plan_action *a,
			 struct switchd_starts *starts)
{
	struct nsctx *c;
	int rc;

	if (a->op == PLAN_UPDATE && switchd_alive(ctx->env->lab, a->obj->name))
		return exec_one(ctx, a);
	rc = ns_get(ctx, a->obj->ns, &c);
	if (!rc)
		rc = array_reserve(&starts->v, &starts->cap, starts->n + 1, sizeof(*starts->v));
	if (!rc)
		starts->v[starts->n++] = (struct switchd_start_req){ a->obj, c->fd };
	return rc;
}

void apply_stall_links(const struct apply_ctx *ctx)
{
	if (!ctx->stall_links)
		return;
	fprintf(stderr, "nslab: stalling while the new links come up (NSLAB_STALL=links)\n");
	while (!ctx->stop || !*ctx->stop)
		usleep(10000);
}

int apply_stopped(const struct apply_ctx *ctx)
{
	if (!ctx->stop || !*ctx->stop)
		return 0;
	return err_msg(-EINTR, "interrupted by a signal; what this run made is removed again");
}

static int before_create(struct apply_ctx *ctx, const struct obj *o)
{
	char key[OBJ_KEY_MAX];

	ctx->created++;
	if (ctx->stall_at && ctx->created == ctx->stall_at) {
		fprintf(stderr, "nslab: stalling before creating %s (NSLAB_STALL)\n",
			obj_key(o, key, sizeof(key)));
		/* Until a signal asks to stop (a test's SIGTERM), or forever
		 * (a test's kill -9). Polled: pause() could miss the signal. */
		while (!ctx->stop || !*ctx->stop)
			usleep(10000);
		return apply_stopped(ctx);
	}
	if (ctx->fault_at && ctx->created == ctx->fault_at)
		return err_msg(-EIO, "injected failure before creating %s (NSLAB_FAULT=%ld)",
			       obj_key(o, key, sizeof(key)), ctx->fault_at);
	return 0;
}

static int remember(struct objset *s, const struct obj *o)
{
	struct obj *d = obj_dup(o);

	if (!d)
		return -ENOMEM;
	d->flags |= OBJ_F_CONFIRMED;
	return objset_put(s, d);
}

static int make_step(struct apply_ctx *ctx, struct plan_action *a, size_t n)
{
	struct switchd_starts starts = { 0 };
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++)
		rc = journal_add(ctx->journal, a[i].obj);
	if (!rc)
		rc = journal_write(ctx->journal);
	for (size_t i = 0; !rc && i < n; i++) {
		if (a[i].op == PLAN_CREATE) {
			rc = before_create(ctx, a[i].obj);
			if (!rc)
				rc = remember(&ctx->made, a[i].obj);
		}
		if (!rc && a[i].obj->kind == OBJ_SWITCHD)
			rc = switchd_defer(ctx, &a[i], &starts);
		else if (!rc)
			rc = exec_one(ctx, &a[i]);
	}
	if (!rc && starts.n)
		rc = switchd_start_many(ctx->env->lab, starts.v, starts.n);
	free(starts.v);
	if (!rc)
		rc = flush_all(ctx);
	for (size_t i = 0; !rc && a[0].obj->kind == OBJ_BRIDGE && i < n; i++)
		rc = mark_bridge(ctx, a[i].obj);
	/* Ports come up only once all are attached: bringing each up as it
	 * joins a bridge costs the bridge work per port that grows with its
	 * size (1000 ports: 1.2 s together, 0.15 s apart, on Linux 6.18). */
	for (size_t i = 0; !rc && a[0].obj->kind == OBJ_PORT && i < n; i++)
		rc = port_up(ctx, a[i].obj);
	if (!rc && (a[0].obj->kind == OBJ_BRIDGE || a[0].obj->kind == OBJ_PORT))
		rc = flush_all(ctx);
	if (rc) {
		/* Which of the step's changes took is not known: count them
		 * all as made, so that putting the lab back (apply_restore)
		 * sets each as it was. */
		for (size_t i = 0; i < n; i++)
			if (a[i].op == PLAN_UPDATE && remember(ctx->state, a[i].obj))
				break;
		return rc;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		/* Sysctls learnt the value to restore while running. */
		if (a[i].obj->kind == OBJ_SYSCTL)
			rc = journal_add(ctx->journal, a[i].obj);
		if (!rc)
			rc = remember(ctx->state, a[i].obj);
	}
	return rc ? rc : journal_commit(ctx->journal);
}

/* Whether every member of the lab's link group goes in this plan. */
/*
 * What became of the lab's link group in this run: deleted at once, or gone
 * with the sandbox's host namespace — deleted behind our back, the links'
 * other ends are freed only when the kernel has finished with it, so those
 * in namespaces that stay are deleted one by one.
 */
enum group_fate { GROUP_KEPT, GROUP_DELETED, GROUP_HOST_GONE };

static bool netns_goes(const struct plan *p, const char *ns)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].op == PLAN_DELETE && p->v[i].obj->kind == OBJ_NETNS &&
		    !strcmp(p->v[i].obj->name, ns))
			return true;
	return false;
}

static bool whole_group_goes(struct apply_ctx *ctx, const struct plan *p)
{
	struct objset going;
	bool all = true;

	objset_init(&going);
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].op == PLAN_DELETE && is_group_member(ctx, p->v[i].obj) &&
		    objset_put(&going, obj_dup(p->v[i].obj))) {
			all = false;
			break;
		}
	}
	for (size_t i = 0; all && i < ctx->state->n; i++)
		if (is_group_member(ctx, ctx->state->v[i]) && !objset_find(&going, ctx->state->v[i]))
			all = false;
	all = all && going.n > 0;
	objset_clear(&going);
	return all;
}

/* Daemons stop together: each waits for the kernel to release its ports. */
static int delete_switchd_step(struct apply_ctx *ctx, const struct plan *p,
			       const struct plan_action *a, size_t n)
{
	const char **names = calloc(n ? n : 1, sizeof(*names));
	char log[4096];
	size_t k = 0;
	int rc;

	if (!names)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!a[i].implicit)
			names[k++] = a[i].obj->name;
	rc = switchd_stop_many(ctx->env->lab, names, k);
	/* A switch that goes for good takes its log along; one started again
	 * (its daemon died) keeps it. */
	for (size_t i = 0; !rc && i < n; i++)
		if (!objset_find(&p->next, a[i].obj) &&
		    !switchd_path(ctx->env->lab, a[i].obj->name, "log", log, sizeof(log)))
			unlink(log);
	free(names);
	return rc;
}

static int delete_step(struct apply_ctx *ctx, const struct plan *p, struct plan_action *a,
		       size_t n, enum group_fate *group_done)
{
	int rc = 0;

	if ((a[0].obj->kind == OBJ_VETH || a[0].obj->kind == OBJ_BRIDGE) && !*group_done &&
	    whole_group_goes(ctx, p)) {
		struct nsctx *c;
		char label[LABEL_MAX];

		rc = ns_get(ctx, ctx->env->host_ns, &c);
		if (rc == -ENOENT) {
			rc = 0; /* the sandbox's host namespace is gone, links and all */
			*group_done = GROUP_HOST_GONE;
		} else if (!rc) {
			snprintf(label, sizeof(label), "host: deleting lab %s's links (group %u)",
				 ctx->env->lab, ctx->env->group);
			rc = link_del_group(c->nl, ctx->env->group, label);
			if (!rc)
				rc = nl_flush(c->nl);
			c->n_ifs = 0;
		}
		if (rc)
			return rc;
		if (!*group_done)
			*group_done = GROUP_DELETED;
	}
	if (a[0].obj->kind == OBJ_NETNS) {
		rc = delete_netns_step(ctx, a, n); /* namespaces are never implicit */
	} else if (a[0].obj->kind == OBJ_SWITCHD) {
		rc = delete_switchd_step(ctx, p, a, n);
	} else {
		for (size_t i = 0; !rc && i < n; i++) {
			if (a[i].implicit || (*group_done && is_group_member(ctx, a[i].obj) &&
					      (*group_done == GROUP_DELETED ||
					       netns_goes(p, a[i].obj->ns))))
				continue;
			rc = exec_one(ctx, &a[i]);
		}
		if (!rc)
			rc = flush_all(ctx);
	}
	for (size_t i = 0; i < n; i++) {
		struct obj *st = objset_find(ctx->state, a[i].obj), *md = objset_find(&ctx->made, a[i].obj);

		if (st)
			st->flags |= OBJ_F_GONE;
		if (md)
			md->flags |= OBJ_F_GONE;
		if (!rc)
			rc = journal_del(ctx->journal, a[i].obj);
	}
	objset_remove_flagged(ctx->state, OBJ_F_GONE);
	objset_remove_flagged(&ctx->made, OBJ_F_GONE);
	return rc ? rc : journal_write(ctx->journal);
}

static int run(struct apply_ctx *ctx, const struct plan *p)
{
	enum group_fate group_done = GROUP_KEPT;
	size_t i = 0;
	int rc = 0;

	while (!rc && i < p->n && !(rc = apply_stopped(ctx))) {
		size_t j = i;

		while (j < p->n && (p->v[j].op == PLAN_DELETE) == (p->v[i].op == PLAN_DELETE) &&
		       p->v[j].obj->kind == p->v[i].obj->kind)
			j++;
		uint64_t t0 = time_mono_ns();

		if (p->v[i].op == PLAN_DELETE)
			rc = delete_step(ctx, p, &p->v[i], j - i, &group_done);
		else
			rc = make_step(ctx, &p->v[i], j - i);
		log_debug("%s: %s %zu %s: %.1f ms", ctx->env->lab,
			  p->v[i].op == PLAN_DELETE ? "deleted" : "made", j - i,
			  obj_kind_name(p->v[i].obj->kind), (double)(time_mono_ns() - t0) / 1e6);
		i = j;
		if (ctx->progress)
			ctx->progress(i, p->n, ctx->progress_arg);
	}
	return rc;
}

/*
 * A bridge brought up with no port up has no carrier, and its transmit
 * queue is attached only when the kernel's link watcher next runs, up to a
 * second later (dev_activate waits for carrier; a bridge's carrier event is
 * not urgent). Brought up once its ports are, it has carrier at once and
 * carries traffic from the start.
 */
static int bridges_up(struct apply_ctx *ctx)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < ctx->made.n; i++) {
		const struct obj *o = ctx->made.v[i];
		char label[LABEL_MAX];
		struct nsctx *c;

		if (o->kind != OBJ_BRIDGE)
			continue;
		rc = ns_get(ctx, o->ns, &c);
		snprintf(label, sizeof(label), "%s: %s: setting it up", ns_label(ctx, o->ns), o->name);
		if (!rc)
			rc = link_set(c->nl,
				      &(struct link_change){ .name = o->name, .set_up = true, .up = true },
				      label);
	}
	return rc ? rc : flush_all(ctx);
}

int apply_run(struct apply_ctx *ctx, const struct plan *p)
{
	int rc = run(ctx, p);

	if (!rc)
		rc = bridges_up(ctx);
	/* Interrupted at the very end is still interrupted: whoever pressed
	 * Ctrl-C asked for no lab, and gets none. */
	return rc ? rc : apply_stopped(ctx);
}

int apply_rollback(struct apply_ctx *ctx)
{
	struct plan_opts opts = { .host_ns = ctx->env->host_ns, .ifindex_base = 2 };
	struct objset made;
	struct plan p;
	int rc;

	/* Take the list: deletions below edit ctx->made as they go. */
	made = ctx->made;
	objset_init(&ctx->made);
	rc = plan_teardown(&made, &opts, &p);
	objset_clear(&made);
	if (rc)
		return rc;
	ctx->stall_at = 0;
	ctx->stop = NULL;
	rc = run(ctx, &p);
	plan_free(&p);
	return rc;
}

int apply_restore(struct apply_ctx *ctx, const struct objset *before, const struct plan_opts *opts,
		  struct plan *p)
{
	struct plan_opts o = *opts;
	int rc;

	/* What the journal says is there is what the rollback left: no
	 * second look at the kernel. */
	o.alive = NULL;
	rc = plan_make(before, ctx->state, &o, p);
	if (rc)
		return rc;
	ctx->fault_at = ctx->stall_at = 0;
	ctx->stall_links = false;
	ctx->stop = NULL;
	rc = run(ctx, p);
	/* bridges made again come up as a run's do, after their ports */
	return rc ? rc : bridges_up(ctx);
}
