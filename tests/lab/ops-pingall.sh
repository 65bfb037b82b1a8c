# SPDX-License-Identifier: GPL-2.0-or-later
# pingall as an operator meets it: the seed's matrix, its JSON, and labs
# whose topology says who must not reach whom: VLANs kept apart (as
# expected: exit 0), and a file whose expectations are wrong (exit 1, each
# mismatch named).
. "$(dirname "$0")/lib.sh"

check_out "pingall --help explains the marks" 'X +not reached, expected to' "$NSLAB" pingall --help
check_status "pingall with no lab fails (1)" 1 "$NSLAB" pingall
check_out "  and says what to do" 'no lab is running' cat "$T_DIR/last"

check "the seed comes up" "$NSLAB" up --sandbox
check_status "pingall on the seed: every pair reaches (0)" 0 "$NSLAB" pingall
check_out "  the matrix has a column per host" '^from \\ to +red +blue +green +yellow$' cat "$T_DIR/last"
check_out "  red reaches blue, green and yellow" '^red +\+ +\+ +\+$' cat "$T_DIR/last"
check_out "  yellow reaches the others" '^yellow +\+ +\+ +\+$' cat "$T_DIR/last"
check_out "  and the summary counts 12 pairs" '^12 pairs: 12 reached, 0 not reached; all as expected' cat "$T_DIR/last"
check "pingall -j: every pair, field by field" bash -c "$NSLAB pingall -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
ip = {\"red\": \"172.16.10.1\", \"blue\": \"172.16.10.5\", \"green\": \"172.16.10.10\", \"yellow\": \"172.16.10.20\"}
assert d[\"lab\"] == \"seed\" and d[\"family\"] == \"any\", d
assert d[\"hosts\"] == [\"red\", \"blue\", \"green\", \"yellow\"], d[\"hosts\"]
assert isinstance(d[\"timeout_ms\"], int) and d[\"timeout_ms\"] > 0
assert isinstance(d[\"elapsed_ms\"], float) and d[\"elapsed_ms\"] >= 0
seen = set()
for p in d[\"pairs\"]:
    assert set(p) >= {\"from\", \"to\", \"address\", \"reached\", \"expected\", \"rtt\"}, p
    assert p[\"from\"] != p[\"to\"] and p[\"address\"] == ip[p[\"to\"]], p
    assert p[\"reached\"] is True and p[\"expected\"] is True, p
    assert isinstance(p[\"rtt\"], float) and 0 <= p[\"rtt\"] < 1000, p
    seen.add((p[\"from\"], p[\"to\"]))
assert len(seen) == 12 == len(d[\"pairs\"])
assert d[\"summary\"] == {\"pairs\": 12, \"reached\": 12, \"not_reached\": 0, \"skipped\": 0, \"mismatches\": 0}, d[\"summary\"]
assert d[\"mismatches\"] == []
'"
check_out "pingall -4 names the family in JSON" '"family": "inet"' "$NSLAB" pingall -4 -j
check_status "pingall -6 on an IPv4-only lab fails (1)" 1 "$NSLAB" pingall -6
check_out "  saying there is nothing to ping" 'no host has an IPv6 address' cat "$T_DIR/last"
check_status "a bad timeout is a usage error (2)" 2 "$NSLAB" pingall -t soon
check_eq "pingall -q with every pair as expected prints nothing" "" "$("$NSLAB" -q pingall)"
check "pingall LAB and -l LAB both work" bash -c "$NSLAB pingall seed >/dev/null && $NSLAB pingall -l seed -t 0.5 >/dev/null"
# A host that stops answering is named, and pingall fails.
ip netns exec green ip link set eth0 down
check_status "with green's link down, pingall fails (1)" 1 "$NSLAB" pingall -t 0.5
check_out "  naming red -> green" '^  red -> green: not reached, expected to$' cat "$T_DIR/last"
check_out "  and green -> yellow" '^  green -> yellow: not reached, expected to$' cat "$T_DIR/last"
check_out "  marking green's column with X" '^red +\+ +X +\+$' cat "$T_DIR/last"
check_out "  and counting 6 mismatches" '; 6 not as expected' cat "$T_DIR/last"
cp "$T_DIR/last" "$T_DIR/full"
check_status "pingall -q fails too (1)" 1 "$NSLAB" pingall -q -t 0.5
check_eq "  printing only the 6 mismatches" "6 of 12 pairs not as expected:
$(grep '^  .* -> .*: ' "$T_DIR/full")" "$(cat "$T_DIR/last")"
ip netns exec green ip link set eth0 up
check "nslab down" "$NSLAB" down seed

# Two VLANs on one switch. A Linux bridge needs VLAN filtering for that,
# which some kernels lack; nslab-switchd always has it.
kind=bridge
if ! ip link add nslab-vlt type bridge vlan_filtering 1 2>/dev/null; then kind=nslab; fi
ip link del nslab-vlt 2>/dev/null
echo "# switch kind for the VLAN labs: $kind"
# vlans_topo NAME [EXPECT-LINE...]: two VLANs on one switch, whose hosts
# are expected not to reach across, plus the expectations given.
vlans_topo() {
	local name=$1; shift
	write_topo "$name" <<YAML
name: vlans
switches:
  sw0: {kind: $kind}
hosts:
  a10: {switch: sw0, vlan: 10, ip: 10.50.0.1/24}
  b10: {switch: sw0, vlan: 10, ip: 10.50.0.2/24}
  a20: {switch: sw0, vlan: 20, ip: 10.50.0.3/24}
  b20: {switch: sw0, vlan: 20, ip: 10.50.0.4/24}
expect:
  - {from: [a10, b10], to: [a20, b20], reach: false}
  - {from: [a20, b20], to: [a10, b10], reach: false}
$(for e in "$@"; do echo "  - $e"; done)
YAML
}
good=$(vlans_topo vlans-good)
check "a lab with VLANs 10 and 20 on one switch comes up" "$NSLAB" up --sandbox "$good"
check_status "pingall: the VLANs do not reach each other, as expected (0)" 0 "$NSLAB" pingall -t 0.5
check_out "  a10 reaches b10 and nothing of VLAN 20" '^a10 +\+ +- +-$' cat "$T_DIR/last"
check_out "  a20 reaches b20 only" '^a20 +- +- +\+$' cat "$T_DIR/last"
check_out "  4 reached, 8 not, all as expected" '12 pairs: 4 reached, 8 not reached; all as expected' cat "$T_DIR/last"
check "  JSON says which pairs must not reach" bash -c "$NSLAB pingall -t 0.5 -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
vlan = {\"a10\": 10, \"b10\": 10, \"a20\": 20, \"b20\": 20}
for p in d[\"pairs\"]:
    same = vlan[p[\"from\"]] == vlan[p[\"to\"]]
    assert p[\"expected\"] is same and p[\"reached\"] is same, p
    assert (p[\"rtt\"] is None) is (not same), p
assert d[\"summary\"][\"mismatches\"] == 0 and d[\"mismatches\"] == []
'"

# The same lab, with a file that expects the wrong things.
bad=$(vlans_topo vlans-bad '{from: a10, to: a20}' '{from: b20, to: a20, reach: false}')
check "the lab is reconciled with the wrong expectations" "$NSLAB" up --sandbox "$bad"
check_status "pingall finds the broken expectations (1)" 1 "$NSLAB" pingall -t 0.5
check_out "  names a10 -> a20" '^  a10 -> a20: not reached, expected to$' cat "$T_DIR/last"
check_out "  names b20 -> a20" '^  b20 -> a20: reached, expected not to$' cat "$T_DIR/last"
check_out "  marks them X and !" '^b20 +- +- +! *$' cat "$T_DIR/last"
check_out "  and counts two" '12 pairs: 4 reached, 8 not reached; 2 not as expected' cat "$T_DIR/last"
check "  the JSON lists the two mismatches" bash -c "$NSLAB pingall -t 0.5 -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert sorted(d[\"mismatches\"]) == [\"a10 -> a20: not reached, expected to\", \"b20 -> a20: reached, expected not to\"], d[\"mismatches\"]
assert d[\"summary\"][\"mismatches\"] == 2
p = [p for p in d[\"pairs\"] if (p[\"from\"], p[\"to\"]) == (\"b20\", \"a20\")][0]
assert p[\"reached\"] is True and p[\"expected\"] is False, p
'"
check "nslab down" "$NSLAB" down vlans

# Hosts with no address family in common: their pairs are not tested (?),
# and are no mismatch; the rest are pinged in the family both have.
fam=$(write_topo fam <<'YAML'
name: fam
switches: {fs: {gateway: ["2001:db8:66::fe/64", 10.66.0.254/24]}}
hosts:
  v6: {switch: fs, ip: "2001:db8:66::1/64"}
  dual: {switch: fs, ip: [10.66.0.3/24, "2001:db8:66::3/64"]}
  none: {switch: fs}
  v4: {switch: fs, ip: 10.66.0.5/24}
YAML
)
check "a lab of v4-only, v6-only, dual-stack and address-less hosts comes up" "$NSLAB" up --sandbox "$fam"
check_status "pingall: as expected (0)" 0 "$NSLAB" pingall fam
check_out "  4 pairs reached, 8 not tested" \
	'^12 pairs: 4 reached, 0 not reached, 8 not tested \(no address family in common\); all as expected' cat "$T_DIR/last"
check_out "  v4 and v6 do not ping each other" '^v4 +\? +\+ +\? *$' cat "$T_DIR/last"
check_status "pingall -6: as expected (0)" 0 "$NSLAB" pingall -6 fam
check_out "  2 pairs reached over IPv6" '^12 pairs: 2 reached, 0 not reached, 10 not tested' cat "$T_DIR/last"
check "nslab down" "$NSLAB" down fam
finish
