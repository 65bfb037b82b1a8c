# SPDX-License-Identifier: GPL-2.0-or-later
# IPv4 and IPv6 together: hosts reach each other and the gateway over both,
# and the internet over NAT66.
. "$(dirname "$0")/lib.sh"

topo=$(write_topo dual <<'YAML'
switches:
  lan: {gateway: [10.1.0.254/24, "2001:db8:1::fe/64"], nat: true}
hosts:
  a: {switch: lan, ip: [10.1.0.1/24, "2001:db8:1::1/64"]}
  b: {switch: lan, ip: [10.1.0.2/24, "2001:db8:1::2/64"]}
YAML
)
check "a dual-stack lab comes up" "$NSLAB" up --sandbox "$topo"
check "a reaches b over IPv6 at once (no DAD wait)" in_node a ping -6 -c1 -W1 2001:db8:1::2
check "b reaches the IPv6 gateway" in_node b ping -6 -c1 -W1 2001:db8:1::fe
check_out "a's IPv6 default route is via the gateway" 'default via 2001:db8:1::fe' in_node a ip -6 route
check "a reaches b over IPv4" pings a 10.1.0.2
check "a reaches the internet over IPv6" in_node a ping -6 -c1 -W2 2001:db8:100::1
check "a reaches the internet over IPv4" pings a 198.51.100.1
check "down" "$NSLAB" down dual

# The same on a Linux bridge: its gateway address answers as soon as up
# returns (it stays tentative until the kernel has seen the bridge's
# carrier, which up waits for).
sed -i 's/lan: {gateway/lan: {kind: bridge, gateway/' "$topo"
for i in 1 2 3; do
	check "kind bridge ($i): the lab comes up" "$NSLAB" up --sandbox "$topo"
	check "  a reaches the IPv6 gateway with the first ping (1 s timeout)" in_node a ping -6 -c1 -W1 2001:db8:1::fe
	check "  down" "$NSLAB" down dual
done
check_eq "nothing is left" "" "$(ip netns list)"
finish
