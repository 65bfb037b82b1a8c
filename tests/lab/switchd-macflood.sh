#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A MAC flood: 20,000 frames with random source addresses sent into one
# port. The table stops at its cap, hosts learned before keep their
# entries and keep talking, and the switch keeps answering.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
sw_host green 10.0.0.3/24
sw_host evil
SW_FDB='{"size": 4096}'
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' '{"name":"evil-sw"}'
check "the switch starts" sw_start
check "red reaches blue" reaches red 10.0.0.2
check "blue reaches green" reaches blue 10.0.0.3
learned() { swq '{"cmd":"fdb"}' "sorted(e['port'] for e in r['entries'] if e['mac'] in ('$(mac_of red)', '$(mac_of blue)', '$(mac_of green)'))"; }
check_eq "red, blue and green are learned" "['blue-sw', 'green-sw', 'red-sw']" "$(learned)"

check "evil sends 20,000 frames from random source addresses (scapy)" in_node evil "$PY" -c '
from scapy.all import Ether, IP, UDP, RandMAC, sendp, conf
import random
conf.verb = 0
random.seed(7)
frames = [Ether(src="02:%02x:%02x:%02x:%02x:%02x" % tuple(random.randrange(256) for _ in range(5)),
                dst="ff:ff:ff:ff:ff:ff") / IP(dst="10.0.0.255") / UDP(dport=9) for _ in range(20000)]
sendp(frames, iface="evil-eth0")
'
sleep 1
check_eq "the switch counted the 20,000 frames in" 20000 "$(swq '{"cmd":"stats"}' 'port(r, "evil-sw")["rx_packets"]')"
entries=$(swq '{"cmd":"status"}' 'r["fdb"]["entries"]')
echo "# fdb entries after the flood: $entries"
check "the table is capped at its size" test "$entries" -le 4096
check "the flood did fill it (the cap was reached)" test "$entries" -ge 3000
check_eq "red, blue and green are still learned on their ports" "['blue-sw', 'green-sw', 'red-sw']" "$(learned)"
check "red still reaches blue" reaches red 10.0.0.2
check "blue still reaches green" reaches blue 10.0.0.3
check_eq "the ping went straight to blue, not flooded to evil (capture timed out empty)" 124 "$(
	in_node evil timeout 3 tcpdump -nli evil-eth0 -c 1 icmp >/dev/null 2>&1 &
	sleep 1; in_node red ping -c3 -i0.2 -W1 10.0.0.2 >/dev/null; wait $!; echo $?)" 
check "the daemon answers its socket" sw_alive
check_eq "flush evil's entries: the table empties of them" 0 "$(
	swctl '{"cmd":"fdb-flush","port":"evil-sw"}' >/dev/null
	swq '{"cmd":"fdb"}' 'len([e for e in r["entries"] if e["port"] == "evil-sw"])')"
finish
