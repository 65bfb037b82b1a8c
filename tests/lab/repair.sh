# SPDX-License-Identifier: GPL-2.0-or-later
# up repairs a running lab: a host's link made anew by an edit (the switch
# daemon lets go of the old interface and attaches the new one), and what
# someone deleted behind nslab's back — a host's namespace, a host's link,
# a bridge, the sandbox's whole host namespace — is made again, and what
# someone changed (a link set down, an address flushed, a route replaced,
# forwarding turned off, the NAT table flushed) is set right, with the
# hosts nobody touched left as they were.
. "$(dirname "$0")/lib.sh"

f=$(write_topo net <<'YAML'
name: net
switches:
  s1: {gateway: 10.1.0.254/24, nat: true}
  br: {kind: bridge, gateway: 10.2.0.254/24, nat: true}
hosts:
  a: {switch: s1, ip: 10.1.0.1/24}
  b: {switch: s1, ip: 10.1.0.2/24}
  c: {switch: br, ip: 10.2.0.3/24}
  d: {switch: br, ip: 10.2.0.4/24}
YAML
)
# The identity of the hosts nobody touches: namespace inode and link index.
ident() {
	local n
	for n in "$@"; do echo "$n $(stat -L -c %i /run/netns/$n) $(ip -n $n -o link show eth0 | cut -d: -f1)"; done
}
all_reach() { "$NSLAB" pingall net; }

check "the lab comes up" "$NSLAB" up --sandbox "$f"
check_out "show, right after up, has the bridge up (carrier, before the kernel's link watcher says so)" \
	'^host +br +UP ' "$NSLAB" show net
check "every pair reaches" all_reach
id_b=$(ident b d)

# An edit that makes a's link anew (a MAC of its choosing): the daemon's
# configuration reads the same, but it must attach the new interface.
sed -i "s|  a: {switch: s1, ip: 10.1.0.1/24}|  a: {interfaces: {eth0: {switch: s1, ip: 10.1.0.1/24, mac: '02:00:00:00:aa:01'}}}|" "$f"
check "a's link is made anew with its new MAC" "$NSLAB" up --sandbox "$f"
check_out "a has MAC 02:00:00:00:aa:01" 'link/ether 02:00:00:00:aa:01' in_node a ip link show eth0
check "a reaches b across nslab-switchd" pings a 10.1.0.2
check "a reaches the internet through NAT" pings a 198.51.100.1
check_out "the switch's port a-eth0 is attached" '^a-eth0 +up' "$NSLAB" switch s1 ports

# A new MTU changes the links in place: nothing is made anew.
id_a=$(ident a b c d)
sed -i 's|  s1: {gateway: 10.1.0.254/24, nat: true}|  s1: {gateway: 10.1.0.254/24, nat: true, mtu: 9000}|; s|mac: .02:00:00:00:aa:01.|&, mtu: 9000|; s|  b: {switch: s1, ip: 10.1.0.2/24}|  b: {switch: s1, ip: 10.1.0.2/24, mtu: 9000}|' "$f"
check_out "a new MTU on s1 and its hosts is a change in place" 'updated .*: 0 made, [0-9]+ changed, 0 removed' "$NSLAB" up --sandbox "$f"
check_eq "  that makes no link anew" "$id_a" "$(ident a b c d)"
check_out "  a has MTU 9000" 'mtu 9000' in_node a ip link show eth0
check "  and a jumbo frame crosses nslab-switchd" in_node a ping -c1 -W1 -M do -s 8000 10.1.0.2
check "  and reaches the gateway" in_node a ping -c1 -W1 -M do -s 8000 10.1.0.254

ip netns del a
check_out "with a's namespace deleted by hand, ls calls the lab damaged" '^net +sandbox .* damaged ' "$NSLAB" ls
check "  and up makes it again" "$NSLAB" up --sandbox "$f"
check_out "the run says what it made again" 'updated .*[1-9][0-9]* made' cat "$T_DIR/last"
check_out "  after which ls calls it up" '^net +sandbox .* up ' "$NSLAB" ls
check "a reaches b again" pings a 10.1.0.2
check_eq "b and d were not recreated" "$id_b" "$(ident b d)"

ip -n c link del eth0
check "with c's link deleted by hand, up makes it again" "$NSLAB" up --sandbox "$f"
check "c reaches d on the bridge again" pings c 10.2.0.4
check_out "c's switch-side end is the bridge's port again" 'master br' ip -n nslab-net link show c-eth0

ip -n nslab-net link del dev br
check "with the bridge deleted by hand, up makes it again" "$NSLAB" up --sandbox "$f"
check "c reaches d across the new bridge" pings c 10.2.0.4
check "d reaches its gateway again" pings d 10.2.0.254
check "d reaches the internet through NAT" pings d 198.51.100.1

ip -n nslab-net link del dev s1
check "with nslab-switchd's host-side link deleted by hand, up makes it again" "$NSLAB" up --sandbox "$f"
check "b reaches its gateway again" pings b 10.1.0.254

check_out "a lab that is whole is up to date" 'up to date' "$NSLAB" up --sandbox "$f"

# An address someone added by hand that the file then asks for is the one
# wanted: adopted, where it made up fail and its rollback take it away.
ip -n b addr add 10.1.0.22/24 dev eth0
sed -i 's|  b: {switch: s1, ip: 10.1.0.2/24, mtu: 9000}|  b: {switch: s1, ip: [10.1.0.2/24, 10.1.0.22/24], mtu: 9000}|' "$f"
check "an address added by hand, then to the file, is adopted" "$NSLAB" up --sandbox "$f"
check_out "  b has it" 'inet 10\.1\.0\.22/24' in_node b ip addr show eth0
check "  and a reaches it" pings a 10.1.0.22
sed -i 's|ip: \[10.1.0.2/24, 10.1.0.22/24\]|ip: 10.1.0.2/24|' "$f"
check "taken out of the file" "$NSLAB" up --sandbox "$f"
check_fail "  it goes" grep -q '10.1.0.22' <(ip -n b addr show eth0)

# An edit this kernel may not be able to apply: c onto VLAN 10 of the
# bridge, which needs the bridge's VLAN filtering. Where it is missing, up
# says so before touching anything, and the running lab stays as it was.
sed 's|  c: {switch: br, ip: 10.2.0.3/24}|  c: {switch: br, ip: 10.2.0.3/24, vlan: 10}|' "$f" >"$T_DIR/vlan.yaml"
id_all=$(ident a b c d)
if ip link add nslab-vlt type bridge vlan_filtering 1 2>/dev/null; then
	ip link del nslab-vlt
	check "c moves to VLAN 10 of the bridge" "$NSLAB" up --sandbox "$T_DIR/vlan.yaml"
	check "c no longer reaches d" no_ping c 10.2.0.4
	check "back to VLAN 1" "$NSLAB" up --sandbox "$f"
else
	check_status "moving c to a VLAN of the bridge is refused" 1 "$NSLAB" up --sandbox "$T_DIR/vlan.yaml"
	check_out "  saying why and what to use" "br: this kernel's bridge has no VLAN filtering .*use kind: nslab" cat "$T_DIR/last"
	check_eq "  and touching no host" "$id_all" "$(ident a b c d)"
fi
check "c reaches d" pings c 10.2.0.4
check_out "the lab is whole" 'up to date' "$NSLAB" up --sandbox "$f"

# Changed by hand rather than deleted: a host's link set down, another's
# addresses flushed, a third's default route pointed elsewhere, a switch
# port and the bridge set down. up sets each right, in place, and says so.
id_d=$(ident d)
ip -n a link set eth0 down
ip -n b addr flush dev eth0
ip -n c route replace default via 10.2.0.99
ip -n nslab-net link set d-eth0 down
ip -n nslab-net link set br down
check_fail "with a's link down, a does not reach b" pings a 10.1.0.2
check_out "a dry run says what it would set right" \
	'^net: would make [0-9]+, change [0-9]+ and remove [0-9]+ objects \([0-9]+ unchanged\); would set right [0-9]+ objects changed or deleted by hand$' \
	"$NSLAB" up --sandbox -n "$f"
check_out "up sets right what was changed by hand, and says so" \
	'^net: updated in [0-9.]+ s: .*; set right [0-9]+ objects changed or deleted by hand$' \
	"$NSLAB" up --sandbox "$f"
check_out "  a's link is up again" 'state UP' ip -n a link show eth0
check_out "  b has its address again" 'inet 10\.1\.0\.2/24' ip -n b addr show eth0
check_out "  c's default route is the gateway again" '^default via 10\.2\.0\.254 dev eth0' ip -n c route
check_out "  d's switch port is up again" ',UP' ip -n nslab-net link show d-eth0
check_out "  and the bridge" ',UP' ip -n nslab-net link show br
check "every pair reaches" all_reach
check "c reaches the internet through NAT" pings c 198.51.100.1
check_eq "d was not recreated" "$id_d" "$(ident d)"
check_out "the lab is whole" 'up to date' "$NSLAB" up --sandbox "$f"

# An MTU changed by hand, and a bridge port taken out of its bridge.
ip -n d link set eth0 mtu 1400
ip -n nslab-net link set c-eth0 nomaster
check_fail "with c's port out of the bridge, c does not reach d" pings c 10.2.0.4
check_out "up sets them right" '; set right 2 objects changed or deleted by hand$' "$NSLAB" up --sandbox "$f"
check_out "  d's MTU is 1500 again" ' mtu 1500 ' ip -n d link show eth0
check_out "  c's port is the bridge's again" ' master br ' ip -n nslab-net link show c-eth0
check "  c reaches d" pings c 10.2.0.4
check_out "the lab is whole" 'up to date' "$NSLAB" up --sandbox "$f"

# A host's interface renamed by hand, and a switch's host-side interface:
# the pairs are made again under their names (the renamed ends go with them).
ip -n a link set eth0 name foo
ip -n nslab-net link set s1 name s1x
check_out "up remakes a link renamed by hand" '; set right [0-9]+ objects changed or deleted by hand$' \
	"$NSLAB" up --sandbox "$f"
check_eq "  a has its eth0 again, and no foo" "eth0" "$(ip -n a -o link show | awk -F': ' '$2 != "lo" {sub(/@.*/, "", $2); print $2}')"
check_fail "  the renamed host side is gone" ip -n nslab-net link show s1x
check "  a reaches b" pings a 10.1.0.2
check "  and its gateway" pings a 10.1.0.254
check_out "the lab is whole" 'up to date' "$NSLAB" up --sandbox "$f"

# The host side's forwarding turned off, and its NAT table flushed away (as
# a firewall reload does): set right too.
ip netns exec nslab-net sysctl -qw net.ipv4.ip_forward=0
check_fail "with the host side's forwarding off, a does not reach its peer" pings a 198.51.100.1
ip netns exec nslab-net sysctl -qw net.ipv4.ip_forward=1
ip netns exec nslab-net nft flush ruleset
check_fail "with the NAT table flushed, a does not reach the internet" pings a 198.51.100.1
check_out "show notes the NAT rules are gone" '^s1: its NAT rules are gone \(nftables table inet nslab-net\); nslab up writes them again$' \
	"$NSLAB" show net
check_out "  for the bridge too" '^br: its NAT rules are gone' cat "$T_DIR/last"
check "  and -j has no counts" bash -c "$NSLAB show -j net | $PY -c '
import json, sys
d = json.load(sys.stdin)
for s in d[\"switches\"]:
    assert s[\"nat\"] is True and s[\"nat_packets\"] is None and s[\"nat_bytes\"] is None, s
'"
ip netns exec nslab-net sysctl -qw net.ipv4.ip_forward=0
check_out "up sets both right" '; set right 2 objects changed or deleted by hand$' "$NSLAB" up --sandbox "$f"
check_eq "  forwarding is on" 1 "$(ip netns exec nslab-net cat /proc/sys/net/ipv4/ip_forward)"
check "  a reaches the internet through NAT again" pings a 198.51.100.1
check "  and c" pings c 198.51.100.1
check_out "the lab is whole" 'up to date' "$NSLAB" up --sandbox "$f"
ip netns exec nslab-net nft flush table inet nslab-net
check_fail "with the NAT table emptied (nft flush table), a does not reach the internet" pings a 198.51.100.1
check_out "show notes it" '^s1: its NAT rules are gone' "$NSLAB" show net
check_out "up sets it right" '; set right 1 object changed or deleted by hand$' "$NSLAB" up --sandbox "$f"
check "  a reaches the internet through NAT again" pings a 198.51.100.1
check_out "the lab is whole" 'up to date' "$NSLAB" up --sandbox "$f"
check_fail "  and show notes nothing gone" grep -q 'gone' <("$NSLAB" show net)

ip netns del nslab-net
check "with the sandbox's host namespace deleted, up makes it all again" "$NSLAB" up --sandbox "$f"
check "every pair reaches" all_reach
check "a reaches the internet through NAT" pings a 198.51.100.1
check "c reaches the internet through NAT" pings c 198.51.100.1

check "down" "$NSLAB" down net

# A MAC the file gives, changed by hand: set back, in place.
mac=$(write_topo mac <<'YAML'
name: mac
switches: {ms: {}}
hosts:
  m1: {switch: ms, ip: 10.3.0.1/24, mac: "02:00:00:00:03:01"}
  m2: {switch: ms, ip: 10.3.0.2/24}
YAML
)
check "a lab with a MAC in its file comes up" "$NSLAB" up --sandbox "$mac"
id_m=$(ident m1)
ip -n m1 link set eth0 address 02:00:00:00:03:99
check_out "up sets the MAC back" '; set right 1 object changed or deleted by hand$' "$NSLAB" up --sandbox "$mac"
check_out "  m1 has it" 'link/ether 02:00:00:00:03:01 ' ip -n m1 link show eth0
check_eq "  on the same link" "$id_m" "$(ident m1)"
check "  m1 reaches m2" pings m1 10.3.0.2
check "down" "$NSLAB" down mac
check_eq "nothing is left" "" "$(ip netns list)"
finish
