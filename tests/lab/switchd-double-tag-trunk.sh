#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VLAN hopping by double tagging from a trunk port: tr, on a trunk carrying
# VLAN 10 with native VLAN 1, sends frames tagged 1 (the native VLAN)
# outside and 20 inside. Accepted in VLAN 1, they would leave the trunk
# "up" (native 1: untagged) with tag 20 outermost, and a switch behind it
# would deliver them into VLAN 20. nslab-switchd drops them as
# double-tagged, and so does its kernel fast path, even for the addresses
# of a flow it carries (the flow's key says one tag). A priority-tagged
# frame (VID 0) from tr is in the native VLAN.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host tr 10.0.0.9/24
sw_host up
sw_host green 10.0.0.3/24
sw_host blue 10.0.0.2/24
sw_config '{"name":"tr-sw","trunk":[10],"native":1}' '{"name":"up-sw","trunk":[20],"native":1}' \
	'{"name":"green-sw","vlan":20}' '{"name":"blue-sw"}'
check "the switch starts" sw_start
check "tr reaches blue untagged (the native VLAN 1)" reaches tr 10.0.0.2

# One tag of VLAN 1 from tr to blue: a flow of the kernel's fast path.
send() { # send SCAPY-LAYERS COUNT: from tr to blue's MAC
	in_node tr "$PY" -c '
import sys
from scapy.all import Ether, Dot1Q, IP, ICMP, sendp, conf
conf.verb = 0
smac = open("/sys/class/net/tr-eth0/address").read().strip()
sendp(Ether(src=smac, dst=sys.argv[1]) / '"$1"' / IP(src="10.0.0.9", dst="10.0.0.3") / ICMP(),
      iface="tr-eth0", count=int(sys.argv[2]))' "$(mac_of blue)" "$2"
}
check "tr sends 5 frames tagged 1 to blue" send 'Dot1Q(vlan=1)' 5
check_eq "  the kernel carries them as a flow" 1 \
	"$(swq '{"cmd":"flows"}' "len([f for f in r['flows'] if f['in'] == 'tr-sw' and f['out'] == 'blue-sw' and f['in_tagged']])")"

# The captures run until every frame is sent (scapy takes a second or more
# to start, each time, on a loaded machine), then are stopped.
for h in green up blue; do
	capture "$h" "ether src $(mac_of tr)"
	check "the capture on $h listens" grep -q listening "$T_DIR/$h.tcpdump"
done
check "tr sends 4 double-tagged frames to blue (1 outside, 20 inside)" send 'Dot1Q(vlan=1) / Dot1Q(vlan=20)' 4
check "  and 2 with a priority tag outside, 20 inside" send 'Dot1Q(vlan=0, prio=5) / Dot1Q(vlan=20)' 2
check "  and 3 broadcasts tagged 1 outside, 20 inside" in_node tr "$PY" -c '
from scapy.all import Ether, Dot1Q, IP, ICMP, sendp, conf
conf.verb = 0
smac = open("/sys/class/net/tr-eth0/address").read().strip()
sendp(Ether(src=smac, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=1) / Dot1Q(vlan=20) / IP(dst="10.0.0.3") / ICMP(),
      iface="tr-eth0", count=3)'
check "  and 3 priority-tagged frames (VID 0) to blue" send 'Dot1Q(vlan=0, prio=3)' 3
stop_captures
count() { tcpdump -nr "$T_DIR/$1.pcap" "${@:2}" 2>/dev/null | wc -l; }
check_eq "green (VLAN 20) saw none of tr's frames" 0 "$(count green)"
check_eq "the trunk up saw none" 0 "$(count up)"
check_eq "blue saw no frame with a tag" 0 "$(count blue vlan)"
check_eq "  but the 3 priority-tagged ones, untagged: they are in the native VLAN" 3 "$(count blue icmp)"
check_eq "the switch counted 9 double-tagged frames dropped on tr's port" 9 \
	"$(swq '{"cmd":"stats"}' 'port(r, "tr-sw")["drop_reasons"].get("double-tagged", 0)')"
check_eq "  and no priority-tagged one" 0 \
	"$(swq '{"cmd":"stats"}' 'port(r, "tr-sw")["drop_reasons"].get("vlan-not-allowed", 0)')"
check "tr still reaches blue" reaches tr 10.0.0.2
finish
