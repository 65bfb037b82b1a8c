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

# The same through a VLAN trunk between two switches: switch 1 pushes tag
# 10 onto red's super-frames (moving the vnet header's checksum offset by
# 4), switch 2 takes it off again towards blue.
sw_stop
ip link add ta type veth peer name tb
ip link set ta up
ip link set tb up
sw_config '{"name":"red-sw","vlan":10}' '{"name":"ta","trunk":[10],"native":0}'
check "switch 1 starts (red, trunk ta)" sw_start
echo '{"switch": "sw2", "ports": [{"name": "tb", "trunk": [10], "native": 0}, {"name": "blue-sw", "vlan": 10}]}' >"$T_DIR/sw2.json"
check "switch 2 starts (trunk tb, blue)" "$NSLAB_SWITCHD" --config "$T_DIR/sw2.json" \
	--control "$T_DIR/sw2.sock" --pidfile "$T_DIR/sw2.pid" --log "$T_DIR/sw2.log" --detach
at_exit 'kill $(cat "$T_DIR/sw2.pid")'
check "red reaches blue across the trunk" reaches red 172.16.10.5
in_node blue iperf3 -s -1 -D -p 5202 >/dev/null 2>&1
at_exit "pkill -f 'iperf3 -s -1 -D -p 5202'"
sleep 0.3
in_node red iperf3 -c 172.16.10.5 -p 5202 -t 3 -J >"$T_DIR/iperf2.json" 2>&1
rate=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.1f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' "$T_DIR/iperf2.json" 2>/dev/null)
echo "# red -> trunk -> blue: ${rate:-?} Gbit/s"
check "the TCP transfer across the trunk completes" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "error" not in d, d.get("error")
assert d["end"]["sum_received"]["bytes"] > 0' "$T_DIR/iperf2.json"
avg=$(swq '{"cmd":"stats"}' 'port(r, "ta")["tx_bytes"] // max(1, port(r, "ta")["tx_packets"])')
echo "# average tagged frame on the trunk: $avg bytes"
check "tagged super-frames crossed the trunk" test "${avg:-0}" -gt 1518
check_eq "switch 1: no errors" 0 "$(swq '{"cmd":"stats"}' 'r["total"]["errors"]')"
check_eq "switch 2: no errors" 0 "$(SW_SOCK=$T_DIR/sw2.sock swq '{"cmd":"stats"}' 'r["total"]["errors"]')"
finish
