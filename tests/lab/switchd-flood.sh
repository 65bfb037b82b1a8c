#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Broadcasts flooded by the kernel: in a VLAN whose members are all access
# ports on the fast path, an untagged broadcast is copied out of every
# other member by the ports' BPF program, once, and never into another
# VLAN; the switch still learns its source and counts every copy. A frame
# the switch would drop (a group source address) is not flooded either, a
# trunk in the VLAN hands its floods back to the switch, and so does
# --no-fast-path.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
for h in red blue green yellow; do sw_host $h; done
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' '{"name":"yellow-sw","vlan":2}'
check "the switch starts" sw_start

floods() { swq '{"cmd":"status"}' 'r["fast_path"]["floods"]'; }
rx() { in_node "$1" cat "/sys/class/net/$1-eth0/statistics/rx_packets"; }
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

# green becomes a trunk of VLAN 1 (tagged): the kernel cannot tag, so the
# switch floods VLAN 1 itself again; VLAN 2 has one port, nothing to flood.
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw","trunk":[1],"native":0}' \
	'{"name":"yellow-sw","vlan":2}'
check "reload makes green a trunk" swctl '{"cmd":"reload"}'
f0=$(floods) b0=$(rx blue) g0=$(rx green)
check "red sends 10 broadcasts" bcast red 10
settle
check_eq "the kernel flooded none" 0 $(($(floods) - f0))
check_eq "blue still received each once, from the switch" 10 $(($(rx blue) - b0))
check_eq "green received each once, tagged" 10 $(($(rx green) - g0))

# Back to access: the kernel takes VLAN 1's floods again.
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}' '{"name":"yellow-sw","vlan":2}'
check "reload makes green an access port again" swctl '{"cmd":"reload"}'
f0=$(floods) b0=$(rx blue)
check "red sends 10 broadcasts" bcast red 10
settle
check_eq "the kernel flooded them again" 10 $(($(floods) - f0))
check_eq "blue received each once" 10 $(($(rx blue) - b0))

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
finish
