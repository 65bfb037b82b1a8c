#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A TCP transfer from red to blue through nslab-switchd with the hosts'
# offloads left on (TSO, GSO, checksum offload): the super-frames cross the
# switch whole, as the vnet header describes them, and the transfer
# completes. (Open vSwitch's userspace datapath needs its offloads off, or
# its own TSO support, for this.)
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 172.16.10.1/24
sw_host blue 172.16.10.5/24
# Exact counts below: no MLD or IGMP query of the switch's own among
# blue's frames.
SW_EXTRA='"mld_snooping": false, "igmp_snooping": false, '
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}'
check "the switch starts" sw_start
check_out "red's segmentation offload is on" "tcp-segmentation-offload: on" \
	in_node red ethtool -k red-eth0
check_out "red's checksum offload is on" "tx-checksumming: on" in_node red ethtool -k red-eth0

in_node blue iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
at_exit "pkill -f 'iperf3 -s -1 -D -p 5201'"
sleep 0.3
in_node red iperf3 -c 172.16.10.5 -p 5201 -t 3 -J >"$T_DIR/iperf.json" 2>&1
rate=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.1f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' "$T_DIR/iperf.json" 2>/dev/null)
echo "# red -> blue: ${rate:-?} Gbit/s"
check "the TCP transfer completes" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "error" not in d, d.get("error")
assert d["end"]["sum_received"]["bytes"] > 0' "$T_DIR/iperf.json"
# Frames far above the 1500-byte MTU crossed the switch: GSO super-frames
# were forwarded whole, not dropped or cut.
avg=$(swq '{"cmd":"stats"}' 'port(r, "red-sw")["rx_bytes"] // max(1, port(r, "red-sw")["rx_packets"])')
echo "# average frame from red: $avg bytes"
check "super-frames (average > 1514 bytes) crossed the switch" test "${avg:-0}" -gt 1514
check_eq "no receive errors (no frame was cut)" 0 "$(swq '{"cmd":"stats"}' 'r["total"]["errors"]')"
check_eq "every frame red sent reached blue" \
	"$(swq '{"cmd":"stats"}' 'port(r, "red-sw")["rx_packets"] - port(r, "red-sw")["drops"]')" \
	"$(swq '{"cmd":"stats"}' 'port(r, "blue-sw")["tx_packets"]')"
check "and the switch still forwards" reaches red 172.16.10.5

# The same across two VLAN trunks and three switches: switch 1 puts tag 10
# on red's super-frames, switch 2 passes them tagged from trunk to trunk,
# switch 3 takes the tag off towards blue. After the first frames each
# switch's kernel fast path does that on the tag the kernel holds out of
# band, so the frames stay whole.
sw_stop
ip link add ta type veth peer name tb
ip link add tc type veth peer name td
for l in ta tb tc td; do ip link set "$l" up; done
sw_config '{"name":"red-sw","vlan":10}' '{"name":"ta","trunk":[10],"native":0}'
check "switch 1 starts (red, trunk ta)" sw_start
sw_n() { # sw_n N PORT-JSON...: start switch N with these ports
	local n=$1 IFS=,; shift
	echo "{\"switch\": \"sw$n\", \"ports\": [$*]}" >"$T_DIR/sw$n.json"
	"$NSLAB_SWITCHD" --config "$T_DIR/sw$n.json" --control "$T_DIR/sw$n.sock" \
		--pidfile "$T_DIR/sw$n.pid" --log "$T_DIR/sw$n.log" --detach
}
check "switch 2 starts (trunks tb, tc)" \
	sw_n 2 '{"name":"tb","trunk":[10],"native":0}' '{"name":"tc","trunk":[10],"native":0}'
at_exit 'kill $(cat "$T_DIR/sw2.pid")'
check "switch 3 starts (trunk td, blue)" \
	sw_n 3 '{"name":"td","trunk":[10],"native":0}' '{"name":"blue-sw","vlan":10}'
at_exit 'kill $(cat "$T_DIR/sw3.pid")'
check "red reaches blue across the trunks" reaches red 172.16.10.5
in_node blue iperf3 -s -1 -D -p 5202 >/dev/null 2>&1
at_exit "pkill -f 'iperf3 -s -1 -D -p 5202'"
sleep 0.3
in_node red iperf3 -c 172.16.10.5 -p 5202 -t 3 -J >"$T_DIR/iperf2.json" 2>&1
rate=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.1f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' "$T_DIR/iperf2.json" 2>/dev/null)
echo "# red -> trunk -> trunk -> blue: ${rate:-?} Gbit/s"
check "the TCP transfer across the trunks completes" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "error" not in d, d.get("error")
assert d["end"]["sum_received"]["bytes"] > 0' "$T_DIR/iperf2.json"
avg=$(swq '{"cmd":"stats"}' 'port(r, "ta")["tx_bytes"] // max(1, port(r, "ta")["tx_packets"])')
echo "# average tagged frame on the trunk: $avg bytes"
check "tagged super-frames crossed the trunk" test "${avg:-0}" -gt 1518
sock_of() { if [ "$1" = 1 ]; then echo "$SW_SOCK"; else echo "$T_DIR/sw$1.sock"; fi; }
# flow N IN OUT: "in_tagged out_tagged packets" of switch N's flow IN -> OUT
flow() {
	SW_SOCK=$(sock_of "$1") swq '{"cmd":"flows"}' \
		"[' '.join(str(f[k]) for k in ('in_tagged', 'out_tagged', 'packets')) for f in r['flows'] if f['in'] == '$2' and f['out'] == '$3'][0]"
}
tagging() { flow "$@" | cut -d' ' -f1,2; }
carried() { [ "$(flow "$@" | cut -d' ' -f3)" -gt 1000 ]; }
check_eq "switch 1's kernel tags red's frames" "False True" "$(tagging 1 red-sw ta)"
check_eq "switch 2's kernel passes them tagged" "True True" "$(tagging 2 tb tc)"
check_eq "switch 3's kernel untags them towards blue" "True False" "$(tagging 3 td blue-sw)"
check_eq "  and the acknowledgements the other way" "False True True True True False" \
	"$(tagging 3 blue-sw td) $(tagging 2 tc tb) $(tagging 1 ta red-sw)"
check "each carried the transfer (over 1000 frames)" \
	eval 'carried 1 red-sw ta && carried 2 tb tc && carried 3 td blue-sw'
for n in 1 2 3; do
	check_eq "switch $n: no errors" 0 "$(SW_SOCK=$(sock_of $n) swq '{"cmd":"stats"}' 'r["total"]["errors"]')"
done
finish
