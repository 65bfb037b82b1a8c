#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The daemon is killed with SIGKILL, leaving its pid file and control
# socket behind. The flows it had handed to the kernel keep forwarding, as
# Open vSwitch's datapath does while ovs-vswitchd is down, but nothing new
# is switched. Started again with the same files, it replaces them, takes
# the kernel's flows back and forwards again at once.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 172.16.10.1/24
sw_host blue 172.16.10.5/24
sw_host green 172.16.10.9/24
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}'
check "the switch starts" sw_start
check "red reaches blue" reaches red 172.16.10.5
check "  on the fast path" test "$(swq '{"cmd":"status"}' 'r["fast_path"]["flows"]')" -ge 2
old=$(cat "$SW_PID")
kill -9 "$old"
for _ in $(seq 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
check_fail "kill -9: the daemon is gone" kill -0 "$old"
check "its socket file is left behind" test -S "$SW_SOCK"
check "its pid file is left behind" test -s "$SW_PID"
check "red still reaches blue: the kernel keeps the flows it had" in_node red ping -c2 -i0.2 -W1 172.16.10.5
check "red does not reach green: nothing new is switched" no_ping red 172.16.10.9
start=$(date +%s%N)
check "a restart with the same files succeeds" sw_start
check "red reaches blue with the first ping (1 s timeout)" in_node red ping -c1 -W1 172.16.10.5
echo "# restart to first answered ping: $(( ($(date +%s%N) - start) / 1000000 )) ms"
check "the pid file names the new daemon" test "$(cat "$SW_PID")" != "$old"
check "the socket answers" sw_alive
check_eq "the fdb starts afresh and relearns" 2 "$(swq '{"cmd":"fdb"}' 'len(r["entries"])')"
check "red reaches green now" reaches red 172.16.10.9
check_eq "the kernel's flows are the new daemon's: blue's answers to red, learned afresh" 1 \
	"$(swq '{"cmd":"flows"}' "len([f for f in r['flows'] if f['in'] == 'blue-sw' and f['out'] == 'red-sw'])")"

# Killed and restarted under a busy flow: the killed daemon's hook, still
# redirecting the flow, is taken off before the new daemon listens, so no
# frame reaches blue twice (once by the kernel, once by the new switch).
restart_under_flood() {
	in_node red ping -q -i 0.005 -c 400 -W1 172.16.10.5 >"$T_DIR/flood" 2>&1 &
	local p=$! pid
	sleep 0.5
	pid=$(cat "$SW_PID")
	kill -9 "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
	sw_start "$@"
	wait $p
}
for i in 1 2 3; do
	restart_under_flood
	check_out "kill -9 and restart under a busy flow ($i): red's echoes come back" ' 0% packet loss|[1-9] received' cat "$T_DIR/flood"
	check_fail "  none twice" grep -q duplicates "$T_DIR/flood"
done
# Restarted with the fast path off: the killed daemon's hooks, with flows
# no one would take back, go.
check "a flow on the fast path again" in_node red ping -c2 -i0.2 -W1 172.16.10.5
kill -9 "$(cat "$SW_PID")"
SW_EXTRA='"fast_path": false, ' sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}'
sleep 0.2
check "restarted with the fast path off" sw_start
check_eq "  no port keeps a hook" "" "$(for p in red-sw blue-sw green-sw; do tc filter show dev $p ingress; done)"
check "  red reaches blue through the switch" in_node red ping -c1 -W1 172.16.10.5
finish
