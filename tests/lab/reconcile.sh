# SPDX-License-Identifier: GPL-2.0-or-later
# Green and yellow join a running red/blue network, an address changes, a
# host leaves: each by editing the file and running up again, with a ping
# between red and blue running throughout and never losing a packet.
. "$(dirname "$0")/lib.sh"

f=$T_DIR/net.yaml
v1() { cat >"$f" <<'YAML'
name: net
switches:
  v-net-0: {gateway: 172.16.10.254/24}
hosts:
  red: {switch: v-net-0, ip: 172.16.10.1/24}
  blue: {switch: v-net-0, ip: 172.16.10.5/24}
YAML
}
add_gy() { cat >>"$f" <<'YAML'
  green: {switch: v-net-0, ip: 172.16.10.10/24}
  yellow: {switch: v-net-0, ip: 172.16.10.20/24}
YAML
}
ident() { # what would change if red or blue were recreated
	echo "$(stat -L -c %i /run/netns/red) $(stat -L -c %i /run/netns/blue)" \
		"$(ip -n red -o link show eth0 | cut -d: -f1) $(ip -n nslab-net -o link show red-eth0 | cut -d: -f1)"
}
# ping red -> blue in the background for the duration of CMD; print the loss.
loss_during() {
	in_node red ping -q -i 0.005 -c 600 -W 1 172.16.10.5 >"$T_DIR/ping" 2>&1 &
	local p=$!
	sleep 0.3
	"$@" >"$T_DIR/cmd" 2>&1 || { cat "$T_DIR/cmd"; kill $p; return 1; }
	wait $p
	grep -Eo '[0-9.]+% packet loss' "$T_DIR/ping"
}

v1
check "red and blue come up" "$NSLAB" up --sandbox "$f"
check "red reaches blue" pings red 172.16.10.5
id0=$(ident)

add_gy
check_eq "green and yellow join with no packet lost between red and blue" "0% packet loss" \
	"$(loss_during "$NSLAB" up --sandbox "$f")"
check_out "the run reports only additions (and the switch's new ports)" 'updated .*: [0-9]+ made, [01] changed, 0 removed' cat "$T_DIR/cmd"
check_eq "red and blue were not recreated" "$id0" "$(ident)"
check "green reaches yellow" pings green 172.16.10.20
check "red reaches green" pings red 172.16.10.10

sed -i 's|172.16.10.10/24|172.16.10.11/24|' "$f"
check_eq "green's address changes with no packet lost between red and blue" "0% packet loss" \
	"$(loss_during "$NSLAB" up --sandbox "$f")"
check_out "green has its new address" '172\.16\.10\.11/24' in_node green ip -o addr show eth0
check_fail "and not the old one" grep -q '172.16.10.10/' <(in_node green ip -o addr show eth0)
check "red reaches green at the new address" pings red 172.16.10.11
check_eq "red and blue were not recreated" "$id0" "$(ident)"

# The first IPv4 address of a subnet is the kernel's primary (the source of
# what green sends there): reordering the list, or removing the primary,
# makes the interface as a fresh build of the file would.
primary() { in_node green ip -4 -o addr show eth0 | awk '!/secondary/ {print $4}'; }
sed -i 's|172.16.10.11/24|[172.16.10.11/24, 172.16.10.12/24, 172.16.10.13/24]|' "$f"
check "green gets two more addresses" "$NSLAB" up --sandbox "$f"
check_eq "  the first is primary" 172.16.10.11/24 "$(primary)"
sed -i 's|\[172.16.10.11/24, 172.16.10.12/24|[172.16.10.12/24, 172.16.10.11/24|' "$f"
check "green's first two addresses swap places" "$NSLAB" up --sandbox "$f"
check_eq "  the new first is primary" 172.16.10.12/24 "$(primary)"
check_eq "  all three are there" 3 "$(in_node green ip -4 -o addr show eth0 | wc -l)"
check_out "  and green's default route too" "^default via 172\.16\.10\.254" ip -n green route
sed -i 's|\[172.16.10.12/24, 172.16.10.11/24, |[172.16.10.11/24, |' "$f"
check "the primary is removed" "$NSLAB" up --sandbox "$f"
check_eq "  the next is primary" 172.16.10.11/24 "$(primary)"
check_eq "  and the secondary is still there (deleting a primary takes its secondaries)" 2 \
	"$(in_node green ip -4 -o addr show eth0 | wc -l)"
check_out "  and up again has nothing to do" 'up to date' "$NSLAB" up --sandbox "$f"
sed -i 's|\[172.16.10.11/24, 172.16.10.13/24\]|172.16.10.11/24|' "$f"
check "green back to one address" "$NSLAB" up --sandbox "$f"
check "red reaches green" pings red 172.16.10.11
check_eq "red and blue were not recreated" "$id0" "$(ident)"

sed -i '/yellow/d' "$f"
check_eq "yellow leaves with no packet lost between red and blue" "0% packet loss" \
	"$(loss_during "$NSLAB" up --sandbox "$f")"
check_fail "yellow's namespace is gone" test -e /run/netns/yellow
check_fail "yellow's switch-side link is gone" ip -n nslab-net link show yellow-eth0
check "green still reaches blue" pings green 172.16.10.5
check_eq "red and blue were not recreated" "$id0" "$(ident)"

# The hand-built network's "Network is unreachable": a host on a switch with
# a gateway, told to have no default route.
sed -i 's|  green: {switch: v-net-0, ip: 172.16.10.11/24}|  green: {switch: v-net-0, ip: 172.16.10.11/24, default_route: false}|' "$f"
check_out "default_route: false takes green's default route away, and nothing else" \
	' 0 made, 0 changed, 1 removed, ' "$NSLAB" up --sandbox "$f"
check_eq "  green has no default route" "" "$(ip -n green route show default)"
check_out "  so the gateway's other side is unreachable" 'Network is unreachable' \
	bash -c 'ip netns exec green ping -c1 -W1 203.0.113.1 2>&1; true'
check "  and green still reaches blue" pings green 172.16.10.5
sed -i 's|, default_route: false}|}|' "$f"
check "without it, green's default route comes back" "$NSLAB" up --sandbox "$f"
check_out "  via the gateway" "^default via 172\.16\.10\.254" ip -n green route
check_eq "red and blue were not recreated" "$id0" "$(ident)"

check "a switch moves to a new subnet: the gateway follows" bash -c "sed -i 's/172.16.10./172.16.20./g' $f && $NSLAB up --sandbox $f"
check "red reaches blue in the new subnet" pings red 172.16.20.5
check "red reaches the new gateway" pings red 172.16.20.254

check "down" "$NSLAB" down net
check_eq "nothing is left" "" "$(ip netns list)"
finish
