#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Red and blue ping each other through nslab-switchd, started by hand the
# way `nslab up` starts it; then it stops cleanly. Bad starts fail in one
# line.
. "$(dirname "$0")/switchd-lib.sh"

check_out "--help shows how to run it by hand" "--detach" "$NSLAB_SWITCHD" --help
v=$("$NSLAB" --version)
check_out "nslab --version prints a version" '^nslab [0-9]+\.[0-9]+\.[0-9]+$' echo "$v"
check_eq "nslab-switchd --version names the same version" "nslab-switchd ${v#nslab }" "$("$NSLAB_SWITCHD" --version)"
check_out "--help names every control request" "fdb-flush, reload" "$NSLAB_SWITCHD" --help
check_status "a missing --config is an error" 1 "$NSLAB_SWITCHD"

quiet_ns
sw_host red 172.16.10.1/24
sw_host blue 172.16.10.5/24

sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}'
check "--detach returns once the switch forwards" sw_start
# No waiting: forwarding must already work when --detach returned.
check "red reaches blue at once" in_node red ping -c1 -W1 172.16.10.5
check "blue pings red" reaches blue 172.16.10.1
check "the pid file names the daemon" test "$(cat "$SW_PID")" -gt 1 -a -d "/proc/$(cat "$SW_PID")"
check_eq "the control socket is private (0600)" 600 "$(stat -c %a "$SW_SOCK")"
check_eq "status: the switch's name" sw0 "$(swq '{"cmd":"status"}' 'r["switch"]')"
check_eq "status: two ports" 2 "$(swq '{"cmd":"status"}' 'r["ports"]')"
check_eq "ports: red-sw is an up access port of VLAN 1" "up access 1" \
	"$(swq '{"cmd":"ports"}' '" ".join(str(port(r, "red-sw")[k]) for k in ("state", "mode", "vlan"))')"
check_eq "fdb: red's address learned on red-sw" red-sw \
	"$(swq '{"cmd":"fdb"}' "[e['port'] for e in r['entries'] if e['mac'] == '$(mac_of red)'][0]")"
check_out "the log says the ports were attached" "port blue-sw attached" cat "$SW_LOG"
check_fail "a second daemon on the same pid file is refused" sw_start
check "the first one still forwards" reaches red 172.16.10.5

pid=$(cat "$SW_PID")
kill -TERM "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check_fail "SIGTERM stops it" kill -0 "$pid"
check_fail "the pid file is removed" test -e "$SW_PID"
check_fail "the control socket is removed" test -e "$SW_SOCK"
check "red no longer reaches blue" no_ping red 172.16.10.5

sw_config '{"name":"red-sw"}' '{"name":"nosuch-sw"}'
check_status "a port that does not exist: exit 1" 1 sw_start
check_out "...with one line naming it" "^nslab-switchd: nosuch-sw: .*No such device$" fails sw_start
check_eq "...and only that line" 1 "$(sw_start 2>&1 | wc -l)"
check_eq "...and nothing left running" "" "$(pgrep -f "nslab-switchd --config $SW_CONF")"
echo '{"switch": "sw0", "ports": [{"name": "red-sw", "vlan": 5000}]}' >"$SW_CONF"
check_out "an out-of-range VLAN: one line naming the key" "ports\[0\]\.vlan: 5000 is out of range" fails sw_start
echo '{"switch": "sw0", "prots": []}' >"$SW_CONF"
check_out "an unknown key is an error" "unknown key \"prots\"" fails sw_start
finish
