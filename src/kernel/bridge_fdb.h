/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flushing a Linux bridge's learnt MAC table (as `ip link set BR type bridge fdb_flush`). */
#ifndef NSLAB_BRIDGE_FDB_H
#define NSLAB_BRIDGE_FDB_H

struct nl;

/* Queue on nl: forget every dynamically learnt entry of bridge name. */
int link_bridge_fdb_flush(struct nl *nl, const char *name, const char *label);

#endif
