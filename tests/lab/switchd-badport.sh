#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interfaces a switch cannot be made of: loopback, or anything else that
# does not carry Ethernet frames, is refused when attached, at start and on
# reload, naming the port; and a trunk listing a VLAN twice is refused by
# the configuration check.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
ip link set lo up
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
ip link add fxtun type ipip local 10.9.9.9 remote 10.9.9.8 2>/dev/null && have_tun=1 || have_tun=
sw_config '{"name":"red-sw"}' '{"name":"lo"}'
check_out "a configuration with lo does not start, and says why" \
	"lo: not an Ethernet interface \(loopback\)" fails sw_start
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}'
check "the switch starts with red and blue" sw_start
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"lo"}'
check_out "a reload adding lo fails, naming it" "lo: not an Ethernet interface" swctl '{"cmd":"reload"}'
check_eq "  and leaves the ports as they were" "['blue-sw', 'red-sw']" \
	"$(swq '{"cmd":"ports"}' 'sorted(p["name"] for p in r["ports"])')"
if [ -n "$have_tun" ]; then
	sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"fxtun"}'
	check_out "a reload adding an IP tunnel fails, naming it" "fxtun: not an Ethernet interface \(an IP tunnel\)" \
		swctl '{"cmd":"reload"}'
fi
sw_config '{"name":"red-sw"}' '{"name":"blue-sw","trunk":[10,20,10]}'
check_out "a trunk listing VLAN 10 twice is refused" "trunk\[2\]: VLAN 10 is listed twice" swctl '{"cmd":"reload"}'
check_eq "  and blue-sw is still an access port" access "$(swq '{"cmd":"ports"}' 'port(r, "blue-sw")["mode"]')"
check "red reaches blue" reaches red 10.0.0.2
finish
