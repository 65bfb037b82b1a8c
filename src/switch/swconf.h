/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's configuration file, written by `nslab up` (JSON):
 *
 *   {"switch": "v-net-0",
 *    "fdb": {"size": 8192, "aging": 300},
 *    "fast_path": true,
 *    "mld_snooping": true,
 *    "igmp_snooping": true,
 *    "ring_ports": 64,
 *    "ports": [{"name": "red-eth0"},
 *              {"name": "blue-eth0", "vlan": 10},
 *              {"name": "up-eth0", "trunk": [10, 20], "native": 1}]}
 *
 * A port without "vlan" or "trunk" is an access port of VLAN 1. A trunk's
 * "native" defaults to 1; 0 means untagged frames are dropped. "ring_ports"
 * is the number of ports the receive rings' budget is shared by (default:
 * this switch's; nslab gives each switch of a lab the lab's). Unknown keys,
 * wrong types, out-of-range numbers and duplicate port names are errors
 * that name the file, line and column.
 */
#ifndef NSLAB_SWITCH_SWCONF_H
#define NSLAB_SWITCH_SWCONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switch/vlan.h"

#define SWCONF_MAX_PORTS 4000
#define SWCONF_MAX_AGING 1000000 /* seconds, as the bridge's ageing_time */
#define SWCONF_MAX_BYTES (16u << 20)
#define SWCONF_MAX_RING_PORTS 1000000

struct swconf_port {
	char name[IFNAMSIZ];
	struct vlan_port vlan;
};

struct swconf {
	char name[64];
	uint32_t fdb_size;
	uint32_t aging;
	bool no_fast_path; /* "fast_path": false */
	bool no_mld_snooping; /* "mld_snooping": false */
	bool no_igmp_snooping; /* "igmp_snooping": false */
	uint32_t ring_ports;   /* 0: this switch's number of ports */
	size_t n_ports;
	struct swconf_port *ports;
};

/* Parse text[len]; origin names it in messages ("FILE"). 0 or -EINVAL
 * (message recorded: "FILE:LINE:COL: ..."), -ENOMEM. */
int swconf_parse(const char *text, size_t len, const char *origin, struct swconf **out);
/* Read and parse a file. */
int swconf_load(const char *path, struct swconf **out);
void swconf_free(struct swconf *c);

const struct swconf_port *swconf_find(const struct swconf *c, const char *name);

#endif
