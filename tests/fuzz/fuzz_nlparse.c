// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's answers as outside input: arbitrary bytes, walked as a
 * stream of netlink messages (as a dump datagram is), each handed to every
 * parser behind src/kernel's dump callbacks (links, addresses, routes,
 * neighbours, bridge VLANs) and to the ACK parser; the whole stream also to
 * nslab-switchd's link-event reader. Each message is offered
 * under each parser's own message type too, so that the fuzzer need not
 * guess the type to reach the attribute code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "kernel/addr.h"
#include "kernel/bridge.h"
#include "kernel/link.h"
#include "kernel/neigh.h"
#include "kernel/nl.h"
#include "kernel/nlattr.h"
#include "kernel/route.h"
#include "switch/linkmon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static int vlan_cb(const struct bridge_vlan *v, void *arg)
{
	(void)arg;
	sink += v->vid + v->flags;
	return 0;
}

static void link_event(void *arg, int ifindex)
{
	(void)arg;
	sink += (unsigned)ifindex;
}

static void parse_all(const struct nlmsghdr *nlh)
{
	struct link_info li;
	struct addr_info ai;
	struct route_info ri;
	struct neigh_info ni;
	const char *ext = NULL;
	int error;

	if (link_msg_parse(nlh, &li) == 0)
		sink += (unsigned)li.ifindex + li.mtu + (unsigned)strlen(li.name) + (unsigned)strlen(li.kind) +
			(unsigned)strlen(li.alias);
	if (addr_msg_parse(nlh, &ai) == 0)
		sink += ai.addr[0] + ai.plen;
	if (route_msg_parse(nlh, &ri) == 0)
		sink += ri.dst[0] + ri.via[0] + (unsigned)ri.ifindex + ri.n_hops +
			(ri.n_hops ? (unsigned)ri.hops[ri.n_hops - 1].ifindex : 0);
	if (neigh_msg_parse(nlh, &ni) == 0)
		sink += ni.mac[0] + ni.addr[0] + ni.age_s;
	bridge_vlan_msg_parse(nlh, vlan_cb, NULL);
	if (nl_ack_parse(nlh, &error, &ext) == 0 && ext)
		sink += (unsigned)strlen(ext);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = { RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE, RTM_NEWNEIGH,
					  NLMSG_ERROR };
	const struct nlmsghdr *nlh;
	uint8_t *buf;
	size_t len = size > 1 << 20 ? 1 << 20 : size;

	/* Aligned, private copy: the parsers read headers in place, as they
	 * do from a receive buffer. */
	buf = calloc(1, len ? len : 1); /* zeroed: gcc would call an empty input uninitialized */
	if (!buf)
		return 0;
	memcpy(buf, data, len);
	linkmon_parse(buf, len, link_event, NULL);
	for (nlh = (const void *)buf; nlattr_msg_ok(nlh, len); nlh = nlattr_msg_next(nlh, &len)) {
		struct nlmsghdr *w = (struct nlmsghdr *)nlh;
		uint16_t orig = w->nlmsg_type;

		parse_all(nlh);
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			w->nlmsg_type = types[i];
			parse_all(nlh);
		}
		w->nlmsg_type = orig;
	}
	free(buf);
	return 0;
}
