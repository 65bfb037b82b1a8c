/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validated reading of netlink attributes, shared by the dump parsers of
 * link.c, addr.c, route.c, neigh.c and the ACK parser of nl.c.
 *
 * An answer from the kernel is outside input like any other: every
 * attribute is checked (mnl_attr_type_valid for its number, mnl_attr_validate
 * or an exact length for its payload) before a byte of it is read. Unknown
 * attribute numbers are skipped, since newer kernels add attributes; a known
 * one with the wrong shape is -EPROTO.
 */
#ifndef NSLAB_NLATTR_H
#define NSLAB_NLATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

/* Walking a buffer of messages. libmnl's mnl_nlmsg_ok compares nlmsg_len
 * as an int, so a length of 2^31 or more passes it and mnl_nlmsg_next then
 * jumps far outside the buffer; these compare unsigned and never step past
 * the end. */
static inline bool nlattr_msg_ok(const struct nlmsghdr *nlh, size_t len)
{
	return len >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) && nlh->nlmsg_len <= len;
}

static inline const struct nlmsghdr *nlattr_msg_next(const struct nlmsghdr *nlh, size_t *len)
{
	size_t step = NLMSG_ALIGN(nlh->nlmsg_len);

	if (step > *len)
		step = *len;
	*len -= step;
	return (const struct nlmsghdr *)((const char *)nlh + step);
}

/* Collect the attributes that follow a family header of hdrlen bytes into
 * tb[0..max] (zeroed first; a repeated attribute keeps the last). -EPROTO if
 * the message is shorter than its family header. */
int nlattr_table(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb,
		 unsigned max);
/* Call cb for each attribute that starts off bytes into nlh's payload and
 * lies wholly within nlmsg_len. */
void nlattr_parse_after(const struct nlmsghdr *nlh, size_t off,
			int (*cb)(const struct nlattr *a, void *data), void *data);
/* The same for the attributes nested in nest. */
int nlattr_table_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max);

/* Typed reads: 0, or -EPROTO if the payload has the wrong size. */
int nlattr_u8(const struct nlattr *a, uint8_t *v);
int nlattr_u16(const struct nlattr *a, uint16_t *v);
int nlattr_u32(const struct nlattr *a, uint32_t *v);
/* A NUL-terminated string into dst[size]; -EPROTO if unterminated or too long. */
int nlattr_str(const struct nlattr *a, char *dst, size_t size);
/* Exactly len bytes. */
int nlattr_bin(const struct nlattr *a, void *dst, size_t len);
/* At most size bytes (a struct the kernel may have grown or, in older
 * kernels, have shorter): the rest of dst is zeroed. */
int nlattr_struct(const struct nlattr *a, void *dst, size_t size);

/* Address length for AF_INET (4) and AF_INET6 (16); 0 for others. */
size_t nlattr_addr_len(int family);

#endif
