// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A bridge's fdb flush is a link change: RTM_NEWLINK on the bridge with
 * IFLA_LINKINFO { kind "bridge", data { IFLA_BR_FDB_FLUSH } }, which the
 * kernel turns into br_fdb_flush() of every dynamic entry (net/bridge/
 * br_netlink.c, br_changelink). Static and local entries stay.
 */
#include "kernel/bridge_fdb.h"

#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "kernel/nl.h"

int link_bridge_fdb_flush(struct nl *nl, const char *name, const char *label)
{
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;

	if (!name || !name[0] || strlen(name) >= IF_NAMESIZE)
		return -EINVAL;
	nlh = nl_req_begin(nl, RTM_NEWLINK, 0, sizeof(struct ifinfomsg), 0, label);
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put(nlh, IFLA_BR_FDB_FLUSH, 0, NULL);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return 0;
}
