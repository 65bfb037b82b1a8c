// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/tc.h"

#include <arpa/inet.h>
#include <errno.h>
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
