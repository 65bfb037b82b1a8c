/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What show.c shares with the switch views. */
#ifndef NSLAB_SHOW_H
#define NSLAB_SHOW_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct labsel;
struct topo_iface;
struct topo_switch;
struct nl;

/* A switch port's VLAN rule into o: "vlan", or "trunk" and "native_vlan". */
void show_port_vlans(const struct topo_iface *port, json_t *o);

/* An rtnetlink socket in netns ("" for the host's own). */
int show_open_nl(const char *netns, struct nl **nl);
/* The namespace of node ("host", "inet" or a host) of the lab; "" for the real host. */
void show_node_netns(const struct labsel *ls, const char *node, char *buf, size_t len);
/* show SWITCH: ports, VLANs, MAC table, counters (switch_show.c). */
int show_switch(const struct labsel *ls, const struct topo_switch *sw, bool json);

#endif
