#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# IGMP snooping on nslab-switchd: an IPv4 group's traffic goes to the ports
# whose hosts joined it and nowhere else; 224.0.0.x still floods; a host
# that leaves makes the group flood again; a restarted switch asks the
# hosts (its query from 0.0.0.0) and knows every listener again; a PIM
# router's hello makes its port a router port; `igmp_snooping: false`
# floods.
. "$(dirname "$0")/switchd-lib.sh"
SW_SOCK=${NSLAB_RUN_DIR:-/run/nslab}/igmp/sw.sock # the lab's switch, for swctl and swq

topo=$(write_topo igmp <<'EOF'
switches:
  sw: {gateway: 172.16.40.254/24}
hosts:
  a: {switch: sw, ip: 172.16.40.1/24}
  b: {switch: sw, ip: 172.16.40.2/24}
  c: {switch: sw, ip: 172.16.40.3/24}
  d: {switch: sw, ip: 172.16.40.4/24}
EOF
)
check "the lab comes up" "$NSLAB" up --sandbox "$topo"
at_exit "$NSLAB down --all >/dev/null 2>&1"
swctl '{"cmd":"status"}' >"$T_DIR/status"
check "IGMP snooping is on by default, the switch the querier" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1])); assert d["igmp_snooping"]["querier"] is True, d' "$T_DIR/status"

mdb_has() { # mdb_has GROUP PORT-PREFIX: the switch lists that listener
	"$NSLAB" switch -j sw mdb | $PY -c '
import json, sys
g, p = sys.argv[1], sys.argv[2]
rows = json.load(sys.stdin)
sys.exit(0 if any(r["group"] == g and r["port"].startswith(p) and r["vlan"] == 1 and
                  r["expires"] > 0 for r in rows) else 1)' "$1" "$2"
}
listen() { listen_group "$1" "$2" 239.1.2.3 eth0; } # listen HOST SECONDS (switchd-lib.sh)
sniff() { # sniff HOST SECONDS [GROUP]: IPv4 UDP frames to GROUP:9999 on HOST's eth0
	ip netns exec "$1" $PY -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("eth0", 0))
s.settimeout(0.2)
g = socket.inet_aton(sys.argv[2])
n, end = 0, time.time() + float(sys.argv[1])
print("ready", flush=True)
while time.time() < end:
    try:
        f = s.recv(2000)
    except socket.timeout:
        continue
    if len(f) >= 38 and f[23] == 17 and f[30:34] == g and f[36:38] == b"\x27\x0f":
        n += 1
print(n, flush=True)' "$2" "${3:-239.1.2.3}"
}
send() { # send COUNT [GROUP]: a sends COUNT datagrams to GROUP:9999
	ip netns exec a $PY -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("172.16.40.1"))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 4)
for i in range(int(sys.argv[1])):
    s.sendto(b"x", (sys.argv[2], 9999)); time.sleep(0.01)' "$1" "${2:-239.1.2.3}"
}
known() { local i; for i in $(seq 30); do mdb_has "$1" "$2" && return 0; sleep 0.1; done; return 1; }

bg "$T_DIR/b1" listen b 4
bg "$T_DIR/c1" sniff c 3
check "b's join is known on b's port (its unsolicited report)" known 239.1.2.3 b-
check_out "nslab switch mdb lists it, dotted" '^239\.1\.2\.3 +1 +b-eth0' "$NSLAB" switch sw mdb
k0=$(kpkts)
send 40 &
sleep 0.15
check "  after the first datagrams, a multicast flow a-eth0 -> [b-eth0] for 239.1.2.3, shown by nslab switch SW flows" \
	mflow_seen a-eth0 b-eth0 239.1.2.3 1 no sw '^a-eth0 +[0-9a-f:]{17} +239\.1\.2\.3 +1 +no +b-eth0 +[1-9]'
wait
check_eq "b receives every datagram to its group" 40 "$(result "$T_DIR/b1")"
# From then on the kernel carries the stream (fastpath_mcast.h).
k1=$(kpkts)
echo "# the kernel carried $((k1 - k0)) of 40"
check "  most went by the kernel (20 or more of 40)" test $((k1 - k0)) -ge 20
check_eq "c, no listener, sees none of them on its link" 0 "$(result "$T_DIR/c1")"
check "  counted as snooped, not as drops" test "$("$NSLAB" switch -j sw stats | $PY -c '
import json, sys; ps = json.load(sys.stdin)
print(sum(p["stats"]["snooped"] for p in ps) if all(p["stats"]["drops"] == 0 for p in ps) else 0)')" -gt 0
bg "$T_DIR/c1b" sniff c 2 224.0.0.251
send 5 224.0.0.251
wait
check_eq "224.0.0.x (mDNS's group here) floods, as RFC 4541 says" 5 "$(result "$T_DIR/c1b")"

# b's program ended: its host left the group (an IGMPv3 report to include
# nothing), so nobody is known to listen and the group floods.
sleep 0.5
check_fail "when b leaves, its listener goes at once (an access port)" mdb_has 239.1.2.3 b-
bg "$T_DIR/c2" sniff c 2
send 10
wait
check_eq "  and the group's traffic floods again: c sees it" 10 "$(result "$T_DIR/c2")"

# A restarted switch knows nothing, and asks: b, still listening, answers
# within the query's second.
bg "$T_DIR/b3" listen b 8
check "b's join is known again" known 239.1.2.3 b-
kill -9 "$(pgrep -x nslab-switchd)"
check "up restarts the killed switch" "$NSLAB" up --sandbox "$topo"
check "the new switch learns b's listener from its query" known 239.1.2.3 b-
bg "$T_DIR/c3" sniff c 2
send 10
wait
check_eq "  and c sees none of the group's traffic" 0 "$(result "$T_DIR/c3")"
check_eq "  while b got it all" 10 "$(result "$T_DIR/b3")"

# d plays a PIM router (a hello to 224.0.0.13): its port gets every group.
check "d says PIM hello" ip netns exec d $PY -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 103)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.sendto(bytes([0x20, 0, 0xdf, 0xfa, 0, 1, 0, 2, 0, 105]), ("224.0.0.13", 0))'
check "  and its port becomes a router port" bash -c "'$NSLAB' switch -j sw ports | $PY -c '
import json, sys; ps = {p[\"name\"]: p for p in json.load(sys.stdin)}
assert ps[\"d-eth0\"][\"igmp_router\"] and not ps[\"c-eth0\"][\"igmp_router\"], ps'"
bg "$T_DIR/b5" listen b 4
check "b's join is known" known 239.1.2.3 b-
bg "$T_DIR/c5" sniff c 2
bg "$T_DIR/d5" sniff d 2
send 10
wait
check_eq "  the group reaches the router port d" 10 "$(result "$T_DIR/d5")"
check_eq "  and still not c" 0 "$(result "$T_DIR/c5")"

# Snooping off in the topology: the switch is reconfigured in place.
sed -i 's/^  sw: {/  sw: {igmp_snooping: false, /' "$topo"
check "igmp_snooping: false applies to the running switch" "$NSLAB" up --sandbox "$topo"
check_out "  nslab switch mdb says so" 'IGMP snooping is off on sw: IPv4 multicast floods' "$NSLAB" switch sw mdb
bg "$T_DIR/b6" listen b 3
bg "$T_DIR/c6" sniff c 2
sleep 0.3
send 10
wait
check_eq "  and the group's traffic floods: c sees it, though only b listens" 10 "$(result "$T_DIR/c6")"
check "a still reaches c" pings a 172.16.40.3
check "the lab goes down" "$NSLAB" down igmp
finish
