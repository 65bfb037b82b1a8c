#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Start or stop a private Open vSwitch with its userspace (netdev) datapath
# and userspace TSO (its fastest setting for veth ports), as the benchmark's
# peer, in the current namespace. Its state lives in $OVS_RUNDIR, never in
# a system Open vSwitch. The kernel here has no openvswitch module, so
# bridges must be datapath_type=netdev.
#   ovs.sh install|start|stop
set -eu
export OVS_RUNDIR=${OVS_RUNDIR:?} OVS_DBDIR=${OVS_DBDIR:-$OVS_RUNDIR} OVS_LOGDIR=${OVS_LOGDIR:-$OVS_RUNDIR}
case "$1" in
install)
	command -v ovs-vswitchd >/dev/null && exit 0
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq openvswitch-switch >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq openvswitch-switch >/dev/null 2>&1; }
	command -v ovs-vswitchd >/dev/null
	;;
start)
	[ -f "$OVS_DBDIR/conf.db" ] || ovsdb-tool create "$OVS_DBDIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema
	ovsdb-server --remote=punix:"$OVS_RUNDIR/db.sock" --pidfile --detach --log-file "$OVS_DBDIR/conf.db"
	ovs-vsctl --no-wait init
	ovs-vsctl --no-wait set Open_vSwitch . other_config:userspace-tso-enable=true
	ovs-vswitchd --pidfile --detach --log-file
	;;
stop)
	for d in ovs-vswitchd ovsdb-server; do
		[ -f "$OVS_RUNDIR/$d.pid" ] && kill "$(cat "$OVS_RUNDIR/$d.pid")" 2>/dev/null || true
	done
	;;
esac
