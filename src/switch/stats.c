// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/stats.h"

const char *stats_drop_name(enum drop_reason r)
{
	static const char *const names[DROP_MAX] = {
		[DROP_TAGGED_ON_ACCESS] = "tagged-on-access",
		[DROP_VLAN_NOT_ALLOWED] = "vlan-not-allowed",
		[DROP_UNTAGGED_NO_NATIVE] = "untagged-no-native",
		[DROP_BAD_TPID] = "bad-tpid",
		[DROP_DOUBLE_TAGGED] = "double-tagged",
		[DROP_BAD_SOURCE] = "bad-source",
		[DROP_LINK_LOCAL] = "link-local",
		[DROP_LOOPBACK] = "loopback",
		[DROP_NO_DESTINATION] = "no-destination",
		[DROP_RING_FULL] = "ring-full",
		[DROP_TX_BUSY] = "tx-busy",
		[DROP_TX_DOWN] = "tx-down",
	};

	return (unsigned)r < DROP_MAX ? names[r] : "?";
}
