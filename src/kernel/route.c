// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Main-table routes over rtnetlink (RTM_NEWROUTE/DELROUTE/GETROUTE).
 *
 * Dumps ask the kernel to filter by table (RTA_TABLE in a strict-checked
 * request, see inet_dump_fib/ip_valid_fib_dump_req) and still filter here,
 * since an older kernel without strict checking answers with every table.
 */
#include "kernel/route.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "common/errmsg.h"
#include "common/util.h"
#include "kernel/nl.h"
#include "kernel/nlattr.h"

/* Routes nslab adds are tagged as the administrator's, as `ip route add`
 * does (RTPROT_BOOT), so tools show nothing unusual. */
#define ROUTE_PROTO RTPROT_BOOT

static int route_req(struct nl *nl, uint16_t type, uint16_t flags, const struct route_spec *r,
		     unsigned nl_flags, const char *label)
{
	size_t alen = nlattr_addr_len(r->family);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	/* Adding needs a gateway or a device; deleting may name neither. */
	if (!alen || r->plen > alen * 8 || r->ifindex < 0 ||
	    (type == RTM_NEWROUTE && !r->has_via && !r->ifindex))
		return err_set(-EINVAL, "%s: bad route", label ? label : "route");
	nlh = nl_req_begin(nl, type, flags, sizeof(*rtm), nl_flags, label);
	if (!nlh)
		return -ENOMEM;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = (uint8_t)r->family;
	rtm->rtm_dst_len = r->plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	if (type == RTM_NEWROUTE) {
		rtm->rtm_protocol = ROUTE_PROTO;
		rtm->rtm_type = RTN_UNICAST;
		/* A route without a gateway is on the link itself. */
		rtm->rtm_scope = r->has_via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	} else {
		/* Deleting: scope NOWHERE, protocol and type 0 match any
		 * (fib_table_delete), as `ip route del` sends. */
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	}
	if (r->plen)
		mnl_attr_put(nlh, RTA_DST, alen, r->dst);
	if (r->has_via)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->via);
	if (r->ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->ifindex);
	if (r->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return 0;
}

int route_add(struct nl *nl, const struct route_spec *r, unsigned nl_flags, const char *label)
{
	return route_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r, nl_flags, label);
}

int route_replace(struct nl *nl, const struct route_spec *r, unsigned nl_flags, const char *label)
{
	return route_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r, nl_flags, label);
}

int route_del(struct nl *nl, const struct route_spec *r, unsigned nl_flags, const char *label)
{
	return route_req(nl, RTM_DELROUTE, 0, r, nl_flags, label);
}

/* One hop of RTA_MULTIPATH: struct rtnexthop, then its attributes, which
 * fill rtnh_len after the header; walked by hand, each length checked
 * against what is left. */
static int parse_hop(const struct rtnexthop *nh, size_t alen, struct route_hop *hop)
{
	const uint8_t *p = (const uint8_t *)nh;
	size_t off;

	hop->ifindex = nh->rtnh_ifindex;
	for (off = MNL_ALIGN(sizeof(*nh)); off + sizeof(struct nlattr) <= nh->rtnh_len;) {
		const struct nlattr *a = (const struct nlattr *)(p + off);

		if (a->nla_len < sizeof(struct nlattr) || off + a->nla_len > nh->rtnh_len)
			return -EPROTO;
		if ((a->nla_type & NLA_TYPE_MASK) == RTA_GATEWAY) {
			if (nlattr_bin(a, hop->via, alen))
				return -EPROTO;
			hop->has_via = true;
		}
		off += MNL_ALIGN(a->nla_len);
	}
	return 0;
}

/* Every hop of RTA_MULTIPATH; the first also as the route's own. */
static int parse_multipath(const struct nlattr *mp, size_t alen, struct route_info *ri)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t len = mnl_attr_get_payload_len(mp), off = 0;

	while (off + sizeof(struct rtnexthop) <= len) {
		const struct rtnexthop *nh = (const struct rtnexthop *)(p + off);
		struct route_hop hop = { 0 };

		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > len - off)
			return -EPROTO;
		if (parse_hop(nh, alen, &hop))
			return -EPROTO;
		if (ri->n_hops < ROUTE_MAX_HOPS)
			ri->hops[ri->n_hops++] = hop;
		off += MNL_ALIGN(nh->rtnh_len);
	}
	if (!ri->n_hops)
		return -EPROTO;
	ri->ifindex = ri->hops[0].ifindex;
	ri->has_via = ri->hops[0].has_via;
	memcpy(ri->via, ri->hops[0].via, sizeof(ri->via));
	return 0;
}

int route_msg_parse(const struct nlmsghdr *nlh, struct route_info *ri)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	uint32_t table, u32;
	size_t alen;
	int rc;

	memset(ri, 0, sizeof(*ri));
	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return -EPROTO;
	rc = nlattr_table(nlh, sizeof(*rtm), tb, RTA_MAX);
	if (rc)
		return rc;
	rtm = mnl_nlmsg_get_payload(nlh);
	alen = nlattr_addr_len(rtm->rtm_family);
	if (!alen || (rtm->rtm_flags & RTM_F_CLONED))
		return 1;       /* not a main-table IPv4/IPv6 route: skip */
	table = rtm->rtm_table;
	if (tb[RTA_TABLE] && nlattr_u32(tb[RTA_TABLE], &table))
		return -EPROTO;
	if (table != RT_TABLE_MAIN)
		return 1;
	ri->family = rtm->rtm_family;
	ri->plen = rtm->rtm_dst_len;
	ri->protocol = rtm->rtm_protocol;
	ri->scope = rtm->rtm_scope;
	ri->type = rtm->rtm_type;
	if (ri->plen > alen * 8)
		return -EPROTO;
	if (tb[RTA_DST] && nlattr_bin(tb[RTA_DST], ri->dst, alen))
		return -EPROTO;
	if (tb[RTA_GATEWAY]) {
		if (nlattr_bin(tb[RTA_GATEWAY], ri->via, alen))
			return -EPROTO;
		ri->has_via = true;
	}
	if (tb[RTA_OIF]) {
		if (nlattr_u32(tb[RTA_OIF], &u32))
			return -EPROTO;
		ri->ifindex = (int)u32;
	}
	if (tb[RTA_PRIORITY] && nlattr_u32(tb[RTA_PRIORITY], &ri->metric))
		return -EPROTO;
	if (tb[RTA_PREFSRC]) {
		if (nlattr_bin(tb[RTA_PREFSRC], ri->prefsrc, alen))
			return -EPROTO;
		ri->has_prefsrc = true;
	}
	if (tb[RTA_MULTIPATH] && !ri->ifindex && parse_multipath(tb[RTA_MULTIPATH], alen, ri))
		return -EPROTO;
	return 0;
}

struct dump_ctx {
	int (*cb)(const struct route_info *r, void *arg);
	void *arg;
	int rc;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct route_info ri;
	int rc;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	rc = route_msg_parse(nlh, &ri);
	if (rc > 0)
		return MNL_CB_OK;
	if (rc) {
		d->rc = err_set(rc, "reading the kernel's routes: a malformed message");
		return rc;
	}
	d->rc = d->cb(&ri, d->arg);
	return d->rc < 0 ? d->rc : MNL_CB_OK;
}

static int dump_family(struct nl *nl, int family, struct dump_ctx *d)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
	return nl_query_label(nl, nlh, "listing routes", dump_cb, d);
}

int route_dump(struct nl *nl, int family, int (*cb)(const struct route_info *r, void *arg),
	       void *arg)
{
	struct dump_ctx d = { cb, arg, 0 };
	int rc;

	/* One dump per family: an AF_UNSPEC dump with a strict-checked
	 * RTA_TABLE filter is not accepted by every family's handler. */
	if (family == AF_UNSPEC) {
		rc = dump_family(nl, AF_INET, &d);
		if (!rc && d.rc >= 0)
			rc = dump_family(nl, AF_INET6, &d);
	} else {
		rc = dump_family(nl, family, &d);
	}
	return rc ? rc : d.rc < 0 ? d.rc : 0;
}

struct default_ctx {
	int family;
	int ifindex;
	uint32_t metric;
	bool found;
};

static int default_cb(const struct route_info *r, void *arg)
{
	struct default_ctx *c = arg;

	if (r->plen || r->type != RTN_UNICAST || !r->ifindex)
		return 0;
	if (c->found && r->metric >= c->metric)
		return 0;
	c->found = true;
	c->metric = r->metric;
	c->ifindex = r->ifindex;
	return 0;
}

int route_default_dev(struct nl *nl, int family, int *ifindex)
{
	struct default_ctx c = { family, 0, 0, false };
	int rc;

	*ifindex = 0;
	rc = route_dump(nl, family, default_cb, &c);
	if (rc)
		return rc;
	if (!c.found)
		return err_set(-ENOENT, "no default route");
	*ifindex = c.ifindex;
	return 0;
}

struct route_acc {
	struct route_info **v;
	size_t *n, cap;
};

static int route_acc_cb(const struct route_info *r, void *arg)
{
	struct route_acc *a = arg;
	int rc = array_reserve(a->v, &a->cap, *a->n + 1, sizeof(**a->v));

	if (!rc)
		(*a->v)[(*a->n)++] = *r;
	return rc;
}

int route_list(struct nl *nl, int family, struct route_info **v, size_t *n)
{
	struct route_acc a = { v, n, 0 };

	*v = NULL;
	*n = 0;
	return route_dump(nl, family, route_acc_cb, &a);
}
