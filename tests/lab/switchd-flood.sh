#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Broadcasts flooded by the kernel: in a VLAN whose members are all on the
# fast path, an untagged broadcast is copied out of every other member by
# the ports' BPF program, once, tagged where a trunk carries the VLAN
# tagged, and never into another VLAN; the switch still learns its source
# and counts every copy. A frame the switch would drop (a group source
# address) is not flooded either. A trunk's tagged broadcasts are flooded
# the same way, their tag taken off for access ports, and stop the moment
# the port stops carrying that VLAN; every flood with --no-fast-path is the
# switch's.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
for h in red blue green yellow; do sw_host $h; done
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' '{"name":"yellow-sw","vlan":2}'
check "the switch starts" sw_start

txs() { swq '{"cmd":"stats"}' "port(r, '$1-sw')['tx_packets']"; }
# bcast HOST N [SRC-MAC]: HOST sends N UDP broadcasts (scapy)
bcast() {
	in_node "$1" "$PY" - "$1-eth0" "$2" "${3:-}" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, sendp, conf
conf.verb = 0
iface, n, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
src = src or open("/sys/class/net/%s/address" % iface).read().strip()
sendp([Ether(src=src, dst="ff:ff:ff:ff:ff:ff") / IP(src="10.0.0.1", dst="255.255.255.255") /
       UDP(dport=9)] * n, iface=iface)
PY
}
settle() { sleep 0.3; }

f0=$(floods) b0=$(rx blue) g0=$(rx green) y0=$(rx yellow) r0=$(rx red) t0=$(txs blue)
check "red sends 25 broadcasts" bcast red 25
settle
check_eq "the kernel flooded all 25" 25 $(($(floods) - f0))
check_eq "blue received each once" 25 $(($(rx blue) - b0))
check_eq "green received each once" 25 $(($(rx green) - g0))
check_eq "yellow, on VLAN 2, none" 0 $(($(rx yellow) - y0))
check_eq "red none of its own back" 0 $(($(rx red) - r0))
check_eq "the switch counts blue-sw's 25 copies as sent" 25 $(($(txs blue) - t0))
check_eq "and learned red's address from them" red-sw \
	"$(swq '{"cmd":"fdb"}' "[e['port'] for e in r['entries'] if e['mac'] == '$(mac_of red)'][0]")"

# A group source address: the switch drops it (as the Linux bridge does),
# and so must its kernel half.
f0=$(floods) b0=$(rx blue)
check "red sends 5 broadcasts from a group address" bcast red 5 01:00:5e:00:00:07
settle
check_eq "none is flooded" 0 $(($(floods) - f0))
check_eq "blue receives none" 0 $(($(rx blue) - b0))
check "the switch counts them as bad-source drops" test \
	"$(swq '{"cmd":"stats"}' 'port(r, "red-sw")["drop_reasons"].get("bad-source", 0)')" -ge 5

# Trunks in the VLAN: green carries VLAN 1 tagged, yellow untagged (its
# native VLAN). The kernel still floods VLAN 1's untagged broadcasts,
# putting the tag on green's copies, and green's tagged ones, taking the
# tag off the copies.
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw","trunk":[1],"native":0}' \
	'{"name":"yellow-sw","trunk":[2],"native":1}'
check "reload makes green and yellow trunks" swctl '{"cmd":"reload"}'
tagged() { tcpdump -nr "$T_DIR/$1.pcap" "vlan $2" 2>/dev/null | wc -l; }
untagged() { tcpdump -nr "$T_DIR/$1.pcap" "not vlan" 2>/dev/null | wc -l; }
txb() { swq '{"cmd":"stats"}' "port(r, '$1-sw')['tx_bytes']"; }
f0=$(floods) b0=$(rx blue) gb0=$(txb green) bb0=$(txb blue)
capture green "ether broadcast"; capture yellow "ether broadcast"
check "the captures listen" bash -c "grep -q listening '$T_DIR/green.tcpdump' && grep -q listening '$T_DIR/yellow.tcpdump'"
check "red sends 10 broadcasts" bcast red 10
stop_captures
check_eq "the kernel flooded them" 10 $(($(floods) - f0))
check_eq "blue received each once" 10 $(($(rx blue) - b0))
check_eq "green received each once, tagged VLAN 1" "10 0" "$(tagged green 1) $(untagged green)"
check_eq "yellow received each once, untagged (its native VLAN)" "0 10" "$(tagged yellow 1) $(untagged yellow)"
check_eq "the switch counts green-sw's copies with their tags (4 bytes more each)" 40 \
	$(($(txb green) - gb0 - ($(txb blue) - bb0)))
f0=$(floods) r0=$(rx red)
capture green "ether broadcast"
check "the capture listens" grep -q listening "$T_DIR/green.tcpdump"
check "yellow sends 10 untagged broadcasts (its native VLAN 1)" bcast yellow 10
stop_captures
check_eq "the kernel flooded them" 10 $(($(floods) - f0))
check_eq "red received each once" 10 $(($(rx red) - r0))
check_eq "green received each once, tagged VLAN 1" 10 "$(tagged green 1)"
drops() { swq '{"cmd":"stats"}' "port(r, '$1-sw')['drop_reasons'].get('$2', 0)"; }
f0=$(floods) r0=$(rx red) b0=$(rx blue) rt0=$(txs red)
capture yellow "ether broadcast"
check "the capture listens" grep -q listening "$T_DIR/yellow.tcpdump"
check "green sends 10 broadcasts tagged VLAN 1 (scapy)" tbcast green 1 10
stop_captures
check_eq "the kernel flooded them" 10 $(($(floods) - f0))
check_eq "red received each once" 10 $(($(rx red) - r0))
check_eq "blue received each once" 10 $(($(rx blue) - b0))
check_eq "yellow received each once, untagged" "0 10" "$(tagged yellow 1) $(untagged yellow)"
check_eq "the switch counts red-sw's 10 copies as sent" 10 $(($(txs red) - rt0))
check_eq "and learned green's address in VLAN 1" green-sw \
	"$(swq '{"cmd":"fdb"}' "[e['port'] for e in r['entries'] if e['mac'] == '$(mac_of green)' and e['vlan'] == 1][0]")"
# refused VID REASON WHY: green sends 5 broadcasts tagged VID, which must
# not pass (WHY); none is flooded, red receives none, and the switch counts
# all 5 as dropped for REASON.
refused() {
	local f0 r0 d0
	f0=$(floods) r0=$(rx red) d0=$(drops green "$2")
	check "green sends 5 broadcasts tagged VLAN $1, $3" tbcast green "$1" 5
	settle
	check_eq "  none is flooded" 0 $(($(floods) - f0))
	check_eq "  red receives none" 0 $(($(rx red) - r0))
	check_eq "  the switch counts them as $2" 5 $(($(drops green "$2") - d0))
}
refused 3 vlan-not-allowed "which its trunk does not carry"

# A double-tagged broadcast in a VLAN the trunk carries (not its native
# one): the inner tag is payload, and the frame floods in VLAN 1. The
# kernel's program leaves a frame with a tag in its bytes to the switch,
# which must then flood it itself, not count copies the kernel never made.
f0=$(floods) r0=$(rx red) b0=$(rx blue) rt0=$(txs red)
capture yellow "ether broadcast"
check "the capture listens" grep -q listening "$T_DIR/yellow.tcpdump"
check "green sends 5 broadcasts tagged VLAN 1 outside, 20 inside (scapy)" in_node green "$PY" -c '
from scapy.all import Ether, Dot1Q, IP, UDP, sendp, conf
conf.verb = 0
smac = open("/sys/class/net/green-eth0/address").read().strip()
sendp([Ether(src=smac, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=1) / Dot1Q(vlan=20) / IP(dst="255.255.255.255") /
       UDP(dport=9)] * 5, iface="green-eth0")'
stop_captures
check_eq "  the kernel flooded none of them" 0 $(($(floods) - f0))
check_eq "  red received each once" 5 $(($(rx red) - r0))
check_eq "  blue received each once" 5 $(($(rx blue) - b0))
check_eq "  yellow none: untagged out of its trunk, the inner tag would be the outer one" 0 \
	"$(tcpdump -nr "$T_DIR/yellow.pcap" 2>/dev/null | wc -l)"
check_eq "  and the switch counts red-sw's 5 copies as sent" 5 $(($(txs red) - rt0))
check_eq "the ports say the kernel floods green's VLAN 1 (tagged) and yellow's native VLAN 1, not its lone VLAN 2" \
	"[1] [1]" "$(swq '{"cmd":"ports"}' "port(r, 'green-sw')['kernel_floods']") $(swq '{"cmd":"ports"}' "port(r, 'yellow-sw')['kernel_floods']")"

# green becomes an access port of VLAN 1: its tagged broadcasts must not
# be flooded any more, by the kernel or by the switch.
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' \
	'{"name":"yellow-sw","trunk":[2],"native":1}'
check "reload makes green an access port" swctl '{"cmd":"reload"}'
check_eq "  the kernel floods green's untagged VLAN 1 now" "[1]" \
	"$(swq '{"cmd":"ports"}' "port(r, 'green-sw')['kernel_floods']")"
refused 1 tagged-on-access "now that it is an access port"

# Back to access ports only.
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' '{"name":"yellow-sw","vlan":2}'
check "reload makes green and yellow access ports again" swctl '{"cmd":"reload"}'
f0=$(floods) b0=$(rx blue)
check "red sends 10 broadcasts" bcast red 10
settle
check_eq "the kernel flooded them again" 10 $(($(floods) - f0))
check_eq "blue received each once" 10 $(($(rx blue) - b0))

# A reload that turns the fast path off and on again keeps its totals.
f1=$(floods)
SW_EXTRA='"fast_path": false, ' sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' '{"name":"yellow-sw","vlan":2}'
check "a reload turns the fast path off" swctl '{"cmd":"reload"}'
check_eq "  the status says so" False "$(swq '{"cmd":"status"}' 'r["fast_path"] is not False')"
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' '{"name":"yellow-sw","vlan":2}'
check "and another on again" swctl '{"cmd":"reload"}'
check_eq "  its floods since the start are still counted" "$f1" "$(floods)"

# Without the fast path, every flood is the switch's.
sw_stop
check "the switch starts with --no-fast-path" sw_start --no-fast-path
b0=$(rx blue) g0=$(rx green)
check "red sends 10 broadcasts" bcast red 10
settle
check_eq "blue received each once" 10 $(($(rx blue) - b0))
check_eq "green received each once" 10 $(($(rx green) - g0))
check_eq "and the status has no fast path to flood by" False \
	"$(swq '{"cmd":"status"}' 'r["fast_path"] is not False')"
check_eq "nor do the ports" "[]" "$(swq '{"cmd":"ports"}' "[v for p in r['ports'] for v in p['kernel_floods']]")"
finish
