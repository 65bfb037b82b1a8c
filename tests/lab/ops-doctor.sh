# SPDX-License-Identifier: GPL-2.0-or-later
# nslab doctor in the test's own namespace: it passes on a clean machine,
# finds a firewall that drops forwarded traffic (as Docker leaves it) and
# names a topology would take that are already taken, and says how to fix
# each; nothing it tries is left behind.
. "$(dirname "$0")/lib.sh"

check_out "doctor --help explains it" 'Usage: nslab doctor' "$NSLAB" doctor --help
before=$(net_snapshot)
check_status "doctor passes on a clean namespace (0)" 0 "$NSLAB" doctor
out=$T_DIR/clean
cp "$T_DIR/last" "$out"
for c in privileges netns veth bridge nftables-nat af-packet run-netns forward-policy switchd; do
	check_out "  $c is OK" "^OK +$c " cat "$out"
done
check_out "  ip_forward off is a note, not a failure" '^OK +ip-forward +IPv4 forwarding is (on|off; nslab turns it on)' cat "$out"
check_out "  a summary counts no failures" '^[0-9]+ OK, [0-9]+ warnings?, 0 failures$' cat "$out"
check_eq "  and the namespace is as it was" "$before" "$(net_snapshot)"
check "doctor -j: every check with a level, detail and fix" bash -c "$NSLAB doctor -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
names = [c[\"name\"] for c in d[\"checks\"]]
assert len(names) == len(set(names)), names
for c in d[\"checks\"]:
    assert c[\"level\"] in (\"ok\", \"warn\", \"fail\"), c
    assert c[\"detail\"], c
    assert (c[\"level\"] == \"ok\") == (c[\"fix\"] is None), c
s = d[\"summary\"]
assert s[\"fail\"] == 0 and s[\"ok\"] + s[\"warn\"] == len(d[\"checks\"]), s
'"

# Docker's FORWARD chain: a base chain on the forward hook, policy drop.
nft add table ip filter
nft add chain ip filter FORWARD '{ type filter hook forward priority 0; policy drop; }'
check_status "with a FORWARD policy of drop, doctor fails (1)" 1 "$NSLAB" doctor
check_out "  naming the chain" '^FAIL +forward-policy +ip filter FORWARD drops forwarded traffic' cat "$T_DIR/last"
check_out "  and how to let a lab through" \
	"fix: nslab never changes another's firewall; let each lab subnet through: iptables -I FORWARD -s SUBNET -j ACCEPT and iptables -I FORWARD -d SUBNET -j ACCEPT with SUBNET each gateway's subnet; or build labs with --sandbox\$" \
	cat "$T_DIR/last"
check_status "  but doctor --sandbox passes (0): a sandbox's namespace has no such chain" 0 "$NSLAB" doctor --sandbox
check_out "  saying so" '^OK +forward-policy +ip filter FORWARD drops forwarded traffic .*; labs built with --sandbox are not affected$' \
	cat "$T_DIR/last"
check_out "  with the lab's subnet when given the file" 'with SUBNET 172\.16\.10\.0/24' bash -c "$NSLAB doctor $TOP/examples/seed.yaml; true"
check "  -j says fail" bash -c "$NSLAB doctor -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
c = [c for c in d[\"checks\"] if c[\"name\"] == \"forward-policy\"][0]
assert c[\"level\"] == \"fail\" and \"FORWARD\" in c[\"detail\"] and c[\"fix\"], c
assert d[\"summary\"][\"fail\"] >= 1
'"
nft delete table ip filter
# A chain of nftables' own (not iptables'): the fix is a rule in it.
nft add table inet fw
nft add chain inet fw forwarding '{ type filter hook forward priority 0; policy drop; }'
check_status "with an nftables forward chain of policy drop, doctor fails (1)" 1 "$NSLAB" doctor "$TOP/examples/seed.yaml"
check_out "  and the fix is a rule in that chain" \
	'fix: .*nft insert rule inet fw forwarding ip saddr SUBNET accept .* with SUBNET 172\.16\.10\.0/24' cat "$T_DIR/last"
nft delete table inet fw
check_status "without it, doctor passes again (0)" 0 "$NSLAB" doctor

# Strict reverse-path filtering is a warning.
sysctl -qw net.ipv4.conf.all.rp_filter=1
check_status "strict rp_filter only warns (0)" 0 "$NSLAB" doctor
check_out "  with the fix" '^WARN +rp-filter .*fix: sysctl -w net\.ipv4\.conf\.all\.rp_filter=2' cat "$T_DIR/last"
sysctl -qw net.ipv4.conf.all.rp_filter=0

# A topology's names.
check_status "doctor FILE checks the file too (0)" 0 "$NSLAB" doctor "$TOP/examples/pair.yaml"
check_out "  its names are free" '^OK +names +lab pair.s 2 namespaces and 0 interfaces on the host are free' cat "$T_DIR/last"
ip netns add red
ip link add blue-eth0 type veth peer name nslab-tp0
check_status "a namespace and an interface that are taken fail (1)" 1 "$NSLAB" doctor "$TOP/examples/seed.yaml"
check_out "  naming both" '^FAIL +names +lab seed needs names that are taken: namespace red, interface blue-eth0' cat "$T_DIR/last"
check_status "in a sandbox only the namespace counts (1)" 1 "$NSLAB" doctor --sandbox "$TOP/examples/seed.yaml"
check_out "  naming red alone" 'names that are taken: namespace red;' cat "$T_DIR/last"
ip netns del red
ip link del blue-eth0
check "the seed comes up" "$NSLAB" up --sandbox
check_status "a running lab's own names are not clashes (0)" 0 "$NSLAB" doctor --sandbox "$TOP/examples/seed.yaml"
check_out "  its 6 namespaces are its own" '^OK +names +lab seed.s 6 namespaces are its own \(it is running\) or free$' cat "$T_DIR/last"
check_status "another lab's hosts are (1)" 1 "$NSLAB" doctor --sandbox "$TOP/examples/pair.yaml"
check_out "  red and blue are taken, by lab seed, which can be taken down" \
	"lab seed's namespace red, lab seed's namespace blue; fix: rename the hosts and switches, take down the lab that has them \\(nslab down LAB\\)" \
	cat "$T_DIR/last"
check "nslab down" "$NSLAB" down seed

# A sandbox has one uplink, eth0: doctor and up say so of any other.
up7=$(write_topo up7 <<'YAML'
switches: {s: {gateway: 10.79.0.1/24, nat: true, uplink: eth7}}
hosts: {u1: {switch: s, ip: 10.79.0.2/24}}
YAML
)
check_status "doctor --sandbox fails a switch whose uplink is not eth0 (1)" 1 "$NSLAB" doctor --sandbox "$up7"
check_out "  saying why and what to write" \
	"^FAIL +uplink +switch s's uplink eth7: a sandbox's only uplink is eth0, to its internet; fix: remove 'uplink:' or make it eth0$" \
	cat "$T_DIR/last"
check_status "up --sandbox refuses it (1)" 1 "$NSLAB" up --sandbox "$up7"
check_out "  in one line" "^nslab: up7: switch s's uplink eth7: a sandbox's only uplink is eth0, to its internet; remove 'uplink:' or make it eth0$" \
	cat "$T_DIR/last"
check_out "  and makes nothing" '^no lab is running' "$NSLAB" ls

bad=$(write_topo bad <<'YAML'
hosts:
  a: {switch: nowhere, ip: 10.0.0.1/24}
YAML
)
check_status "a bad topology fails (1)" 1 "$NSLAB" doctor "$bad"
check_out "  with the parser's line, whose fix is in it" \
	"^FAIL +topology +.*bad\\.yaml:2:[0-9]+: undefined switch 'nowhere' in host 'a'; define it under 'switches:'\$" cat "$T_DIR/last"
check_status "a file that is not there fails (1)" 1 "$NSLAB" doctor "$T_DIR/nosuch.yaml"
check_out "  naming it once" "^FAIL +topology +$T_DIR/nosuch\\.yaml: No such file or directory; fix: give a readable topology file\$" \
	cat "$T_DIR/last"
# Bridge VLAN filtering matters only to a topology with VLANs on a bridge.
if grep -Eq '^WARN +bridge-vlan' "$out"; then
	brv=$(write_topo brv <<'YAML'
switches: {s: {kind: bridge}}
hosts:
  v1: {switch: s, ip: 10.78.0.1/24, vlan: 10}
  v2: {switch: s, ip: 10.78.0.2/24, vlan: 10}
YAML
)
	check_status "a bridge with VLANs this kernel cannot filter fails (1)" 1 "$NSLAB" doctor "$brv"
	check_out "  saying the topology needs it" '^FAIL +bridge-vlan .*; the topology needs it; fix: use kind: nslab' cat "$T_DIR/last"
	check_status "a topology without them passes (0)" 0 "$NSLAB" doctor "$TOP/examples/pair.yaml"
	check_out "  the check OK, saying it is not needed" '^OK +bridge-vlan +Linux bridges cannot filter VLANs.*; the topology does not need it$' \
		cat "$T_DIR/last"
else
	check_out "bridges filter VLANs here: OK" '^OK +bridge-vlan +Linux bridges can filter VLANs$' cat "$out"
fi
# br_netfilter handing bridged IPv6 to the firewall: a warning, where the
# module is loaded (its settings are per namespace: this test's own).
if [ -e /proc/sys/net/bridge/bridge-nf-call-ip6tables ]; then
	echo 1 >/proc/sys/net/bridge/bridge-nf-call-ip6tables
	check_out "doctor warns of br_netfilter passing bridged IPv6 to the firewall" \
		'^WARN +br-netfilter +br_netfilter hands bridged IPv6 to the firewall' "$NSLAB" doctor
	check_out "  but not for labs built with --sandbox" \
		'^OK +br-netfilter .*; labs built with --sandbox are not affected$' "$NSLAB" doctor --sandbox
	echo 0 >/proc/sys/net/bridge/bridge-nf-call-ip6tables
	check_fail "  and not once it is off" grep -q 'br-netfilter' <("$NSLAB" doctor)
else
	echo "# br_netfilter is not loaded here: no such warning to see"
fi
check_eq "nothing doctor did is left" "$before" "$(net_snapshot)"
finish
