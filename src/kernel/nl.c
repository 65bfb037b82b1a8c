// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtnetlink sockets with batching (see nl.h for the contract).
 *
 * How a batch moves. Requests are appended to one buffer per socket and sent
 * with as few sendto(2) calls as the kernel allows: netlink_sendmsg() refuses
 * a datagram larger than the socket's sk_sndbuf - 32, and hands the whole
 * datagram to rtnetlink_rcv() in the sender's own context, which runs every
 * message in order and queues one ACK per message (NLM_F_ACK) on our receive
 * queue before sendto returns. An ACK costs its skb's truesize (about 700
 * bytes, more with extended-ACK text) against sk_rcvbuf; when the queue is
 * full the kernel drops the ACK and flags the socket with ENOBUFS. So the
 * receive buffer is raised with SO_RCVBUFFORCE and the number of requests in
 * flight is capped to what it holds; a larger batch is sent in chunks with
 * the ACKs of earlier chunks read in between. ACKs are read with recvmmsg(2),
 * many per call, and matched to requests by sequence number.
 *
 * Because processing is synchronous, every ACK of a chunk is queued when
 * sendto returns: a lost one (ENOBUFS) can be told from a late one, and the
 * rest of a batch is never waited for in vain.
 */
#include "kernel/nl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>

#include "common/errmsg.h"
#include "common/util.h"
#include "kernel/nlattr.h"

/* SO_RCVBUFFORCE value; the kernel doubles it (socket(7)). */
#define NL_RCVBUF (4u << 20)
/* What one ACK is allowed to cost against sk_rcvbuf, with margin for the
 * extended-ACK text of an error. */
#define NL_ACK_COST 2048u
/* Largest datagram we send: big enough that syscalls do not matter. */
#define NL_CHUNK_MAX (256u << 10)
/* Room guaranteed behind a new request's header for its attributes. */
#define NL_REQ_ROOM 4096u
/* ACKs read per recvmmsg(2), and the room for each (NETLINK_CAP_ACK keeps
 * an ACK to the error, the request's header and the extended-ACK TLVs). */
#define NL_RX_BATCH 32
#define NL_RX_SLOT 1024
/* A dump datagram is at most 32 KiB (netlink_dump's max_recvmsg_len cap). */
#define NL_DUMP_BUF (64u << 10)
/* How long to wait for an answer the kernel should already have queued. */
#define NL_TIMEOUT_MS 30000
#define NL_DUMP_RETRIES 5
/* A shrunk buffer is freed again once a flush leaves it bigger than this. */
#define NL_BUF_KEEP (256u << 10)

struct nl_req {
	uint32_t label;     /* offset in nl->labels */
	uint16_t flags;     /* NL_F_* */
	uint8_t done;
};

struct nl {
	struct mnl_socket *sock;
	int fd;
	uint32_t seq_next;  /* sequence number of the next request */
	uint32_t seq_base;  /* sequence number of reqs[0] */

	char *buf;          /* queued messages */
	size_t cap, len;    /* len: end of the closed messages */
	size_t cur;         /* offset of the open (current) message */
	bool open;
	size_t sent_off;    /* bytes of buf already sent */

	struct nl_req *reqs;
	size_t nreqs, reqs_cap;
	size_t nsent;       /* reqs[0..nsent) have been sent */
	size_t nanswered;
	size_t inflight;    /* sent and not answered */

	char *labels;
	size_t labels_len, labels_cap;

	size_t max_inflight, max_chunk;
	size_t failures;
	int oom;            /* nl_req_begin failed: reported by the next flush */

	/* The first failure since it was last reported. */
	int first_rc;
	char first_label[512];
	char first_extack[256];
};

static const struct sockaddr_nl nl_kernel = { .nl_family = AF_NETLINK };

static void nl_setsockopt(int fd, int level, int opt, int val)
{
	/* Each of these only improves on the defaults (extended ACK text,
	 * short ACKs, strict dump checks); an older kernel without one still
	 * works, so failures are ignored. */
	(void)setsockopt(fd, level, opt, &val, sizeof(val));
}

int nl_open(struct nl **out)
{
	struct nl *nl;
	socklen_t sl;
	int v;

	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock) {
		int rc = -errno;

		free(nl);
		return err_set(rc, "opening an rtnetlink socket");
	}
	nl->fd = mnl_socket_get_fd(nl->sock);
	/* No bind(2): the first sendto autobinds a port id, and answers are
	 * matched by sequence number. That saves two syscalls per socket,
	 * which counts with a thousand namespaces. */
	v = NL_RCVBUF;
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) == 0) {
		v = (int)NL_RCVBUF * 2;
	} else {
		/* Without CAP_NET_ADMIN: whatever rmem_max allows. */
		v = (int)NL_RCVBUF;
		(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
		sl = sizeof(v);
		if (getsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &v, &sl))
			v = 212992;
	}
	nl->max_inflight = (size_t)v / NL_ACK_COST;
	if (nl->max_inflight < 16)
		nl->max_inflight = 16;
	nl_setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
	nl_setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
	nl_setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
	/* netlink_sendmsg: a datagram may not exceed sk_sndbuf - 32. The
	 * default (net.core.wmem_default) is global, so ask once. */
	static int sndbuf;
	if (!sndbuf) {
		sl = sizeof(v);
		sndbuf = getsockopt(nl->fd, SOL_SOCKET, SO_SNDBUF, &v, &sl) == 0 ? v : 65536;
	}
	nl->max_chunk = (size_t)sndbuf > 4096 ? (size_t)sndbuf - 64 : 4096;
	if (nl->max_chunk > NL_CHUNK_MAX)
		nl->max_chunk = NL_CHUNK_MAX;
	nl->seq_next = nl->seq_base = (uint32_t)time_mono_ns();
	*out = nl;
	return 0;
}

int nl_open_netns(int nsfd, struct nl **out)
{
	int self, rc, rc2;

	*out = NULL;
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return err_set(-errno, "opening /proc/thread-self/ns/net");
	if (setns(nsfd, CLONE_NEWNET)) {
		rc = -errno;
		close(self);
		return err_set(rc, "entering a network namespace");
	}
	rc = nl_open(out);
	/* Back home whatever happened: a thread left in the wrong namespace
	 * would make every later step act on the wrong network. */
	if (setns(self, CLONE_NEWNET)) {
		rc2 = -errno;
		nl_close(*out);
		*out = NULL;
		close(self);
		return err_set(rc2, "returning to the original network namespace");
	}
	close(self);
	return rc;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl->reqs);
	free(nl->labels);
	free(nl);
}

/* --- queueing -------------------------------------------------------- */

static void nl_close_current(struct nl *nl)
{
	const struct nlmsghdr *nlh;

	if (!nl->open)
		return;
	nlh = (const struct nlmsghdr *)(nl->buf + nl->cur);
	nl->len = nl->cur + MNL_ALIGN(nlh->nlmsg_len);
	nl->open = false;
}

static int grow(char **buf, size_t *cap, size_t need)
{
	return array_reserve(buf, cap, need, 1);
}

static void nl_note_failure(struct nl *nl, int rc, const char *label, const char *extack)
{
	nl->failures++;
	if (nl->first_rc)
		return;
	nl->first_rc = rc;
	snprintf(nl->first_label, sizeof(nl->first_label), "%s",
		 label && label[0] ? label : "netlink request");
	snprintf(nl->first_extack, sizeof(nl->first_extack), "%s", extack ? extack : "");
}

struct nlmsghdr *nl_req_begin(struct nl *nl, uint16_t type, uint16_t flags, size_t hdrlen,
			      unsigned nl_flags, const char *label)
{
	size_t llen = strlen(label ? label : "") + 1;
	struct nlmsghdr *nlh;

	nl_close_current(nl);
	if (grow(&nl->buf, &nl->cap, nl->len + MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen) + NL_REQ_ROOM) ||
	    array_reserve(&nl->reqs, &nl->reqs_cap, nl->nreqs + 1, sizeof(*nl->reqs)) ||
	    grow(&nl->labels, &nl->labels_cap, nl->labels_len + llen)) {
		if (!nl->oom) {
			nl->oom = -ENOMEM;
			nl_note_failure(nl, -ENOMEM, label, NULL);
		}
		return NULL;
	}
	if (nl->nreqs == 0)
		nl->seq_base = nl->seq_next;
	memcpy(nl->labels + nl->labels_len, label ? label : "", llen);
	nl->reqs[nl->nreqs++] = (struct nl_req){ .label = (uint32_t)nl->labels_len, .flags = (uint16_t)nl_flags };
	nl->labels_len += llen;

	nlh = mnl_nlmsg_put_header(nl->buf + nl->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags | NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nl->seq_next++;
	if (hdrlen)
		mnl_nlmsg_put_extra_header(nlh, hdrlen);
	nl->cur = nl->len;
	nl->open = true;
	return nlh;
}

size_t nl_req_room(const struct nl *nl)
{
	return nl->open ? nl->cap - nl->cur : 0;
}

struct nlmsghdr *nl_req_grow(struct nl *nl, size_t room)
{
	if (!nl->open)
		return NULL;
	if (grow(&nl->buf, &nl->cap, nl->cur + room)) {
		if (!nl->oom) {
			nl->oom = -ENOMEM;
			nl_note_failure(nl, -ENOMEM, nl->labels + nl->reqs[nl->nreqs - 1].label, NULL);
		}
		return NULL;
	}
	return (struct nlmsghdr *)(nl->buf + nl->cur);
}

size_t nl_pending(const struct nl *nl)
{
	return nl->nreqs - nl->nanswered;
}

size_t nl_failures(const struct nl *nl)
{
	return nl->failures;
}

/* Everything answered: start the buffers over. */
static void nl_reset_if_done(struct nl *nl)
{
	if (nl->open || nl->nanswered != nl->nreqs || nl->sent_off != nl->len)
		return;
	nl->len = nl->cur = nl->sent_off = 0;
	nl->nreqs = nl->nsent = nl->nanswered = nl->inflight = 0;
	nl->labels_len = 0;
	nl->seq_base = nl->seq_next;
	if (nl->cap > NL_BUF_KEEP) {
		free(nl->buf);
		nl->buf = NULL;
		nl->cap = 0;
	}
}

/* --- answers --------------------------------------------------------- */

struct ack_ctx {
	const char *msg;
};

static int ack_attr_cb(const struct nlattr *a, void *data)
{
	struct ack_ctx *c = data;

	if (mnl_attr_type_valid(a, NLMSGERR_ATTR_MAX) < 0)
		return MNL_CB_OK;
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		c->msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

int nl_ack_parse(const struct nlmsghdr *nlh, int *error, const char **extack)
{
	const struct nlmsgerr *e;
	struct ack_ctx c = { NULL };
	size_t off;

	*error = 0;
	if (extack)
		*extack = NULL;
	if (nlh->nlmsg_len < NLMSG_HDRLEN ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nlmsgerr))
		return -EPROTO;
	e = mnl_nlmsg_get_payload(nlh);
	/* The kernel sends -errno; anything else is not an answer we know. */
	if (e->error > 0 || e->error < -4095)
		return -EPROTO;
	*error = e->error;
	if (!extack || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* The TLVs follow the echoed request: its header only with
	 * NETLINK_CAP_ACK (NLM_F_CAPPED), else the whole request. */
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return 0;
		off += MNL_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (off >= mnl_nlmsg_get_payload_len(nlh))
		return 0;
	nlattr_parse_after(nlh, off, ack_attr_cb, &c);
	*extack = c.msg;
	return 0;
}

static bool gone_errno(int e)
{
	return e == -ENOENT || e == -ENODEV || e == -ESRCH || e == -EADDRNOTAVAIL || e == -ENXIO;
}

static void nl_answer(struct nl *nl, const struct nlmsghdr *nlh)
{
	const char *extack;
	struct nl_req *r;
	uint32_t idx;
	int error;

	if (nlh->nlmsg_type != NLMSG_ERROR)
		return;     /* not an ACK: nothing of a batch asks for more */
	idx = nlh->nlmsg_seq - nl->seq_base;
	if (idx >= nl->nsent)
		return;     /* stale, e.g. from an abandoned query */
	r = &nl->reqs[idx];
	if (r->done)
		return;
	r->done = 1;
	nl->nanswered++;
	nl->inflight--;
	if (nl_ack_parse(nlh, &error, &extack))
		error = -EPROTO;
	if (!error)
		return;
	if ((r->flags & NL_F_GONE_OK) && gone_errno(error))
		return;
	if ((r->flags & NL_F_EXIST_OK) && error == -EEXIST)
		return;
	if ((r->flags & NL_F_AFNOSUPPORT_OK) && error == -EAFNOSUPPORT)
		return;
	nl_note_failure(nl, error, nl->labels + r->label, extack);
}

/* Every request in flight failed with rc (their ACKs will never come). */
static void nl_fail_inflight(struct nl *nl, int rc)
{
	for (size_t i = 0; i < nl->nsent; i++) {
		if (nl->reqs[i].done)
			continue;
		nl->reqs[i].done = 1;
		nl->nanswered++;
		nl_note_failure(nl, rc, nl->labels + nl->reqs[i].label, NULL);
	}
	nl->inflight = 0;
}

static int nl_poll_in(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, NL_TIMEOUT_MS);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == 0 ? -ETIMEDOUT : 0;
}

/* Read ACKs until no more than target requests are in flight. */
static void nl_read_acks(struct nl *nl, size_t target)
{
	char bufs[NL_RX_BATCH][NL_RX_SLOT] __attribute__((aligned(8)));
	struct mmsghdr msgs[NL_RX_BATCH];
	struct iovec iov[NL_RX_BATCH];
	bool overrun = false;

	while (nl->inflight > target) {
		int n;

		for (int i = 0; i < NL_RX_BATCH; i++) {
			iov[i] = (struct iovec){ bufs[i], NL_RX_SLOT };
			msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		n = recvmmsg(nl->fd, msgs, NL_RX_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			int rc = -errno;

			if (rc == -EINTR)
				continue;
			if (rc == -ENOBUFS) {
				/* ACKs were dropped; those still queued are read
				 * on, the missing ones fail below. */
				overrun = true;
				continue;
			}
			if (rc == -EAGAIN && !overrun) {
				rc = nl_poll_in(nl->fd);
				if (rc == 0)
					continue;
			} else if (rc == -EAGAIN) {
				rc = -ENOBUFS;
			}
			nl_fail_inflight(nl, rc);
			return;
		}
		for (int i = 0; i < n; i++) {
			const struct nlmsghdr *nlh = (const void *)bufs[i];
			size_t len = msgs[i].msg_len;

			if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
				/* Keep what fits: the error code is first. */
				if (len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr) &&
				    nlh->nlmsg_len > len) {
					struct nlmsghdr *w = (void *)bufs[i];

					w->nlmsg_len = (uint32_t)len;
					w->nlmsg_flags &= (uint16_t)~NLM_F_ACK_TLVS;
				}
			}
			for (; nlattr_msg_ok(nlh, len); nlh = nlattr_msg_next(nlh, &len))
				nl_answer(nl, nlh);
		}
	}
}

/* --- sending --------------------------------------------------------- */

int nl_send(struct nl *nl)
{
	nl_close_current(nl);
	while (nl->sent_off < nl->len) {
		size_t off = nl->sent_off, count = 0;
		ssize_t n;

		if (nl->inflight >= nl->max_inflight)
			nl_read_acks(nl, nl->max_inflight / 2);
		while (off < nl->len && nl->inflight + count < nl->max_inflight) {
			const struct nlmsghdr *nlh = (const void *)(nl->buf + off);
			size_t mlen = MNL_ALIGN(nlh->nlmsg_len);

			if (count && off - nl->sent_off + mlen > nl->max_chunk)
				break;
			off += mlen;
			count++;
		}
		do
			n = sendto(nl->fd, nl->buf + nl->sent_off, off - nl->sent_off, 0,
				   (const struct sockaddr *)&nl_kernel, sizeof(nl_kernel));
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			int rc = -errno;

			/* Nothing of this datagram reached rtnetlink (sendto
			 * fails before delivery), and the rest is not sent
			 * either: fail them, but keep waiting for the ACKs of
			 * earlier datagrams. */
			for (size_t i = nl->nsent; i < nl->nreqs; i++) {
				nl->reqs[i].done = 1;
				nl->nanswered++;
				nl_note_failure(nl, rc, nl->labels + nl->reqs[i].label, NULL);
			}
			nl->nsent = nl->nreqs;
			nl->sent_off = nl->len;
			return rc;
		}
		nl->nsent += count;
		nl->inflight += count;
		nl->sent_off = off;
	}
	return 0;
}

/* Wait for every answer; the failure stays recorded in nl. */
static int nl_wait_quiet(struct nl *nl)
{
	int rc = nl_send(nl);

	nl_read_acks(nl, 0);
	nl_reset_if_done(nl);
	if (nl->oom && !nl->first_rc)
		nl->first_rc = nl->oom;
	nl->oom = 0;
	return rc ? rc : nl->first_rc;
}

/* Move nl's first failure into errmsg, and forget it. */
static int nl_report(struct nl *nl)
{
	int rc = nl->first_rc;

	if (!rc)
		return 0;
	err_set(rc, "%s", nl->first_label);
	if (nl->first_extack[0])
		err_extack(nl->first_extack);
	nl->first_rc = 0;
	return rc;
}

int nl_wait(struct nl *nl)
{
	nl_wait_quiet(nl);
	return nl_report(nl);
}

int nl_flush(struct nl *nl)
{
	return nl_wait(nl);
}

int nl_flush_many(struct nl **nls, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (nls[i])
			nl_send(nls[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (nls[i])
			nl_wait_quiet(nls[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (!nls[i])
			continue;
		if (!rc)
			rc = nl_report(nls[i]);
		else
			nls[i]->first_rc = 0;
	}
	return rc;
}

/* --- synchronous queries --------------------------------------------- */

struct rx_chunk {
	char *data;
	size_t len;
};

static void chunks_free(struct rx_chunk *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].data);
	free(c);
}

/* Receive the whole answer to the request with sequence seq into chunks.
 * *intr is set if the kernel flagged the dump inconsistent. On an error
 * answer, returns it with *extack copied into ext. */
static int nl_recv_answer(struct nl *nl, uint32_t seq, struct rx_chunk **out, size_t *nout,
			  bool *intr, char *ext, size_t extlen)
{
	struct rx_chunk *c = NULL;
	size_t n = 0, cap = 0;
	bool done = false;
	int rc = 0;

	*intr = false;
	while (!done) {
		char *data = malloc(NL_DUMP_BUF);
		const struct nlmsghdr *nlh;
		ssize_t got;
		size_t len;

		if (!data) {
			rc = -ENOMEM;
			break;
		}
		got = recv(nl->fd, data, NL_DUMP_BUF, MSG_DONTWAIT);
		if (got < 0) {
			rc = -errno;
			free(data);
			if (rc == -EINTR)
				continue;
			if (rc == -EAGAIN) {
				rc = nl_poll_in(nl->fd);
				if (rc == 0)
					continue;
			}
			break;
		}
		len = (size_t)got;
		for (nlh = (const void *)data; nlattr_msg_ok(nlh, len); nlh = nlattr_msg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
				const char *extack = NULL;
				int error = 0;

				done = true;
				if (nlh->nlmsg_type == NLMSG_ERROR) {
					if (nl_ack_parse(nlh, &error, &extack))
						error = -EPROTO;
				} else if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
					/* NLMSG_DONE carries the dump's status. */
					memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(int));
					if (error > 0 || error < -4095)
						error = -EPROTO;
				}
				if (error) {
					rc = error;
					snprintf(ext, extlen, "%s", extack ? extack : "");
				}
				break;
			}
		}
		if (array_reserve(&c, &cap, n + 1, sizeof(*c))) {
			free(data);
			rc = -ENOMEM;
			break;
		}
		c[n].data = data;
		c[n].len = (size_t)got;
		n++;
	}
	if (rc) {
		chunks_free(c, n);
		return rc;
	}
	*out = c;
	*nout = n;
	return 0;
}

/* If req is the open request of nl's own queue, take it off the queue (into
 * copy) so that the flush before the query does not send it as a batch. */
static struct nlmsghdr *nl_unqueue(struct nl *nl, struct nlmsghdr *req, char **copy)
{
	*copy = NULL;
	if (!nl->open || (char *)req != nl->buf + nl->cur)
		return req;
	*copy = malloc(req->nlmsg_len);
	if (!*copy)
		return NULL;
	memcpy(*copy, req, req->nlmsg_len);
	nl->open = false;
	nl->nreqs--;
	nl->seq_next--;
	nl->labels_len = nl->reqs[nl->nreqs].label;
	return (struct nlmsghdr *)*copy;
}

int nl_query_label(struct nl *nl, struct nlmsghdr *req, const char *label,
		   int (*cb)(const struct nlmsghdr *nlh, void *arg), void *arg)
{
	char ext[256] = "", *copy;
	struct rx_chunk *c = NULL;
	size_t n = 0;
	bool intr = true;
	int rc;

	label = label ? label : "netlink query";
	req = nl_unqueue(nl, req, &copy);
	if (!req)
		return err_set(-ENOMEM, "%s", label);
	rc = nl_flush(nl);
	if (rc)
		goto out;
	/* A dump that raced with a change is flagged NLM_F_DUMP_INTR
	 * (netlink(7)) and may have missed or doubled entries: ask again, and
	 * hand cb only a complete, consistent answer. */
	for (int attempt = 0; intr && attempt <= NL_DUMP_RETRIES; attempt++) {
		ssize_t s;

		chunks_free(c, n);
		c = NULL;
		n = 0;
		if (attempt) {
			/* Changes come in bursts: give one a moment to pass. */
			struct timespec ts = { 0, attempt * 2000000L };

			nanosleep(&ts, NULL);
		}
		req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
		req->nlmsg_seq = nl->seq_next++;
		req->nlmsg_pid = 0;
		do
			s = sendto(nl->fd, req, req->nlmsg_len, 0, (const struct sockaddr *)&nl_kernel,
				   sizeof(nl_kernel));
		while (s < 0 && errno == EINTR);
		if (s < 0) {
			rc = err_set(-errno, "%s", label);
			goto out;
		}
		rc = nl_recv_answer(nl, req->nlmsg_seq, &c, &n, &intr, ext, sizeof(ext));
		if (rc) {
			err_set(rc, "%s", label);
			if (ext[0])
				err_extack(ext);
			goto out;
		}
	}
	if (intr) {
		rc = err_set(-EAGAIN, "%s: the dump kept changing", label);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct nlmsghdr *nlh = (const void *)c[i].data;
		size_t len = c[i].len;

		for (; nlattr_msg_ok(nlh, len); nlh = nlattr_msg_next(nlh, &len)) {
			int r;

			if (nlh->nlmsg_seq != req->nlmsg_seq || nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			r = cb(nlh, arg);
			if (r < 0) {
				rc = r;
				goto out;
			}
			if (r == MNL_CB_STOP)
				goto out;
		}
	}
out:
	chunks_free(c, n);
	free(copy);
	return rc;
}

int nl_query(struct nl *nl, struct nlmsghdr *req,
	     int (*cb)(const struct nlmsghdr *nlh, void *arg), void *arg)
{
	return nl_query_label(nl, req, NULL, cb, arg);
}
