# SPDX-License-Identifier: GPL-2.0-or-later
# nslab graph: a topology file or a running lab as DOT, Mermaid and SVG,
# with its hosts, switches, VLANs, links, gateways and NAT.
. "$(dirname "$0")/lib.sh"

check_out "graph --help explains it" 'Usage: nslab graph' "$NSLAB" graph --help
check_status "an unknown format is a usage error (2)" 2 "$NSLAB" graph -f png "$TOP/examples/seed.yaml"
check_status "a bad file is a topology error (2)" 2 "$NSLAB" graph /nonexistent.yaml

# From files: no lab is running.
check_out "the seed file as DOT: a graph named after the lab" '^graph "seed" \{' "$NSLAB" graph "$TOP/examples/seed.yaml"
dot_out=$T_DIR/seed.dot
cp "$T_DIR/last" "$dot_out"
for h in red blue green yellow; do
	check_out "  $h is a node with its address" "^  \"host:$h\" \\[label=\"$h\\\\n172\\.16\\.10\\.[0-9]+/24\"" cat "$dot_out"
	check_out "  $h joins v-net-0 through eth0" "^  \"host:$h\" -- \"switch:v-net-0\" \\[label=\"eth0\"\\];" cat "$dot_out"
done
check_out "  the switch shows its kind and gateway" '"switch:v-net-0" \[label="v-net-0\\n(bridge|nslab) switch\\ngateway 172\.16\.10\.254/24"' cat "$dot_out"
check_out "  NAT goes to the internet" '"switch:v-net-0" -- "net:internet" \[label="NAT via the default route.s uplink"' cat "$dot_out"
check_eq "  four host edges, one NAT edge" 5 "$(grep -c -- ' -- ' "$dot_out")"

check "VLANs and a trunk as DOT" "$NSLAB" graph "$TOP/examples/vlans.yaml"
check_out "  an access port shows its VLAN" '"host:red10" -- "switch:sw0" \[label="eth0 vlan 10"\]' cat "$T_DIR/last"
check_out "  a trunk shows its VLANs and native VLAN" '"host:r1" -- "switch:sw0" \[label="eth0 trunk 10,20 native 1"' cat "$T_DIR/last"
check_out "  the switch is nslab-switchd" 'sw0\\nnslab switch' cat "$T_DIR/last"
check_out "a direct link joins two hosts" '"host:red" -- "host:blue" \[label="veth-red - veth-blue"' "$NSLAB" graph "$TOP/examples/pair.yaml"
check_out "a router is drawn as one" '"host:r1" \[label="r1\\nrouter\\n10\.0\.1\.1/24\\n10\.0\.2\.1/24", shape=hexagon' "$NSLAB" graph "$TOP/examples/router.yaml"

check_out "the router lab as Mermaid" '^flowchart LR$' "$NSLAB" graph -f mermaid "$TOP/examples/router.yaml"
mm=$T_DIR/router.mmd
cp "$T_DIR/last" "$mm"
check_out "  switches are boxes with their gateway" '^  s0\["lan1<br/>(bridge|nslab) switch<br/>gateway 10\.0\.1\.254/24"\]$' cat "$mm"
check_out "  the router is a hexagon" '^  h0\{\{"r1<br/>router<br/>10\.0\.1\.1/24<br/>10\.0\.2\.1/24"\}\}$' cat "$mm"
check_out "  hosts are rounded" '^  h1\("a1<br/>10\.0\.1\.10/24"\)$' cat "$mm"
check_out "  r1's second interface joins lan2" '^  h0 ---\|"eth1"\| s1$' cat "$mm"
check_out "  b2 joins lan2" '^  h3 ---\|"eth0"\| s1$' cat "$mm"
check_out "  NAT to the internet" '^  s0 -\.-\|"NAT via the default route.s uplink"\| inet0$' cat "$mm"
check_eq "  five interface edges and one NAT edge" 6 "$(grep -c -- '---|\|-\.-|' "$mm")"
check_status "-o FILE.png is refused: nslab cannot tell what to write there (2)" 2 \
	"$NSLAB" graph -o "$T_DIR/v.png" "$TOP/examples/vlans.yaml"
check_out "  saying which extensions it knows" 'use \.svg, \.mmd, \.dot or \.gv, or say which with -f' cat "$T_DIR/last"
check_fail "  and writes nothing" test -e "$T_DIR/v.png"
check "-o FILE.mmd writes Mermaid there" "$NSLAB" graph -o "$T_DIR/v.mmd" "$TOP/examples/vlans.yaml"
check "-o FILE.MMD too: extensions in either case" "$NSLAB" graph -o "$T_DIR/V.MMD" "$TOP/examples/vlans.yaml"
check_out "  (Mermaid)" '^flowchart LR$' cat "$T_DIR/V.MMD"
check_out "-o - is standard output" '^graph "vlans" \{' bash -c "cd $T_DIR && $NSLAB graph -o - $TOP/examples/vlans.yaml"
check_fail "  and no file called -" test -e "$T_DIR/-"
check_status "a missing FILE.yaml is a missing file, not a lab (2)" 2 bash -c "cd $T_DIR && $NSLAB graph nosuch.yaml"
check_out "  saying so" 'nosuch\.yaml: No such file or directory' cat "$T_DIR/last"
check_status "-f without its value is a usage error (2)" 2 "$NSLAB" graph -f
check_out "  saying once what is wrong" '^nslab graph: -f needs a value; see nslab graph --help$' cat "$T_DIR/last"
check_eq "  in one line" 1 "$(wc -l <"$T_DIR/last")"
check_out "  (by its extension)" '^  h5 ===\|"eth0 trunk 10,20 native 1"\| s0$' cat "$T_DIR/v.mmd"

if command -v dot >/dev/null; then
	check "the DOT is valid Graphviz" dot -Tsvg -o /dev/null "$dot_out"
	check "-f svg draws it with dot" "$NSLAB" graph -f svg -o "$T_DIR/seed.svg" "$TOP/examples/seed.yaml"
	check_out "  an SVG with the hosts in it" '<svg' cat "$T_DIR/seed.svg"
	check_out "  naming yellow" '>yellow<' cat "$T_DIR/seed.svg"
else
	echo "# dot is not installed: SVG output not drawn"
fi
check_status "without dot, SVG fails (1)" 1 env PATH=/nonexistent "$NSLAB" graph -f svg "$TOP/examples/seed.yaml"
check_out "  saying how to get it" 'apt-get install graphviz' cat "$T_DIR/last"

# A running lab: the sandbox's internet and uplink are known.
check "the seed comes up" "$NSLAB" up --sandbox
check_out "graph of the running lab" '^graph "seed"' "$NSLAB" graph
check_out "  says it runs in a sandbox" 'label="lab seed \(running, sandbox\)"' cat "$T_DIR/last"
check_out "  NAT goes out of the sandbox's uplink eth0" '"switch:v-net-0" -- "net:internet" \[label="NAT via uplink eth0"' cat "$T_DIR/last"
check_out "  to the sandbox's internet" '"net:internet" \[label="internet\\n\(sandbox, 198\.51\.100\.1\)"' cat "$T_DIR/last"
check_out "graph -l LAB -f mermaid" '^  h0\("red<br/>172\.16\.10\.1/24"\)$' "$NSLAB" graph -l seed -f mermaid
check "nslab down" "$NSLAB" down seed
finish
