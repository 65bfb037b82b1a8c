#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Links between switches: four switches in a line — nslab-switchd s1, s2
# and s3, the Linux bridge s4 — joined by an 802.1Q trunk (s1-s2, VLANs 10
# and 20 tagged, 1 native), a trunk of VLAN 10 alone (s2-s3) and a plain
# link (s3-s4). Hosts reach across every switch on their own VLAN and on no
# other; the hosts behind s2, s3 and s4 route through s1's gateway and NAT;
# a VLAN the trunk does not carry stays apart; flows across the trunks go
# through the kernel, tagged; a link is removed and added back while the
# rest keeps forwarding; two links between the same switches on different
# VLANs are taken; a loop is refused.
. "$(dirname "$0")/lib.sh"

f=$(write_topo line <<'YAML'
name: line
switches:
  s1: {gateway: [10.1.0.254/24, "2001:db8:1::fe/64"], nat: true}
  s2: {}
  s3: {}
  s4: {kind: bridge}
hosts:
  a: {switch: s1, ip: 10.1.0.1/24}
  b: {switch: s2, ip: 10.1.0.2/24}
  c: {switch: s3, ip: 10.1.0.3/24}
  d: {switch: s4, ip: [10.1.0.4/24, "2001:db8:1::4/64"]}
  a10: {switch: s1, vlan: 10, ip: 10.10.0.1/24}
  b10: {switch: s2, vlan: 10, ip: 10.10.0.2/24}
  c10: {switch: s3, vlan: 10, ip: 10.10.0.3/24}
  a20: {switch: s1, vlan: 20, ip: 10.10.0.11/24}
  b20: {switch: s2, vlan: 20, ip: 10.10.0.12/24}
  c20: {switch: s3, vlan: 20, ip: 10.10.0.13/24}
links:
  - {between: [s1, s2], trunk: [10, 20]}
  - {between: [s2, s3], trunk: [10]}
  - [s3, s4]
expect:
  - {from: [a, b, c, d], to: [a10, b10, c10, a20, b20, c20], reach: false}
  - {from: [a10, b10, c10, a20, b20, c20], to: [a, b, c, d], reach: false}
  - {from: [a10, b10, c10], to: [a20, b20, c20], reach: false}
  - {from: [a20, b20, c20], to: [a10, b10, c10], reach: false}
  - {from: c20, to: [a20, b20], reach: false}
  - {from: [a20, b20], to: c20, reach: false}
YAML
)
check "a line of four switches comes up" "$NSLAB" up --sandbox "$f"
check_eq "ls -j: 3 links" 3 "$("$NSLAB" ls -j | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["links"])')"
check_status "pingall: every VLAN reaches across the switches and no other (the file's expect)" 0 \
	"$NSLAB" pingall
check_eq "  20 pairs reached: VLAN 1 (12), VLAN 10 (6), VLAN 20 on s1 and s2 (2)" "20 0" \
	"$("$NSLAB" pingall -j | $PY -c 'import json,sys; d=json.load(sys.stdin)["summary"]; print(d["reached"], d["mismatches"])')"
check_out "d, behind three switches, routes by default via s1's gateway" \
	'default via 10.1.0.254 dev eth0' ip -n d route
check_out "  for IPv6 too" 'default via 2001:db8:1::fe dev eth0' ip -n d -6 route
check "d reaches s1's IPv6 gateway" in_node d ping -6 -c1 -W2 2001:db8:1::fe
check "d reaches the internet through s1's NAT" pings d 198.51.100.1
check "c20 does not reach b20: the s2-s3 trunk does not carry VLAN 20" no_ping c20 10.10.0.12
check_eq "the links' ports have no address, not even IPv6 link-local" "" \
	"$(ip -n nslab-line addr show dev s1-s2 | grep inet; ip -n nslab-line addr show dev s2-s1 | grep inet)"

# The kernel carries a flow across both trunks tagged: in from s1, out to s3.
pings a10 10.10.0.3 >/dev/null && pings a10 10.10.0.3 >/dev/null
flow() { # flow IN OUT: "vlan in_tagged out_tagged" of s2's kernel flow IN -> OUT
	"$NSLAB" switch s2 flows -j | $PY -c "
import json,sys
f=[f for f in json.load(sys.stdin) if f['in'] == '$1' and f['out'] == '$2']
print(*[(x['vlan'], x['in_tagged'], x['out_tagged']) for x in f if x['vlan'] == 10][0])"
}
check_eq "s2's kernel flow s2-s1 -> s2-s3 is VLAN 10, tagged in and out" "10 True True" \
	"$(flow s2-s1 s2-s3)"
check "TCP across three switches and two trunks" bash -c "
ip netns exec c10 iperf3 -s -1 -D >/dev/null && sleep 0.3 &&
ip netns exec a10 timeout 20 iperf3 -c 10.10.0.3 -t 1 -J | $PY -c '
import json,sys; r=json.load(sys.stdin); assert r[\"end\"][\"sum_received\"][\"bytes\"] > 10**7, r[\"end\"]'"

ports() { "$NSLAB" switch "$1" ports -j | $PY -c "
import json,sys
p=[p for p in json.load(sys.stdin) if p['name'] == '$2'][0]
print(p['host'], p.get('trunk', p.get('vlan')), p.get('native_vlan', '-'))"; }
check_eq "s2's port s2-s1 is a trunk of 10, 20 (native 1) to switch s1" "(switch s1) [10, 20] 1" \
	"$(ports s2 s2-s1)"
check_eq "s4 (a bridge) has port s4-s3, to switch s3" "(switch s3) 1 -" "$(ports s4 s4-s3)"
check_out "show lists the links' ports on the host side" \
	's1-s2 +UP .* s1 port to switch s2 trunk 10,20' "$NSLAB" show
check_out "graph draws the trunk between s1 and s2" \
	'"switch:s1" -- "switch:s2" \[label="trunk 10,20 native 1"' "$NSLAB" graph
check_out "graph -f mermaid too" 's0 ===\|"trunk 10,20 native 1"\| s1' "$NSLAB" graph -f mermaid

# Take the s3-s4 link away while a and b ping each other, then put it back.
ident() { echo "$(ip -n nslab-line -o link show s1-s2 | cut -d: -f1) $(ip -n nslab-line -o link show b-eth0 | cut -d: -f1)"; }
id0=$(ident)
ip netns exec a ping -i 0.05 -c 40 -W1 10.1.0.2 >"$T_DIR/ping" 2>&1 &
pid=$!
cut=$T_DIR/cut.yaml
grep -v '\[s3, s4\]' "$f" >"$cut"
# Its veth goes (with its two ports), and with it d's way to s1's gateway:
# d's two default routes; s3 reloads. Nothing else is touched.
check_out "removing the s3-s4 link removes its veth and d's default routes, reloads s3" \
	'updated .* 0 made, 1 changed, 3 removed' "$NSLAB" up --sandbox "$cut"
check_eq "d has no default route left" "" "$(ip -n d route show default; ip -n d -6 route show default)"
check "d no longer reaches a" no_ping d 10.1.0.1
check_eq "the veth of the link is gone" "" "$(ip -n nslab-line -o link show | grep -o 's3-s4\|s4-s3')"
check "the link back" "$NSLAB" up --sandbox "$f"
check "d reaches a again" pings d 10.1.0.1
wait "$pid"
check_out "a pinged b all along without a loss" ' 0% packet loss' cat "$T_DIR/ping"
check_eq "s1-s2 and b's port were not recreated" "$id0" "$(ident)"

# The s2-s3 trunk takes VLAN 20 too: a reload of s2 and s3, nothing remade.
wide=$T_DIR/wide.yaml
sed 's/{between: \[s2, s3\], trunk: \[10\]}/{between: [s2, s3], trunk: [10, 20]}/' "$f" >"$wide"
check_out "the s2-s3 trunk carries VLAN 20 as well: s2 and s3 reload, nothing is remade" \
	'updated .* 0 made, 2 changed, 0 removed' "$NSLAB" up --sandbox "$wide"
check "now c20 reaches b20" pings c20 10.10.0.12
check_eq "s1-s2 and b's port were still not recreated" "$id0" "$(ident)"

# Two links between the same switches, each on its own VLAN (one cable
# per VLAN): no loop in any VLAN, so both are taken.
par=$(write_topo par <<'YAML'
switches: {p1: {}, p2: {}}
hosts:
  x10: {switch: p1, vlan: 10, ip: 10.10.0.1/24}
  y10: {switch: p2, vlan: 10, ip: 10.10.0.2/24}
  x30: {switch: p1, vlan: 30, ip: 10.30.0.1/24}
  y30: {switch: p2, vlan: 30, ip: 10.30.0.2/24}
links:
  - {between: [p1, p2], trunk: [10], native: 0}
  - {between: [p1, p2], vlan: 30}
expect:
  - {from: [x10, y10], to: [x30, y30], reach: false}
  - {from: [x30, y30], to: [x10, y10], reach: false}
YAML
)
check "two links between p1 and p2, on VLANs 10 and 30" "$NSLAB" up --sandbox "$par"
check_eq "  the second link's ports are p1-p2-2 and p2-p1-2" "p1-p2-2 p2-p1-2" \
	"$(ip -n nslab-par -o link show | grep -o 'p[12]-p[12]-2' | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_status "  each VLAN reaches across its own link, and no other" 0 "$NSLAB" pingall -l par
check "  down" "$NSLAB" down par

loop=$(write_topo loop <<'YAML'
switches: {s1: {}, s2: {}, s3: {}}
hosts: {x: {switch: s1}}
links: [[s1, s2], [s2, s3], [s3, s1]]
YAML
)
check_status "a loop of links is refused (status 2)" 2 "$NSLAB" up --sandbox "$loop"
check_out "  naming the link that closes it" 'loop.yaml:3:29: link 3 closes a loop' cat "$T_DIR/last"
check "down" "$NSLAB" down line

# Many small switches share one budget for their receive rings, as one
# switch of all their ports would: 3 switches of 20 hosts, 67 ports in all
# (with each switch's own and the links' ends), get 256 KiB rings where a
# switch of 23 ports alone gets 1 MiB.
three=$(write_topo three <<YAML
name: three
switches: {t1: {gateway: 10.77.0.254/16}, t2: {}, t3: {}}
hosts:
$(for s in 1 2 3; do for i in $(seq 1 20); do echo "  t$s-h$i: {switch: t$s, ip: 10.77.$s.$i/16}"; done; done)
links: [[t1, t2], [t2, t3]]
YAML
)
check "three switches of 20 hosts come up" "$NSLAB" up --sandbox "$three"
check_eq "each daemon is told the lab's number of ports (67, as 128)" "128 128 128" \
	"$(for s in t1 t2 t3; do $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["ring_ports"])' /run/nslab/three/$s.json; done | paste -sd' ')"
check_eq "  and sizes every port's ring for it: 256 KiB" "0 67" \
	"$(cat /run/nslab/three/t?.log | grep -c 'attached .*1024 KiB ring') $(cat /run/nslab/three/t?.log | grep -c 'attached .*256 KiB ring')"
check "every pair reaches across the switches" "$NSLAB" pingall three
check "down" "$NSLAB" down three

# On nslab-switchd switches joined by a link, only the switch with the
# gateway answers ARP for it: the others' host sides are the host's
# interfaces on the same segment, and must not answer for an address that
# is not theirs. (Linux bridges do, as Linux does: see link_change.)
for kind in nslab; do
	arp=$(write_topo arp <<YAML
name: arp
switches:
  g0: {gateway: 10.78.0.1/24, kind: $kind}
  g1: {kind: $kind}
  g2: {kind: $kind}
hosts:
  y1: {switch: g0, ip: 10.78.0.2/24}
  y2: {switch: g2, ip: 10.78.0.3/24}
links: [[g0, g1], [g1, g2]]
YAML
)
	check "$kind: a lab of three linked switches, one with the gateway, comes up" "$NSLAB" up --sandbox "$arp"
	ip netns exec y2 timeout 30 tcpdump --immediate-mode -l -n -i eth0 arp >"$T_DIR/arp" 2>"$T_DIR/arp.err" &
	tp=$!
	for _ in $(seq 50); do grep -q listening "$T_DIR/arp.err" && break; sleep 0.1; done
	check "  the far host reaches the gateway" pings y2 10.78.0.1
	sleep 0.5    # any later answer too
	kill -TERM $tp 2>/dev/null; wait $tp
	check_eq "  and its ARP request got one answer" 1 "$(grep -c 'Reply 10.78.0.1 is-at' "$T_DIR/arp")"
	check_out "  from the gateway's interface" \
		"is-at $(ip -n nslab-arp link show g0 | awk '/link.ether/ {print $2}')" cat "$T_DIR/arp"
	check_out "  g1's own port shows as its host side" \
		'^g1-sw +up .*\(host side\)' "$NSLAB" switch g1 ports
	check_out "  and g0's own port as the gateway" '^g0-sw +up .*\(gateway\)' "$NSLAB" switch g0 ports
	check "down" "$NSLAB" down arp
done
check_eq "nothing is left" "" "$(ip netns list)"
finish
