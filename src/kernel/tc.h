/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Traffic control, the little nslab-switchd's fast path needs: a clsact
 * qdisc on an interface (the hook point; `tc qdisc add dev X clsact`) and
 * one BPF program in direct-action mode on its ingress (`tc filter add dev
 * X ingress bpf da fd N`). Queued on nl like every other request, so a
 * thousand ports are hooked with one sendmsg; tcx links would tie the
 * hooks to the daemon's life, but each attachment waits for an RCU grace
 * period under the RTNL lock (about 12 ms: 12 s for 1000 ports).
 */
#ifndef NSLAB_KERNEL_TC_H
#define NSLAB_KERNEL_TC_H

#include <stdint.h>

struct nl;

/* Add a clsact qdisc to ifindex; one already there is fine. */
int tc_clsact_add(struct nl *nl, int ifindex, const char *label);
/* Remove ifindex's clsact qdisc and every filter on it; none, or no
 * interface, is fine. */
int tc_clsact_del(struct nl *nl, int ifindex, const char *label);
/* Attach BPF program prog_fd (BPF_PROG_TYPE_SCHED_CLS) to ifindex's
 * ingress in direct-action mode, replacing one there before at the same
 * priority. name shows in `tc filter show`. */
int tc_ingress_bpf(struct nl *nl, int ifindex, int prog_fd, const char *name, const char *label);
/* The id of the BPF program on ifindex's ingress (as tc_ingress_bpf put
 * it there) into *id, 0 when there is none; -errno if the interface is
 * gone or cannot be read. Flushes what nl has queued. */
int tc_ingress_bpf_id(struct nl *nl, int ifindex, uint32_t *id);

#endif
