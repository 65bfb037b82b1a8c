// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/mcast.h"

#include <string.h>

/* record types */
#define MC_MODE_IS_INCLUDE 1
#define MC_MODE_IS_EXCLUDE 2
#define MC_CHANGE_TO_INCLUDE 3
#define MC_CHANGE_TO_EXCLUDE 4
#define MC_ALLOW_NEW_SOURCES 5

#define MC_RECORD_FIXED 4 /* type, aux length, source count */

bool mc_records_fit(const uint8_t *rec, uint32_t len, uint16_t n, unsigned addr_len)
{
	uint32_t off = 0;

	for (uint16_t i = 0; i < n; i++) {
		uint32_t rl;

		if (len - off < MC_RECORD_FIXED + addr_len)
			return false;
		rl = MC_RECORD_FIXED + addr_len + addr_len * mc_rd16(rec + off + 2) + 4u * rec[off + 1];
		if (len - off < rl)
			return false;
		off += rl;
	}
	return true;
}

/* (*, G) snooping: a listener wants G unless it asks for no source of it
 * at all; BLOCK changes sources only. */
static void decide(uint8_t type, uint16_t nsrc, struct mc_record *r)
{
	switch (type) {
	case MC_MODE_IS_EXCLUDE:
	case MC_CHANGE_TO_EXCLUDE:
		r->join = true;
		r->leave = false;
		break;
	case MC_MODE_IS_INCLUDE:
	case MC_CHANGE_TO_INCLUDE:
	case MC_ALLOW_NEW_SOURCES:
		r->join = nsrc > 0;
		r->leave = nsrc == 0 && type != MC_ALLOW_NEW_SOURCES;
		break;
	default:
		r->join = r->leave = false;
		break;
	}
}

bool mc_next_record(const struct mc_msg *m, uint32_t *off, unsigned addr_len, struct mc_record *r)
{
	const uint8_t *rec;
	uint16_t nsrc;

	if (!m->v2 || *off + MC_RECORD_FIXED + addr_len > m->rec_len)
		return false;
	rec = m->records + *off;
	nsrc = mc_rd16(rec + 2);
	if (addr_len == 4)
		mc_map4(rec + MC_RECORD_FIXED, r->group);
	else
		memcpy(r->group, rec + MC_RECORD_FIXED, 16);
	*off += MC_RECORD_FIXED + addr_len + addr_len * nsrc + 4u * rec[1];
	decide(rec[0], nsrc, r);
	if (addr_len == 4 ? (r->group[12] & 0xf0) != 0xe0 : r->group[0] != 0xff)
		r->join = r->leave = false;
	return true;
}

uint32_t mc_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += mc_rd16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

uint16_t mc_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static const uint8_t mapped_prefix[12] = { [10] = 0xff, [11] = 0xff };

void mc_map4(const uint8_t v4[4], uint8_t out[16])
{
	memcpy(out, mapped_prefix, 12);
	memcpy(out + 12, v4, 4);
}

bool mc_is_mapped4(const uint8_t a[16])
{
	return !memcmp(a, mapped_prefix, 12);
}
