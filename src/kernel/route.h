/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Routes in the main table. add/del queue on nl; dumps ask synchronously. */
#ifndef NSLAB_ROUTE_H
#define NSLAB_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl;

struct route_spec {
	int family;
	uint8_t dst[16];
	uint8_t plen;           /* 0: default route */
	bool has_via;
	uint8_t via[16];
	int ifindex;            /* 0: let the kernel find it from via */
	uint32_t metric;
};
int route_add(struct nl *nl, const struct route_spec *r, unsigned nl_flags, const char *label);
/* Add, or replace the main table's route to the same destination. */
int route_replace(struct nl *nl, const struct route_spec *r, unsigned nl_flags, const char *label);
int route_del(struct nl *nl, const struct route_spec *r, unsigned nl_flags, const char *label);

/* A multipath route's hops beyond this many are not reported. */
#define ROUTE_MAX_HOPS 16

struct route_hop {
	bool has_via;
	uint8_t via[16];
	int ifindex;
};

struct route_info {
	int family;
	uint8_t dst[16];
	uint8_t plen;
	bool has_via;
	uint8_t via[16];
	int ifindex;
	uint32_t metric;
	uint8_t protocol;       /* RTPROT_* */
	uint8_t scope;
	uint8_t type;           /* RTN_* */
	bool has_prefsrc;
	uint8_t prefsrc[16];
	/* Every next hop of a multipath route (the first is also in has_via,
	 * via and ifindex); 0 for a route with a single hop. */
	uint8_t n_hops;
	struct route_hop hops[ROUTE_MAX_HOPS];
};
/* Main-table routes of family (AF_UNSPEC for both). cb returns 0 to go on. */
int route_dump(struct nl *nl, int family, int (*cb)(const struct route_info *r, void *arg),
	       void *arg);
/* The same, into an array (*v, *n; free(*v) after, also on error). */
int route_list(struct nl *nl, int family, struct route_info **v, size_t *n);
/* The device of the main table's default route for family (lowest metric);
 * -ENOENT if there is none. */
int route_default_dev(struct nl *nl, int family, int *ifindex);

/* Parse one answer message into *out, validating every attribute it reads:
 * 0, 1 for an entry of another kind that a dump skips (another family or
 * table), or -EPROTO if malformed. Exposed for the fuzzer. */
struct nlmsghdr;
int route_msg_parse(const struct nlmsghdr *nlh, struct route_info *out);

#endif
