// SPDX-License-Identifier: GPL-2.0-or-later
#include "swrig.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "switch/sw.h"

struct port *swrig_port(struct sw *sw, uint16_t i, int *peer)
{
	struct port *p = calloc(1, sizeof(*p));
	int sp[2];

	if (!p || socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sp))
		abort();
	p->fd = -1;
	p->txfd = sp[0];
	*peer = sp[1];
	p->index = i;
	snprintf(p->name, sizeof(p->name), "p%u", (unsigned)i);
	sw->ports[i] = p;
	return p;
}

bool swrig_recv(int peer, uint8_t *buf, size_t *len)
{
	ssize_t n = recv(peer, buf, 2048, MSG_DONTWAIT);

	if (n <= 0)
		return false;
	*len = (size_t)n;
	return true;
}

unsigned swrig_outs(const int *peers, int n)
{
	uint8_t buf[2048];
	unsigned mask = 0;
	size_t len;

	for (int i = 0; i < n; i++)
		while (swrig_recv(peers[i], buf, &len))
			mask |= 1u << i;
	return mask;
}
