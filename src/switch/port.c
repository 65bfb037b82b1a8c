// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/util.h"

size_t port_ring_bytes(unsigned nports)
{
	size_t per = PORT_RING_TOTAL / (nports ? nports : 1), p2 = PORT_RING_MIN;

	if (per > PORT_RING_MAX)
		per = PORT_RING_MAX;
	/* Round down to a power of two so the kernel's block allocations
	 * (whole page orders) waste nothing. */
	while (p2 * 2 <= per)
		p2 *= 2;
	return p2;
}

static int ifreq_ioctl(int fd, unsigned long req, const char *name, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	memcpy(ifr->ifr_name, name, strnlen(name, IFNAMSIZ - 1));
	return ioctl(fd, req, ifr) ? -errno : 0;
}

static int setopt(int fd, int level, int name, const void *val, socklen_t len, const char *what)
{
	if (setsockopt(fd, level, name, val, len))
		return err_set(-errno, "%s", what);
	return 0;
}

static int port_setup_ring(struct port *p, size_t ring_bytes)
{
	struct tpacket_req req;
	size_t block = ring_bytes < PORT_BLOCK_MAX ? ring_bytes : PORT_BLOCK_MAX;
	int v = TPACKET_V2, one = 1, rcvbuf = PORT_RCVBUF, rc;

	/* The vnet header and the version must be set before the ring
	 * (packet_setsockopt refuses both once a ring exists). */
	rc = setopt(p->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one), "PACKET_VNET_HDR");
	if (rc)
		return rc;
	rc = setopt(p->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v), "PACKET_VERSION");
	if (rc)
		return rc;
	req.tp_block_size = (unsigned)block;
	req.tp_block_nr = (unsigned)(ring_bytes / block);
	req.tp_frame_size = PORT_FRAME_SIZE;
	req.tp_frame_nr = (unsigned)(ring_bytes / PORT_FRAME_SIZE);
	/* Frames over a slot are queued whole on the socket too (see
	 * port.h); the queue needs room for a burst of them. */
	rc = setopt(p->fd, SOL_PACKET, PACKET_COPY_THRESH, &one, sizeof(one), "PACKET_COPY_THRESH");
	if (rc)
		return rc;
	if (setsockopt(p->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	rc = setopt(p->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req), "PACKET_RX_RING");
	if (rc)
		return rc;
	p->ring_len = ring_bytes;
	p->frame_nr = req.tp_frame_nr;
	p->ring = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, p->fd, 0);
	if (p->ring == MAP_FAILED) {
		p->ring = NULL;
		return err_set(-errno, "mapping the receive ring");
	}
	return 0;
}

static const char *hwtype_name(unsigned short t)
{
	switch (t) {
	case ARPHRD_LOOPBACK:
		return "loopback";
	case ARPHRD_NONE:
		return "no link layer: a tun device, wireguard?";
	case ARPHRD_IPGRE:
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
		return "an IP tunnel";
	default:
		return "another link layer";
	}
}

int port_open(struct port **out, const char *name, size_t ring_bytes)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	struct ifreq ifr;
	struct port *p;
	int one = 1, sndbuf = PORT_SNDBUF, rc;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return err_set(-ENOMEM, "%s", name);
	p->fd = -1;
	p->txfd = -1;
	rc = str_copy(p->name, sizeof(p->name), name);
	if (rc) {
		err_set(rc, "interface name");
		goto fail;
	}
	/* Protocol 0: nothing is received until bind() names the interface. */
	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->fd < 0) {
		rc = err_set(-errno, "AF_PACKET socket");
		goto fail;
	}
	rc = ifreq_ioctl(p->fd, SIOCGIFINDEX, name, &ifr);
	if (rc) {
		err_set(rc, "interface");
		goto fail;
	}
	p->ifindex = ifr.ifr_ifindex;
	rc = ifreq_ioctl(p->fd, SIOCGIFHWADDR, name, &ifr);
	if (rc) {
		err_set(rc, "hardware address");
		goto fail;
	}
	/* The switch reads and writes Ethernet frames: on loopback, a tunnel
	 * or a wireguard interface its frames would be nonsense. */
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		rc = err_msg(-EINVAL, "not an Ethernet interface (%s)",
			     hwtype_name(ifr.ifr_hwaddr.sa_family));
		goto fail;
	}
	memcpy(p->mac, ifr.ifr_hwaddr.sa_data, 6);
	rc = port_setup_ring(p, ring_bytes);
	if (rc)
		goto fail;
	rc = setopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one),
		    "PACKET_IGNORE_OUTGOING");
	if (rc)
		goto fail;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = p->ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		rc = err_set(-errno, "binding to the interface");
		goto fail;
	}
	p->txfd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->txfd < 0) {
		rc = err_set(-errno, "AF_PACKET socket");
		goto fail;
	}
	rc = setopt(p->txfd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one), "PACKET_VNET_HDR");
	if (rc)
		goto fail;
	/* Frames queue as skbs charged to this socket until the peer's stack
	 * takes them; a larger budget than the default keeps a burst of GSO
	 * frames from failing with EAGAIN. FORCE needs CAP_NET_ADMIN; the
	 * plain option is capped by wmem_max but still helps. */
	if (setsockopt(p->txfd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(p->txfd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	/* Protocol 0: bound to the interface for sending, registered for no
	 * protocol, so it receives nothing. */
	sll.sll_protocol = 0;
	if (bind(p->txfd, (struct sockaddr *)&sll, sizeof(sll))) {
		rc = err_set(-errno, "binding to the interface");
		goto fail;
	}
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = p->ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	rc = setopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr), "promiscuous mode");
	if (rc)
		goto fail;
	rc = ifreq_ioctl(p->fd, SIOCGIFFLAGS, name, &ifr);
	if (rc == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(p->fd, SIOCSIFFLAGS, &ifr)) {
			rc = err_set(-errno, "bringing the interface up");
			goto fail;
		}
	}
	port_refresh_state(p);
	/* Clear the ENETDOWN a just-raised interface may have left. */
	port_socket_error(p);
	*out = p;
	return 0;
fail:
	err_ctx(rc, "%s", name);
	port_close(p);
	return rc;
}

void port_close(struct port *p)
{
	if (!p)
		return;
	if (p->ring)
		munmap(p->ring, p->ring_len);
	if (p->fd >= 0)
		close(p->fd);
	if (p->txfd >= 0)
		close(p->txfd);
	free(p->kflood_tagged);
	free(p);
}

static struct mmsghdr *tx_slot(struct port *p, unsigned *i)
{
	if (p->tx.n == PORT_BATCH)
		port_tx_flush(p);
	*i = p->tx.n++;
	return &p->tx.msgs[*i];
}

void port_tx_raw(struct port *p, const uint8_t *vnet_and_frame, uint32_t frame_len)
{
	unsigned i;
	struct mmsghdr *m = tx_slot(p, &i);

	p->tx.iov[i][0].iov_base = (void *)vnet_and_frame;
	p->tx.iov[i][0].iov_len = PORT_VNET_LEN + frame_len;
	m->msg_hdr = (struct msghdr){ .msg_iov = p->tx.iov[i], .msg_iovlen = 1 };
	p->tx.lens[i] = frame_len;
}

void port_tx_rewritten(struct port *p, const struct virtio_net_hdr *vnet, const uint8_t *hdr,
		       unsigned hdr_len, const uint8_t *body, uint32_t body_len)
{
	unsigned i;
	struct mmsghdr *m = tx_slot(p, &i);
	uint8_t *s = p->tx.scratch[i];

	memcpy(s, vnet, PORT_VNET_LEN);
	memcpy(s + PORT_VNET_LEN, hdr, hdr_len);
	p->tx.iov[i][0].iov_base = s;
	p->tx.iov[i][0].iov_len = PORT_VNET_LEN + hdr_len;
	p->tx.iov[i][1].iov_base = (void *)body;
	p->tx.iov[i][1].iov_len = body_len;
	m->msg_hdr = (struct msghdr){ .msg_iov = p->tx.iov[i], .msg_iovlen = 2 };
	p->tx.lens[i] = hdr_len + body_len;
}

unsigned port_rx_big(struct port *p, uint8_t *const *bufs, uint32_t *lens, unsigned n)
{
	struct mmsghdr msgs[PORT_BIG_MAX];
	struct iovec iov[PORT_BIG_MAX];
	int r;

	if (n > PORT_BIG_MAX)
		n = PORT_BIG_MAX;
	for (unsigned i = 0; i < n; i++) {
		iov[i] = (struct iovec){ bufs[i], PORT_BIG_SIZE };
		msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
		lens[i] = 0;
	}
	do
		r = recvmmsg(p->fd, msgs, n, MSG_DONTWAIT, NULL);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return 0;
	for (int i = 0; i < r; i++)
		if (!(msgs[i].msg_hdr.msg_flags & MSG_TRUNC))
			lens[i] = msgs[i].msg_len;
	return (unsigned)r;
}

void port_tx_flush(struct port *p)
{
	unsigned i = 0, n = p->tx.n;

	p->tx.n = 0;
	while (i < n) {
		int r = sendmmsg(p->txfd, &p->tx.msgs[i], n - i, MSG_DONTWAIT);

		if (r > 0) {
			for (int k = 0; k < r; k++)
				p->st.tx_bytes += p->tx.lens[i + (unsigned)k];
			p->st.tx_packets += (unsigned)r;
			i += (unsigned)r;
			continue;
		}
		/* sendmmsg stops at the first failing message: count it and
		 * go on with the rest. */
		switch (errno) {
		case EINTR:
			continue;
		case EAGAIN:
		case ENOBUFS:
			p->st.drops[DROP_TX_BUSY]++;
			i++;
			break;
		case ENXIO:
		case ENETDOWN:
		case ENODEV:
			p->tx_errno = errno;
			p->st.drops[DROP_TX_DOWN] += n - i;
			i = n;
			break;
		default:
			p->st.tx_errors++;
			i++;
			break;
		}
	}
}

void port_poll_kernel_drops(struct port *p)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (p->fd >= 0 && !getsockopt(p->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		p->st.drops[DROP_RING_FULL] += st.tp_drops;
}

int port_socket_error(struct port *p)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -errno;
	return -err;
}

bool port_exists(const struct port *p)
{
	char name[IFNAMSIZ];

	return if_indextoname((unsigned)p->ifindex, name) && !strcmp(name, p->name);
}

void port_refresh_state(struct port *p)
{
	struct ifreq ifr;

	if (!port_exists(p)) {
		p->state = PORT_GONE;
		return;
	}
	if (ifreq_ioctl(p->fd, SIOCGIFFLAGS, p->name, &ifr))
		return;
	/* IFF_RUNNING is the operational state: carrier, for a veth its
	 * peer being up. */
	if (!(ifr.ifr_flags & IFF_UP))
		p->state = PORT_DOWN;
	else
		p->state = (ifr.ifr_flags & IFF_RUNNING) ? PORT_UP : PORT_NO_CARRIER;
}

const char *port_state_name(enum port_state s)
{
	switch (s) {
	case PORT_UP:
		return "up";
	case PORT_DOWN:
		return "down";
	case PORT_NO_CARRIER:
		return "no-carrier";
	case PORT_GONE:
		break;
	}
	return "gone";
}

struct many {
	struct port_open_req *reqs;
	struct port **ports;
	size_t n, ring_bytes;
	unsigned stride, first;
};

static void *open_worker(void *arg)
{
	struct many *m = arg;

	for (size_t i = m->first; i < m->n; i += m->stride) {
		struct port_open_req *r = &m->reqs[i];

		r->rc = port_open(&r->port, r->name, m->ring_bytes);
		/* err_* is per thread: keep the words with the result. */
		if (r->rc)
			snprintf(r->err, sizeof(r->err), "%s", err_text(r->rc));
	}
	return NULL;
}

static void *close_worker(void *arg)
{
	struct many *m = arg;

	for (size_t i = m->first; i < m->n; i += m->stride)
		port_close(m->ports[i]);
	return NULL;
}

/* Run fn over [0, n) with up to PORT_OPEN_THREADS threads, or inline when
 * there is little to do or threads cannot be made. */
static void run_many(void *(*fn)(void *), struct many *base)
{
	struct many parts[PORT_OPEN_THREADS];
	pthread_t tids[PORT_OPEN_THREADS];
	bool started[PORT_OPEN_THREADS] = { false };
	unsigned nt = base->n < PORT_OPEN_THREADS ? (unsigned)base->n : PORT_OPEN_THREADS;

	if (nt <= 1) {
		base->stride = 1;
		base->first = 0;
		fn(base);
		return;
	}
	for (unsigned t = 0; t < nt; t++) {
		parts[t] = *base;
		parts[t].stride = nt;
		parts[t].first = t;
		started[t] = pthread_create(&tids[t], NULL, fn, &parts[t]) == 0;
	}
	for (unsigned t = 0; t < nt; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		else
			fn(&parts[t]);
	}
}

int port_open_many(struct port_open_req *reqs, size_t n, size_t ring_bytes)
{
	struct many m = { .reqs = reqs, .n = n, .ring_bytes = ring_bytes };

	for (size_t i = 0; i < n; i++) {
		reqs[i].port = NULL;
		reqs[i].rc = 0;
		reqs[i].err[0] = '\0';
	}
	run_many(open_worker, &m);
	for (size_t i = 0; i < n; i++)
		if (reqs[i].rc)
			return err_msg(reqs[i].rc, "%s", reqs[i].err);
	return 0;
}

void port_close_many(struct port **ports, size_t n)
{
	struct many m = { .ports = ports, .n = n };

	run_many(close_worker, &m);
}
