/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A lab's own nftables table, through libnftables, in one atomic transaction
 * per change. The table is "inet nslab-LAB" (NAT in the inet family needs
 * Linux 5.2), so that it is plainly the lab's and removing it touches nothing
 * else. nslab never flushes, deletes or re-polices any other table or chain.
 */
#ifndef NSLAB_NAT_H
#define NSLAB_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Masquerade traffic from src (family, addr, plen) leaving through oifname. */
struct nat_masq {
	int family;             /* AF_INET or AF_INET6 */
	uint8_t src[16];
	uint8_t plen;
	char oifname[16];
};

/* Make table `inet NAME` in nsfd's namespace (-1: current) hold exactly these
 * masquerade rules (postrouting nat chain), replacing what it held, in one
 * transaction. n == 0 still makes the (empty) table. */
int nat_table_apply(int nsfd, const char *table, const struct nat_masq *rules, size_t n);
/* Delete table `inet NAME`; an absent one is fine. */
int nat_table_delete(int nsfd, const char *table);
bool nat_table_exists(int nsfd, const char *table);
/* How many rules table `inet NAME` holds in *n; -ENOENT without the table. */
int nat_table_rules(int nsfd, const char *table, size_t *n);

/* What one masquerade rule matched: its source subnet and its counter
 * (has_counter false for a rule without one, as an older nslab made them). */
struct nat_rule_count {
	int family;
	uint8_t net[16];
	uint8_t plen;
	bool has_counter;
	uint64_t packets, bytes;
};
/* The masquerade rules of table `inet NAME` with their counters, into a
 * new array *v of *n (free() it); -ENOENT without the table. */
int nat_table_counts(int nsfd, const char *table, struct nat_rule_count **v, size_t *n);
/* The same from the JSON of `nft -j list table`; -EPROTO if not JSON. */
int nat_counts_json(const char *json, struct nat_rule_count **v, size_t *n);

/* The traffic whose forward hooks matter to nat_forward_drop: routed IPv4,
 * routed IPv6, frames a Linux bridge forwards. */
#define NAT_FWD_IP4    1u
#define NAT_FWD_IP6    2u
#define NAT_FWD_BRIDGE 4u
#define NAT_FWD_ALL    (NAT_FWD_IP4 | NAT_FWD_IP6 | NAT_FWD_BRIDGE)

/* Look, in nsfd's namespace, for base chains of other tables on the forward
 * hook of a family in fams whose policy is drop (Docker's iptables-nft
 * "filter FORWARD"). On return *found says whether any does, and what (if
 * not NULL, len > 0) names the first one ("ip filter FORWARD"). */
int nat_forward_drop(int nsfd, unsigned int fams, bool *found, char *what, size_t len);
/* The nftables half of nat_forward_drop, on the JSON of `nft -j list
 * chains`; -EPROTO if it is not JSON. */
int nat_forward_drop_json(const char *json, unsigned int fams, bool *found, char *what, size_t len);

#endif
