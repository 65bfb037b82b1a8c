#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Two VLANs on one switch: red and blue in VLAN 10, green and yellow in
# VLAN 20, and "up" on a trunk carrying both tagged (sub-interfaces) plus
# native VLAN 1 untagged. Hosts of the same VLAN reach each other; across
# VLANs they do not, even with addresses in one subnet.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
sw_host green 10.0.0.3/24
sw_host yellow 10.0.0.4/24
sw_host up 10.0.1.9/24
sw_host plain 10.0.1.8/24
sw_config '{"name":"red-sw","vlan":10}' '{"name":"blue-sw","vlan":10}' \
	'{"name":"green-sw","vlan":20}' '{"name":"yellow-sw","vlan":20}' \
	'{"name":"up-sw","trunk":[10,20],"native":1}' '{"name":"plain-sw"}'
check "the switch starts" sw_start
check "red reaches blue (VLAN 10)" reaches red 10.0.0.2
check "green reaches yellow (VLAN 20)" reaches green 10.0.0.4
check "red does not reach green (10 vs 20)" no_ping red 10.0.0.3
check "blue does not reach yellow (10 vs 20)" no_ping blue 10.0.0.4
check "the trunk reaches red tagged 10, answered tagged 10" trunk_ping up 10 10.0.0.10 red 10.0.0.1
check "the trunk reaches green tagged 20, answered tagged 20" trunk_ping up 20 10.0.0.20 green 10.0.0.3
# The kernel's fast path takes tagged flows too: the tag comes off towards
# the access port and goes on towards the trunk, with the right VLAN.
check "again, twice: the trunk reaches red tagged 10, answered tagged 10" \
	eval 'trunk_ping up 10 10.0.0.10 red 10.0.0.1 && trunk_ping up 10 10.0.0.10 red 10.0.0.1'
flow() { # flow IN OUT FIELD: FIELD of the fast path's flow IN -> OUT
	swq '{"cmd":"flows"}' "[f['$3'] for f in r['flows'] if f['in'] == '$1' and f['out'] == '$2'][0]"
}
check_eq "  the flow up-sw -> red-sw is the kernel's, tagged in, untagged out" "10 True False" \
	"$(flow up-sw red-sw vlan) $(flow up-sw red-sw in_tagged) $(flow up-sw red-sw out_tagged)"
check_eq "  and red-sw -> up-sw untagged in, tagged out" "10 False True" \
	"$(flow red-sw up-sw vlan) $(flow red-sw up-sw in_tagged) $(flow red-sw up-sw out_tagged)"
check "  which carried the second ping's request" test "$(flow up-sw red-sw packets)" -ge 1
check "  and its reply" test "$(flow red-sw up-sw packets)" -ge 1
check_fail "the trunk's VLAN 10 does not reach green" trunk_ping up 10 10.0.0.10 green 10.0.0.3
check_fail "VLAN 30 is not carried by the trunk" trunk_ping up 30 10.0.0.30 red 10.0.0.1
check "native VLAN 1 untagged: up reaches plain" reaches up 10.0.1.8
check "plain (VLAN 1) does not reach red" in_node plain bash -c '! ping -c2 -i0.2 -W1 10.0.0.1'
check_eq "ports: up-sw is a trunk of 10, 20 with native 1" "trunk [10, 20] 1" \
	"$(swq '{"cmd":"ports"}' '" ".join(str(port(r, "up-sw")[k]) for k in ("mode", "trunk", "native"))')"
check_eq "fdb: red learned in VLAN 10" 10 \
	"$(swq '{"cmd":"fdb"}' "[e['vlan'] for e in r['entries'] if e['mac'] == '$(mac_of red)'][0]")"
check "VLAN 30 was dropped on the trunk, and counted" test \
	"$(swq '{"cmd":"stats"}' 'port(r, "up-sw")["drop_reasons"].get("vlan-not-allowed", 0)')" -gt 0

# Reconfigure live: green joins VLAN 10.
sw_config '{"name":"red-sw","vlan":10}' '{"name":"blue-sw","vlan":10}' \
	'{"name":"green-sw","vlan":10}' '{"name":"yellow-sw","vlan":20}' \
	'{"name":"up-sw","trunk":[10,20],"native":1}' '{"name":"plain-sw"}'
check_eq "reload reports green-sw changed" "['green-sw']" "$(swq '{"cmd":"reload"}' 'r["changed"]')"
check "now red reaches green" reaches red 10.0.0.3
check "and green no longer reaches yellow" no_ping green 10.0.0.4
untagged_up_flows() {
	swq '{"cmd":"flows"}' 'len([f for f in r["flows"] if "up-sw" in (f["in"], f["out"]) and not f["in_tagged"] and not f["out_tagged"]])'
}
check "up reaches plain on the native VLAN" reaches up 10.0.1.8
check "  through the kernel (untagged flows up-sw <-> plain-sw)" test "$(untagged_up_flows)" -ge 2
# A trunk without native VLAN drops untagged frames.
sw_config '{"name":"red-sw","vlan":10}' '{"name":"blue-sw","vlan":10}' \
	'{"name":"green-sw","vlan":10}' '{"name":"yellow-sw","vlan":20}' \
	'{"name":"up-sw","trunk":[10,20],"native":0}' '{"name":"plain-sw"}'
check_eq "reload: up-sw changed" "['up-sw']" "$(swq '{"cmd":"reload"}' 'r["changed"]')"
check_eq "  and took the untagged flows through up-sw from the kernel" 0 "$(untagged_up_flows)"
check "untagged from up is dropped now" no_ping up 10.0.1.8
check "tagged 10 from up still reaches red" trunk_ping up 10 10.0.0.10 red 10.0.0.1
check "the drop is counted as untagged-no-native" test \
	"$(swq '{"cmd":"stats"}' 'port(r, "up-sw")["drop_reasons"].get("untagged-no-native", 0)')" -gt 0
finish
