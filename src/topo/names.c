// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Names: which lab, host, switch and interface names are valid, and the
 * deterministic shortening of switch-side interface names.
 */
#include "topo/topo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* Hash length and prefix length of a shortened peer name: 10 + '-' + 4. */
#define PEER_PREFIX 10
#define PEER_HASH_DIGITS 4

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int topo_ifname_valid(const char *name)
{
	size_t n = strlen(name);

	/* The kernel's rules (net/core/dev.c dev_valid_name()): 1..IFNAMSIZ-1
	 * bytes, not "." or "..", no '/', ':' or whitespace. */
	if (n == 0 || n >= TOPO_IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '%')
			return -EINVAL;
	}
	return 0;
}

int topo_lab_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > TOPO_LAB_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i > 0 && (c == '_' || c == '-'));

		if (!ok)
			return -EINVAL;
	}
	return 0;
}

int topo_host_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > TOPO_HOST_MAX || !is_alnum(name[0]))
		return -EINVAL;
	for (size_t i = 1; i < n; i++) {
		char c = name[i];

		if (!is_alnum(c) && c != '_' && c != '.' && c != '-')
			return -EINVAL;
	}
	if (!strcmp(name, "host") || !strcmp(name, "inet") || !strncmp(name, "nslab-", 6))
		return -EINVAL;
	return 0;
}

const char *topo_switch_kind_str(enum topo_switch_kind kind)
{
	switch (kind) {
	case TOPO_SWITCH_BRIDGE:
		return "bridge";
	case TOPO_SWITCH_NSLAB:
		return "nslab";
	}
	return "?";
}

void topo_peer_name(const char *host, const char *iface, char out[TOPO_IFNAMSIZ])
{
	size_t hl = strlen(host), il = strlen(iface), n = hl + 1 + il;
	char small[128], *full = small;
	uint32_t h;

	if (n < TOPO_IFNAMSIZ) {
		memcpy(out, host, hl);
		out[hl] = '-';
		memcpy(out + hl + 1, iface, il + 1);
		return;
	}
	/* Too long for IFNAMSIZ: keep a readable prefix and make it unique
	 * with the low 16 bits of FNV-1a-32 over the whole "HOST-IFACE".
	 * Valid names make at most 63 + 1 + 15 bytes; longer ones (only seen
	 * in refused files) go to the heap. */
	for (size_t i = 0; i < PEER_PREFIX; i++)
		out[i] = i < hl ? host[i] : i == hl ? '-' : iface[i - hl - 1];
	if (n >= sizeof(small))
		full = malloc(n + 1);
	if (full) {
		memcpy(full, host, hl);
		full[hl] = '-';
		memcpy(full + hl + 1, iface, il + 1);
		h = hash_fnv1a_str(full);
		if (full != small)
			free(full);
	} else {
		h = hash_fnv1a_str(host) ^ hash_fnv1a_str(iface); /* still deterministic */
	}
	snprintf(out + PEER_PREFIX, TOPO_IFNAMSIZ - PEER_PREFIX, "-%0*x", PEER_HASH_DIGITS,
		 (unsigned)(h & 0xffff));
}
