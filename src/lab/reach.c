// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reachability engine: ICMP echoes from many namespaces at once, one
 * raw socket per source and family, one epoll for all (design in reach.h).
 *
 * An echo carries, after the 8-byte ICMP header (RFC 792; RFC 4443 §4.1
 * for ICMPv6, the same layout), a payload the target sends back unchanged:
 * the run's cookie, the probe's number and when it was sent. The
 * identifier is the run's too; the sequence number counts the probe's
 * sends, as ping(8) does, so a capture reads naturally.
 */
#include "lab/reach.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <linux/icmp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/util.h"
#include "lab/reach_neigh.h"

#define ICMP4_ECHO_REQUEST 8
#define ICMP4_ECHO_REPLY 0
#define ICMP_HDR_LEN 8
#define EPOLL_BATCH 64
#define ADMIT_BATCH 256 /* probes started between two looks at the sockets */

struct reach_payload {
	uint64_t cookie;
	uint32_t index;
	uint32_t pad;
	uint64_t sent_ns;
};

#define PACKET_LEN (ICMP_HDR_LEN + sizeof(struct reach_payload))

struct rsock {
	int fd;
	size_t src;
	int family;
};

struct reach_run {
	struct reach_probe *probes;
	size_t n_probes;
	int (*fds)[2];          /* per source: [0] IPv4, [1] IPv6; -1 if none */
	size_t n_src;
	struct rsock *socks;
	size_t n_socks;
	int epfd;
	uint64_t cookie;
	uint16_t ident;
	uint64_t timeout_ns;
	struct reach_ntab *ntab;
	size_t *order;          /* the order probes start in */
	size_t n_order;         /* probes in order (all, or the second chances) */
	size_t next;            /* in order: the next to start */
	size_t *active;         /* the probes running */
	size_t n_active;
	size_t *pos;            /* per probe: its place in active */
	unsigned char *state;   /* per probe: PROBE_* */
	uint64_t *deadline;     /* per probe: when it gives up */
	uint64_t *resend;       /* per probe: when it sends again */
};

enum { PROBE_WAITING, PROBE_ACTIVE, PROBE_DONE };

static int fam_slot(int family)
{
	return family == AF_INET6;
}

/* RFC 1071 Internet checksum. ICMPv6's is the kernel's to compute (raw
 * ICMPv6 sockets always checksum, RFC 3542 §3.1). */
static uint16_t inet_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void setbuf_force(int fd, int opt_force, int opt, int size)
{
	/* The FORCE variants pass the net.core.[rw]mem_max cap (CAP_NET_ADMIN). */
	if (setsockopt(fd, SOL_SOCKET, opt_force, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

/* A raw echo socket in the current namespace that sees echo replies only. */
static int open_sock(int family, int *out)
{
	int fd, rc;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	if (family == AF_INET) {
		/* Linux's ICMP_FILTER (raw(7)): a set bit blocks that type. */
		struct icmp_filter f = { .data = ~(1u << ICMP4_ECHO_REPLY) };

		rc = setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	} else {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		rc = setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	if (rc) {
		rc = -errno;
		close(fd);
		return rc;
	}
	setbuf_force(fd, SO_RCVBUFFORCE, SO_RCVBUF, REACH_SOCKBUF);
	setbuf_force(fd, SO_SNDBUFFORCE, SO_SNDBUF, REACH_SOCKBUF);
	*out = fd;
	return 0;
}

/* The sockets of source s, created in the namespace the thread is in. */
static int open_source(struct reach_run *r, size_t s, const bool need[2])
{
	for (int f = 0; f < 2; f++) {
		int family = f ? AF_INET6 : AF_INET, fd = -1, rc;
		struct epoll_event ev = { .events = EPOLLIN };

		if (!need[f])
			continue;
		rc = open_sock(family, &fd);
		if (rc == -EAFNOSUPPORT)
			continue; /* IPv6 off in this kernel: those probes fail to send */
		if (rc)
			return err_set(rc, "opening a raw %s socket", f ? "ICMPv6" : "ICMP");
		r->fds[s][f] = fd;
		r->socks[r->n_socks] = (struct rsock){ fd, s, family };
		ev.data.u64 = r->n_socks++;
		if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev))
			return err_set(-errno, "epoll_ctl");
	}
	return 0;
}

static int open_all(struct reach_run *r, const int *nsfds)
{
	bool (*need)[2] = calloc(r->n_src ? r->n_src : 1, sizeof(*need));
	int saved = -1, rc = 0;

	if (!need)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_probes; i++)
		need[r->probes[i].src][fam_slot(r->probes[i].family)] = true;
	/* Sources in the caller's own namespace first, while we are in it. */
	for (size_t s = 0; !rc && s < r->n_src; s++)
		if (nsfds[s] < 0)
			rc = open_source(r, s, need[s]);
	for (size_t s = 0; !rc && s < r->n_src; s++) {
		if (nsfds[s] < 0 || (!need[s][0] && !need[s][1]))
			continue;
		if (saved < 0) {
			saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
			if (saved < 0) {
				rc = err_set(-errno, "opening /proc/thread-self/ns/net");
				break;
			}
		}
		if (setns(nsfds[s], CLONE_NEWNET)) {
			rc = err_set(-errno, "entering a source's network namespace");
			break;
		}
		rc = open_source(r, s, need[s]);
	}
	if (saved >= 0) {
		/* Failing to return would leave the rest of nslab in a lab's
		 * namespace: nothing sensible can follow. */
		if (setns(saved, CLONE_NEWNET) && !rc)
			rc = err_set(-errno, "returning to the original network namespace");
		close(saved);
	}
	free(need);
	return rc;
}

static void send_probe(struct reach_run *r, size_t i)
{
	struct reach_probe *p = &r->probes[i];
	int fd = r->fds[p->src][fam_slot(p->family)];
	uint8_t pkt[PACKET_LEN];
	struct reach_payload pl = { .cookie = r->cookie, .index = (uint32_t)i,
				    .sent_ns = time_mono_ns() };
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} to;
	uint16_t seq = (uint16_t)(p->sent + 1);
	socklen_t tolen;

	if (fd < 0) {
		p->error = -EAFNOSUPPORT;
		return;
	}
	memset(&to, 0, sizeof(to));
	if (p->family == AF_INET) {
		to.in.sin_family = AF_INET;
		memcpy(&to.in.sin_addr, p->addr, 4);
		tolen = sizeof(to.in);
	} else {
		to.in6.sin6_family = AF_INET6;
		memcpy(&to.in6.sin6_addr, p->addr, 16);
		tolen = sizeof(to.in6);
	}
	pkt[0] = p->family == AF_INET ? ICMP4_ECHO_REQUEST : ICMP6_ECHO_REQUEST;
	pkt[1] = 0;
	pkt[2] = pkt[3] = 0;
	pkt[4] = (uint8_t)(r->ident >> 8);
	pkt[5] = (uint8_t)r->ident;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	memcpy(pkt + ICMP_HDR_LEN, &pl, sizeof(pl));
	if (p->family == AF_INET) {
		uint16_t c = inet_csum(pkt, sizeof(pkt));

		pkt[2] = (uint8_t)(c >> 8);
		pkt[3] = (uint8_t)c;
	}
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, tolen) < 0) {
		/* A full buffer is congestion, not an answer: the resend covers it. */
		if (errno != EAGAIN && errno != ENOBUFS)
			p->error = -errno;
		return;
	}
	p->sent++;
}

/* A received datagram on socket s: the ICMP message at msg (len bytes),
 * from the address in from. Returns the probe it answers, or SIZE_MAX. */
static size_t take_reply(struct reach_run *r, const struct rsock *s, const uint8_t *msg,
			 size_t len, const uint8_t *from, uint64_t now)
{
	struct reach_payload pl;
	struct reach_probe *p;
	uint8_t want = s->family == AF_INET ? ICMP4_ECHO_REPLY : ICMP6_ECHO_REPLY;

	if (len < PACKET_LEN || msg[0] != want || msg[1] != 0 ||
	    (uint16_t)(msg[4] << 8 | msg[5]) != r->ident)
		return SIZE_MAX;
	memcpy(&pl, msg + ICMP_HDR_LEN, sizeof(pl));
	if (pl.cookie != r->cookie || pl.index >= r->n_probes)
		return SIZE_MAX;
	p = &r->probes[pl.index];
	if (p->src != s->src || p->family != s->family || p->reached ||
	    r->state[pl.index] != PROBE_ACTIVE || memcmp(p->addr, from, s->family == AF_INET ? 4 : 16) != 0)
		return SIZE_MAX;
	p->reached = true;
	p->rtt_ns = now > pl.sent_ns ? now - pl.sent_ns : 0;
	p->error = 0;
	return pl.index;
}

/* Take probe i out of the running set. */
static void finish(struct reach_run *r, size_t i)
{
	size_t pos = r->pos[i], last = r->active[--r->n_active];

	r->active[pos] = last;
	r->pos[last] = pos;
	r->state[i] = PROBE_DONE;
	reach_ntab_release(r->ntab, i);
}

static void drain(struct reach_run *r, const struct rsock *s)
{
	uint8_t buf[1500];

	for (;;) {
		union {
			struct sockaddr_in in;
			struct sockaddr_in6 in6;
		} from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		uint64_t now = time_mono_ns();
		size_t i;

		if (n < 0)
			return; /* EAGAIN: drained; anything else: nothing to read */
		if (s->family == AF_INET) {
			/* Raw IPv4 sockets receive the IP header too (raw(7)). */
			size_t ihl;

			if (n < 20 || (buf[0] >> 4) != 4)
				continue;
			ihl = (size_t)(buf[0] & 0x0f) * 4;
			if (ihl < 20 || (size_t)n < ihl)
				continue;
			i = take_reply(r, s, buf + ihl, (size_t)n - ihl,
				       (const uint8_t *)&from.in.sin_addr, now);
		} else {
			i = take_reply(r, s, buf, (size_t)n, (const uint8_t *)&from.in6.sin6_addr, now);
		}
		if (i != SIZE_MAX)
			finish(r, i);
	}
}

static int poll_once(struct reach_run *r, int wait_ms)
{
	struct epoll_event evs[EPOLL_BATCH];
	int ne = epoll_wait(r->epfd, evs, EPOLL_BATCH, wait_ms);

	if (ne < 0)
		return errno == EINTR ? 0 : err_set(-errno, "epoll_wait");
	for (int e = 0; e < ne; e++)
		drain(r, &r->socks[evs[e].data.u64]);
	return 0;
}

/* Start the next probes in order while their neighbour entries fit, at
 * most ADMIT_BATCH at a time so that resends and answers of the running
 * ones are not held up. Returns whether it stopped at that limit. */
static bool admit(struct reach_run *r)
{
	for (size_t k = 0; r->next < r->n_order; k++) {
		size_t i = r->order[r->next];
		uint64_t now;

		if (k == ADMIT_BATCH)
			return true;
		if (!reach_ntab_admit(r->ntab, i))
			break;
		/* Each probe's own clock: one admit() may run for long, as the
		 * answers it reads on the way make room for more probes. */
		now = time_mono_ns();
		r->next++;
		r->state[i] = PROBE_ACTIVE;
		r->deadline[i] = now + r->timeout_ns;
		r->resend[i] = now + (uint64_t)REACH_RETRY_FIRST_MS * 1000000u;
		r->pos[i] = r->n_active;
		r->active[r->n_active++] = i;
		send_probe(r, i);
	}
	return false;
}

/* Resend what is due, end what timed out; the next moment to look again. */
static uint64_t tick(struct reach_run *r, uint64_t now)
{
	uint64_t until = UINT64_MAX;

	for (size_t k = r->n_active; k-- > 0;) {
		size_t i = r->active[k];

		if (now >= r->deadline[i]) {
			finish(r, i);
			continue;
		}
		if (now >= r->resend[i]) {
			reach_ntab_renew(r->ntab, i);
			send_probe(r, i);
			r->resend[i] = now + (uint64_t)REACH_RETRY_MS * 1000000u;
		}
		if (r->resend[i] < until)
			until = r->resend[i];
		if (r->deadline[i] < until)
			until = r->deadline[i];
	}
	return until;
}

static const struct reach_probe *sort_probes;

static int order_cmp(const void *a, const void *b)
{
	const struct reach_probe *p = &sort_probes[*(const size_t *)a], *q = &sort_probes[*(const size_t *)b];
	size_t plo, phi, qlo, qhi;

	reach_ntab_pair(p, &plo, &phi);
	reach_ntab_pair(q, &qlo, &qhi);
	/* By distance first, (1,2), (2,3), ... then (1,3), (2,4), ...: each
	 * window of probes is spread over every host, instead of one host
	 * asking all others at once, which a switch port takes as a burst
	 * of broadcasts. The pair's two probes stay side by side. */
	if (phi - plo != qhi - qlo)
		return phi - plo < qhi - qlo ? -1 : 1;
	if (plo != qlo)
		return plo < qlo ? -1 : 1;
	if (phi != qhi)
		return phi < qhi ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void close_all(struct reach_run *r)
{
	for (size_t i = 0; i < r->n_socks; i++)
		close(r->socks[i].fd);
	if (r->epfd >= 0)
		close(r->epfd);
	reach_ntab_free(r->ntab);
	free(r->socks);
	free(r->fds);
	free(r->order);
	free(r->active);
	free(r->pos);
	free(r->state);
	free(r->deadline);
	free(r->resend);
}

/* Start the probes in r->order and run until each is answered or given up. */
static int run_pass(struct reach_run *r)
{
	bool more = admit(r);
	int rc = 0;

	while (r->n_active || more) {
		uint64_t now, until;

		/* Replies that arrived while this process was busy count, even
		 * if their probe's deadline has passed since. */
		rc = poll_once(r, 0);
		if (rc)
			break;
		now = time_mono_ns();
		until = tick(r, now);
		reach_ntab_tick(r->ntab, now);
		rc = reach_ntab_flush(r->ntab);
		if (rc)
			break;
		more = admit(r);
		if (!r->n_active && !more)
			break;
		if (more || until == UINT64_MAX || until < now)
			until = now;
		rc = poll_once(r, (int)((until - now + 999999) / 1000000));
		if (rc)
			break;
	}
	return rc;
}

int reach_run(const int *nsfds, size_t n_src, struct reach_probe *probes, size_t n_probes,
	      const struct reach_opts *o)
{
	struct reach_run r = { .probes = probes, .n_probes = n_probes, .n_src = n_src, .epfd = -1 };
	unsigned timeout_ms = o && o->timeout_ms ? o->timeout_ms : REACH_TIMEOUT_DEFAULT_MS;
	size_t n = n_probes ? n_probes : 1;
	int rc = 0;

	if (n_probes > UINT32_MAX)
		return err_msg(-E2BIG, "%zu probes are too many", n_probes);
	for (size_t i = 0; i < n_probes; i++) {
		struct reach_probe *p = &probes[i];

		if (p->src >= n_src || (p->family != AF_INET && p->family != AF_INET6))
			return err_msg(-EINVAL, "probe %zu: no such source or family", i);
		p->reached = false;
		p->rtt_ns = 0;
		p->sent = 0;
		p->error = 0;
	}
	if (!n_probes)
		return 0;
	r.timeout_ns = (uint64_t)timeout_ms * 1000000u;
	r.fds = malloc(n_src * sizeof(*r.fds));
	r.socks = calloc(n_src * 2, sizeof(*r.socks));
	r.order = malloc(n * sizeof(*r.order));
	r.active = malloc(n * sizeof(*r.active));
	r.pos = malloc(n * sizeof(*r.pos));
	r.state = calloc(n, sizeof(*r.state));
	r.deadline = malloc(n * sizeof(*r.deadline));
	r.resend = malloc(n * sizeof(*r.resend));
	if (!r.fds || !r.socks || !r.order || !r.active || !r.pos || !r.state || !r.deadline ||
	    !r.resend) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t s = 0; s < n_src; s++)
		r.fds[s][0] = r.fds[s][1] = -1;
	if (getrandom(&r.cookie, sizeof(r.cookie), 0) != sizeof(r.cookie) ||
	    getrandom(&r.ident, sizeof(r.ident), 0) != sizeof(r.ident)) {
		/* No entropy yet: the pid still tells concurrent runs apart. */
		r.cookie = time_mono_ns() ^ (uint64_t)getpid() << 32;
		r.ident = (uint16_t)getpid();
	}
	r.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r.epfd < 0) {
		rc = err_set(-errno, "epoll_create1");
		goto out;
	}
	rc = open_all(&r, nsfds);
	if (!rc)
		rc = reach_ntab_new(nsfds, n_src, probes, n_probes, &r.ntab);
	if (rc)
		goto out;
	for (size_t i = 0; i < n_probes; i++)
		r.order[i] = i;
	if (reach_ntab_windowed(r.ntab)) {
		sort_probes = probes;
		qsort(r.order, n_probes, sizeof(*r.order), order_cmp);
	}

	r.n_order = n_probes;
	rc = run_pass(&r);
	if (!rc && reach_ntab_windowed(r.ntab)) {
		/* A big run can outpace a slow switch (its broadcasts queue
		 * up while the answers return at once): a probe that got no
		 * answer, and no error, has one more chance, alone. */
		r.n_order = 0;
		r.next = 0;
		for (size_t i = 0; i < n_probes; i++) {
			if (probes[i].reached || probes[i].error || r.state[i] != PROBE_DONE)
				continue;
			r.state[i] = PROBE_WAITING;
			r.order[r.n_order++] = i;
		}
		if (r.n_order)
			rc = run_pass(&r);
	}
	if (!rc)
		rc = reach_ntab_sweep(r.ntab);
out:
	close_all(&r);
	return rc;
}
