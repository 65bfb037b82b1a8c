// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Switch kind "bridge": the Linux bridge. The bridge is the switch and its
 * own interface (named after the switch) carries the gateway, as in the
 * hand-built network's v-net-0. VLANs use the bridge's VLAN filtering, which
 * is turned on only for switches that have a port off VLAN 1, so a plain
 * switch stays the kernel's fastest path.
 */
#include <stdio.h>
#include <string.h>

#include "common/strbuf.h"
#include "lab/switch_kind.h"

static bool needs_vlan_filtering(const struct topo *t, const struct topo_switch *sw)
{
	struct topo_port_iter it = { 0 };
	const struct topo_iface *p;

	while ((p = topo_port_next(t, sw, &it)))
		if (p->n_trunk || p->vlan != TOPO_VLAN_DEFAULT)
			return true;
	return false;
}

static int bridge_add_switch(const struct topo *t, const struct topo_switch *sw,
			     const struct lab_env *env, struct objvec *out)
{
	char attrs[256], alias[64], mac[24];

	desired_alias(env->lab, alias, sizeof(alias));
	desired_switch_mac(env->lab, sw->name, mac, sizeof(mac));
	snprintf(attrs, sizeof(attrs), "mtu=%u vlan_filtering=%d group=%u alias=%s mac=%s",
		 sw->mtu, needs_vlan_filtering(t, sw), env->group, alias, mac);
	return objvec_add(out, OBJ_BRIDGE, env->host_ns, sw->name, attrs);
}

static int bridge_add_port(const struct topo *t, const struct topo_switch *sw,
			   const struct topo_iface *ifc, const struct lab_env *env,
			   struct objvec *out)
{
	struct strbuf attrs = STRBUF_INIT;
	char alias[64];
	int rc;

	desired_alias(env->lab, alias, sizeof(alias));
	sb_printf(&attrs, "alias=%s master=%s ll=off", alias, sw->name);
	if (needs_vlan_filtering(t, sw)) {
		if (ifc->n_trunk) {
			sb_printf(&attrs, " pvid=%u vids=", ifc->native_vlan);
			for (size_t i = 0; i < ifc->n_trunk; i++)
				sb_printf(&attrs, "%s%u", i ? "," : "", ifc->trunk[i]);
		} else {
			sb_printf(&attrs, " pvid=%u vids=-", ifc->vlan);
		}
	}
	rc = sb_error(&attrs);
	if (!rc)
		rc = objvec_add(out, OBJ_PORT, env->host_ns, ifc->peer, sb_str(&attrs));
	sb_free(&attrs);
	return rc;
}

static void bridge_gateway_dev(const struct topo_switch *sw, char *buf, size_t len)
{
	snprintf(buf, len, "%s", sw->name);
}

const struct switch_kind switch_kind_bridge = {
	.name = "bridge",
	.add_switch = bridge_add_switch,
	.add_port = bridge_add_port,
	.gateway_dev = bridge_gateway_dev,
};

const struct switch_kind *switch_kind_of(const struct topo_switch *sw)
{
	return sw->kind == TOPO_SWITCH_NSLAB ? &switch_kind_nslab : &switch_kind_bridge;
}
