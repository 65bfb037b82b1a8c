/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink sockets with batching.
 *
 * A struct nl is one NETLINK_ROUTE socket, bound to the network namespace it
 * was opened in (a netlink socket keeps its namespace for life, so one
 * socket per namespace replaces `ip -n NS`, which remounts /sys per call).
 *
 * Requests are queued with nl_req_*() (usually through link_/addr_/route_
 * helpers) and sent by nl_flush(): as few sendmsg(2) calls as the socket's
 * buffer allows, each request with NLM_F_ACK, every ACK collected after.
 * The kernel runs each message of a batch on its own, in order, so a later
 * request may depend on an earlier one (an address, then a route via it).
 *
 * Every request carries a label ("red: eth0: adding 172.16.10.1/24"); the
 * first failing request of a flush sets errmsg to "LABEL: REASON (kernel:
 * EXTACK)" and nl_flush returns its -errno; the rest still run, and their
 * failures are counted in nl_failures(). Requests queued with
 * NL_F_GONE_OK treat "does not exist" answers (ENOENT, ENODEV, ESRCH,
 * EADDRNOTAVAIL, ENXIO) as success: deletions of things that may already be
 * gone. NL_F_EXIST_OK does the same for EEXIST.
 *
 * Sockets use NETLINK_EXT_ACK, NETLINK_CAP_ACK and a large receive buffer
 * (SO_RCVBUFFORCE) so thousands of ACKs never overflow it.
 */
#ifndef NSLAB_NL_H
#define NSLAB_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct nl;

enum {
	NL_F_GONE_OK = 1 << 0,
	NL_F_EXIST_OK = 1 << 1,
	/* EAFNOSUPPORT is success too: settings of a family the kernel may
	 * lack (IPv6 switched off at boot). */
	NL_F_AFNOSUPPORT_OK = 1 << 2,
};

/* Open in the calling thread's current network namespace. */
int nl_open(struct nl **out);
/* Open in the namespace that nsfd refers to; the caller stays where it was. */
int nl_open_netns(int nsfd, struct nl **out);
void nl_close(struct nl *nl);

/* Start a request: a netlink header with type and flags (NLM_F_REQUEST and
 * NLM_F_ACK are added), a family header of hdrlen bytes zeroed, ready for
 * mnl_attr_put*(). The message stays valid until the next nl_req_begin or
 * flush. label is copied. NULL on -ENOMEM (the failure is remembered and
 * returned by the next flush). */
struct nlmsghdr *nl_req_begin(struct nl *nl, uint16_t type, uint16_t flags,
			      size_t hdrlen, unsigned nl_flags, const char *label);
/* Room for attributes in the current request (for mnl_attr_put_check). */
size_t nl_req_room(const struct nl *nl);

/* Make room for at least room bytes in the current request, counted from
 * its header (for requests larger than the usual few KiB, such as long
 * VLAN lists). Returns the request, which may have moved, or NULL on
 * -ENOMEM (remembered like nl_req_begin's). */
struct nlmsghdr *nl_req_grow(struct nl *nl, size_t room);

/* Number of requests queued and not yet answered. */
size_t nl_pending(const struct nl *nl);

/* Send everything queued and wait for every answer. 0 or the first -errno. */
int nl_flush(struct nl *nl);
/* The two halves of nl_flush, to overlap many sockets: send on all, then
 * wait on all. nl_send may itself wait for answers when the batch is larger
 * than one sendmsg can carry. */
int nl_send(struct nl *nl);
int nl_wait(struct nl *nl);
/* Flush n sockets concurrently (send all, then wait all). First -errno. */
int nl_flush_many(struct nl **nls, size_t n);
/* Failed requests seen since the socket was opened. */
size_t nl_failures(const struct nl *nl);

/* One synchronous request with a reply handler (gets, dumps). cb is called
 * for each answer message; return MNL_CB_OK to go on. Anything queued is
 * flushed first (if that flush fails, its error is returned and the query
 * is not sent). NLM_F_DUMP_INTR makes the dump restart (up to 5 times),
 * because a dump that raced with a change may miss entries. */
int nl_query(struct nl *nl, struct nlmsghdr *req,
	     int (*cb)(const struct nlmsghdr *nlh, void *arg), void *arg);
/* nl_query with the words its failure is reported under (errmsg: "LABEL:
 * REASON (kernel: EXTACK)"). req may be a caller's buffer or the request
 * just started with nl_req_begin (it is then taken off the queue). cb only
 * ever sees a complete answer: a dump is read whole before cb runs, so a
 * restarted dump never shows cb an entry twice. A negative cb value stops
 * and is returned; MNL_CB_STOP stops with 0. */
int nl_query_label(struct nl *nl, struct nlmsghdr *req, const char *label,
		   int (*cb)(const struct nlmsghdr *nlh, void *arg), void *arg);

/* Parse an NLMSG_ERROR message (an ACK): *error is 0 or -errno, *extack
 * (if not NULL) the kernel's NLMSGERR_ATTR_MSG text or NULL; pointers into
 * nlh. -EPROTO if nlh is not a well-formed ACK. Exposed for the fuzzer. */
int nl_ack_parse(const struct nlmsghdr *nlh, int *error, const char **extack);

#endif
