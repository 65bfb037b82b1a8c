// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Switch kind "nslab": nslab-switchd. The daemon owns no kernel object of
 * its own: its ports are the switch-side ends of veth pairs the lab makes,
 * and its host-side interface is one more veth pair — SW (in the host
 * namespace, carrying the gateway) and SW-sw (a port of the switch) — so a
 * restarted daemon re-attaches to the same interfaces and the hosts never
 * notice. The SWITCHD object's attributes hold the whole switch
 * configuration, so any change to ports or VLANs shows up as an update of
 * that object (a config rewrite and a reload), never as a restart.
 */
#include <stdio.h>
#include <string.h>

#include "common/strbuf.h"
#include "lab/switch_kind.h"

static void port_spec(struct strbuf *sb, const char *name, const struct topo_iface *ifc)
{
	sb_printf(sb, "%s%s:", sb->len && sb->s[sb->len - 1] != '=' ? "," : "", name);
	if (!ifc) {
		sb_printf(sb, "v%u", TOPO_VLAN_DEFAULT);
	} else if (ifc->n_trunk) {
		sb_puts(sb, "t");
		for (size_t i = 0; i < ifc->n_trunk; i++)
			sb_printf(sb, "%s%u", i ? "." : "", ifc->trunk[i]);
		sb_printf(sb, "n%u", ifc->native_vlan);
	} else {
		sb_printf(sb, "v%u", ifc->vlan);
	}
}

/*
 * The ports of all the lab's nslab switches, rounded up to a power of two
 * (so that a host more or less seldom changes it): the daemons size their
 * receive rings as if they shared one budget, so that a lab of many small
 * switches takes what one switch of all their ports would. Up to 32 ports
 * every ring has its largest size anyway: 0, nothing to say.
 */
static unsigned lab_ring_ports(const struct topo *t)
{
	unsigned n = 0, p2 = 1;

	for (size_t s = 0; s < t->n_switches; s++) {
		struct topo_port_iter it = { 0 };

		if (t->switches[s].kind != TOPO_SWITCH_NSLAB)
			continue;
		n++; /* its own port */
		while (topo_port_next(t, &t->switches[s], &it))
			n++;
	}
	while (p2 < n)
		p2 *= 2;
	return p2 > 32 ? p2 : 0;
}

static int nslab_add_switch(const struct topo *t, const struct topo_switch *sw,
			    const struct lab_env *env, struct objvec *out)
{
	struct strbuf attrs = STRBUF_INIT;
	struct topo_port_iter it = { 0 };
	const struct topo_iface *p;
	char port[TOPO_IFNAMSIZ], alias[64], veth[256], mac[24];
	unsigned ring_ports = lab_ring_ports(t);
	int rc;

	desired_alias(env->lab, alias, sizeof(alias));
	desired_switch_mac(env->lab, sw->name, mac, sizeof(mac));
	snprintf(port, sizeof(port), "%s", sw->own_port);
	/* Created down, and brought up by the ports' setup: the switch's end
	 * up at once would get an IPv6 link-local address first. */
	snprintf(veth, sizeof(veth),
		 "peer_ns=%s peer=%s mtu=%u mac=%s peer_mac=- peer_group=%u down=1",
		 env->host_ns, port, sw->mtu, mac, env->group);
	rc = objvec_add(out, OBJ_VETH, env->host_ns, sw->name, veth);
	if (rc)
		return rc;
	/* The host side carries the gateway and keeps its IPv6 link-local
	 * address; the switch's own end, like every port, has none. arp=own:
	 * see link_change.set_arp_own_only. */
	snprintf(veth, sizeof(veth), "alias=%s master=- arp=own", alias);
	rc = objvec_add(out, OBJ_PORT, env->host_ns, sw->name, veth);
	snprintf(veth, sizeof(veth), "alias=%s master=- ll=off ipv4=off", alias);
	if (!rc)
		rc = objvec_add(out, OBJ_PORT, env->host_ns, port, veth);
	if (rc)
		return rc;

	sb_printf(&attrs, "fdb_size=%u fdb_aging=%u fast_path=%s mld_snooping=%s igmp_snooping=%s ",
		  sw->fdb_size, sw->fdb_aging, sw->no_fast_path ? "off" : "on",
		  sw->no_mld_snooping ? "off" : "on", sw->no_igmp_snooping ? "off" : "on");
	if (ring_ports)
		sb_printf(&attrs, "ring_ports=%u ", ring_ports);
	sb_puts(&attrs, "ports=");
	port_spec(&attrs, port, NULL);
	while ((p = topo_port_next(t, sw, &it)))
		port_spec(&attrs, p->peer, p);
	rc = sb_error(&attrs);
	if (!rc)
		rc = objvec_add(out, OBJ_SWITCHD, env->host_ns, sw->name, sb_str(&attrs));
	sb_free(&attrs);
	return rc;
}

static int nslab_add_port(const struct topo *t, const struct topo_switch *sw,
			  const struct topo_iface *ifc, const struct lab_env *env,
			  struct objvec *out)
{
	char attrs[128], alias[64];

	desired_alias(env->lab, alias, sizeof(alias));
	/* ipv4=off: see link_change.set_ipv4_off. */
	snprintf(attrs, sizeof(attrs), "alias=%s master=- ll=off ipv4=off", alias);
	return objvec_add(out, OBJ_PORT, env->host_ns, ifc->peer, attrs);
}

static void nslab_gateway_dev(const struct topo_switch *sw, char *buf, size_t len)
{
	snprintf(buf, len, "%s", sw->name);
}

const struct switch_kind switch_kind_nslab = {
	.name = "nslab",
	.add_switch = nslab_add_switch,
	.add_port = nslab_add_port,
	.gateway_dev = nslab_gateway_dev,
};
