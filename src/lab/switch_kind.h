/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A switch kind: how one kind of switch becomes objects. The lab manager
 * never asks which kind it has; it asks the kind.
 *   switch-bridge.c  the Linux bridge (the kernel's data path)
 *   switch-nslab.c   nslab-switchd (the userspace switch)
 */
#ifndef NSLAB_SWITCH_KIND_H
#define NSLAB_SWITCH_KIND_H

#include "lab/desired.h"
#include "topo/topo.h"

struct switch_kind {
	const char *name;
	/* The switch itself and its host-side interface (which carries the
	 * gateway addresses; desired.c adds those on gateway_dev). */
	int (*add_switch)(const struct topo *t, const struct topo_switch *sw,
			  const struct lab_env *env, struct objvec *out);
	/* The setup of one port: the switch-side end of a host's interface. */
	int (*add_port)(const struct topo *t, const struct topo_switch *sw,
			const struct topo_iface *ifc, const struct lab_env *env, struct objvec *out);
	/* The host-side interface's name (into buf, TOPO_IFNAMSIZ). */
	void (*gateway_dev)(const struct topo_switch *sw, char *buf, size_t len);
};

extern const struct switch_kind switch_kind_bridge;
extern const struct switch_kind switch_kind_nslab;

const struct switch_kind *switch_kind_of(const struct topo_switch *sw);

#endif
