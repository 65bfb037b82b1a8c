# SPDX-License-Identifier: GPL-2.0-or-later
# pingall over nslab-switchd at the scale where a userspace switch lags:
# 100 hosts, 9,900 pairs, twice in a row. ARP requests cross the switch's
# rings while answers take the kernel's fast path, so requests can reach
# their targets after the probe is over; the entries they make must not
# pile up in the machine's shared neighbour table (which would overflow
# and fail the second run), and none may be left after.
. "$(dirname "$0")/lib.sh"

N=100
topo=$(write_topo many <<YAML
name: many
switches:
  sw0: {gateway: 10.61.0.254/22}
hosts:
$(for i in $(seq 1 $N); do echo "  h$i: {switch: sw0, ip: 10.61.$((i / 250)).$((i % 250 + 1))/22}"; done)
YAML
)
check "a lab of $N hosts on nslab-switchd comes up" "$NSLAB" up --sandbox "$topo"
check_status "pingall: every pair reaches (0)" 0 "$NSLAB" pingall
check_out "  all $((N * (N - 1))) of them" "^$((N * (N - 1))) pairs: $((N * (N - 1))) reached, 0 not reached" cat "$T_DIR/last"
check_status "pingall at once again: every pair reaches (0)" 0 "$NSLAB" pingall
check_out "  all of them again" "^$((N * (N - 1))) pairs: $((N * (N - 1))) reached, 0 not reached" cat "$T_DIR/last"
left=0
for i in $(seq 1 $N); do left=$((left + $(ip -n h$i neigh show | wc -l))); done
check_eq "no neighbour entry pingall made is left in any host" 0 "$left"

# Killed, and brought back at once: up does not wait for the kernel to
# close the dying daemon's hundred sockets before starting the new one.
old=$(cat /run/nslab/many/sw0.pid)
kill -9 "$old"
check_out "with the daemon just killed, up starts a new one at once" 'updated .*1 made, 0 changed, 1 removed' \
	"$NSLAB" up --sandbox "$topo"
check "  which is running" test "$(cat /run/nslab/many/sw0.pid)" != "$old"
check "  and switches: h1 reaches h100" pings h1 10.61.0.101
check "  and h100 its gateway" pings h100 10.61.0.254
check "down" "$NSLAB" down many
finish
