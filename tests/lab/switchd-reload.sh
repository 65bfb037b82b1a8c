#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ports come and go while the switch runs: green is added by a reload while
# red reaches blue every 10 ms, and not one ping is lost; then green is
# removed the same way; a port whose host is deleted is detached by itself.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
sw_host green 10.0.0.3/24
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}'
check "the switch starts with red and blue" sw_start
check "red reaches blue" reaches red 10.0.0.2
check "green is not on the switch yet" no_ping green 10.0.0.1

drops=$(softnet_drops)
in_node red ping -q -c 300 -i 0.01 -W1 10.0.0.2 >"$T_DIR/ping1" 2>&1 &
pinger=$!
sleep 1
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}'
check_eq "reload adds green-sw" "['green-sw'] [] []" "$(swq '{"cmd":"reload"}' 'r["added"], r["removed"], r["changed"]' | tr -d '(),' | sed 's/\] \[/] [/g')"
wait $pinger
check_out "red's 300 reaches to blue during the reload: none lost" " 0% packet loss" cat "$T_DIR/ping1"
check "green reaches red" reaches green 10.0.0.1
check "green reaches blue" reaches green 10.0.0.2
check_eq "the switch dropped none of red's frames" 0 "$(swq '{"cmd":"stats"}' 'port(r, "red-sw")["drops"]')"
check_eq "the switch has 3 ports" 3 "$(swq '{"cmd":"status"}' 'r["ports"]')"

drops=$(softnet_drops)
in_node red ping -q -c 200 -i 0.01 -W1 10.0.0.2 >"$T_DIR/ping2" 2>&1 &
pinger=$!
sleep 0.5
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}'
check_eq "reload removes green-sw" "['green-sw']" "$(swq '{"cmd":"reload"}' 'r["removed"]')"
wait $pinger
check_out "red's reaches during the removal: none lost" " 0% packet loss" cat "$T_DIR/ping2"
check "green is off the switch" no_ping green 10.0.0.1
check_eq "green's entries left the fdb" 0 "$(swq '{"cmd":"fdb"}' "len([e for e in r['entries'] if e['port'] == 'green-sw'])")"

# A broken configuration changes nothing.
echo '{"switch": "sw0", "ports": [{"name": "red-sw"}, {"name": "nosuch-sw"}]}' >"$SW_CONF"
check_out "a reload naming a missing interface fails in one line" "nosuch-sw.*No such device" swctl '{"cmd":"reload"}'
check_eq "...and leaves the ports as they were" "['blue-sw', 'red-sw']" "$(swq '{"cmd":"ports"}' 'sorted(p["name"] for p in r["ports"])')"
check "red still reaches blue" reaches red 10.0.0.2

# The host disappears: its veth pair goes with its namespace.
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}'
check_eq "green-sw added back" "['green-sw']" "$(swq '{"cmd":"reload"}' 'r["added"]')"
check "green reaches red" reaches green 10.0.0.1
ip netns del green
for _ in $(seq 30); do
	[ "$(swq '{"cmd":"status"}' 'r["ports"]')" = 2 ] && break
	sleep 0.1
done
check_eq "green's port was detached when its interface went" "['blue-sw', 'red-sw']" \
	"$(swq '{"cmd":"ports"}' 'sorted(p["name"] for p in r["ports"])')"
check_out "the log says so" "green-sw: the interface is gone" cat "$SW_LOG"
check "red still reaches blue" reaches red 10.0.0.2
finish
