#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A port that cannot take frames: set down (on the switch's side), or
# without carrier (its host's end is down). Every frame for it is counted
# as a tx-down drop, through the daemon and with the kernel's fast path,
# whose flows to the port are taken back while it is not up and offered
# again after; `ports` says up, down or no-carrier.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
sw_host green 10.0.0.3/24
# No ARP on the way: every frame red sends is one echo request.
ip -n red neigh replace 10.0.0.2 lladdr "$(mac_of blue)" dev red-eth0 nud permanent
ip -n blue neigh replace 10.0.0.1 lladdr "$(mac_of red)" dev blue-eth0 nud permanent
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}'

stat_of() { swq '{"cmd":"stats"}' "port(r, '$1')$2"; }
txdown() { stat_of "$1" '["drop_reasons"].get("tx-down", 0)'; }
state_of() { swq '{"cmd":"ports"}' "port(r, '$1')['state']"; }
blue_flows() { swq '{"cmd":"flows"}' "len([f for f in r['flows'] if 'blue-sw' in (f['in'], f['out'])])"; }
wait_state() { # wait_state PORT STATE: the switch says so within 3 s
	local i
	for i in $(seq 30); do [ "$(state_of "$1")" = "$2" ] && return 0; sleep 0.1; done
	state_of "$1"; return 1
}
shoot() { in_node red ping -q -c "$1" -i 0.05 -W 0.1 10.0.0.2 >/dev/null 2>&1; true; }

for mode in daemon fast; do
	if [ $mode = daemon ]; then
		check "the switch starts without a fast path" sw_start --no-fast-path
	else
		sw_stop; : >"$SW_LOG"
		check "the switch starts with a fast path" sw_start
	fi
	check "[$mode] red reaches blue" reaches red 10.0.0.2
	shoot 3
	[ $mode = fast ] && check "[$mode] red's and blue's frames are kernel flows" test "$(blue_flows)" -ge 2
	ip link set blue-sw down
	check "[$mode] blue-sw set down: the switch says down" wait_state blue-sw down
	check_out "[$mode]   and logs it" "port blue-sw: down" cat "$SW_LOG"
	[ $mode = fast ] && check_eq "[$mode]   the kernel has no flow to or from blue-sw" 0 "$(blue_flows)"
	tx=$(stat_of blue-sw '["tx_packets"]')
	shoot 7
	check_eq "[$mode] 7 frames for blue-sw: 7 tx-down drops" 7 "$(txdown blue-sw)"
	check_eq "[$mode]   none counted as sent" "$tx" "$(stat_of blue-sw '["tx_packets"]')"
	ip link set blue-sw up
	check "[$mode] blue-sw up again: the switch says up" wait_state blue-sw up
	check "[$mode] red reaches blue" reaches red 10.0.0.2
	shoot 3
	[ $mode = fast ] && check "[$mode]   by the kernel again" test "$(blue_flows)" -ge 2

	# The host's end goes down: the switch's end loses its carrier.
	ip -n blue link set blue-eth0 down
	check "[$mode] blue-eth0 down: blue-sw has no carrier" wait_state blue-sw no-carrier
	check_out "[$mode]   the log says so" "port blue-sw: no-carrier" cat "$SW_LOG"
	[ $mode = fast ] && check_eq "[$mode]   the kernel has no flow to or from blue-sw" 0 "$(blue_flows)"
	tx=$(stat_of blue-sw '["tx_packets"]'); drops=$(txdown blue-sw)
	shoot 5
	check_eq "[$mode] 5 frames for blue-sw: 5 more tx-down drops" $((drops + 5)) "$(txdown blue-sw)"
	check_eq "[$mode]   none counted as sent" "$tx" "$(stat_of blue-sw '["tx_packets"]')"
	# green's broadcasts: the kernel's flood leaves blue-sw out, the switch counts it
	drops=$(txdown blue-sw)
	in_node green ping -q -b -c 3 -i 0.05 -W 0.1 10.0.0.255 >/dev/null 2>&1
	check_eq "[$mode] 3 broadcasts from green: 3 more tx-down drops on blue-sw" $((drops + 3)) "$(txdown blue-sw)"
	ip -n blue link set blue-eth0 up
	ip -n blue neigh replace 10.0.0.1 lladdr "$(mac_of red)" dev blue-eth0 nud permanent
	check "[$mode] blue-eth0 up: blue-sw is up" wait_state blue-sw up
	check "[$mode] red reaches blue" reaches red 10.0.0.2
	shoot 3
	[ $mode = fast ] && check "[$mode]   by the kernel again" test "$(blue_flows)" -ge 2
done
finish
