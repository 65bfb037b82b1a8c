// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Neighbour tables (RTM_GETNEIGH): ARP and NDP entries with family
 * AF_UNSPEC (neigh_dump_info walks every table), a bridge's forwarding
 * database with AF_BRIDGE (rtnl_fdb_dump). Both answer with struct ndmsg
 * and NDA_* attributes.
 */
#include "kernel/neigh.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "common/errmsg.h"
#include "kernel/nl.h"
#include "kernel/nlattr.h"

#define ETH_ALEN 6

int neigh_msg_parse(const struct nlmsghdr *nlh, struct neigh_info *n)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm;
	size_t alen;
	int rc;

	memset(n, 0, sizeof(*n));
	if (nlh->nlmsg_type != RTM_NEWNEIGH)
		return -EPROTO;
	rc = nlattr_table(nlh, sizeof(*ndm), tb, NDA_MAX);
	if (rc)
		return rc;
	ndm = mnl_nlmsg_get_payload(nlh);
	if (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6 &&
	    ndm->ndm_family != AF_BRIDGE)
		return 1;
	/* Proxy entries (NTF_PROXY) are configuration, not neighbours. */
	if (ndm->ndm_flags & NTF_PROXY)
		return 1;
	n->family = ndm->ndm_family;
	n->ifindex = ndm->ndm_ifindex;
	n->state = ndm->ndm_state;
	alen = nlattr_addr_len(n->family);
	if (alen) {
		if (!tb[NDA_DST] || nlattr_bin(tb[NDA_DST], n->addr, alen))
			return -EPROTO;
	}
	/* NDA_LLADDR has the device's address length: six bytes on the
	 * Ethernet-like links we make; others (lo, tunnels) have none. */
	if (tb[NDA_LLADDR] && mnl_attr_get_payload_len(tb[NDA_LLADDR]) == ETH_ALEN) {
		nlattr_bin(tb[NDA_LLADDR], n->mac, ETH_ALEN);
		n->has_mac = true;
	}
	if (n->family == AF_BRIDGE) {
		uint32_t master;

		if (tb[NDA_VLAN] && nlattr_u16(tb[NDA_VLAN], &n->vlan))
			return -EPROTO;
		if (tb[NDA_MASTER]) {
			if (nlattr_u32(tb[NDA_MASTER], &master))
				return -EPROTO;
			n->master = (int)master;
		}
		if (tb[NDA_CACHEINFO]) {
			struct nda_cacheinfo ci;
			long hz = sysconf(_SC_CLK_TCK);

			if (nlattr_bin(tb[NDA_CACHEINFO], &ci, sizeof(ci)))
				return -EPROTO;
			/* fdb_fill_info: ndm_updated is the time since the
			 * entry was last refreshed, in USER_HZ ticks. */
			n->age_s = ci.ndm_updated / (uint32_t)(hz > 0 ? hz : 100);
		}
	}
	return 0;
}

struct dump_ctx {
	int family;
	int (*cb)(const struct neigh_info *n, void *arg);
	void *arg;
	int rc;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct neigh_info n;
	int rc;

	if (nlh->nlmsg_type != RTM_NEWNEIGH)
		return MNL_CB_OK;
	rc = neigh_msg_parse(nlh, &n);
	if (rc > 0)
		return MNL_CB_OK;
	if (rc) {
		d->rc = err_set(rc, "reading the kernel's neighbours: a malformed message");
		return rc;
	}
	/* Keep to what was asked for: the ARP/NDP tables or the fdb. */
	if ((d->family == AF_BRIDGE) != (n.family == AF_BRIDGE))
		return MNL_CB_OK;
	if (d->family != AF_UNSPEC && d->family != n.family)
		return MNL_CB_OK;
	d->rc = d->cb(&n, d->arg);
	return d->rc < 0 ? d->rc : MNL_CB_OK;
}

int neigh_dump(struct nl *nl, int family, int (*cb)(const struct neigh_info *n, void *arg),
	       void *arg)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct dump_ctx d = { family, cb, arg, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;
	int rc;

	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)family;
	rc = nl_query_label(nl, nlh, family == AF_BRIDGE ? "listing the forwarding database"
						       : "listing neighbours",
			    dump_cb, &d);
	return rc ? rc : d.rc < 0 ? d.rc : 0;
}

const char *neigh_state_str(uint16_t state)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = {
		{ NUD_INCOMPLETE, "INCOMPLETE" }, { NUD_REACHABLE, "REACHABLE" },
		{ NUD_STALE, "STALE" },           { NUD_DELAY, "DELAY" },
		{ NUD_PROBE, "PROBE" },           { NUD_FAILED, "FAILED" },
		{ NUD_NOARP, "NOARP" },           { NUD_PERMANENT, "PERMANENT" },
	};

	/* The kernel sets one state bit at a time; the lowest names it. */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (state & names[i].bit)
			return names[i].name;
	}
	return "NONE";
}
