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
check_out "NAT goes out of the default route's interface" 'oifname "wan0" counter packets [0-9]+ bytes [0-9]+ masquerade' nft list table inet nslab-seed
check "red reaches the world through NAT" pings red 198.51.100.1
check_out "show names the uplink NAT took from the default route" '^v-net-0 +nslab +172\.16\.10\.254/24 +yes, [0-9]+ packets? +wan0$' "$NSLAB" show
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

# uplink: naming an interface the machine lacks: refused, nothing made.
missing=$(write_topo missing <<'YAML'
switches:
  lan3: {gateway: 10.8.0.254/24, nat: true, uplink: nosuch0}
hosts:
  d: {switch: lan3, ip: 10.8.0.1/24}
YAML
)
check_status "an uplink the machine lacks is refused (1)" 1 "$NSLAB" up "$missing"
check_out "  saying so" '^nslab: missing: lan3: uplink nosuch0: this machine has no such interface; ' cat "$T_DIR/last"
check_fail "  and nothing was made" ip link show lan3
check_out "  nor kept on record" '^no lab is running' "$NSLAB" ls

# An nftables table of the lab's name that someone else made: refused and
# left as it was.
nft add table inet nslab-seed
nft add chain inet nslab-seed mine '{ type filter hook input priority 0; }'
nft add rule inet nslab-seed mine counter accept
check_status "a table inet nslab-LAB that is not the lab's is refused (1)" 1 "$NSLAB" up
check_out "  saying so" 'this machine has an nftables table inet nslab-seed already, which is not lab seed.s' cat "$T_DIR/last"
check_out "  and it keeps its chain" 'chain mine' nft list table inet nslab-seed
check_fail "  and nothing was made" ip link show v-net-0
nft delete table inet nslab-seed

# The machine losing its default route (a link down) does not stop up from
# repairing a running lab: it keeps the uplink it was built with.
check "the seed comes up" "$NSLAB" up
ip route del default via 192.0.2.1
ip link set v-net-0 down
check_out "without a default route, up repairs it with the uplink it had" 'set right' "$NSLAB" up
check_out "  NAT still goes out of wan0" 'oifname "wan0" counter packets [0-9]+ bytes [0-9]+ masquerade' nft list table inet nslab-seed
ip route add default via 192.0.2.1
# The host side's route to the lab's subnet, deleted by hand: put back.
ip route del 172.16.10.0/24 dev v-net-0
check_fail "with the host's route to the subnet gone, red cannot reach the world" pings red 198.51.100.1
check_out "up puts it back" '; set right 1 object changed or deleted by hand$' "$NSLAB" up
check "  red reaches the world again" pings red 198.51.100.1
check "down" "$NSLAB" down seed

# IPv6 by another link than IPv4: each family's NAT goes out of the link its
# default route takes.
ip link add wan6 type veth peer name wan6peer
ip -6 addr add 2001:db8:6::2/64 dev wan6 nodad; ip link set wan6 up; ip link set wan6peer up
ip -6 route add default via 2001:db8:6::1 dev wan6
ds=$(write_topo ds <<'YAML'
switches:
  lan5: {gateway: [10.7.0.254/24, "2001:db8:70::fe/64"], nat: true}
hosts:
  f: {switch: lan5, ip: [10.7.0.1/24, "2001:db8:70::1/64"]}
YAML
)
check "a dual-stack lab comes up" "$NSLAB" up "$ds"
check_out "  IPv4 is masqueraded out of wan0 (the IPv4 default route's)" 'ip saddr 10\.7\.0\.0/24 oifname "wan0" counter packets [0-9]+ bytes [0-9]+ masquerade' nft list table inet nslab-ds
check_out "  IPv6 out of wan6 (the IPv6 default route's)" 'ip6 saddr 2001:db8:70::/64 oifname "wan6" counter packets [0-9]+ bytes [0-9]+ masquerade' nft list table inet nslab-ds
check_out "  show names both uplinks" '^lan5 +nslab +10\.7\.0\.254/24,2001:db8:70::fe/64 +yes, [0-9]+ packets? +wan0, wan6 \(IPv6\)$' "$NSLAB" show
check_out "  and wan6 among the host's interfaces" '^host +wan6 .*uplink \(NAT, IPv6\)$' cat "$T_DIR/last"
check "  show -j: uplink and uplink6" bash -c "$NSLAB show -j | $PY -c '
import json,sys; s=json.load(sys.stdin)[\"switches\"][0]; assert s[\"uplink\"]==\"wan0\" and s[\"uplink6\"]==\"wan6\", s'"
check_out "  doctor says so" '^OK +uplink +NAT goes out of the default routes. links: IPv4 wan0, IPv6 wan6$' "$NSLAB" doctor "$ds"
check "down" "$NSLAB" down ds

# A family NAT needs without a default route of its own goes out of the
# other's link, with a warning from up and doctor.
ip route del default
check_out "with no IPv4 default route, doctor warns that IPv4 NAT borrows IPv6's link" \
	'^WARN +uplink +this machine has no IPv4 default route: the lab.s IPv4 subnets would be masqueraded out of wan6' \
	"$NSLAB" doctor "$ds"
check_out "  up too" 'warning: ds: this machine has no IPv4 default route: the lab.s IPv4 subnets are masqueraded out of wan6' \
	"$NSLAB" up "$ds"
check_out "  and does so" 'ip saddr 10\.7\.0\.0/24 oifname "wan6" counter packets [0-9]+ bytes [0-9]+ masquerade' nft list table inet nslab-ds
check "down" "$NSLAB" down ds
ip route add default via 192.0.2.1
ip link del wan6
check_out "with no IPv6 default route, a dual-stack lab's IPv6 NAT borrows IPv4's link, with a warning" \
	'warning: ds: this machine has no IPv6 default route: the lab.s IPv6 subnets are masqueraded out of wan0' \
	"$NSLAB" up "$ds"
check_out "  show has one uplink" '^lan5 .* +yes, [0-9]+ packets? +wan0$' "$NSLAB" show
check "down" "$NSLAB" down ds

# A lab subnet that overlaps the machine's own: a warning from up and doctor.
clash=$(write_topo clash <<'YAML'
switches:
  lan4: {gateway: 192.0.2.129/25}
hosts:
  e: {switch: lan4, ip: 192.0.2.130/25}
YAML
)
check_out "doctor warns of a subnet that overlaps the machine's route" \
	"^WARN +subnets +switch lan4's subnet 192\.0\.2\.128/25 overlaps this machine's route to 192\.0\.2\.0/24 \(dev wan0\)" \
	"$NSLAB" doctor "$clash"
check_out "  up too" "warning: clash: switch lan4's subnet 192\.0\.2\.128/25 overlaps this machine's route to 192\.0\.2\.0/24" \
	"$NSLAB" up "$clash"
check "down" "$NSLAB" down clash
check_out "doctor finds no overlap for the seed" '^OK +subnets +the lab.s 1 subnet overlaps none' "$NSLAB" doctor "$TOP/examples/seed.yaml"

# A FORWARD policy of drop (as Docker sets) gets a warning naming the fix.
nft add table ip filter
nft add chain ip filter FORWARD '{ type filter hook forward priority 0; policy drop; }'
at_exit "nft delete table ip filter"
check_out "a FORWARD drop policy is warned about" 'warning: .*drops forwarded traffic' "$NSLAB" up
check_out "  and left as it was" 'policy drop' nft list chain ip filter FORWARD
check "down" "$NSLAB" down seed
finish
