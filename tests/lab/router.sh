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
check "down" "$NSLAB" down routed
check_eq "nothing is left" "" "$(ip netns list)"
finish
