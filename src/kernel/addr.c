// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Addresses over rtnetlink (RTM_NEWADDR/DELADDR/GETADDR).
 *
 * IPv6 addresses are added with IFA_F_NODAD: the kernel then marks them
 * usable at once (addrconf_dad_begin skips DAD and clears IFA_F_TENTATIVE)
 * instead of holding them tentative for a DAD round (about a second by
 * default), which would fail the first packets sent from a fresh node.
 */
#include "kernel/addr.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "common/errmsg.h"
#include "common/util.h"
#include "kernel/nl.h"
#include "kernel/nlattr.h"

static int addr_req(struct nl *nl, uint16_t type, uint16_t flags, int ifindex, int family,
		    const uint8_t *addr, uint8_t plen, unsigned nl_flags, const char *label)
{
	size_t alen = nlattr_addr_len(family);
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;

	if (!alen || plen > alen * 8 || ifindex <= 0)
		return err_set(-EINVAL, "%s: bad address, prefix or interface",
			       label ? label : "address");
	nlh = nl_req_begin(nl, type, flags, sizeof(*ifa), nl_flags, label);
	if (!nlh)
		return -ENOMEM;
	ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (type == RTM_NEWADDR && family == AF_INET6) {
		ifa->ifa_flags = IFA_F_NODAD;
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the same for
	 * a non point-to-point link (rtnetlink(7)). */
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	return 0;
}

int addr_add(struct nl *nl, int ifindex, int family, const uint8_t *addr, uint8_t plen,
	     unsigned nl_flags, const char *label)
{
	return addr_req(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, family, addr, plen,
			nl_flags, label);
}

int addr_del(struct nl *nl, int ifindex, int family, const uint8_t *addr, uint8_t plen,
	     unsigned nl_flags, const char *label)
{
	return addr_req(nl, RTM_DELADDR, 0, ifindex, family, addr, plen, nl_flags, label);
}

int addr_msg_parse(const struct nlmsghdr *nlh, struct addr_info *a)
{
	const struct nlattr *tb[IFA_MAX + 1], *at;
	const struct ifaddrmsg *ifa;
	size_t alen;
	int rc;

	memset(a, 0, sizeof(*a));
	if (nlh->nlmsg_type != RTM_NEWADDR)
		return -EPROTO;
	rc = nlattr_table(nlh, sizeof(*ifa), tb, IFA_MAX);
	if (rc)
		return rc;
	ifa = mnl_nlmsg_get_payload(nlh);
	alen = nlattr_addr_len(ifa->ifa_family);
	if (!alen)
		return 1;       /* a family we do not show */
	a->family = ifa->ifa_family;
	a->ifindex = (int)ifa->ifa_index;
	a->plen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	if (a->plen > alen * 8)
		return -EPROTO;
	/* IFA_FLAGS carries the flags that do not fit the u8 in the header. */
	if (tb[IFA_FLAGS]) {
		uint32_t f;

		if (nlattr_u32(tb[IFA_FLAGS], &f))
			return -EPROTO;
		a->flags = f;
	}
	at = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!at || nlattr_bin(at, a->addr, alen))
		return -EPROTO;
	return 0;
}

struct dump_ctx {
	int (*cb)(const struct addr_info *a, void *arg);
	void *arg;
	int rc;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct addr_info a;
	int rc;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	rc = addr_msg_parse(nlh, &a);
	if (rc > 0)
		return MNL_CB_OK;
	if (rc) {
		d->rc = err_set(rc, "reading the kernel's address list: a malformed message");
		return rc;
	}
	d->rc = d->cb(&a, d->arg);
	return d->rc < 0 ? d->rc : MNL_CB_OK;
}

int addr_dump(struct nl *nl, int family, int (*cb)(const struct addr_info *a, void *arg),
	      void *arg)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct dump_ctx d = { cb, arg, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int rc;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	rc = nl_query_label(nl, nlh, "listing addresses", dump_cb, &d);
	return rc ? rc : d.rc < 0 ? d.rc : 0;
}

struct addr_acc {
	struct addr_info **v;
	size_t *n, cap;
};

static int addr_acc_cb(const struct addr_info *x, void *arg)
{
	struct addr_acc *a = arg;
	int rc = array_reserve(a->v, &a->cap, *a->n + 1, sizeof(**a->v));

	if (!rc)
		(*a->v)[(*a->n)++] = *x;
	return rc;
}

int addr_list(struct nl *nl, int family, struct addr_info **v, size_t *n)
{
	struct addr_acc a = { v, n, 0 };

	*v = NULL;
	*n = 0;
	return addr_dump(nl, family, addr_acc_cb, &a);
}
