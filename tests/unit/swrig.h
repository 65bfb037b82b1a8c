/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For unit tests of the switch without the kernel's packet sockets: a port
 * whose sending socket is one end of a datagram socketpair, so what the
 * switch sends out of it is read back, vnet header and all, from the other.
 */
#ifndef NSLAB_TEST_SWRIG_H
#define NSLAB_TEST_SWRIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sw;
struct port;

/* A port named "pI" in slot i of sw (the caller sets its VLANs, n_ports,
 * max_index, and rebuilds); *peer gets the end to read from. sw_free
 * closes the port; the caller closes *peer. Aborts on failure. */
struct port *swrig_port(struct sw *sw, uint16_t i, int *peer);

/* One frame the switch sent to peer, into buf[2048]: false when none. */
bool swrig_recv(int peer, uint8_t *buf, size_t *len);
/* Read every frame waiting at peers[0..n): which had any, as a bit mask. */
unsigned swrig_outs(const int *peers, int n);

#endif
