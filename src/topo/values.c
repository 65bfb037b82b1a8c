// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Typed values out of the YAML tree. nslab reads YAML by schema, never by
 * YAML 1.1's implicit typing: a value's type follows from its key, booleans
 * are exactly true/false (so "no" is never silently false, the "Norway
 * problem"), numbers are plain decimal (so 010 is not octal 8), and a MAC
 * written without quotes stays text (YAML 1.1 would read 02:00:00:00:00:05
 * as a base-60 integer).
 */
#include "topo/parse.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#define DESC_SHOW 24

const char *topo_ydesc(const struct topo_ynode *n)
{
	if (!n || (n->type == TOPO_YSCALAR && n->null))
		return "nothing";
	if (n->type == TOPO_YSEQ)
		return "a list";
	if (n->type == TOPO_YMAP)
		return "a mapping";
	{
		/* topo_q's buffers, with quotes around. */
		char tmp[DESC_SHOW + 8];

		snprintf(tmp, sizeof(tmp), "'%.*s%s'", DESC_SHOW, n->str,
			 n->len > DESC_SHOW ? "..." : "");
		return topo_q(tmp);
	}
}

const struct topo_ynode *topo_ymap_get(const struct topo_ynode *map, const char *key,
				       const struct topo_ynode **keynode)
{
	if (map && map->type == TOPO_YMAP) {
		for (size_t i = 0; i < map->n; i++) {
			if (!strcmp(map->items[2 * i]->str, key)) {
				if (keynode)
					*keynode = map->items[2 * i];
				return map->items[2 * i + 1];
			}
		}
	}
	if (keynode)
		*keynode = NULL;
	return NULL;
}

size_t topo_ycheck_keys(struct topo_pctx *ctx, const struct topo_ynode *map,
			const char *const *keys, const char *where)
{
	size_t nk = 0, unknown = 0;

	if (!map || map->type != TOPO_YMAP)
		return 0;
	while (keys[nk])
		nk++;
	for (size_t i = 0; i < map->n; i++) {
		const struct topo_ynode *k = map->items[2 * i];
		const char *s;
		char list[256] = "";
		size_t j;

		for (j = 0; j < nk && strcmp(keys[j], k->str); j++)
			;
		if (j < nk)
			continue;
		unknown++;
		s = topo_suggest(ctx, k->str, keys, nk, sizeof(*keys), 0);
		if (s) {
			topo_report(ctx, k->pos, "unknown key '%s' %s; did you mean '%s'?",
				    topo_q(k->str), where, s);
			continue;
		}
		for (j = 0; j < nk; j++) {
			size_t l = strlen(list);

			snprintf(list + l, sizeof(list) - l, "%s%s", j ? ", " : "", keys[j]);
		}
		topo_report(ctx, k->pos, "unknown key '%s' %s; use one of: %s", topo_q(k->str), where,
			    list);
	}
	return unknown;
}

bool topo_yget_str(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		   const char *where, const char **out)
{
	if (n->type == TOPO_YSCALAR && !n->null) {
		*out = n->str;
		return true;
	}
	if (n->type == TOPO_YSCALAR)
		topo_report(ctx, n->pos, "'%s' %s has no value; give one or remove the key", key, where);
	else
		topo_report(ctx, n->pos, "'%s' %s must be a single value, not %s", key, where,
			    topo_ydesc(n));
	return false;
}

bool topo_yget_uint(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		    const char *where, unsigned lo, unsigned hi, unsigned *out)
{
	unsigned long long v = 0;

	if (n->type != TOPO_YSCALAR || n->null) {
		topo_report(ctx, n->pos, "'%s' %s must be a number from %u to %u, not %s", key, where,
			    lo, hi, topo_ydesc(n));
		return false;
	}
	if (!n->plain) {
		topo_report(ctx, n->pos, "'%s' %s must be a number, not the quoted string %s; remove the quotes",
			    key, where, topo_ydesc(n));
		return false;
	}
	if (n->len == 0 || strspn(n->str, "0123456789") != n->len || (n->len > 1 && n->str[0] == '0')) {
		topo_report(ctx, n->pos, "'%s' %s must be a plain decimal number from %u to %u, not %s",
			    key, where, lo, hi, topo_ydesc(n));
		return false;
	}
	for (size_t i = 0; i < n->len && v <= hi; i++)
		v = v * 10 + (unsigned)(n->str[i] - '0');
	if (v < lo || v > hi) {
		topo_report(ctx, n->pos, "'%s' %s is %s, out of range; use %u to %u", key, where,
			    topo_ydesc(n), lo, hi);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

bool topo_yget_bool(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		    const char *where, bool *out)
{
	/* YAML 1.1's other spellings (yaml.org/type/bool.html): refused, with
	 * the fix, rather than guessed. */
	static const char *const yaml11[] = { "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
					      "NO", "True", "TRUE", "False", "FALSE", "on", "On",
					      "ON", "off", "Off", "OFF" };

	if (n->type == TOPO_YSCALAR && n->plain && !n->null) {
		if (!strcmp(n->str, "true") || !strcmp(n->str, "false")) {
			*out = n->str[0] == 't';
			return true;
		}
		for (size_t i = 0; i < sizeof(yaml11) / sizeof(*yaml11); i++) {
			if (!strcmp(n->str, yaml11[i])) {
				topo_report(ctx, n->pos, "'%s' %s is %s; write true or false (YAML 1.1 words such as yes/no/on/off are not booleans here)",
					    key, where, topo_ydesc(n));
				return false;
			}
		}
	}
	if (n->type == TOPO_YSCALAR && !n->plain)
		topo_report(ctx, n->pos, "'%s' %s must be true or false, not the quoted string %s; remove the quotes",
			    key, where, topo_ydesc(n));
	else
		topo_report(ctx, n->pos, "'%s' %s must be true or false, not %s", key, where,
			    topo_ydesc(n));
	return false;
}

/* What kind of address no interface or next hop may have, or NULL. */
static const char *special_addr(int family, const uint8_t *a)
{
	static const uint8_t zero[16];

	if (family == AF_INET) {
		if (a[0] == 0)
			return "a \"this network\" address (0.0.0.0/8)";
		if (a[0] == 127)
			return "a loopback address";
		if (a[0] >= 224 && a[0] < 240)
			return "a multicast address";
		if (a[0] >= 240)
			return "a reserved or broadcast address (240.0.0.0/4)";
		return NULL;
	}
	if (!memcmp(a, zero, 16))
		return "the unspecified address";
	if (!memcmp(a, zero, 15) && a[15] == 1)
		return "the loopback address";
	if (a[0] == 0xff)
		return "a multicast address";
	return NULL;
}

/* host bits of c all zero / all one */
static bool host_bits_are(const struct topo_cidr *c, bool ones)
{
	unsigned bits = c->family == AF_INET ? 32 : 128;

	for (unsigned b = c->plen; b < bits; b++) {
		bool bit = (c->addr[b / 8] >> (7 - b % 8)) & 1;

		if (bit != ones)
			return false;
	}
	return true;
}

/* c's network with its host part set to the given last value (1 for
 * "first host", or all ones minus one for "last host"), as text. */
static const char *example_host(const struct topo_cidr *c, bool last, char *buf, size_t len)
{
	struct topo_cidr e;
	unsigned bits = c->family == AF_INET ? 32 : 128;

	topo_cidr_network(c, &e);
	if (last) {
		for (unsigned b = c->plen; b < bits; b++)
			e.addr[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		e.addr[bits / 8 - 1] &= 0xfe;
	} else {
		e.addr[bits / 8 - 1] |= 1;
	}
	return topo_cidr_str(&e, buf, len);
}

bool topo_yget_host_cidr(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
			 const char *where, struct topo_cidr *out)
{
	char net[TOPO_CIDR_STRLEN], ex[TOPO_CIDR_STRLEN], addr[TOPO_CIDR_STRLEN];
	const char *s, *slash, *what;
	struct topo_cidr c, nw;
	int family;
	uint8_t a[16];

	if (!topo_yget_str(ctx, n, key, where, &s))
		return false;
	slash = strchr(s, '/');
	if (slash && (size_t)(slash - s) < sizeof(addr)) {
		memcpy(addr, s, (size_t)(slash - s));
		addr[slash - s] = '\0';
	}
	if (!slash && !topo_addr_parse(s, &family, a)) {
		topo_report(ctx, n->pos, "%s '%s' %s has no prefix length; write ADDR/PLEN, e.g. %s/%s",
			    key, topo_q(s), where, topo_q(s), family == AF_INET ? "24" : "64");
		return false;
	}
	if (!slash || (size_t)(slash - s) >= sizeof(addr) || topo_addr_parse(addr, &family, a)) {
		topo_report(ctx, n->pos, "%s '%s' %s is not an address with a prefix length; write ADDR/PLEN, e.g. 172.16.10.1/24 or 2001:db8::1/64",
			    key, topo_q(s), where);
		return false;
	}
	if (topo_cidr_parse(s, &c)) {
		topo_report(ctx, n->pos, "%s '%s' %s has an invalid prefix length; use a decimal from 1 to %d",
			    key, topo_q(s), where, family == AF_INET ? 32 : 128);
		return false;
	}
	what = special_addr(c.family, c.addr);
	if (what) {
		topo_report(ctx, n->pos, "%s '%s' %s is %s; use a unicast address", key, topo_q(s),
			    where, what);
		return false;
	}
	if (c.plen == 0) {
		topo_report(ctx, n->pos, "%s '%s' %s has prefix length 0; use the subnet's length, e.g. /%s",
			    key, topo_q(s), where, c.family == AF_INET ? "24" : "64");
		return false;
	}
	topo_cidr_network(&c, &nw);
	topo_cidr_str(&nw, net, sizeof(net));
	/* RFC 3021 lets /31 use both addresses; RFC 6164 likewise /127. Below
	 * that, IPv4's all-zeros and all-ones host parts are the network and
	 * broadcast addresses, and IPv6's all-zeros one is the Subnet-Router
	 * anycast address (RFC 4291 §2.6.1). */
	if (host_bits_are(&c, false) && c.plen < (c.family == AF_INET ? 31 : 127)) {
		topo_report(ctx, n->pos, "%s '%s' %s is the %s of %s; use a host address, e.g. %s",
			    key, topo_q(s), where,
			    c.family == AF_INET ? "network address" : "Subnet-Router anycast address",
			    net, example_host(&c, false, ex, sizeof(ex)));
		return false;
	}
	if (c.family == AF_INET && c.plen < 31 && host_bits_are(&c, true)) {
		topo_report(ctx, n->pos, "%s '%s' %s is the broadcast address of %s; use a host address, e.g. %s",
			    key, topo_q(s), where, net, example_host(&c, true, ex, sizeof(ex)));
		return false;
	}
	*out = c;
	return true;
}

bool topo_yget_route_dst(struct topo_pctx *ctx, const struct topo_ynode *n, const char *where,
			 struct topo_cidr *out, bool *is_default)
{
	char net[TOPO_CIDR_STRLEN];
	struct topo_cidr c, nw;
	const char *s;
	int family;
	uint8_t a[16];

	if (!topo_yget_str(ctx, n, "to", where, &s))
		return false;
	if (!strcmp(s, "default")) {
		memset(out, 0, sizeof(*out));
		*is_default = true;
		return true;
	}
	if (!strchr(s, '/') && !topo_addr_parse(s, &family, a)) {
		topo_report(ctx, n->pos, "'to' '%s' %s has no prefix length; write a subnet such as %s/%s, or %s/%s for one address",
			    topo_q(s), where, topo_q(s), family == AF_INET ? "24" : "64", topo_q(s),
			    family == AF_INET ? "32" : "128");
		return false;
	}
	if (topo_cidr_parse(s, &c)) {
		topo_report(ctx, n->pos, "'to' '%s' %s is not a subnet; write 'default' or ADDR/PLEN, e.g. 10.0.3.0/24",
			    topo_q(s), where);
		return false;
	}
	topo_cidr_network(&c, &nw);
	if (memcmp(nw.addr, c.addr, sizeof(c.addr))) {
		topo_report(ctx, n->pos, "'to' '%s' %s has host bits set; did you mean %s?", topo_q(s),
			    where, topo_cidr_str(&nw, net, sizeof(net)));
		return false;
	}
	*out = c;
	*is_default = c.plen == 0;
	return true;
}

bool topo_yget_addr(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		    const char *where, int *family, uint8_t addr[16])
{
	char plain[TOPO_CIDR_STRLEN];
	const char *s, *slash, *what;

	if (!topo_yget_str(ctx, n, key, where, &s))
		return false;
	slash = strchr(s, '/');
	if (slash && (size_t)(slash - s) < sizeof(plain)) {
		memcpy(plain, s, (size_t)(slash - s));
		plain[slash - s] = '\0';
		if (!topo_addr_parse(plain, family, addr)) {
			topo_report(ctx, n->pos, "'%s' '%s' %s is a subnet; a next hop is one address, write %s",
				    key, topo_q(s), where, plain);
			return false;
		}
	}
	if (topo_addr_parse(s, family, addr)) {
		topo_report(ctx, n->pos, "'%s' '%s' %s is not an IPv4 or IPv6 address; write e.g. 172.16.10.254",
			    key, topo_q(s), where);
		return false;
	}
	what = special_addr(*family, addr);
	if (what) {
		topo_report(ctx, n->pos, "'%s' '%s' %s is %s; use a neighbour's unicast address", key,
			    topo_q(s), where, what);
		return false;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool topo_yget_mac(struct topo_pctx *ctx, const struct topo_ynode *n, const char *where,
		   uint8_t mac[6])
{
	static const uint8_t zero[6];
	uint8_t m[6];
	const char *s;

	if (!topo_yget_str(ctx, n, "mac", where, &s))
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hi < 0 ? -1 : hexval(s[3 * i + 1]);
		char sep = lo < 0 ? 'x' : s[3 * i + 2];

		if (hi < 0 || lo < 0 || sep != (i < 5 ? ':' : '\0')) {
			topo_report(ctx, n->pos, "'mac' '%s' %s is not a MAC address; write six hex pairs, e.g. 02:00:00:00:00:05",
				    topo_q(s), where);
			return false;
		}
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	/* IEEE 802-2014 §8.2: the first octet's lowest bit marks a group
	 * address; an interface needs an individual one. */
	if (m[0] & 1) {
		topo_report(ctx, n->pos, "'mac' '%s' %s is a multicast address (the first byte is odd); use e.g. 02:00:00:00:00:05",
			    topo_q(s), where);
		return false;
	}
	if (!memcmp(m, zero, 6)) {
		topo_report(ctx, n->pos, "'mac' '%s' %s is all zeros; use e.g. 02:00:00:00:00:05",
			    topo_q(s), where);
		return false;
	}
	memcpy(mac, m, 6);
	return true;
}
