# SPDX-License-Identifier: GPL-2.0-or-later
# A router host between two switches: hosts on either side reach each other
# only through it.
. "$(dirname "$0")/lib.sh"

topo=$(write_topo routed <<'YAML'
switches:
  lan1: {}
  lan2: {}
hosts:
  r1:
    forward: true
    interfaces:
      eth0: {switch: lan1, ip: 10.0.1.1/24}
      eth1: {switch: lan2, ip: 10.0.2.1/24}
  a:
    switch: lan1
    ip: 10.0.1.10/24
    routes: [{to: default, via: 10.0.1.1}]
  b:
    switch: lan2
    ip: 10.0.2.10/24
    routes: [{to: 10.0.1.0/24, via: 10.0.2.1}]
YAML
)
check "a routed lab comes up" "$NSLAB" up --sandbox "$topo"
check_eq "the router forwards" 1 "$(ip netns exec r1 cat /proc/sys/net/ipv4/ip_forward)"
check_eq "the hosts do not" 0 "$(ip netns exec a cat /proc/sys/net/ipv4/ip_forward)"
check "a reaches b through r1" pings a 10.0.2.10
check_out "the path is one router hop (ttl 63)" 'ttl=63' in_node a ping -c1 -W1 10.0.2.10
check_out "b's route names its interface" '10.0.1.0/24 via 10.0.2.1 dev eth0' in_node b ip route

# Edits that take forwarding away put it back as a fresh build has it.
sed -i 's/forward: true/forward: false/; s/lan1: {}/lan1: {gateway: 10.0.1.254\/24, nat: true}/' "$topo"
check "the router stops being one, lan1 gets a gateway with NAT" "$NSLAB" up --sandbox "$topo"
check_eq "  r1 no longer forwards" 0 "$(ip netns exec r1 cat /proc/sys/net/ipv4/ip_forward)"
check "  a no longer reaches b" no_ping a 10.0.2.10
check_eq "  the sandbox's host side forwards for the NAT" 1 "$(ip netns exec nslab-routed cat /proc/sys/net/ipv4/ip_forward)"
check_out "  and up again has nothing to do" 'up to date' "$NSLAB" up --sandbox "$topo"
sed -i 's/forward: false/forward: true/; s/lan1: {gateway: 10.0.1.254\/24, nat: true}/lan1: {}/' "$topo"
check "back as it was" "$NSLAB" up --sandbox "$topo"
check_eq "  r1 forwards again" 1 "$(ip netns exec r1 cat /proc/sys/net/ipv4/ip_forward)"
check_eq "  and the host side no longer: no NAT needs it" 0 "$(ip netns exec nslab-routed cat /proc/sys/net/ipv4/ip_forward)"
check "  a reaches b again" pings a 10.0.2.10
check "down" "$NSLAB" down routed
check_eq "nothing is left" "" "$(ip netns list)"
finish
