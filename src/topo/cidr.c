// SPDX-License-Identifier: GPL-2.0-or-later
/* Addresses and prefixes: parsing, printing, containment. */
#include "topo/topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

static unsigned family_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

int topo_addr_parse(const char *s, int *family, uint8_t addr[16])
{
	uint8_t a[16] = { 0 };

	/* inet_pton(AF_INET) takes only dotted-quad decimal, without the
	 * octal/hex/short forms inet_aton would accept (POSIX inet_pton). */
	if (inet_pton(AF_INET, s, a) == 1) {
		*family = AF_INET;
	} else if (inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
	} else {
		return -EINVAL;
	}
	memcpy(addr, a, 16);
	return 0;
}

int topo_cidr_parse(const char *s, struct topo_cidr *c)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/'), *p;
	struct topo_cidr r = { 0 };
	unsigned plen = 0;
	size_t n;

	if (!slash)
		return -EINVAL;
	n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (topo_addr_parse(addr, &r.family, r.addr))
		return -EINVAL;
	p = slash + 1;
	/* Plain decimal, no sign, no leading zeros, at most 3 digits. */
	n = strspn(p, "0123456789");
	if (n == 0 || n > 3 || p[n] || (n > 1 && p[0] == '0'))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		plen = plen * 10 + (unsigned)(p[i] - '0');
	if (plen > family_bits(r.family))
		return -EINVAL;
	r.plen = (uint8_t)plen;
	*c = r;
	return 0;
}

const char *topo_addr_str(int family, const uint8_t *addr, char *buf, size_t len)
{
	if (!inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *topo_cidr_str(const struct topo_cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	topo_addr_str(c->family, c->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, (unsigned)c->plen);
	return buf;
}

bool topo_cidr_contains(const struct topo_cidr *net, int family, const uint8_t *addr)
{
	unsigned plen = net->plen, full = plen / 8, rest = plen % 8;

	if (net->family != family || plen > family_bits(family))
		return false;
	if (memcmp(net->addr, addr, full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((net->addr[full] ^ addr[full]) & mask)
			return false;
	}
	return true;
}

void topo_cidr_network(const struct topo_cidr *c, struct topo_cidr *net)
{
	unsigned bits = family_bits(c->family), plen = c->plen;

	*net = *c;
	if (plen >= bits)
		return;
	if (plen % 8)
		net->addr[plen / 8] &= (uint8_t)(0xff << (8 - plen % 8));
	for (unsigned i = (plen + 7) / 8; i < 16; i++)
		net->addr[i] = 0;
}
