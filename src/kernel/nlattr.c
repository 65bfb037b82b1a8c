// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/nlattr.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

struct table_ctx {
	const struct nlattr **tb;
	unsigned max;
};

static int table_cb(const struct nlattr *a, void *data)
{
	struct table_ctx *t = data;

	/* Attribute numbers beyond what we know are a newer kernel talking:
	 * skip them rather than fail. */
	if (mnl_attr_type_valid(a, (uint16_t)t->max) < 0)
		return MNL_CB_OK;
	t->tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

int nlattr_table(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb,
		 unsigned max)
{
	struct table_ctx t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(const struct nlattr *));
	if (nlh->nlmsg_len < NLMSG_HDRLEN || mnl_nlmsg_get_payload_len(nlh) < hdrlen)
		return -EPROTO;
	nlattr_parse_after(nlh, MNL_ALIGN(hdrlen), table_cb, &t);
	return 0;
}

void nlattr_parse_after(const struct nlmsghdr *nlh, size_t off,
			int (*cb)(const struct nlattr *a, void *data), void *data)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	/* Not mnl_attr_parse: it walks to the *aligned* end of the message,
	 * up to three bytes past nlmsg_len. mnl_attr_parse_payload stops at
	 * the first attribute that does not fit in exactly len bytes. */
	if (nlh->nlmsg_len < NLMSG_HDRLEN || off >= len)
		return;
	mnl_attr_parse_payload((const char *)mnl_nlmsg_get_payload(nlh) + off, len - off, cb, data);
}

int nlattr_table_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max)
{
	struct table_ctx t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(const struct nlattr *));
	mnl_attr_parse_nested(nest, table_cb, &t);
	return 0;
}

int nlattr_u8(const struct nlattr *a, uint8_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EPROTO;
	*v = mnl_attr_get_u8(a);
	return 0;
}

int nlattr_u16(const struct nlattr *a, uint16_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
		return -EPROTO;
	*v = mnl_attr_get_u16(a);
	return 0;
}

int nlattr_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EPROTO;
	*v = mnl_attr_get_u32(a);
	return 0;
}

int nlattr_str(const struct nlattr *a, char *dst, size_t size)
{
	size_t n;

	/* MNL_TYPE_NUL_STRING: non-empty and the last byte is NUL. */
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -EPROTO;
	n = strnlen(mnl_attr_get_str(a), mnl_attr_get_payload_len(a));
	if (n >= size)
		return -EPROTO;
	memcpy(dst, mnl_attr_get_str(a), n);
	dst[n] = '\0';
	return 0;
}

int nlattr_bin(const struct nlattr *a, void *dst, size_t len)
{
	if (mnl_attr_get_payload_len(a) != len)
		return -EPROTO;
	memcpy(dst, mnl_attr_get_payload(a), len);
	return 0;
}

int nlattr_struct(const struct nlattr *a, void *dst, size_t size)
{
	size_t n = mnl_attr_get_payload_len(a);

	if (n > size)
		n = size;
	memset(dst, 0, size);
	memcpy(dst, mnl_attr_get_payload(a), n);
	return 0;
}

size_t nlattr_addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}
