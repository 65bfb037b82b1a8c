// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/mcast.h"

#include <string.h>

void mc_record_decide(uint8_t type, uint16_t nsrc, struct mc_record *r)
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
