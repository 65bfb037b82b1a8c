/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The topology model: what a lab should be, validated, with every default
 * filled in. Produced by topo_parse_*() from YAML (or topo_seed() for the
 * built-in seed network) and consumed, read-only, by the planner, `show`,
 * `graph` and `pingall`. Nothing here touches the kernel.
 *
 * Ownership: a struct topo owns every string and array below it; topo_free()
 * releases all of it. Pointers between items (iface->sw, link ends) point
 * into the same struct topo and need no freeing.
 *
 * Names:
 *  - lab names: [a-z0-9][a-z0-9_-]{0,31} (they become "nslab-LAB" namespace
 *    and nftables table names);
 *  - host names: [A-Za-z0-9][A-Za-z0-9_.-]{0,62}, not "host" nor "inet"
 *    (reserved for the lab's own host side and, in a sandbox, its internet);
 *    a host's network namespace has the host's name (so `ip netns exec red`
 *    works);
 *  - switch names and interface names: kernel interface names, 1..15
 *    characters, no '/', ':', whitespace, not "." or "..";
 *  - the switch-side end of a host's interface gets peer name
 *    topo_peer_name(host, iface): "HOST-IFACE" when that fits in 15
 *    characters, otherwise its first 10 characters, '-', and 4 lowercase hex
 *    digits: the low 16 bits of the FNV-1a-32 hash of the full "HOST-IFACE"
 *    (deterministic, documented in doc/topology.md).
 */
#ifndef NSLAB_TOPO_H
#define NSLAB_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TOPO_IFNAMSIZ 16   /* IFNAMSIZ: 15 characters and the NUL */
#define TOPO_LAB_MAX 32
#define TOPO_HOST_MAX 63
#define TOPO_VLAN_DEFAULT 1 /* untagged ports, the gateway and trunks' native VLAN */
#define TOPO_VLAN_MAX 4094

/* Limits against hostile input (a file is outside input). */
#define TOPO_FILE_MAX (1u << 20)       /* bytes in a topology file */
#define TOPO_STDIN "<stdin>"           /* how "-", standard input, is named */
#define TOPO_YAML_DEPTH_MAX 32         /* nesting; a topology needs 6 */
#define TOPO_YAML_NODES_MAX 200000     /* YAML scalars, lists and mappings */
#define TOPO_EXPECT_MAX 262144         /* expectation pairs after expansion */
#define TOPO_DIAG_MAX 1000             /* problems listed; the rest are counted */

/* Where an item was written: 1-based line and column; 0 for built-in items. */
struct topo_pos {
	int line;
	int col;
};

/* An address with its prefix length, e.g. 172.16.10.1/24. */
struct topo_cidr {
	int family;          /* AF_INET or AF_INET6 */
	uint8_t addr[16];    /* network byte order; IPv4 uses the first 4 */
	uint8_t plen;
};

enum topo_switch_kind {
	TOPO_SWITCH_BRIDGE, /* the Linux bridge: the kernel's data path */
	TOPO_SWITCH_NSLAB,  /* nslab-switchd: the userspace switch */
};

/* The kind a switch gets when the file does not say. */
#define TOPO_SWITCH_KIND_DEFAULT TOPO_SWITCH_NSLAB

struct topo_switch {
	char *name;                 /* also its host-side interface name */
	enum topo_switch_kind kind;
	/* The switch's own host-side address(es), at most one per family; hosts
	 * on the switch's default VLAN route via them. */
	struct topo_cidr *gateways;
	size_t n_gateways;
	bool nat;                   /* masquerade the gateway subnets out of the uplink */
	char *uplink;               /* NULL: the interface of the host's default route */
	unsigned mtu;               /* 0: the kernel's default */
	unsigned fdb_size;          /* MAC table cap; 0: the switch's default */
	unsigned fdb_aging;         /* seconds; 0: the switch's default */
	bool no_fast_path;          /* nslab: every frame through the daemon */
	bool no_mld_snooping;       /* nslab: IPv6 multicast floods */
	bool no_igmp_snooping;      /* nslab: IPv4 multicast floods */
	/* When VLAN 1 of this switch, without a gateway of its own, is joined
	 * by links to a switch with one: that switch, [0] for IPv4 and [1] for
	 * IPv6 (see topo_segment_gateway). */
	const struct topo_switch *linked_gw[2];
	struct topo_pos pos;
	/* Kind nslab: the daemon's end of the link to the host side ("SW-sw",
	 * shortened as a port is). */
	char own_port[TOPO_IFNAMSIZ];
};

struct topo_iface {
	char *name;                 /* inside the host: "eth0", ... */
	char *peer;                 /* switch-side name (topo_peer_name), NULL for links */
	struct topo_switch *sw;     /* NULL when the interface is an end of a link */
	struct topo_cidr *addrs;
	size_t n_addrs;
	bool has_mac;
	uint8_t mac[6];
	unsigned mtu;               /* 0: the switch's MTU, else the kernel's default */
	/* VLANs, only on a switch. An access port has vlan (1..4094; default
	 * TOPO_VLAN_DEFAULT, n_trunk 0). A trunk has n_trunk > 0 VLANs and
	 * native_vlan (0: none, untagged frames are dropped). The unused one
	 * of vlan/native_vlan is 0, and both are 0 on a link end; the
	 * interface's addresses live on its access VLAN or its native VLAN. */
	unsigned vlan;
	uint16_t *trunk;
	size_t n_trunk;
	unsigned native_vlan;
	struct topo_pos pos;
};

struct topo_route {
	int family;                 /* AF_INET or AF_INET6 */
	struct topo_cidr dst;       /* plen 0 and is_default for the default route */
	bool is_default;
	uint8_t via[16];
	struct topo_iface *dev;     /* the host's interface that reaches via */
	bool implicit;              /* added by default: via the switch's gateway */
	struct topo_pos pos;
};

struct topo_host {
	char *name;
	struct topo_iface *ifaces;
	size_t n_ifaces;
	struct topo_route *routes;  /* explicit ones first, then implicit defaults */
	size_t n_routes;
	bool forward;               /* a router: IP forwarding on in its namespace */
	bool default_route;         /* false: no implicit default via a gateway */
	struct topo_pos pos;
};

struct topo_link_end {
	struct topo_host *host;
	struct topo_iface *iface;
};

struct topo_link {
	struct topo_link_end end[2];
	struct topo_pos pos;
};

/* A link between two switches: a veth pair on the lab's host side, each end
 * a port of one switch, both with the link's VLAN rule (an access VLAN, or a
 * trunk with its native VLAN, as on a host's interface). port[e] describes
 * end e as a switch port: sw, peer (the port's name, topo_peer_name(switch,
 * other switch): "s1-s2", "s1-s2-2" for a second link between the two),
 * vlan/trunk/native_vlan and mtu; its name is NULL and it has no addresses.
 * Links between switches never form a loop in any VLAN (nslab's switches
 * run no spanning tree): per VLAN, the switches and the links carrying it
 * are a forest. */
struct topo_swlink {
	struct topo_iface port[2];
	struct topo_pos pos;
};

/* A reachability expectation for pingall: from -> to must (reach) or must
 * not reach. Expanded to single pairs. */
struct topo_expect {
	struct topo_host *from;
	struct topo_host *to;
	bool reach;
	struct topo_pos pos;
};

struct topo {
	char *name;                 /* lab name */
	char *file;                 /* the file it came from; NULL for the seed */
	struct topo_switch *switches;
	size_t n_switches;
	struct topo_host *hosts;
	size_t n_hosts;
	struct topo_link *links;
	size_t n_links;
	struct topo_swlink *swlinks;
	size_t n_swlinks;
	struct topo_expect *expects;
	size_t n_expects;
};

/* Problems found in a file, one complete line each:
 * "FILE:LINE:COL: what is wrong; the fix". */
struct topo_diag {
	char **lines;
	size_t n;
	size_t cap;
};

/* Parse and validate. 0 and *out on success; -EINVAL with diag filled for a
 * bad topology; other -errno (e.g. -ENOENT) for the file itself, with the
 * reason in errmsg. Nothing is allocated in *out on failure.
 * display_name is how the file is named in messages (the path as given);
 * without 'name:' the lab is named after its base name, minus .yaml/.yml.
 * The diag lines are appended in file order, at most TOPO_DIAG_MAX of them
 * and a last one counting the rest. */
int topo_parse_file(const char *path, struct topo **out, struct topo_diag *diag);
/* Read a topology file, or standard input for "-", into *buf (caller
 * frees); *display gets how to name it in messages (TOPO_STDIN for "-").
 * 0 or -errno with the reason in errmsg. */
int topo_read_file(const char *path, char **buf, size_t *len, const char **display);
int topo_parse_buffer(const char *display_name, const char *buf, size_t len,
		      struct topo **out, struct topo_diag *diag);
/* The built-in seed network (DESIGN.md), as lab "seed". NULL on ENOMEM. */
struct topo *topo_seed(void);
void topo_free(struct topo *t);

/* Lines are appended: several parses may share one diag. */
void topo_diag_free(struct topo_diag *d);
void topo_diag_print(const struct topo_diag *d, FILE *f);

/* Lookups by name; NULL if absent. */
struct topo_host *topo_host_find(const struct topo *t, const char *name);
struct topo_switch *topo_switch_find(const struct topo *t, const char *name);
struct topo_iface *topo_iface_find(const struct topo_host *h, const char *name);

/* The switch-side interface name for host/iface (see the header comment). */
void topo_peer_name(const char *host, const char *iface, char out[TOPO_IFNAMSIZ]);
/* 0 if name is a valid kernel interface name, else -EINVAL. Stricter than
 * the kernel in two ways: printable ASCII only, and no '%' (the kernel takes
 * "eth%d" as a template to fill in, net/core/dev.c dev_get_valid_name()). */
int topo_ifname_valid(const char *name);
/* 0 if name is a valid lab / host name (see the header comment; host names
 * "host" and "inet" are refused as reserved), else -EINVAL. */
int topo_lab_name_valid(const char *name);
int topo_host_name_valid(const char *name);
/* The ports of a switch: its hosts' interfaces on it (in file order), then
 * its ends of links between switches. Start with an iterator of zeros;
 * NULL when done. After a port, it->link is the link between switches it
 * ends (NULL for a host's interface, then in it->host), it->end which end. */
struct topo_port_iter {
	size_t h, i, l;
	int e;
	const struct topo_host *host;
	const struct topo_swlink *link;
	int end;
};
const struct topo_iface *topo_port_next(const struct topo *t, const struct topo_switch *sw,
					struct topo_port_iter *it);
/* Whether port carries VLAN vid (as its access VLAN, in its trunk, or as
 * the trunk's native VLAN). */
bool topo_port_carries(const struct topo_iface *port, unsigned vid);
/* The switch whose gateway of family is the one on VLAN 1 of sw's segment:
 * sw, or a switch joined to it by links that carry VLAN 1; NULL if none. */
const struct topo_switch *topo_segment_gateway_switch(const struct topo_switch *sw, int family);
/* That gateway; NULL if none. */
const struct topo_cidr *topo_segment_gateway(const struct topo_switch *sw, int family);
/* "bridge" / "nslab". */
const char *topo_switch_kind_str(enum topo_switch_kind kind);

/* "172.16.10.1/24" / "2001:db8::1/64"; buf at least TOPO_CIDR_STRLEN. */
#define TOPO_CIDR_STRLEN 50
const char *topo_cidr_str(const struct topo_cidr *c, char *buf, size_t len);
/* Parse "ADDR/PLEN" (plen required) into c. 0 or -EINVAL. */
int topo_cidr_parse(const char *s, struct topo_cidr *c);
/* Whether addr (family, 16 bytes) lies inside net/plen. */
bool topo_cidr_contains(const struct topo_cidr *net, int family, const uint8_t *addr);
/* The network of c: host bits cleared. */
void topo_cidr_network(const struct topo_cidr *c, struct topo_cidr *net);
/* A bare address (no prefix length), e.g. a route's via. 0 or -EINVAL. */
int topo_addr_parse(const char *s, int *family, uint8_t addr[16]);
/* "172.16.10.254" / "2001:db8::1"; buf at least TOPO_CIDR_STRLEN. */
const char *topo_addr_str(int family, const uint8_t *addr, char *buf, size_t len);

#endif
