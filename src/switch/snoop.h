/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multicast snooping, MLD for IPv6 and IGMP for IPv4 (one struct snoop
 * each): multicast goes only to the ports that have listeners for its
 * group, instead of to every port of the VLAN.
 *
 * Why: every IPv6 host sends multicast from the moment its link comes up —
 * MLD reports for its solicited-node groups, duplicate address detection,
 * router solicitations — six or so frames each. A learning switch floods
 * them all, so a lab of N hosts costs N² copies at start (1000 hosts: six
 * million, seconds of a busy switch while ARP waits behind them). With
 * snooping, reports go only to multicast routers and a neighbour
 * solicitation only to the host that owns the address. In IPv4, a group's
 * stream reaches only the hosts that joined it.
 *
 * The rules, as the Linux bridge with its querier on (RFC 4541):
 *  - reports and leaves (MLD dones) update the mdb (mdb.h) and go to
 *    router ports only; a leave on an access port removes the listener at
 *    once (one host behind it), on a trunk it is left to age;
 *  - a query or a PIM hello marks its port as a router port (it gets every
 *    group and every report) and, while a querier with a lower address is
 *    heard, ours is silent (the election of RFC 3810 §7.6.2 and RFC 3376
 *    §6.6.2; ours, 0.0.0.0 in IPv4 and a link-local address above any
 *    derived from a MAC in IPv6, yields to every router);
 *  - data for a group someone reported goes to the listeners and router
 *    ports; data for a group nobody reported, ff02::1, IPv6 scopes below
 *    link-local and IPv4's 224.0.0.0/24 flood, so nothing that worked
 *    without snooping stops — but ff02::2: every IPv6 router reports it, so
 *    when nobody did, a router solicitation has no router to reach and
 *    goes to router ports; and a duplicate address probe to a
 *    solicited-node group nobody reported, which only a host already
 *    holding the address (and so reported) could answer, goes to router
 *    ports too;
 *  - the switch is the querier: a general query out of every port as it
 *    attaches and every 125 s, so listeners refresh before their 260 s are
 *    up, and a restarted switch relearns every group within the query's
 *    1 s response time.
 */
#ifndef NSLAB_SWITCH_SNOOP_H
#define NSLAB_SWITCH_SNOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "switch/mdb.h"

#define SNOOP_QUERY_INTERVAL 125  /* s, RFC 3810 §9.2 */
#define SNOOP_STARTUP_INTERVAL 31 /* s, the second query after start */
#define SNOOP_MEMBERSHIP 260      /* s, as the Linux bridge */
#define SNOOP_OTHER_QUERIER 255   /* s, RFC 3810 §9.5 */
#define SNOOP_RESPONSE_MS 1000    /* the queries' maximum response delay */

struct sw;
struct port;
struct pl_pkt;

struct snoop;

struct snoop_info {
	bool querier;           /* we send the queries */
	uint32_t next_query_in; /* s */
	uint32_t routers;       /* router ports */
	uint32_t memberships, size;
	bool overflowed;
	uint64_t reports, queries_sent, queries_heard;
};

/* IGMP if v4, else MLD. now: seconds on the switch's clock. Every port
 * is queried with the next snoop_send_queries. NULL on allocation failure. */
struct snoop *snoop_new(const char *switch_name, bool v4, uint32_t now);
void snoop_free(struct snoop *s);

/* The frame pkt of VLAN vid is multicast of s's family (33:33:… for MLD,
 * 01:00:5e:… for IGMP): forward it as snooping says. Returns false when it
 * should simply flood. */
bool snoop_forward(struct sw *sw, struct snoop *s, const struct pl_pkt *pkt, uint16_t vid,
		   uint32_t now);

/* A port attached or its VLANs changed: forget what it reported, ask it
 * again (the queries go out with the next snoop_send_queries). */
void snoop_port_reset(struct sw *sw, uint16_t port);
/* A port went. */
void snoop_port_gone(struct sw *sw, uint16_t port);
/* Query port again with the next due queries, keeping what it said (a
 * port that came up: a querier behind it may not have heard us). */
void snoop_port_ask(struct sw *sw, uint16_t port);
/* Query every port now, of each family snooped, keeping what they said. */
void snoop_query_all(struct sw *sw, uint32_t now);
/* Send the queries that are due, of both families: to reset ports, and
 * the periodic ones. */
void snoop_send_queries(struct sw *sw, uint32_t now);
/* Once a second, both families: expire listeners and router ports, send
 * due queries. */
void snoop_tick(struct sw *sw, uint32_t now);

void snoop_get_info(const struct snoop *s, uint32_t now, struct snoop_info *info);
/* Whether port is a router port now. */
bool snoop_is_router(const struct snoop *s, uint16_t port, uint32_t now);
const struct mdb *snoop_mdb(const struct snoop *s);

#endif
