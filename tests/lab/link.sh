# SPDX-License-Identifier: GPL-2.0-or-later
# The hand-built network's first experiment: red and blue on one veth pair,
# no switch.
. "$(dirname "$0")/lib.sh"

topo=$(write_topo pair <<'YAML'
hosts:
  red: {ip: 172.10.10.1/24}
  blue: {ip: 172.10.10.5/24}
links:
  - [red, blue]
YAML
)
check "a direct link comes up" "$NSLAB" up --sandbox "$topo"
check "red pings blue" pings red 172.10.10.5
check_out "red's ARP table holds blue" '172\.10\.10\.5 dev eth0 lladdr' in_node red ip neigh
check_out "blue's ARP table holds red" '172\.10\.10\.1 dev eth0 lladdr' in_node blue ip neigh
check_out "red's eth0 is blue's eth0's peer" 'eth0@if[0-9]+.*link-netns blue' ip -o -n red link show eth0
check_eq "no switch-side interface exists in the sandbox's host" "lo,eth0" \
	"$(ip -n nslab-pair -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | paste -sd,)"
check "down" "$NSLAB" down pair
check_eq "nothing is left" "" "$(ip netns list)"
finish
