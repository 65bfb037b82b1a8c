# SPDX-License-Identifier: GPL-2.0-or-later
# A lab on the "real host": here, this test's own throwaway namespace, given
# an uplink with a default route, as a machine has. NAT goes out of that
# uplink, forwarding is turned on and put back when the last lab goes.
. "$(dirname "$0")/lib.sh"

# The "machine": uplink wan0 (192.0.2.2) to a fake internet namespace.
ip netns add world
ip link add wan0 type veth peer name eth0 netns world
ip addr add 192.0.2.2/24 dev wan0; ip link set wan0 up
ip -n world addr add 192.0.2.1/24 dev eth0; ip -n world link set eth0 up; ip -n world link set lo up
ip -n world addr add 198.51.100.1/32 dev lo
ip route add default via 192.0.2.1
echo 0 >/proc/sys/net/ipv4/ip_forward
at_exit "ip netns del world"

check "the seed network comes up on the host" "$NSLAB" up
check_out "v-net-0 carries the gateway on the host" '172\.16\.10\.254/24' ip addr show v-net-0
check_eq "forwarding is on" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
check_out "NAT goes out of the default route's interface" 'oifname "wan0" masquerade' nft list table inet nslab-seed
check "red reaches the world through NAT" pings red 198.51.100.1
check_out "show names the uplink NAT took from the default route" '^v-net-0 +nslab +172\.16\.10\.254/24 +yes +wan0$' "$NSLAB" show
check_out "  and the uplink among the host's interfaces" '^host +wan0 .*uplink \(NAT\)$' "$NSLAB" show
check "nslab exec host runs on the host" bash -c "$NSLAB exec host ip link show v-net-0 >/dev/null"

topo=$(write_topo second <<'YAML'
switches:
  lan2: {gateway: 10.9.0.254/24, nat: true}
hosts:
  c: {switch: lan2, ip: 10.9.0.1/24}
YAML
)
check "a second lab comes up beside it" "$NSLAB" up "$topo"
check "c reaches the world" pings c 198.51.100.1
check "the first lab goes" "$NSLAB" down seed
check_eq "forwarding stays on while the second lab needs it" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
check "c still reaches the world" pings c 198.51.100.1
check "the second lab goes (down -l LAB)" "$NSLAB" down -l second
check_eq "forwarding is back off" 0 "$(cat /proc/sys/net/ipv4/ip_forward)"
check_fail "v-net-0 is gone" ip link show v-net-0
check_fail "no nslab table is left" bash -c "nft list tables | grep -q nslab"
check_eq "only the machine's own links remain" "lo wan0" "$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | paste -sd' ')"
check_out "the default route is untouched" 'default via 192.0.2.1 dev wan0' ip route

# A FORWARD policy of drop (as Docker sets) gets a warning naming the fix.
nft add table ip filter
nft add chain ip filter FORWARD '{ type filter hook forward priority 0; policy drop; }'
at_exit "nft delete table ip filter"
check_out "a FORWARD drop policy is warned about" 'warning: .*drops forwarded traffic' "$NSLAB" up
check_out "  and left as it was" 'policy drop' nft list chain ip filter FORWARD
check "down" "$NSLAB" down seed
finish
