// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Links over rtnetlink (RTM_NEWLINK/SETLINK/DELLINK/GETLINK, rtnetlink(7)).
 *
 * A veth pair is made in one RTM_NEWLINK: the peer's own ifinfomsg and
 * attributes ride in IFLA_INFO_DATA/VETH_INFO_PEER (drivers/net/veth.c),
 * including IFLA_NET_NS_FD to create it directly in another namespace,
 * IFLA_GROUP, and ifi_index to choose its index (see link_veth_add for
 * which end goes where, and why).
 */
#include "kernel/link.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "common/errmsg.h"
#include "kernel/nl.h"
#include "kernel/nlattr.h"

#define ETH_ALEN 6
#define IFALIAS_MAX 255 /* IFALIASZ - 1 */

static int name_ok(const char *name)
{
	return name && name[0] && strlen(name) < IF_NAMESIZE;
}

static struct ifinfomsg *ifi_of(struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload(nlh);
}

static void put_updown(struct ifinfomsg *ifi, bool set, bool up)
{
	if (!set)
		return;
	ifi->ifi_change |= IFF_UP;
	if (up)
		ifi->ifi_flags |= IFF_UP;
}

/* One end's attributes (IFLA_*), after its ifinfomsg. */
struct veth_end {
	const char *name;
	int ifindex;
	const uint8_t *mac;
	unsigned mtu, gso_max_size;
	uint32_t group;
	int nsfd;
	bool up;
};

static void put_end(struct nlmsghdr *nlh, struct ifinfomsg *ifi, const struct veth_end *e,
		    bool up_now)
{
	/* rtnl_newlink: a non-zero ifi_index on creation becomes the new
	 * device's index. */
	ifi->ifi_index = e->ifindex;
	put_updown(ifi, up_now && e->up, true);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, e->name);
	if (e->nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)e->nsfd);
	if (e->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, ETH_ALEN, e->mac);
	if (e->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, e->mtu);
	if (e->gso_max_size)
		mnl_attr_put_u32(nlh, IFLA_GSO_MAX_SIZE, e->gso_max_size);
	if (e->group)
		mnl_attr_put_u32(nlh, IFLA_GROUP, e->group);
	/* One queue each way, said explicitly: without these, veth allocates
	 * one queue per possible CPU and then shrinks to one
	 * (veth_init_queues → netif_set_real_num_tx_queues), which on a
	 * registered device waits for an RCU grace period (synchronize_net)
	 * under the RTNL lock: milliseconds per pair, for nothing. */
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
}

/*
 * Which end is the "peer" of the request matters, for two kernel reasons
 * (drivers/net/veth.c, veth_newlink, checked on 6.18):
 *  - the VETH_INFO_PEER end cannot be brought up at creation: it is
 *    configured (dev_open → veth_open) before the pair is linked, and
 *    veth_open answers -ENOTCONN for an unlinked device, failing the
 *    whole request;
 *  - the VETH_INFO_PEER end's ifi_index is only honoured when the other
 *    end's is non-zero too.
 * So the far end (v->peer, possibly in another namespace, IFLA_NET_NS_FD at
 * the top level) is made the request's main device and comes up at
 * creation; the near end (v->name, in nl's namespace) rides in
 * VETH_INFO_PEER, where it lands in the socket's namespace, and is brought
 * up by a second request on the same socket. Only when the near end's
 * index is chosen but the far end's is not are the roles swapped back.
 */
int link_veth_add(struct nl *nl, const struct link_veth *v, const char *label)
{
	struct veth_end near = { v->name, v->ifindex, v->mac, v->mtu, v->gso_max_size, 0, -1, v->up };
	bool near_later;
	struct veth_end far = { v->peer, v->peer_ifindex, v->peer_mac, v->mtu, 0, v->peer_group,
				v->peer_nsfd, v->peer_up };
	const struct veth_end *top = &far, *inner = &near;
	struct nlattr *linkinfo, *data, *peer;
	struct nlmsghdr *nlh;

	if (!name_ok(v->name) || !name_ok(v->peer) || v->ifindex < 0 || v->peer_ifindex < 0)
		return err_set(-EINVAL, "%s: bad veth names or indexes", label ? label : "veth");
	if (v->ifindex && !v->peer_ifindex) {
		top = &near;
		inner = &far;
		if (far.up && far.nsfd >= 0)
			return err_set(-EINVAL,
				       "%s: a veth peer in another namespace can only be up at creation "
				       "if its index is chosen too", label ? label : "veth");
	}
	nlh = nl_req_begin(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg), 0,
			   label);
	if (!nlh)
		return -ENOMEM;
	/* The near end comes up by a later request when it is the peer, or
	 * when its link-local address must be turned off first. */
	near_later = near.up && (inner == &near || v->ipv6_ll_off);
	put_end(nlh, ifi_of(nlh), top, top != &near || !near_later);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's attributes are preceded by its own ifinfomsg. */
	put_end(nlh, mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)), inner, false);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	if (near_later || v->ipv6_ll_off) {
		struct link_change c = { .name = near.name, .ifindex = near.ifindex,
					 .set_up = near_later, .up = true,
					 .set_ipv6_ll = v->ipv6_ll_off, .ipv6_ll = false };
		int rc = link_set(nl, &c, label);

		if (rc)
			return rc;
	}
	if (inner == &far && far.up) {
		/* Only reached with the far end in nl's namespace. */
		struct link_change c = { .name = far.name, .ifindex = far.ifindex,
					 .set_up = true, .up = true };

		return link_set(nl, &c, label);
	}
	return 0;
}

int link_bridge_add(struct nl *nl, const char *name, unsigned mtu, bool vlan_filtering,
		    const char *label)
{
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;

	if (!name_ok(name))
		return err_set(-EINVAL, "%s: bad bridge name", label ? label : "bridge");
	nlh = nl_req_begin(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg), 0,
			   label);
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (vlan_filtering)
		mnl_attr_put_u8(nlh, IFLA_BR_VLAN_FILTERING, 1);
	/* Multicast snooping starts off; see link_bridge_mcast_snooping. */
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return 0;
}

int link_bridge_mcast_snooping(struct nl *nl, int ifindex, bool on, const char *label)
{
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;

	if (ifindex <= 0)
		return err_set(-EINVAL, "%s: no bridge", label ? label : "bridge");
	/* Bridge options travel in IFLA_INFO_DATA, which only RTM_NEWLINK
	 * reads (rtnl_changelink); without NLM_F_CREATE it changes an
	 * existing link only. */
	nlh = nl_req_begin(nl, RTM_NEWLINK, 0, sizeof(struct ifinfomsg), 0, label);
	if (!nlh)
		return -ENOMEM;
	ifi_of(nlh)->ifi_index = ifindex;
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, on);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return 0;
}

/* Start an RTM_SETLINK for the link c names. */
static struct nlmsghdr *setlink_begin(struct nl *nl, const struct link_change *c,
				      unsigned nl_flags, const char *label)
{
	struct nlmsghdr *nlh;

	/* RTM_SETLINK, not NEWLINK: it can never create. */
	nlh = nl_req_begin(nl, RTM_SETLINK, 0, sizeof(struct ifinfomsg), nl_flags, label);
	if (!nlh)
		return NULL;
	/* With an index, IFLA_IFNAME would rename: send the name only to
	 * find the link. */
	if (c->ifindex)
		ifi_of(nlh)->ifi_index = c->ifindex;
	else
		mnl_attr_put_strz(nlh, IFLA_IFNAME, c->name);
	return nlh;
}

int link_set(struct nl *nl, const struct link_change *c, const char *label)
{
	struct nlmsghdr *nlh;

	if (!c->ifindex && !name_ok(c->name))
		return err_set(-EINVAL, "%s: no link named", label ? label : "link");
	if (c->alias && strlen(c->alias) > IFALIAS_MAX)
		return err_set(-EINVAL, "%s: alias longer than %d bytes", label ? label : "link",
			       IFALIAS_MAX);
	if (c->set_ipv6_ll) {
		struct nlattr *spec, *in6;

		/* A kernel without IPv6 has no addresses to turn off. */
		nlh = setlink_begin(nl, c, NL_F_AFNOSUPPORT_OK, label);
		if (!nlh)
			return -ENOMEM;
		spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
		in6 = mnl_attr_nest_start(nlh, AF_INET6);
		mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE,
				c->ipv6_ll ? IN6_ADDR_GEN_MODE_EUI64 : IN6_ADDR_GEN_MODE_NONE);
		mnl_attr_nest_end(nlh, in6);
		mnl_attr_nest_end(nlh, spec);
		if (!c->set_up && !c->set_master && !c->alias && !c->set_group && !c->mtu && !c->mac &&
		    !c->set_ipv4_off && !c->set_arp_own_only && !c->set_ipv4_on)
			return 0;
	}
	if (c->set_ipv4_off || c->set_arp_own_only || c->set_ipv4_on) {
		struct nlattr *spec, *in4, *conf;

		nlh = setlink_begin(nl, c, 0, label);
		if (!nlh)
			return -ENOMEM;
		spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
		in4 = mnl_attr_nest_start(nlh, AF_INET);
		conf = mnl_attr_nest_start(nlh, IFLA_INET_CONF);
		if (c->set_ipv4_off) {
			mnl_attr_put_u32(nlh, IPV4_DEVCONF_ARP_IGNORE, 8);
			mnl_attr_put_u32(nlh, IPV4_DEVCONF_RP_FILTER, 1);
		} else if (c->set_ipv4_on) {
			mnl_attr_put_u32(nlh, IPV4_DEVCONF_ARP_IGNORE, 0);
			mnl_attr_put_u32(nlh, IPV4_DEVCONF_RP_FILTER, c->rp_filter);
		} else {
			mnl_attr_put_u32(nlh, IPV4_DEVCONF_ARP_IGNORE, 1);
		}
		mnl_attr_nest_end(nlh, conf);
		mnl_attr_nest_end(nlh, in4);
		mnl_attr_nest_end(nlh, spec);
		if (!c->set_up && !c->set_master && !c->alias && !c->set_group && !c->mtu && !c->mac)
			return 0;
	}
	nlh = setlink_begin(nl, c, 0, label);
	if (!nlh)
		return -ENOMEM;
	put_updown(ifi_of(nlh), c->set_up, c->up);
	if (c->set_master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)c->master);
	/* An empty IFLA_IFALIAS clears the alias (dev_set_alias, len 0). */
	if (c->alias)
		mnl_attr_put(nlh, IFLA_IFALIAS, strlen(c->alias), c->alias);
	if (c->set_group)
		mnl_attr_put_u32(nlh, IFLA_GROUP, c->group);
	if (c->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, c->mtu);
	if (c->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, ETH_ALEN, c->mac);
	return 0;
}

int link_del(struct nl *nl, const char *name, int ifindex, unsigned flags, const char *label)
{
	struct nlmsghdr *nlh;

	if (!ifindex && !name_ok(name))
		return err_set(-EINVAL, "%s: no link named", label ? label : "link");
	nlh = nl_req_begin(nl, RTM_DELLINK, 0, sizeof(struct ifinfomsg), flags, label);
	if (!nlh)
		return -ENOMEM;
	if (ifindex)
		ifi_of(nlh)->ifi_index = ifindex;
	else
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return 0;
}

int link_del_group(struct nl *nl, uint32_t group, const char *label)
{
	struct nlmsghdr *nlh;

	/* Group 0 is every link's default group: deleting it would take
	 * everything (that can be deleted) with it. */
	if (!group)
		return err_set(-EINVAL, "%s: refusing to delete link group 0", label ? label : "link");
	/* rtnl_dellink with ifi_index 0 and IFLA_GROUP: rtnl_group_dellink
	 * queues every member and unregisters them in one batch. A group
	 * without members answers -ENODEV: nothing to delete is success. */
	nlh = nl_req_begin(nl, RTM_DELLINK, 0, sizeof(struct ifinfomsg), NL_F_GONE_OK, label);
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_u32(nlh, IFLA_GROUP, group);
	return 0;
}

/* --- reading ---------------------------------------------------------- */

int link_msg_parse(const struct nlmsghdr *nlh, struct link_info *li)
{
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi;
	uint32_t u32;
	int rc;

	memset(li, 0, sizeof(*li));
	li->link_netnsid = -1;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return -EPROTO;
	rc = nlattr_table(nlh, sizeof(*ifi), tb, IFLA_MAX);
	if (rc)
		return rc;
	ifi = mnl_nlmsg_get_payload(nlh);
	li->ifindex = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	if (!tb[IFLA_IFNAME] || nlattr_str(tb[IFLA_IFNAME], li->name, sizeof(li->name)))
		return -EPROTO;
	if (tb[IFLA_IFALIAS] && nlattr_str(tb[IFLA_IFALIAS], li->alias, sizeof(li->alias)))
		return -EPROTO;
	if (tb[IFLA_MTU] && nlattr_u32(tb[IFLA_MTU], &li->mtu))
		return -EPROTO;
	if (tb[IFLA_MASTER]) {
		if (nlattr_u32(tb[IFLA_MASTER], &u32))
			return -EPROTO;
		li->master = (int)u32;
	}
	if (tb[IFLA_GROUP] && nlattr_u32(tb[IFLA_GROUP], &li->group))
		return -EPROTO;
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == ETH_ALEN) {
		nlattr_bin(tb[IFLA_ADDRESS], li->mac, ETH_ALEN);
		li->has_mac = true;
	}
	if (tb[IFLA_LINK]) {
		if (nlattr_u32(tb[IFLA_LINK], &u32))
			return -EPROTO;
		li->link = (int)u32;
	}
	if (tb[IFLA_LINK_NETNSID]) {
		if (nlattr_u32(tb[IFLA_LINK_NETNSID], &u32))
			return -EPROTO;
		li->link_netnsid = (int32_t)u32;
	}
	if (tb[IFLA_CARRIER]) {
		uint8_t c;

		if (nlattr_u8(tb[IFLA_CARRIER], &c))
			return -EPROTO;
		li->carrier = c != 0;
	}
	if (tb[IFLA_OPERSTATE] && nlattr_u8(tb[IFLA_OPERSTATE], &li->operstate))
		return -EPROTO;
	if (tb[IFLA_STATS64]) {
		struct rtnl_link_stats64 st;

		nlattr_struct(tb[IFLA_STATS64], &st, sizeof(st));
		li->rx_packets = st.rx_packets;
		li->tx_packets = st.tx_packets;
		li->rx_bytes = st.rx_bytes;
		li->tx_bytes = st.tx_bytes;
		li->rx_dropped = st.rx_dropped;
		li->tx_dropped = st.tx_dropped;
	}
	if (tb[IFLA_LINKINFO]) {
		if (mnl_attr_validate(tb[IFLA_LINKINFO], MNL_TYPE_NESTED) < 0)
			return -EPROTO;
		nlattr_table_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
		if (info[IFLA_INFO_KIND] &&
		    nlattr_str(info[IFLA_INFO_KIND], li->kind, sizeof(li->kind)))
			return -EPROTO;
	}
	return 0;
}

struct dump_ctx {
	int (*cb)(const struct link_info *li, void *arg);
	void *arg;
	int rc;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct link_info li = { 0 };

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	d->rc = link_msg_parse(nlh, &li);
	if (d->rc) {
		err_set(d->rc, "reading the kernel's link list: a malformed message");
		return d->rc;
	}
	d->rc = d->cb(&li, d->arg);
	return d->rc < 0 ? d->rc : MNL_CB_OK;
}

int link_dump(struct nl *nl, int (*cb)(const struct link_info *li, void *arg), void *arg)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct dump_ctx d = { cb, arg, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int rc;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_DUMP;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	rc = nl_query_label(nl, nlh, "listing links", dump_cb, &d);
	return rc ? rc : d.rc < 0 ? d.rc : 0;
}

struct get_ctx {
	struct link_info *li;
	int rc;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_ctx *g = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	g->rc = link_msg_parse(nlh, g->li);
	return g->rc ? g->rc : MNL_CB_STOP;
}

int link_get(struct nl *nl, const char *name, struct link_info *li)
{
	char buf[MNL_NLMSG_HDRLEN + 128], label[64];
	struct get_ctx g = { li, -ENODEV };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int rc;

	if (!name_ok(name))
		return err_set(-ENODEV, "link '%s'", name ? name : "");
	nlh->nlmsg_type = RTM_GETLINK;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	snprintf(label, sizeof(label), "link %s", name);
	rc = nl_query_label(nl, nlh, label, get_cb, &g);
	if (rc)
		return rc;
	if (g.rc)
		return err_set(g.rc, "%s", label);
	return 0;
}

int link_index(struct nl *nl, const char *name, int *ifindex)
{
	struct link_info li = { 0 };
	int rc = link_get(nl, name, &li);

	*ifindex = rc ? 0 : li.ifindex;
	return rc;
}
