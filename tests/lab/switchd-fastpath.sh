#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fast path: known unicast flows between access ports are handed to the
# kernel (BPF at each port's ingress), counted as the switch's own, and
# taken back whenever the switch's tables stop agreeing with them: a MAC
# that moves, a flushed table. Tagged frames never take it, and
# --no-fast-path keeps every frame in the switch.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
sw_host blue2
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"blue2-sw"}'
check "the switch starts" sw_start
check_eq "it has a fast path" "<class 'dict'>" "$(swq '{"cmd":"status"}' 'type(r["fast_path"])')"
check_eq "every port is hooked to it" "True True True" \
	"$(swq '{"cmd":"ports"}' '" ".join(str(p["fast_path"]) for p in r["ports"])')"
check "red reaches blue" reaches red 10.0.0.2
check_eq "the flows red -> blue and blue -> red are the kernel's" 2 \
	"$(swq '{"cmd":"status"}' 'r["fast_path"]["flows"]')"

fp_packets() { swq '{"cmd":"status"}' 'r["fast_path"]["packets"]'; }
stat() { swq '{"cmd":"stats"}' "port(r, '$1')['$2']"; }
k0=$(fp_packets) rx0=$(stat red-sw rx_packets) tx0=$(stat blue-sw tx_packets)
check "100 pings red -> blue" in_node red ping -q -c100 -i0.01 -W1 10.0.0.2
k1=$(fp_packets) rx1=$(stat red-sw rx_packets) tx1=$(stat blue-sw tx_packets)
check "  crossed in the kernel (its counters moved by 200 or more)" test $((k1 - k0)) -ge 200
check "  and count as red-sw's received frames" test $((rx1 - rx0)) -ge 100
check "  and blue-sw's sent ones" test $((tx1 - tx0)) -ge 100
check "  with red's FDB entry kept fresh (age under 2 s)" test \
	"$(swq '{"cmd":"fdb"}' "[e['age'] for e in r['entries'] if e['mac'] == '$(mac_of red)'][0]")" -lt 2

# A tagged frame from an access port is dropped by the switch, although
# its addresses are those of an offloaded flow: the kernel must not take it.
brx0=$(in_node blue cat /sys/class/net/blue-eth0/statistics/rx_packets)
check "red sends 20 frames tagged VLAN 1 to blue's MAC (scapy)" in_node red "$PY" -c '
from scapy.all import Ether, Dot1Q, IP, UDP, sendp, conf
conf.verb = 0
smac = open("/sys/class/net/red-eth0/address").read().strip()
sendp([Ether(src=smac, dst="'"$(mac_of blue)"'") / Dot1Q(vlan=1) / IP(src="10.0.0.1", dst="10.0.0.2") / UDP()] * 20, iface="red-eth0")'
sleep 0.3
check_eq "  blue receives none of them" "$brx0" "$(in_node blue cat /sys/class/net/blue-eth0/statistics/rx_packets)"
check "  the switch dropped them as tagged on an access port" test \
	"$(swq '{"cmd":"stats"}' 'port(r, "red-sw")["drop_reasons"].get("tagged-on-access", 0)')" -ge 20

# blue's MAC moves to the port of blue2: the flows towards blue-sw go, and
# red reaches the address at its new place.
bmac=$(mac_of blue)
ip -n blue link set blue-eth0 down
ip -n blue2 link set blue2-eth0 down
ip -n blue2 link set blue2-eth0 address "$bmac"
ip -n blue2 addr add 10.0.0.2/24 dev blue2-eth0
ip -n blue2 link set blue2-eth0 up
check "blue2, with blue's MAC and address, reaches red" reaches blue2 10.0.0.1
check_eq "the switch moved the MAC to blue2-sw" blue2-sw \
	"$(swq '{"cmd":"fdb"}' "[e['port'] for e in r['entries'] if e['mac'] == '$bmac'][0]")"
b2rx0=$(in_node blue2 cat /sys/class/net/blue2-eth0/statistics/rx_packets)
check "red reaches 10.0.0.2 again, now blue2" in_node red ping -c3 -i0.05 -W1 10.0.0.2
check "  its frames arrive at blue2" test \
	"$(in_node blue2 cat /sys/class/net/blue2-eth0/statistics/rx_packets)" -ge $((b2rx0 + 3))
check_eq "no flow leads to blue-sw any more" 0 \
	"$(swq '{"cmd":"flows"}' 'len([f for f in r["flows"] if "blue-sw" in (f["in"], f["out"])])')"
check_eq "  and red's frames to blue's MAC are the kernel's again, now to blue2-sw" 1 \
	"$(swq '{"cmd":"flows"}' "len([f for f in r['flows'] if f['in'] == 'red-sw' and f['out'] == 'blue2-sw' and f['dst'] == '$bmac' and f['packets'] > 0])")"
check_out "fdb flush" 'removed' swctl '{"cmd":"fdb-flush"}'
check_eq "  takes every flow from the kernel" 0 "$(swq '{"cmd":"status"}' 'r["fast_path"]["flows"]')"
check "  and red still reaches 10.0.0.2 (relearned)" reaches red 10.0.0.2

# A full flow table makes room: flows without traffic go after a second
# once it is three-quarters full, so new flows reach the kernel again.
sw_stop
check "with --flows 64" sw_start --flows 64
check "red reaches 10.0.0.2" reaches red 10.0.0.2
check "red sends 200 frames to blue's MAC from 200 new source MACs (scapy)" in_node red "$PY" -c '
from scapy.all import Ether, sendp, conf
conf.verb = 0
sendp([Ether(src="02:00:00:00:%02x:%02x" % (i >> 8, i & 255), dst="'"$bmac"'", type=0x88b5) / (b"x" * 50)
       for i in range(200)], iface="red-eth0")'
flows() { swq '{"cmd":"status"}' 'r["fast_path"]["flows"]'; }
# (How many are left at any moment depends on where the second turns:
# under pressure a flow goes at the first poll that finds it idle.)
check "  the kernel's table holds no more than 64 flows" test "$(flows)" -le 64
check_out "  and the log says it filled up" "flow table is full \(64 flows\)" cat "$SW_LOG"
sleep 2.5
check "  2.5 s later the idle flows are gone (under 48)" test "$(flows)" -lt 48
check "red pings 10.0.0.2 again" in_node red ping -c5 -i0.05 -W1 10.0.0.2
check_eq "  and its flow is the kernel's again" 1 \
	"$(swq '{"cmd":"flows"}' "len([f for f in r['flows'] if f['in'] == 'red-sw' and f['dst'] == '$bmac' and f['packets'] > 0])")"

sw_stop
check "with --no-fast-path" sw_start --no-fast-path
check_eq "  the switch has none" False "$(swq '{"cmd":"status"}' 'r["fast_path"]')"
check_eq "  no port is hooked" "False False False" \
	"$(swq '{"cmd":"ports"}' '" ".join(str(p["fast_path"]) for p in r["ports"])')"
check "  and red reaches 10.0.0.2 through the ring" reaches red 10.0.0.2
finish
