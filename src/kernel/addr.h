/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Addresses. add/del queue on nl; addr_dump asks synchronously. */
#ifndef NSLAB_ADDR_H
#define NSLAB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl;

/* IPv6 addresses are added with IFA_F_NODAD: lab links are private, and
 * duplicate address detection would hold them "tentative" for a second. */
int addr_add(struct nl *nl, int ifindex, int family, const uint8_t *addr, uint8_t plen,
	     unsigned nl_flags, const char *label);
int addr_del(struct nl *nl, int ifindex, int family, const uint8_t *addr, uint8_t plen,
	     unsigned nl_flags, const char *label);

struct addr_info {
	int ifindex;
	int family;
	uint8_t addr[16];
	uint8_t plen;
	uint8_t scope;          /* RT_SCOPE_* */
	unsigned flags;         /* IFA_F_* */
};
/* family AF_UNSPEC for both. cb returns 0 to go on. */
int addr_dump(struct nl *nl, int family, int (*cb)(const struct addr_info *a, void *arg),
	      void *arg);
/* The same, into an array (*v, *n; free(*v) after, also on error). */
int addr_list(struct nl *nl, int family, struct addr_info **v, size_t *n);

/* Parse one answer message into *out, validating every attribute it reads:
 * 0, 1 for an entry of another kind that a dump skips (another family or
 * table), or -EPROTO if malformed. Exposed for the fuzzer. */
struct nlmsghdr;
int addr_msg_parse(const struct nlmsghdr *nlh, struct addr_info *out);

#endif
