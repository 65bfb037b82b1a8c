/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A switch's state as JSON, and its views (switch_show.c). */
#ifndef NSLAB_SWITCH_VIEW_H
#define NSLAB_SWITCH_VIEW_H

#include <jansson.h>
#include <stdbool.h>

struct labsel;
struct topo_switch;

enum switch_view {
	SWITCH_VIEW_ALL,
	SWITCH_VIEW_PORTS,
	SWITCH_VIEW_FDB,
	SWITCH_VIEW_STATS,
	SWITCH_VIEW_FLOWS,
	SWITCH_VIEW_MDB,
};

/* {"switch", "kind", "ports": [{name, state, vlan|trunk, host, mac, stats:{...}}],
 *  "fdb": [{mac, vlan, port, age}]}, and for kind nslab "flows", "mdb" and
 *  "mld_snooping" — left out when the daemon (an older one) does not know
 *  them, unless view is about them, which then fails. Caller decrefs. */
int switch_state(const struct labsel *ls, const struct topo_switch *sw, enum switch_view view, json_t **out);
void switch_print(json_t *st, enum switch_view view, bool json);

#endif
