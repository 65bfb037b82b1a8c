/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A switch port: one network interface (the switch-side end of a veth pair)
 * read through an AF_PACKET TPACKET_V2 receive ring and written with
 * sendmmsg(2), both with PACKET_VNET_HDR so GSO super-frames and partial
 * checksums pass through untouched.
 *
 * Receive: TPACKET_V2, because it hands each frame to user space as soon
 * as it is written (tpacket_rcv sets TP_STATUS_USER and calls
 * sk_data_ready per frame), so an idle switch wakes for a single ping.
 * TPACKET_V3 packs frames into blocks that reach user space only when a
 * block fills or its retire timer (millisecond granularity) fires: better
 * memory use, but milliseconds of latency for sparse traffic. Every ring
 * version accepts the vnet header on this kernel (6.18; checked by
 * setsockopt), so latency decided.
 *
 * V2's slots have one fixed size, and a GSO super-frame is up to 64 KiB:
 * slots that size would make a deep ring cost megabytes per port (and
 * small-packet floods need depth, not size). So slots are small
 * (PORT_FRAME_SIZE: any frame up to a 1500-byte MTU plus tags fits) and
 * the socket has PACKET_COPY_THRESH set: a frame too big for its slot is
 * still written there cut short and flagged TP_STATUS_COPY, and the whole
 * frame (an skb reference, no copy) is queued on the socket's ordinary
 * receive queue, from which recvmmsg(2) reads it, vnet header first, in
 * the same order as the flagged slots.
 *
 * Transmit: sendmmsg(2), not a TX ring, because (1) once a socket has a TX
 * ring, packet_sendmsg() only sends from the ring (tpacket_snd), so every
 * frame would first be copied from the receive ring into a TX slot, with
 * its VLAN tag pushed or popped in the copy; sendmmsg takes an iovec
 * pointing into the receive ring behind a 16-byte rewritten header, and
 * the kernel's one copy into the new skb is all there is; (2) tpacket_snd
 * does not copy: the skb's frags point at the ring's pages and the slot is
 * handed back by the skb destructor (tpacket_destruct_skb), which over
 * veth runs when the receiving namespace's IP layer orphans the skb
 * (ip_rcv_core -> skb_orphan) while its pages may still sit in a socket's
 * receive queue, so slots would be pinned by slow readers or rewritten
 * under them; (3) a TX ring is memory per port that the many-port budget
 * cannot afford. The kernel copies each frame once in both designs.
 *
 * Sending uses a second socket per port, bound to the interface with
 * protocol 0 so it never receives. On the receiving socket, which sits in
 * the event loop's wait queue, every sent skb freed would run
 * sock_def_write_space() and walk that wait queue (one of the costliest
 * lines in a profile of small-packet forwarding); the sending socket has
 * no waiters, so the callback returns at once.
 *
 * The receiving socket ignores outgoing packets (PACKET_IGNORE_OUTGOING),
 * so neither the switch's own transmissions nor anything the kernel sends
 * from the switch-side interface comes back in; and it joins the interface
 * in promiscuous mode (PACKET_MR_PROMISC, dropped when the socket closes).
 */
#ifndef NSLAB_SWITCH_PORT_H
#define NSLAB_SWITCH_PORT_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>

#include "switch/frame.h"
#include "switch/stats.h"
#include "switch/vlan.h"

#define PORT_BATCH 64           /* frames per receive batch and per sendmmsg */
#define PORT_FRAME_SIZE 2048    /* one ring slot: header, vnet header, frame */
#define PORT_BIG_MAX 16         /* frames over a slot per receive batch */
#define PORT_BIG_SIZE (65536 + 64) /* vnet header + the largest GSO frame */
#define PORT_VNET_LEN ((unsigned)sizeof(struct virtio_net_hdr))

/* Receive ring memory per port, adapting to the number of ports: the ring
 * pages are mapped into the daemon, so they are resident memory. */
#define PORT_RING_TOTAL (32u << 20) /* shared by all ports... */
#define PORT_RING_MIN (128u << 10)  /* ...but never below 64 slots */
#define PORT_RING_MAX (1u << 20)    /* ...nor above 512 slots */
#define PORT_RCVBUF (4u << 20)      /* the queue of frames over a slot */
#define PORT_BLOCK_MAX (1u << 20)   /* kernel allocation unit */
#define PORT_SNDBUF (4u << 20)

/* PORT_NO_CARRIER: administratively up, but the link is not (a veth whose
 * peer is down): the kernel drops whatever is sent out of it. */
enum port_state { PORT_UP, PORT_DOWN, PORT_GONE, PORT_NO_CARRIER };

struct port_tx {
	unsigned n;
	struct mmsghdr msgs[PORT_BATCH];
	struct iovec iov[PORT_BATCH][2];
	uint32_t lens[PORT_BATCH]; /* wire length of each frame */
	uint8_t scratch[PORT_BATCH][32] __attribute__((aligned(16)));
};

struct port {
	char name[IFNAMSIZ];
	int ifindex;
	uint8_t mac[6];
	int fd;   /* receives: the ring; in the event loop */
	int txfd; /* sends; never receives (bound with protocol 0) */
	uint16_t index; /* slot in the switch's port table */
	enum port_state state;
	struct vlan_port vlan;
	/* receive ring */
	uint8_t *ring;
	size_t ring_len;
	uint32_t frame_nr, head;
	/* slots [held_start, held_start + held_n) are read but not given back
	 * (pl_rx_batch), and the port is on the switch's list of them */
	uint32_t held_start, held_n;
	bool held_queued;
	/* transmit batch, flushed after each receive batch */
	struct port_tx tx;
	bool tx_queued; /* on the switch's list of ports to flush */
	int tx_errno;   /* last hard send error (ENXIO, ENETDOWN), 0 if none */
	struct port_stats st;
	bool fast; /* hooked to the fast path (fastpath.h) */
	/* the kernel floods its untagged broadcasts (fp_floods_sync) */
	bool kflood;
	/* a trunk's: the VLANs whose tagged broadcasts the kernel floods
	 * (VLAN_WORDS), NULL for none */
	uint64_t *kflood_tagged;
};

/* Opening and closing a packet socket with a ring each wait for an RCU
 * grace period (packet_set_ring and packet_release call synchronize_net),
 * tens of milliseconds apiece on an idle virtual machine; many ports are
 * opened and closed from many threads at once so that the waits share
 * grace periods. (Measured closing 1000 ports, 2000 sockets: 32 threads
 * 1.3 s, 128 threads 0.37 s, 256 threads 0.25 s.) */
#define PORT_OPEN_THREADS 128

struct port_open_req {
	const char *name;
	struct port *port; /* result, or NULL */
	int rc;
	char err[256];     /* the error's text when rc != 0 */
};

/* port_open() for n ports concurrently; each request gets its own result.
 * Returns 0 if all opened, else the first failure's rc. */
int port_open_many(struct port_open_req *reqs, size_t n, size_t ring_bytes);
/* port_close() for n ports concurrently (NULL entries skipped). */
void port_close_many(struct port **ports, size_t n);

/* Receive ring size for a switch of nports ports. */
size_t port_ring_bytes(unsigned nports);

/* Open interface name as a port with a ring_bytes receive ring. The
 * interface is brought up if it is down. 0 or -errno (context recorded). */
int port_open(struct port **out, const char *name, size_t ring_bytes);
void port_close(struct port *p);

/* The ring slot i. */
static inline struct tpacket2_hdr *port_slot(const struct port *p, uint32_t i)
{
	return (struct tpacket2_hdr *)(p->ring + (size_t)i * PORT_FRAME_SIZE);
}

static inline bool port_slot_ready(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER;
}

static inline void port_slot_release(struct tpacket2_hdr *h)
{
	__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
}

/* Frames over a slot: read the next n whole frames from the socket's queue
 * into bufs[i] (PORT_BIG_SIZE bytes each, vnet header first); lens[i] gets
 * each one's length (vnet header included), 0 when missing or cut. Returns
 * how many were read. */
unsigned port_rx_big(struct port *p, uint8_t *const *bufs, uint32_t *lens, unsigned n);

/* Queue a frame whose vnet header and bytes are contiguous (as in the ring)
 * and leave unchanged. The data must stay valid until port_tx_flush(). */
void port_tx_raw(struct port *p, const uint8_t *vnet_and_frame, uint32_t frame_len);
/* Queue vnet + hdr[hdr_len] + body[body_len]; vnet and hdr are copied. */
void port_tx_rewritten(struct port *p, const struct virtio_net_hdr *vnet, const uint8_t *hdr,
		       unsigned hdr_len, const uint8_t *body, uint32_t body_len);
/* Send what is queued. Failed frames are counted (drops or errors); a hard
 * error (device gone or down) is left in p->tx_errno. */
void port_tx_flush(struct port *p);

/* Add the kernel's ring-overflow count (PACKET_STATISTICS, clear on read)
 * to the port's drops. */
void port_poll_kernel_drops(struct port *p);
/* Read and clear the socket's pending error (SO_ERROR): 0 or -errno. */
int port_socket_error(struct port *p);
/* Whether the interface still exists (same ifindex, same name). */
bool port_exists(const struct port *p);
/* The interface's IFF_UP/IFF_RUNNING, refreshed into p->state. */
void port_refresh_state(struct port *p);
/* "up", "down", "no-carrier", "gone" */
const char *port_state_name(enum port_state s);

/* Whether frames sent out of p can leave: not down, without carrier or
 * gone, nor failed the last time. Frames that cannot are counted as
 * tx-down drops, not sent. */
static inline bool port_can_send(const struct port *p)
{
	return p->state == PORT_UP && !p->tx_errno;
}

#endif
