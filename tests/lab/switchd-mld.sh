# SPDX-License-Identifier: GPL-2.0-or-later
# MLD snooping on nslab-switchd: IPv6 multicast goes to the ports whose
# hosts listen to its group, and nowhere else; the hosts' own IPv6 (address
# resolution through solicited-node groups) keeps working; a listener that
# leaves makes the group flood again; a restarted switch asks the hosts and
# knows every listener again; `mld_snooping: false` floods.
. "$(dirname "$0")/switchd-lib.sh"
SW_SOCK=${NSLAB_RUN_DIR:-/run/nslab}/mld/sw.sock # the lab's switch, for swctl and swq

topo=$(write_topo mld <<'EOF'
switches:
  sw: {gateway: [172.16.30.254/24, 2001:db8:30::fe/64]}
hosts:
  a: {switch: sw, ip: [172.16.30.1/24, 2001:db8:30::1/64]}
  b: {switch: sw, ip: [172.16.30.2/24, 2001:db8:30::2/64]}
  c: {switch: sw, ip: [172.16.30.3/24, 2001:db8:30::3/64]}
EOF
)
check "the lab comes up" "$NSLAB" up --sandbox "$topo"
at_exit "$NSLAB down --all >/dev/null 2>&1"

dad_done() { # no tentative address left in the hosts
	local h i
	for i in $(seq 50); do
		for h in a b c; do ip -n $h -6 addr show tentative | grep -q inet6 && break; done ||
			return 0
		sleep 0.1
	done
	return 1
}
check "the hosts' IPv6 addresses are ready" dad_done

# Each host reported its solicited-node groups on its own port.
mdb_has() { # mdb_has GROUP PORT-PREFIX: the switch lists that listener
	"$NSLAB" switch -j sw mdb | $PY -c '
import json, sys
g, p = sys.argv[1], sys.argv[2]
rows = json.load(sys.stdin)
sys.exit(0 if any(r["group"] == g and r["port"].startswith(p) and r["vlan"] == 1 and
                  r["expires"] > 0 for r in rows) else 1)' "$1" "$2"
}
declare -A num=([a]=1 [b]=2 [c]=3)
for h in a b c; do
	check "$h's solicited-node group is known on $h's port" mdb_has ff02::1:ff00:${num[$h]} "$h-"
done
check_out "nslab switch mdb lists them as a table" '^ff02::1:ff00:1 +1 +a-' "$NSLAB" switch sw mdb
check_out "nslab switch shows the listeners' count" 'multicast listeners \(nslab switch sw mdb\)' \
	"$NSLAB" switch sw
for x in a b c; do
	for y in a b c; do
		[ $x = $y ] || check "$x reaches $y over IPv6 (address resolution through the snooped groups)" \
			pings $x 2001:db8:30::${num[$y]}
	done
done

# Neighbour discovery goes to the solicited-node groups' ports by the
# switch: no multicast flow is offered for it (the kernel's program matches
# UDP alone, and such flows would only take slots).
check_eq "  and no multicast flow is made for it" "[]" \
	"$(swq '{"cmd":"flows"}' 'sorted(f["group"] for f in r["multicast_flows"])')"

# b listens to ff05::4242 (a program joins it and waits); a sends to the
# group; c counts what reaches its link.
listen() { listen_group "$1" "$2" ff05::4242 eth0; } # listen HOST SECONDS (switchd-lib.sh)
sniff() { # sniff HOST SECONDS: frames to UDP port 9999 seen on HOST's eth0
	ip netns exec "$1" $PY -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x86dd))
s.bind(("eth0", 0))
s.settimeout(0.2)
n, end = 0, time.time() + float(sys.argv[1])
print("ready", flush=True)
while time.time() < end:
    try:
        f = s.recv(2000)
    except socket.timeout:
        continue
    if len(f) >= 58 and f[20] == 17 and f[56:58] == b"\x27\x0f":
        n += 1
print(n, flush=True)' "$2"
}
send() { # send COUNT: a sends COUNT datagrams to [ff05::4242]:9999
	ip netns exec a $PY -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex("eth0"))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 4)
for i in range(int(sys.argv[1])):
    s.sendto(b"x", ("ff05::4242", 9999)); time.sleep(0.01)' "$1"
}

bg "$T_DIR/b1" listen b 4
bg "$T_DIR/c1" sniff c 3
sleep 0.5
check "b's listener is known on b's port" mdb_has ff05::4242 b-
k0=$(kpkts)
send 40 &
sleep 0.15
check "  after the first datagrams, a multicast flow a-eth0 -> [b-eth0] for ff05::4242" \
	mflow_seen a-eth0 b-eth0 ff05::4242 1 no
wait
check_eq "b receives every datagram to its group" 40 "$(result "$T_DIR/b1")"
k1=$(kpkts)
echo "# the kernel carried $((k1 - k0)) of 40"
check "  most went by the kernel (20 or more of 40)" test $((k1 - k0)) -ge 20
check_eq "c, no listener, sees none of them on its link" 0 "$(result "$T_DIR/c1")"
check "  and its IPv6 multicast counted as snooped, not as drops" test "$("$NSLAB" switch -j sw stats | $PY -c '
import json, sys; print(sum(p["stats"]["snooped"] for p in json.load(sys.stdin)))')" -gt 0

# b's program ended: its host left the group (a done, or a report to
# include nothing), so nobody is known to listen and the group floods.
sleep 0.5
check_fail "when b leaves, its listener goes at once (an access port)" mdb_has ff05::4242 b-
bg "$T_DIR/c2" sniff c 2
send 10
wait
check_eq "  and the group's traffic floods again: c sees it" 10 "$(result "$T_DIR/c2")"

# A restarted switch knows nothing, and asks: b, still listening, answers
# within the query's second.
bg "$T_DIR/b3" listen b 8
sleep 0.3
kill -9 "$(pgrep -x nslab-switchd)"
check "up restarts the killed switch" "$NSLAB" up --sandbox "$topo"
known_again() { local i; for i in $(seq 30); do mdb_has ff05::4242 b- && return 0; sleep 0.1; done; return 1; }
check "the new switch learns b's listener from its query" known_again
bg "$T_DIR/c3" sniff c 2
send 10
wait
check_eq "  and c sees none of the group's traffic" 0 "$(result "$T_DIR/c3")"
check_eq "  while b got it all" 10 "$(result "$T_DIR/b3")"

# Snooping off in the topology: the switch is reconfigured in place.
sed -i 's/^  sw: {/  sw: {mld_snooping: false, /' "$topo"
check "mld_snooping: false applies to the running switch" "$NSLAB" up --sandbox "$topo"
check_out "  nslab switch mdb says so" 'MLD snooping is off on sw' "$NSLAB" switch sw mdb
bg "$T_DIR/b4" listen b 3
bg "$T_DIR/c4" sniff c 2
sleep 0.3
send 10
wait
check_eq "  and the group's traffic floods: c sees it, though only b listens" 10 "$(result "$T_DIR/c4")"
check "a still reaches c over IPv6" pings a 2001:db8:30::3
check "the lab goes down" "$NSLAB" down mld
finish
