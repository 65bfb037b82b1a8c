// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/tc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "kernel/nl.h"

/* One filter, at one priority, matching every protocol. */
#define TC_PRIO 1
#define TC_HANDLE 1

static struct nlmsghdr *tc_begin(struct nl *nl, uint16_t type, uint16_t flags, int ifindex,
				 uint32_t parent, uint32_t handle, unsigned nl_flags,
				 const char *label)
{
	struct nlmsghdr *nlh = nl_req_begin(nl, type, flags, sizeof(struct tcmsg), nl_flags, label);
	struct tcmsg *tcm;

	if (!nlh)
		return NULL;
	tcm = mnl_nlmsg_get_payload(nlh);
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = parent;
	tcm->tcm_handle = handle;
	return nlh;
}

int tc_clsact_add(struct nl *nl, int ifindex, const char *label)
{
	struct nlmsghdr *nlh = tc_begin(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex,
					TC_H_CLSACT, TC_H_MAKE(TC_H_CLSACT, 0), NL_F_EXIST_OK,
					label);

	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, TCA_KIND, "clsact");
	return 0;
}

int tc_clsact_del(struct nl *nl, int ifindex, const char *label)
{
	struct nlmsghdr *nlh = tc_begin(nl, RTM_DELQDISC, 0, ifindex, TC_H_CLSACT,
					TC_H_MAKE(TC_H_CLSACT, 0), NL_F_GONE_OK, label);

	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, TCA_KIND, "clsact");
	return 0;
}

int tc_ingress_bpf(struct nl *nl, int ifindex, int prog_fd, const char *name, const char *label)
{
	struct nlmsghdr *nlh;
	struct nlattr *opts;
	struct tcmsg *tcm;

	nlh = tc_begin(nl, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_REPLACE, ifindex,
		       TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), TC_HANDLE, 0, label);
	if (!nlh)
		return -ENOMEM;
	tcm = mnl_nlmsg_get_payload(nlh);
	tcm->tcm_info = TC_H_MAKE((uint32_t)TC_PRIO << 16, htons(ETH_P_ALL));
	mnl_attr_put_strz(nlh, TCA_KIND, "bpf");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put_u32(nlh, TCA_BPF_FD, (uint32_t)prog_fd);
	mnl_attr_put_strz(nlh, TCA_BPF_NAME, name);
	mnl_attr_put_u32(nlh, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
	mnl_attr_nest_end(nlh, opts);
	return 0;
}

static int filter_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, TCA_MAX) > 0)
		tb[type] = a;
	return MNL_CB_OK;
}

static int bpf_attr(const struct nlattr *a, void *data)
{
	uint32_t *id = data;

	if (mnl_attr_get_type(a) == TCA_BPF_ID && !mnl_attr_validate(a, MNL_TYPE_U32))
		*id = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int filter_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[TCA_MAX + 1] = { NULL };
	uint32_t *id = arg;

	if (nlh->nlmsg_type != RTM_NEWTFILTER ||
	    mnl_attr_parse(nlh, sizeof(struct tcmsg), filter_attr, tb) < 0)
		return MNL_CB_OK;
	if (!tb[TCA_KIND] || mnl_attr_validate(tb[TCA_KIND], MNL_TYPE_NUL_STRING) ||
	    strcmp(mnl_attr_get_str(tb[TCA_KIND]), "bpf") != 0 || !tb[TCA_OPTIONS])
		return MNL_CB_OK;
	mnl_attr_parse_nested(tb[TCA_OPTIONS], bpf_attr, id);
	return MNL_CB_OK;
}

int tc_ingress_bpf_id(struct nl *nl, int ifindex, uint32_t *id)
{
	struct nlmsghdr *nlh;
	int rc;

	*id = 0;
	nlh = tc_begin(nl, RTM_GETTFILTER, NLM_F_DUMP, ifindex,
		       TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), 0, 0, "reading an ingress filter");
	if (!nlh)
		return -ENOMEM;
	rc = nl_query_label(nl, nlh, "reading an ingress filter", filter_cb, id);
	/* no clsact qdisc (EINVAL), hence no filter */
	return rc == -EINVAL ? 0 : rc;
}
