/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Links. The *_add/_set/_del functions queue one request on nl (see nl.h)
 * and return 0 or -ENOMEM; the kernel's answer comes with nl_flush().
 * link_index() and link_dump() ask synchronously.
 */
#ifndef NSLAB_LINK_H
#define NSLAB_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

struct nl;

/* A veth pair, created in nl's namespace with its peer in peer_nsfd's. */
struct link_veth {
	const char *name;
	int ifindex;            /* 0: the kernel chooses */
	const uint8_t *mac;     /* NULL: random */
	unsigned mtu;           /* 0: default; applies to both ends */
	bool up;
	const char *peer;
	int peer_nsfd;          /* -1: the same namespace as name */
	int peer_ifindex;       /* 0: the kernel chooses */
	const uint8_t *peer_mac;
	bool peer_up;
	uint32_t peer_group;    /* IFLA_GROUP of the peer, 0 for the default group */
	/* Limit TSO/GSO super-frames leaving name (IFLA_GSO_MAX_SIZE); 0 leaves
	 * the kernel's default. */
	unsigned gso_max_size;
	/* No IPv6 link-local address on name (IFLA_INET6_ADDR_GEN_MODE none,
	 * set before it comes up): no DAD, MLD or router solicitation traffic
	 * from it. */
	bool ipv6_ll_off;
};
/* Queues one RTM_NEWLINK, and an RTM_SETLINK when name is to be up (a veth
 * end cannot be made up in the same request as its peer; link.c says why).
 * peer_up with a peer in another namespace needs peer_ifindex chosen
 * whenever ifindex is (-EINVAL otherwise). */
int link_veth_add(struct nl *nl, const struct link_veth *v, const char *label);

/* A Linux bridge. vlan_filtering turns on IFLA_BR_VLAN_FILTERING.
 * Multicast snooping starts off (IFLA_BR_MCAST_SNOOPING 0), which is the
 * one difference from `ip link add type bridge`: while it is on, every port
 * that is added, comes up, goes down or is removed makes the bridge re-run
 * br_multicast_enable_port over every port (br_port_state_selection), so
 * building or tearing down N ports costs O(N^2) timer operations (about
 * 0.1 s of kernel time at 1000 ports). Turn it on once the ports are in
 * (link_bridge_mcast_snooping), and off again before deleting many ports.
 * Without a multicast querier on the bridge, snooping changes only one
 * thing: MLD/IGMP reports go to router ports instead of being flooded. */
int link_bridge_add(struct nl *nl, const char *name, unsigned mtu, bool vlan_filtering,
		    const char *label);
/* Queue turning bridge ifindex's multicast snooping on or off. */
int link_bridge_mcast_snooping(struct nl *nl, int ifindex, bool on, const char *label);

/* Change an existing link, found by name (ifindex 0) or by index. Only the
 * fields marked present are sent. */
struct link_change {
	const char *name;
	int ifindex;
	bool set_master;
	int master;             /* ifindex of the master; 0 detaches */
	const char *alias;      /* NULL: unchanged; "" clears */
	bool set_group;
	uint32_t group;
	bool set_up;
	bool up;
	unsigned mtu;           /* 0: unchanged */
	const uint8_t *mac;     /* NULL: unchanged */
	/* IPv6 link-local address generation (IFLA_INET6_ADDR_GEN_MODE eui64
	 * or none). Sent as a request of its own ahead of the rest, because
	 * the kernel applies IFF_UP before IFLA_AF_SPEC within one request
	 * (do_setlink), and an address is generated the moment a link comes
	 * up. Turning it off on a bridge port (which needs no address) saves
	 * the DAD and MLD packets that the bridge floods to every port. */
	bool set_ipv6_ll;
	bool ipv6_ll;
	/* Keep the host's IPv4 stack off the link (IFLA_INET_CONF, a request
	 * of its own too): arp_ignore 8, answer no ARP, and rp_filter 1, take
	 * in no packet whose source is not routed back through it. A port of
	 * nslab-switchd is an ordinary interface of the host, not a bridge
	 * port: without this, the host answers ARP for its own addresses (the
	 * gateway's) on every port with the port's MAC, and takes broadcasts
	 * in twice, once from the port and once from the switch. */
	bool set_ipv4_off;
	/* arp_ignore 1: answer ARP only for addresses of this link. A switch's
	 * host side is one of the host's interfaces on a segment that other
	 * switches' host sides may share (switches joined by links): with
	 * the default, each would answer for the gateway too, with its own MAC.
	 * (Not for a bridge: with br_netfilter loaded, as Docker loads it, a
	 * packet bridged on its way to another switch's gateway is tracked
	 * with the bridge's ports before it is routed, and misses NAT; routed
	 * from the bridge that answered, it does not.) */
	bool set_arp_own_only;
	/* Undo both: arp_ignore 0 and rp_filter rp_filter (the namespace's
	 * default), as a new link has them: a port that moves from one kind
	 * of switch to the other. */
	bool set_ipv4_on;
	unsigned rp_filter;
};
int link_set(struct nl *nl, const struct link_change *c, const char *label);

/* Delete by name (ifindex 0) or index. flags: NL_F_GONE_OK and the like. */
int link_del(struct nl *nl, const char *name, int ifindex, unsigned flags, const char *label);
/* Delete every link of nl's namespace in group (RTM_DELLINK with IFLA_GROUP):
 * the kernel unregisters them together, one RCU grace period for all, which
 * is ~40x faster than one by one. group must not be 0. An empty group is
 * not an error. */
int link_del_group(struct nl *nl, uint32_t group, const char *label);

/* Synchronous: the index of link name; -ENODEV if absent. */
int link_index(struct nl *nl, const char *name, int *ifindex);

struct link_info {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];          /* "veth", "bridge", "" for none */
	char alias[64];
	unsigned flags;         /* IFF_* */
	unsigned mtu;
	int master;             /* 0: none */
	uint32_t group;
	uint8_t mac[6];
	bool has_mac;
	int link;               /* IFLA_LINK: the peer's ifindex for veth */
	int link_netnsid;       /* IFLA_LINK_NETNSID, -1 if none */
	bool carrier;
	uint8_t operstate;      /* IF_OPER_* */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped, tx_dropped;
};
/* Synchronous dump of every link; cb returns 0 to go on, <0 to stop (that
 * value is returned). */
int link_dump(struct nl *nl, int (*cb)(const struct link_info *li, void *arg), void *arg);
/* Synchronous: one link by name; -ENODEV if absent. */
int link_get(struct nl *nl, const char *name, struct link_info *li);

/* Parse one RTM_NEWLINK message (as a dump answers) into li, validating
 * every attribute it reads; -EPROTO if malformed. Exposed for the fuzzer. */
struct nlmsghdr;
int link_msg_parse(const struct nlmsghdr *nlh, struct link_info *li);

#endif
