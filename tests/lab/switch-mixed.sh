# SPDX-License-Identifier: GPL-2.0-or-later
# A Linux bridge between nslab switches, and hosts on it reaching another
# switch's gateway: IPv6 NAT works for them (the sandbox's host side does
# not hand bridged IP to the firewall, which br_netfilter would do), and
# multicast snooping across the bridge learns its router ports as soon as
# the bridge forwards, not at the next periodic query half a minute later.
. "$(dirname "$0")/lib.sh"

f=$(write_topo mixed <<'YAML'
switches:
  s1: {gateway: [10.1.0.254/24, "2001:db8:1::fe/64"], nat: true}
  sb: {kind: bridge}
  s2: {}
hosts:
  a: {switch: s1, ip: [10.1.0.1/24, "2001:db8:1::1/64"]}
  b: {switch: sb, ip: [10.1.0.2/24, "2001:db8:1::2/64"]}
  c: {switch: s2, ip: [10.1.0.3/24, "2001:db8:1::3/64"]}
links: [[s1, sb], [sb, s2]]
YAML
)
check "a lab with a bridge between two nslab switches comes up" "$NSLAB" up --sandbox "$f"
if [ -e /proc/sys/net/bridge/bridge-nf-call-ip6tables ]; then
	check_eq "  br_netfilter is loaded: its sandbox host side bridges without the firewall" "0 0 0" \
		"$(ip netns exec nslab-mixed sh -c 'cat /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/bridge/bridge-nf-call-ip6tables /proc/sys/net/bridge/bridge-nf-call-arptables' | tr '\n' ' ' | sed 's/ $//')"
else
	echo "# br_netfilter is not loaded here: the bridge never hands IP to the firewall"
fi
for h in a b c; do
	check "$h reaches the internet over IPv6 through NAT" in_node $h ping -6 -c1 -W2 2001:db8:100::1
	check "$h reaches it over IPv4" pings $h 198.51.100.1
done
check_status "pingall: every pair reaches (0)" 0 "$NSLAB" pingall

# The nslab switches' ports to the bridge came up after the daemons had
# sent their first queries: each asks again then, and hears the other's.
router() { "$NSLAB" switch -j "$1" ports | $PY -c "
import json,sys; print([p for p in json.load(sys.stdin) if p['name']=='$2'][0]['igmp_router'])"; }
ok=
for _ in $(seq 100); do
	[ "$(router s2 s2-sb)" = True ] && [ "$(router s1 s1-sb)" = True ] && { ok=1; break; }
	sleep 0.1
done
check "the ports facing the bridge are router ports within seconds, not at the next query" test -n "$ok"

# The bridge's port to s2 goes down and up: s2 asks again out of it (s1
# hears the query) and keeps knowing s1's querier behind it.
heard() { $PY - "$1" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sys.argv[1])
s.sendall(b'{"cmd":"status"}\n'); buf = b""
while not buf.endswith(b"\n"):
    buf += s.recv(65536)
print(json.loads(buf)["igmp_snooping"]["queries_heard"])
PY
}
h0=$(heard /run/nslab/mixed/s1.sock)
check "the bridge's port to s2 goes down and up" bash -c "ip -n nslab-mixed link set sb-s2 down && sleep 0.5 && ip -n nslab-mixed link set sb-s2 up"
ok=
for _ in $(seq 50); do [ "$(heard /run/nslab/mixed/s1.sock)" -gt "$h0" ] && { ok=1; break; }; sleep 0.1; done
check "  s2 queries again out of it: s1 hears it" test -n "$ok"
check_eq "  and s2 still knows s1's side as a router port" True "$(router s2 s2-sb)"
check "down" "$NSLAB" down mixed

# A trunk between two nslab switches gains a VLAN: the changed port forgets
# the routers heard on it, and up has the switches ask again at once.
tr=$T_DIR/trunk.yaml
trunk() {
	cat >"$tr" <<YAML
name: trunk
switches:
  sa: {gateway: [10.79.1.254/24, "fd79:1::fe/64"], nat: true}
  sb: {}
hosts:
  k1: {switch: sa, ip: [10.79.1.1/24, "fd79:1::1/64"]}
  k2: {switch: sb, ip: [10.79.1.2/24, "fd79:1::2/64"]}
  k3: {switch: sa, vlan: 10, ip: 10.79.10.3/24}
  k4: {switch: sb, vlan: 10, ip: 10.79.10.4/24}
  k5: {switch: sb, vlan: 20, ip: 10.79.20.5/24}
  k6: {switch: sa, vlan: 20, ip: 10.79.20.6/24}
links:
  - {between: [sa, sb], trunk: [$1], native: 1}
expect:
  - {from: [k1, k2], to: [k3, k4, k5, k6], reach: false}
  - {from: [k3, k4, k5, k6], to: [k1, k2], reach: false}
  - {from: [k3, k4], to: [k5, k6], reach: false}
  - {from: [k5, k6], to: [k3, k4], reach: false}
YAML
}
routers() { # routers: within 5 s, sb's port to sa is a router port for IGMP and MLD
	local _
	for _ in $(seq 50); do
		[ "$(router sb sb-sa)" = True ] && "$NSLAB" switch -j sb ports | $PY -c "
import json,sys; p=[p for p in json.load(sys.stdin) if p['name']=='sb-sa'][0]; sys.exit(not p['mld_router'])" && return 0
		sleep 0.1
	done
	return 1
}
trunk 10
check "two nslab switches joined by a trunk of VLAN 10 come up" "$NSLAB" up --sandbox "$tr"
check "  sb's port to sa is a router port" routers
trunk "10, 20"
check "the trunk also carries VLAN 20" "$NSLAB" up --sandbox "$tr"
check "  sb's port to sa is a router port again at once, not at sa's next query" routers
check_status "  k5 and k6 now reach each other, as expected (0)" 0 "$NSLAB" pingall -t 1 trunk
check "down" "$NSLAB" down trunk
check_eq "nothing is left" "" "$(ip netns list)"
finish
