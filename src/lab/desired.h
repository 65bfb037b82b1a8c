/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From a validated topology to the objects a lab should have, in creation
 * order (kind by kind: namespaces, bridges, veths, ports, addresses,
 * routes, sysctls, nftables, switch daemons).
 *
 * Names of what the lab makes:
 *   - a host's namespace:              the host's name (`ip netns exec red`)
 *   - a host interface's switch side:  topo_peer_name(host, iface), in the
 *                                      lab's host namespace, alias "nslab:LAB",
 *                                      link group env->group
 *   - sandbox:                         namespaces nslab-LAB (the host side) and
 *                                      nslab-LAB-inet (the internet), joined by
 *                                      eth0 ↔ eth0 (203.0.113.2 ↔ .1), the
 *                                      internet answering at 198.51.100.1
 *   - the nftables table:              inet nslab-LAB
 */
#ifndef NSLAB_DESIRED_H
#define NSLAB_DESIRED_H

#include <stdbool.h>
#include <stdint.h>

#include "lab/objset.h"

struct topo;

/* The sandbox's addresses: documentation ranges (RFC 5737, RFC 3849). */
#define SANDBOX_UPLINK "eth0"
#define SANDBOX_HOST_V4 "203.0.113.2/24"
#define SANDBOX_INET_V4 "203.0.113.1/24"
#define SANDBOX_INET_GW4 "203.0.113.1"
#define SANDBOX_SERVER_V4 "198.51.100.1/32"
#define SANDBOX_HOST_V6 "2001:db8:ffff::2/64"
#define SANDBOX_INET_V6 "2001:db8:ffff::1/64"
#define SANDBOX_INET_GW6 "2001:db8:ffff::1"
#define SANDBOX_SERVER_V6 "2001:db8:100::1/128"

struct lab_env {
	const char *lab;
	bool sandbox;
	const char *host_ns;        /* OBJ_NS_HOST, or the sandbox's host namespace */
	const char *inet_ns;        /* the sandbox's internet; NULL on the real host */
	uint32_t group;             /* link group of the lab's links in host_ns */
	const char *default_uplink; /* NAT uplink when a switch names none; NULL: none */
	const char *default_uplink6; /* the same for IPv6, if another (NULL: default_uplink) */
	const char *run_dir;        /* the lab's state directory (switch daemon files) */
};

/* "nslab-LAB" and "nslab-LAB-inet" into buf. */
/* A sandbox has one uplink, to its internet: NAT out of any other reaches
 * nothing. NULL if sw's uplink will do there, else what is wrong, in buf;
 * the fix is SANDBOX_UPLINK_FIX. */
struct topo_switch;
#define SANDBOX_UPLINK_FIX "remove 'uplink:' or make it " SANDBOX_UPLINK
const char *desired_sandbox_uplink_problem(const struct topo_switch *sw, char *buf, size_t len);
void desired_sandbox_names(const char *lab, char *host, size_t hlen, char *inet, size_t ilen);
/* The alias marking the lab's links: "nslab:LAB". */
void desired_alias(const char *lab, char *buf, size_t len);
/* The MAC address of a switch's gateway interface, "02:..." (locally
 * administered), the same every time the lab makes it: hosts' neighbour
 * tables stay right when the switch is made again, and a bridge's address
 * does not follow its ports as they come and go. */
void desired_switch_mac(const char *lab, const char *sw, char *buf, size_t len);

/* Fill out (empty) with every object the lab should have. 0 or -errno with
 * errmsg (e.g. NAT with no uplink to use). */
int desired_build(const struct topo *t, const struct lab_env *env, struct objset *out);

/* Append an object to a vector being built (the switch kinds use this). */
struct objvec {
	struct obj **v;
	size_t n, cap;
};
int objvec_add(struct objvec *ov, enum obj_kind kind, const char *ns, const char *name,
	       const char *attrs);
void objvec_free(struct objvec *ov);

#endif
