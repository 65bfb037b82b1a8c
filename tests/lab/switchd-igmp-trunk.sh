#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# IGMP snooping across a trunk: a listener behind a trunk port, which
# reports its group tagged, gets the group's stream tagged with the VLAN
# and nothing of it untagged, as does an access listener; a host of the
# VLAN that did not join sees none, and another VLAN none. The kernel's
# multicast flow carries the stream to both, pushing the tag on the trunk's
# copy (fastpath_mcast.h). A source behind the trunk, sending tagged, is
# matched on its tag and reaches the access listener the same way.
# (This kernel has no 802.1Q devices: the trunk host speaks with scapy.)
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 172.16.50.1/24
sw_host blue 172.16.50.2/24
sw_host green
sw_host yellow 172.16.50.4/24
sw_host white 172.16.50.5/24
sw_config '{"name":"red-sw","vlan":10}' '{"name":"blue-sw","vlan":10}' \
	'{"name":"green-sw","trunk":[10,20],"native":0}' '{"name":"yellow-sw","vlan":10}' \
	'{"name":"white-sw","vlan":20}'
check "the switch starts" sw_start

mdb_has() { # mdb_has PORT VLAN: the switch lists PORT as a listener of 239.1.2.3 in VLAN
	[ "$(swq '{"cmd":"mdb"}' "any(g['group'] == '239.1.2.3' and g['port'] == '$1' and g['vlan'] == $2 for g in r['groups'])")" = True ]
}
known() { local i; for i in $(seq 30); do mdb_has "$@" && return 0; sleep 0.1; done; return 1; }
# green_report: green joins 239.1.2.3 in VLAN 10 (an IGMPv2 report, tagged).
green_report() {
	in_node green "$PY" -c '
from scapy.all import Ether, Dot1Q, IP, sendp, conf
from scapy.contrib.igmp import IGMP
conf.verb = 0
smac = open("/sys/class/net/green-eth0/address").read().strip()
sendp(Ether(src=smac, dst="01:00:5e:01:02:03") / Dot1Q(vlan=10) /
      IP(src="172.16.50.3", dst="239.1.2.3", ttl=1) / IGMP(type=0x16, gaddr="239.1.2.3"), iface="green-eth0")'
}
listen() { listen_group "$1" "$2" 239.1.2.3 "$1-eth0"; } # listen HOST SECONDS (switchd-lib.sh)
# capture HOST SECONDS: the group's frames on HOST's eth0 into HOST.pcap
capture() {
	in_node "$1" timeout "$2" tcpdump -nli "$1-eth0" -w "$T_DIR/$1.pcap" \
		"ether dst 01:00:5e:01:02:03 or (vlan and ether dst 01:00:5e:01:02:03)" \
		>/dev/null 2>"$T_DIR/$1.tcpdump" &
}
# count HOST FILTER: UDP datagrams to 239.1.2.3:9999 in HOST.pcap that match FILTER
count() {
	tcpdump -nr "$T_DIR/$1.pcap" "$2" 2>/dev/null | grep -c '239\.1\.2\.3\.9999:' || true
}

check "green reports 239.1.2.3 tagged VLAN 10" green_report
check "  the switch knows green-sw listens in VLAN 10" known green-sw 10
check_fail "  and not in VLAN 20" mdb_has green-sw 20
bg "$T_DIR/blue" listen blue 5
check "blue's join is known on its access port" known blue-sw 10
capture green 4; capture yellow 4; capture white 4
sleep 1
k0=$(kpkts)
in_node red "$PY" -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("172.16.50.1"))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 4)
for i in range(40):
    s.sendto(b"x", ("239.1.2.3", 9999)); time.sleep(0.01)' &
sleep 0.15
check "during red's stream, a multicast flow red-sw -> [blue-sw, green-sw]" mflow_seen red-sw blue-sw,green-sw 239.1.2.3 10 no
wait
k1=$(kpkts)
echo "# the kernel carried $((k1 - k0)) of 40"
check "  most went by the kernel (20 or more of 40)" test $((k1 - k0)) -ge 20
check_eq "blue received every datagram" 40 "$(result "$T_DIR/blue")"
check_eq "green saw every datagram tagged VLAN 10, none untagged" "40 0" \
	"$(count green "vlan 10") $(count green "not vlan")"
check_eq "yellow, in the VLAN but not listening, saw none" 0 "$(count yellow "")"
check_eq "white, in VLAN 20, saw none" 0 "$(count white "")"

# The other way: green sends the group's stream tagged VLAN 10.
bg "$T_DIR/blue2" listen blue 5
check "blue's join is known again" known blue-sw 10
capture yellow 4
sleep 1
k0=$(kpkts)
in_node green "$PY" -c '
import time
from scapy.all import Ether, Dot1Q, IP, UDP, sendp, conf
conf.verb = 0
smac = open("/sys/class/net/green-eth0/address").read().strip()
f = Ether(src=smac, dst="01:00:5e:01:02:03") / Dot1Q(vlan=10) / IP(src="172.16.50.3", dst="239.1.2.3", ttl=4) / UDP(sport=9999, dport=9999) / b"x"
for i in range(40):
    sendp(f, iface="green-eth0"); time.sleep(0.01)' &
sleep 0.3
check "during green's stream, a multicast flow green-sw (tagged) -> [blue-sw]" mflow_seen green-sw blue-sw 239.1.2.3 10 yes
wait
k1=$(kpkts)
echo "# the kernel carried $((k1 - k0)) of 40"
check "  most went by the kernel (20 or more of 40)" test $((k1 - k0)) -ge 20
sleep 1
check_eq "blue received every datagram" 40 "$(result "$T_DIR/blue2")"
wait
check_eq "yellow saw none" 0 "$(count yellow "")"
check "red still reaches blue" reaches red 172.16.50.2
finish
