#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VLAN hopping by double tagging: red, on an access port of VLAN 1 (the
# trunk's native VLAN), sends a frame tagged 1 outside and 20 inside. A
# switch that accepted it and popped the outer tag would send it out of the
# trunk "untagged" (native) = tagged 20, into VLAN 20. nslab-switchd drops
# tagged frames on access ports: it never appears in VLAN 20, nor anywhere.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host green 10.0.0.3/24
sw_host up
sw_host blue 10.0.0.2/24
sw_config '{"name":"red-sw"}' '{"name":"green-sw","vlan":20}' \
	'{"name":"up-sw","trunk":[20],"native":1}' '{"name":"blue-sw"}'
check "the switch starts" sw_start
check "red reaches blue (VLAN 1)" reaches red 10.0.0.2

# Capture everywhere else, from before the first frame to after the last.
for h in green up blue; do
	capture "$h" "ether src $(mac_of red)"
	check "the capture on $h listens" grep -q listening "$T_DIR/$h.tcpdump"
done
check "red sends 6 double-tagged frames and 1 tagged (scapy)" in_node red "$PY" -c '
from scapy.all import Ether, Dot1Q, IP, ICMP, sendp, conf
conf.verb = 0
smac = open("/sys/class/net/red-eth0/address").read().strip()
hop = Dot1Q(vlan=1) / Dot1Q(vlan=20) / IP(src="10.0.0.1", dst="10.0.0.3") / ICMP()
sendp(Ether(src=smac, dst="ff:ff:ff:ff:ff:ff") / hop, iface="red-eth0", count=5)
sendp(Ether(src=smac, dst="'"$(mac_of green)"'") / hop, iface="red-eth0")
sendp(Ether(src=smac, dst="'"$(mac_of green)"'") / Dot1Q(vlan=20) / IP(src="10.0.0.1", dst="10.0.0.3") / ICMP(), iface="red-eth0")
'
stop_captures
count() { tcpdump -nr "$T_DIR/$1.pcap" 2>/dev/null | wc -l; }
check_eq "green (VLAN 20) saw none of red's frames" 0 "$(count green)"
check_eq "the trunk saw none" 0 "$(count up)"
check_eq "blue (red's own VLAN) saw none either" 0 "$(count blue)"
check_eq "the switch counted 7 tagged frames dropped on red's access port" 7 \
	"$(swq '{"cmd":"stats"}' 'port(r, "red-sw")["drop_reasons"].get("tagged-on-access", 0)')"
check "red still reaches blue" reaches red 10.0.0.2
finish
