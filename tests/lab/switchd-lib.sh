#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the nslab-switchd lab tests (switchd-*.sh): hosts in network
# namespaces joined to the switch by veth pairs, built with plain `ip`
# commands (no lab manager), the daemon run by hand, and its control
# socket spoken to. Sourced by those tests (tests/run skips *-lib.sh).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${NSLAB_SWITCHD:?run lab tests through tests/run}"
SW_CONF=$T_DIR/sw.json SW_SOCK=$T_DIR/sw.sock SW_LOG=$T_DIR/sw.log SW_PID=$T_DIR/sw.pid

# Quiet namespaces: no IPv6 (no router/neighbour solicitations, no MLD), so
# the only frames on the wire are the ones a test sends, and counters can
# be compared with what was sent.
quiet_ns() { # quiet_ns [NS]
	local x=()
	[ -n "${1:-}" ] && x=(ip netns exec "$1")
	"${x[@]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# reaches FROM ADDR: FROM pings ADDR, answered within 1 s, in up to 5 tries.
# More patient than lib.sh's `pings`: the kernel's per-CPU input backlog
# (netdev_max_backlog) is shared by every namespace on the machine, and a
# broadcast storm elsewhere (another test's hundred hosts) can drop a
# first ARP request here.
reaches() {
	local i
	for i in 1 2 3 4 5; do
		ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	ip netns exec "$1" ping -c1 -W1 "$2"
}

# The machine's input-backlog drops so far (all CPUs, all namespaces).
softnet_drops() {
	local s=0 _ d _rest
	while read -r _ d _rest; do s=$((s + 16#$d)); done </proc/net/softnet_stat
	echo "$s"
}

# no_loss PINGFILE DROPS-BEFORE: the ping summary in PINGFILE shows no loss,
# or the only losses happened in the kernel's shared input backlog (a load
# elsewhere on the machine), which the switch cannot see.
no_loss() {
	grep -q " 0% packet loss" "$1" && return 0
	local now; now=$(softnet_drops)
	if [ "$now" -gt "$2" ]; then
		echo "# lost pings, but the kernel's shared input backlog dropped $((now - $2)) frames meanwhile"
		return 0
	fi
	cat "$1"; return 1
}

# sw_host NAME ADDR/LEN: namespace NAME with NAME-eth0, the switch side
# NAME-sw here, both up.
sw_host() {
	local n=$1 addr=${2:-}
	ip netns add "$n" || return 1
	quiet_ns "$n"
	ip link add "$n-eth0" type veth peer name "$n-sw" || return 1
	ip link set "$n-eth0" netns "$n"
	ip -n "$n" link set lo up
	ip -n "$n" link set "$n-eth0" up
	[ -n "$addr" ] && ip -n "$n" addr add "$addr" dev "$n-eth0"
	ip link set "$n-sw" up
}

# trunk_ping FROM VID SRC-ADDR TO TO-ADDR: from host FROM's eth0 (a trunk
# host), an ICMP echo tagged VID from SRC-ADDR to host TO; true if the
# reply comes back tagged VID. (This kernel has no 802.1Q devices, so the
# tags are written and read with scapy.)
trunk_ping() {
	local from=$1 vid=$2 src=$3 to=$4 dst=$5
	ip -n "$to" neigh replace "$src" lladdr "$(mac_of "$from")" dev "$to-eth0" || return 1
	ip netns exec "$from" "$PY" - "$from-eth0" "$vid" "$src" "$dst" "$(mac_of "$to")" <<'PY'
import sys
from scapy.all import Ether, Dot1Q, IP, ICMP, srp1, conf
conf.verb = 0
iface, vid, src, dst, dmac = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
smac = open("/sys/class/net/%s/address" % iface).read().strip()
req = Ether(src=smac, dst=dmac) / Dot1Q(vlan=vid) / IP(src=src, dst=dst) / ICMP(id=4242, seq=vid)
for _ in range(3):
    r = srp1(req, iface=iface, timeout=1)
    if r is not None:
        break
ok = r is not None and r.haslayer(Dot1Q) and r[Dot1Q].vlan == vid and r.haslayer(ICMP) and r[ICMP].type == 0
print("reply:", r.summary() if r is not None else None)
sys.exit(0 if ok else 1)
PY
}

mac_of() { ip netns exec "$1" cat "/sys/class/net/$1-eth0/address"; }

# capture HOST FILTER: what HOST's eth0 sees matching FILTER, into
# HOST.pcap, from when it returns (tcpdump listens; HOST.tcpdump says so)
# until stop_captures: scapy's start-up can take seconds on a loaded
# machine, so no capture of a fixed length. Not through in_node: $! must be
# the capture itself (ip netns exec execs timeout) for kill to stop it;
# --immediate-mode, so that no frame waits in libpcap's ring (up to a
# second) when it is stopped.
caps=()
capture() {
	: >"$T_DIR/$1.tcpdump"
	ip netns exec "$1" timeout 60 tcpdump --immediate-mode -U -nli "$1-eth0" -w "$T_DIR/$1.pcap" "$2" \
		>/dev/null 2>"$T_DIR/$1.tcpdump" &
	caps+=($!)
	for _ in $(seq 50); do grep -q listening "$T_DIR/$1.tcpdump" && break; sleep 0.1; done
}
stop_captures() {
	sleep 0.5 # what is still on its way
	kill -TERM "${caps[@]}" 2>/dev/null
	wait "${caps[@]}" 2>/dev/null
	caps=()
}

# sw_config PORT-JSON...: write the configuration, e.g.
#   sw_config '{"name":"red-sw"}' '{"name":"blue-sw","vlan":10}'
sw_config() {
	local IFS=,
	printf '{"switch": "sw0", %s%s"ports": [%s]}\n' "${SW_FDB:+\"fdb\": $SW_FDB, }" "${SW_EXTRA:-}" "$*" >"$SW_CONF"
}

sw_start() { # extra daemon options
	"$NSLAB_SWITCHD" --config "$SW_CONF" --control "$SW_SOCK" --log "$SW_LOG" \
		--pidfile "$SW_PID" --detach "$@"
}
sw_stop() {
	local pid
	pid=$(cat "$SW_PID" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
}
at_exit sw_stop

# swctl JSON-REQUEST: print the one-line reply.
swctl() {
	"$PY" - "$SW_SOCK" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while not buf.endswith(b"\n"):
    d = s.recv(1 << 20)
    if not d:
        break
    buf += d
sys.stdout.write(buf.decode())
PY
}

# swq JSON-REQUEST PYTHON-EXPR: evaluate EXPR on the reply (as r) and print it,
#   swq '{"cmd":"stats"}' 'port(r, "red-sw")["rx_packets"]'
swq() {
	swctl "$1" | "$PY" -c '
import json, sys
r = json.load(sys.stdin)
def port(r, name):
    return [p for p in r["ports"] if p["name"] == name][0]
print(eval(sys.argv[1]))' "$2"
}

# fails CMD...: CMD fails (for check_out on a failing command's output).
fails() { ! "$@"; }

# The daemon is alive and answers.
sw_alive() { [ "$(swq '{"cmd":"status"}' 'r["ok"]')" = True ]; }

# bg FILE CMD...: run CMD in the background with its output to FILE; return
# once it printed its first line (a listener that joined, a sniffer ready).
bg() {
	"${@:2}" >"$1" 2>&1 &
	local i
	for i in $(seq 50); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}
# result FILE: the last line a bg program printed (its count).
result() { tail -n1 "$1"; }

# listen_group HOST SECONDS GROUP IFACE: HOST joins GROUP (IPv4 or IPv6) on
# its interface IFACE, prints "joined", then the number of datagrams to
# port 9999 received in SECONDS.
listen_group() {
	ip netns exec "$1" "$PY" -c '
import socket, struct, sys, time
secs, group, iface = float(sys.argv[1]), sys.argv[2], sys.argv[3]
idx = socket.if_nametoindex(iface)
if ":" in group:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    join = (socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
            socket.inet_pton(socket.AF_INET6, group) + struct.pack("@I", idx))
else:  # struct ip_mreqn: group, no address, the interface
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    join = (socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
            socket.inet_aton(group) + socket.inet_aton("0.0.0.0") + struct.pack("@i", idx))
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 9999))
s.setsockopt(*join)
s.settimeout(0.2)
n, end = 0, time.time() + secs
print("joined", flush=True)
while time.time() < end:
    try:
        s.recv(100); n += 1
    except socket.timeout:
        pass
print(n, flush=True)' "$2" "$3" "$4"
}

# mflow_seen IN OUTS GROUP VLAN TAGGED [SW REGEX]: during a stream, the
# switch shows a multicast flow that has carried frames, from port IN (its
# frames tagged: yes or no) to the ports OUTS (comma-separated, any order)
# for GROUP in VLAN; with SW, `nslab switch SW flows` shows a line matching
# REGEX at the same time. A report heard meanwhile takes the flows back
# until the stream's next datagram, so look a few times.
mflow_seen() {
	local i
	for i in $(seq 25); do
		swctl '{"cmd":"flows"}' >"$T_DIR/mflows.json"
		if "$PY" -c '
import json, sys
m = json.load(open(sys.argv[1]))["multicast_flows"]
i, outs, g, vlan, tagged = sys.argv[2:7]
sys.exit(0 if any(f["in"] == i and sorted(f["out"]) == sorted(outs.split(",")) and f["group"] == g and
                  f["vlan"] == int(vlan) and f["in_tagged"] == (tagged == "yes") and f["packets"] > 0
                  for f in m) else 1)' "$T_DIR/mflows.json" "$@"; then
			[ -z "${6:-}" ] && return 0
			"$NSLAB" switch "$6" flows >"$T_DIR/flows.txt"
			grep -Eq "$7" "$T_DIR/flows.txt" && return 0
		fi
		sleep 0.02
	done
	cat "$T_DIR/mflows.json" "$T_DIR/flows.txt" 2>/dev/null
	return 1
}

# The frames the kernel's fast path carried, and the broadcasts it flooded.
kpkts() { swq '{"cmd":"status"}' 'r["fast_path"]["packets"]'; }
floods() { swq '{"cmd":"status"}' 'r["fast_path"]["floods"]'; }
# rx HOST: frames HOST's eth0 received so far
rx() { in_node "$1" cat "/sys/class/net/$1-eth0/statistics/rx_packets"; }

# tbcast HOST VID N: HOST sends N UDP broadcasts tagged VID (scapy)
tbcast() {
	in_node "$1" "$PY" - "$1-eth0" "$2" "$3" <<'PY'
import sys
from scapy.all import Ether, Dot1Q, IP, UDP, sendp, conf
conf.verb = 0
iface, vid, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
smac = open("/sys/class/net/%s/address" % iface).read().strip()
sendp([Ether(src=smac, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=vid) / IP(dst="255.255.255.255") /
       UDP(dport=9)] * n, iface=iface)
PY
}
