# SPDX-License-Identifier: GPL-2.0-or-later
# nslab ping: one node pings another by name, the system's ping doing the
# work (its output, its exit status), in IPv4 and IPv6.
. "$(dirname "$0")/lib.sh"

check_out "ping --help explains it" 'Usage: nslab ping' "$NSLAB" ping --help
check_status "ping with one node is a usage error (2)" 2 "$NSLAB" ping red

check "the seed comes up" "$NSLAB" up --sandbox
check_out "red pings blue by name" '64 bytes from 172\.16\.10\.5' "$NSLAB" ping -c1 red blue
check_out "  with ping's own summary" '1 packets transmitted, 1 received' cat "$T_DIR/last"
check_out "the count is passed on" '^3 packets transmitted, 3 received' "$NSLAB" ping -c3 green yellow -- -i 0.2
check_out "LAB:NODE works for the target" 'from 172\.16\.10\.10' "$NSLAB" ping -c1 red seed:green
check_out "and for the source" 'from 172\.16\.10\.1:' "$NSLAB" ping -c1 seed:blue red
check_out "an address works as the target" 'from 172\.16\.10\.20' "$NSLAB" ping -c1 blue 172.16.10.20
check_out "host is the gateway" 'from 172\.16\.10\.254' "$NSLAB" ping -c1 red host
check_out "inet is the sandbox's internet" 'from 198\.51\.100\.1' "$NSLAB" ping -c1 yellow inet
check_out "nslab's options may follow the nodes, as the issue writes it" '^2 packets transmitted, 2 received' "$NSLAB" ping red blue -c 2 -- -i 0.2
check_out "  and after -- they are ping's (its last -c wins)" '^1 packets transmitted' "$NSLAB" ping red blue -- -c 1
check_out "options after -- go to ping" 'from 172\.16\.10\.5' "$NSLAB" ping -c1 red blue -- -W 2
check_status "ping's exit status comes through: nobody at .99 (1)" 1 "$NSLAB" ping -c1 red 172.16.10.99 -- -W 1
check_status "an unknown node fails (1)" 1 "$NSLAB" ping -c1 red purple
check_out "  naming it" 'no node called purple' cat "$T_DIR/last"
check_status "-6 on an IPv4-only host fails (1)" 1 "$NSLAB" ping -6 -c1 red blue
check_out "  saying there is no IPv6 address" 'seed:blue has no IPv6 address' cat "$T_DIR/last"
check "nslab down" "$NSLAB" down seed

check "the dual-stack lab comes up" "$NSLAB" up --sandbox "$TOP/examples/dualstack.yaml"
check_out "red pings blue over IPv4 by default" 'from 172\.16\.20\.2' "$NSLAB" ping -c1 red blue
check_out "and over IPv6 with -6" 'from 2001:db8:20::2' "$NSLAB" ping -6 -c1 red blue
check_out "a host with IPv6 only is pinged at its IPv6 address" 'from 2001:db8:20::3' "$NSLAB" ping -c1 red v6only
check_out "and pings back over IPv6" 'from 2001:db8:20::1' "$NSLAB" ping -c1 v6only red
check_status "-4 towards it fails (1)" 1 "$NSLAB" ping -4 -c1 red v6only
check_status "pingall on the dual-stack lab passes (0)" 0 "$NSLAB" pingall
check "  pinging v6only at its IPv6 address, and IPv4 elsewhere" bash -c "$NSLAB pingall -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
for p in d[\"pairs\"]:
    v6 = \"v6only\" in (p[\"from\"], p[\"to\"])
    assert (\":\" in p[\"address\"]) is v6, p
    assert p[\"reached\"] and p[\"expected\"], p
'"
check "pingall -6 pings every pair over IPv6" bash -c "$NSLAB pingall -6 -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d[\"family\"] == \"inet6\" and d[\"summary\"][\"reached\"] == 6, d[\"summary\"]
assert all(p[\"address\"].startswith(\"2001:db8:20::\") for p in d[\"pairs\"])
'"
check_status "-4 and -6 together are a usage error (2)" 2 "$NSLAB" ping -4 -6 -c1 red blue
check_status "  for pingall too (2)" 2 "$NSLAB" pingall -4 -6
check "nslab down" "$NSLAB" down dualstack

f=$(write_topo fams <<'EOF'
name: fams
switches: {s: {gateway: [10.46.0.254/24, "fd46::fe/64"]}}
hosts:
  f4: {switch: s, ip: 10.46.0.1/24}
  f6: {switch: s, ip: "fd46::6/64"}
EOF
)
check "a lab of an IPv4-only and an IPv6-only host comes up" "$NSLAB" up --sandbox "$f"
check_status "ping between them fails (1)" 1 "$NSLAB" ping -c1 f6 f4
check_out "  saying they have no family in common, before running ping" \
	'fams:f6 has only IPv6 addresses and fams:f4 only IPv4: they have no address family in common' cat "$T_DIR/last"
check_out "the IPv6-only host pings the gateway at its IPv6 address" 'from fd46::fe' "$NSLAB" ping -c1 f6 host
check "nslab down" "$NSLAB" down fams
finish
