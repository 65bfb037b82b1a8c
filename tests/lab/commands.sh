# SPDX-License-Identifier: GPL-2.0-or-later
# The commands of issue 2 as a user meets them: help, exit statuses, exec,
# ls and show (human and JSON), down by name and by file.
. "$(dirname "$0")/lib.sh"

for c in up down ls show exec switch; do
	check_out "nslab $c --help explains it" "Usage: nslab $c" "$NSLAB" $c --help
done
check_out "nslab --help lists the commands" 'down +take a lab down' "$NSLAB" --help
check_status "an unknown command is a usage error (2)" 2 "$NSLAB" frobnicate
check_out "nslab help up is up's --help" 'Usage: nslab up' "$NSLAB" help up
check_out "nslab help lists the commands, help too" '^  help +this help' "$NSLAB" help
check_status "nslab help of an unknown command is a usage error (2)" 2 "$NSLAB" help frobnicate
check_out "  naming it" "^nslab help: unknown command 'frobnicate'; see nslab --help\$" cat "$T_DIR/last"
check_status "an unknown option is a usage error (2)" 2 "$NSLAB" up --frob

bad=$(write_topo bad <<'YAML'
switches:
  v-net-0: {gatway: 10.0.0.1/24}
YAML
)
check_status "a bad topology exits 2" 2 "$NSLAB" up --sandbox "$bad"
check_out "  naming file, line and column" 'bad\.yaml:2:13: .*gatway' cat "$T_DIR/last"
check_eq "  and changes nothing" "" "$(ip netns list)"
check_status "a missing file exits 2" 2 "$NSLAB" up --sandbox /nonexistent.yaml

check "the seed comes up" "$NSLAB" up --sandbox
check_eq "up -q after the command is quiet" "" "$("$NSLAB" up -q --sandbox 2>&1)"
check_out "  and -v there is verbose" 'seed:' "$NSLAB" up --sandbox -v
check_out "exec leaves a node command's -v to it" '^-v x$' "$NSLAB" exec red echo -v x
check_out "  even after --" '^-q$' "$NSLAB" exec red -- echo -q
check_status "exec passes the exit status through" 3 "$NSLAB" exec red sh -c 'exit 3'
check_out "exec runs inside the node" '172\.16\.10\.1/24' "$NSLAB" exec red ip -o addr show eth0
check_out "exec sets NSLAB_LAB and NSLAB_NODE" '^seed blue$' "$NSLAB" exec blue sh -c 'echo $NSLAB_LAB $NSLAB_NODE'
check_out "exec LAB:NODE works" 'eth0' "$NSLAB" exec seed:green ip -o link show eth0
check_out "exec host runs in the sandbox's host side" 'v-net-0' "$NSLAB" exec host ip -o link show v-net-0
check_out "exec sees the node's /sys" 'eth0' "$NSLAB" exec red ls /sys/class/net
check_status "exec with no command runs a shell reading standard input, passing its status" 3 \
	bash -c "echo 'echo \$NSLAB_NODE; ip -o addr show eth0; exit 3' | SHELL=/bin/bash $NSLAB exec red"
check_out "  in the node" '^red$' cat "$T_DIR/last"
check_out "  where it runs the commands" '172\.16\.10\.1/24' cat "$T_DIR/last"
check_fail "  without an interactive shell's job-control noise" grep -qi 'job control' "$T_DIR/last"
check_status "exec of a missing command is 127" 127 "$NSLAB" exec red /no/such/command
check_status "exec of an unknown node fails (1)" 1 "$NSLAB" exec nosuchnode true

check_out "ls shows the lab" 'seed +sandbox' "$NSLAB" ls
check "ls -j is JSON with the lab's fields" bash -c \
	"$NSLAB ls -j | $PY -c 'import json,sys; l=json.load(sys.stdin); assert l[0][\"name\"]==\"seed\" and l[0][\"mode\"]==\"sandbox\" and l[0][\"hosts\"]==4 and l[0][\"switches\"]==1, l'"
check_out "show lists every host interface with its address and switch port" 'yellow +eth0 +UP .*172\.16\.10\.20/24 +v-net-0 port yellow-eth0$' "$NSLAB" show
check_out "  and the sandbox's uplink as the NAT's" '^host +eth0 .* uplink \(NAT\)$' "$NSLAB" show
check "show -j has nodes, interfaces and addresses" bash -c \
	"$NSLAB show -j | $PY -c '
import json,sys
d=json.load(sys.stdin)
assert d[\"lab\"]==\"seed\" and d[\"mode\"]==\"sandbox\"
n={x[\"name\"]:x for x in d[\"nodes\"]}
assert set(n)>={\"host\",\"red\",\"blue\",\"green\",\"yellow\",\"inet\"}, n.keys()
e=n[\"red\"][\"interfaces\"][0]
assert e[\"name\"]==\"eth0\" and \"172.16.10.1/24\" in e[\"addresses\"] and e[\"switch\"]==\"v-net-0\" and e[\"vlan\"]==1 and e[\"state\"]==\"UP\", e
assert d[\"switches\"][0][\"gateways\"]==[\"172.16.10.254/24\"] and d[\"switches\"][0][\"nat\"] is True
'"
check "show -j: every interface of every node has every key of IFACE (null when it has no value)" bash -c \
	"$NSLAB show -j | $PY -c '
import json,sys
keys={\"name\",\"ifindex\",\"state\",\"mac\",\"mtu\",\"addresses\",\"link_local\",\"kind\",\"alias\",\"rx_packets\",\"tx_packets\",\"rx_bytes\",\"tx_bytes\",\"connects\"}
d=json.load(sys.stdin)
for n in d[\"nodes\"]:
    for e in n[\"interfaces\"]:
        assert keys <= set(e), (n[\"name\"], e[\"name\"], keys - set(e))
        assert e[\"alias\"] is None or isinstance(e[\"alias\"], str), e
red=[e for n in d[\"nodes\"] if n[\"name\"]==\"red\" for e in n[\"interfaces\"]][0]
assert red[\"link_local\"].startswith(\"fe80::\") and red[\"kind\"]==\"veth\" and red[\"alias\"] is None, red
'"
ip -n green link set eth0 alias "$(printf 'not\xffutf8')"
check "show -j of an interface whose alias is not UTF-8: null, and the rest shown" bash -c \
	"$NSLAB show -j green | $PY -c 'import json,sys; e=json.load(sys.stdin)[\"interfaces\"][0]; assert e[\"alias\"] is None and e[\"name\"]==\"eth0\", e'"
ip -n green link set eth0 alias ""
pings red 172.16.10.5 >/dev/null
check "show -j NODE: routes and neighbours, with null where there is no value" bash -c \
	"$NSLAB show -j red | $PY -c '
import json,sys
d=json.load(sys.stdin)
r={(x[\"family\"],x[\"dst\"]):x for x in d[\"routes\"]}
assert r[(\"inet\",\"default\")][\"via\"]==\"172.16.10.254\", r
assert r[(\"inet\",\"172.16.10.0/24\")][\"via\"] is None and r[(\"inet\",\"172.16.10.0/24\")][\"dev\"]==\"eth0\", r
n={x[\"address\"]:x for x in d[\"neighbours\"]}
assert n[\"172.16.10.5\"][\"mac\"] and n[\"172.16.10.5\"][\"dev\"]==\"eth0\", n
assert all(x[\"mac\"] is None or len(x[\"mac\"])==17 for x in d[\"neighbours\"]), n
'"

check_out "show NODE gives routes" 'default +172\.16\.10\.254 +eth0' "$NSLAB" show red
# Routes people add by hand show as ip route has them.
check "routes of other types, multipath and protocols are added to red" bash -c "
ip -n red route add blackhole 10.99.0.0/16 &&
ip -n red route add unreachable 10.96.0.0/16 &&
ip -n red route add 10.97.0.0/16 nexthop via 172.16.10.5 nexthop via 172.16.10.254 &&
ip -n red route add 10.98.0.0/16 via 172.16.10.5 proto bird"
check_out "show NODE gives a blackhole route" '^blackhole 10\.99\.0\.0/16 +- +- +boot$' "$NSLAB" show red
check_out "  an unreachable one" '^unreachable 10\.96\.0\.0/16 ' cat "$T_DIR/last"
check_out "  every hop of a multipath route" '^10\.97\.0\.0/16 +172\.16\.10\.5,172\.16\.10\.254 +eth0,eth0 +boot$' cat "$T_DIR/last"
check_out "  the protocol by its name" '^10\.98\.0\.0/16 +172\.16\.10\.5 +eth0 +bird$' cat "$T_DIR/last"
check_out "  and the kernel's subnet route as kernel" '^172\.16\.10\.0/24 +- +eth0 +kernel$' cat "$T_DIR/last"
check "show -j NODE: type, nexthops and protocol of each route" bash -c \
	"$NSLAB show -j red | $PY -c '
import json,sys
r={x[\"dst\"]:x for x in json.load(sys.stdin)[\"routes\"] if x[\"family\"]==\"inet\"}
assert r[\"10.99.0.0/16\"][\"type\"]==\"blackhole\" and r[\"10.99.0.0/16\"][\"nexthops\"]==[], r
assert r[\"10.96.0.0/16\"][\"type\"]==\"unreachable\", r
m=r[\"10.97.0.0/16\"]
assert m[\"type\"]==\"unicast\" and [h[\"via\"] for h in m[\"nexthops\"]]==[\"172.16.10.5\",\"172.16.10.254\"], m
assert m[\"via\"]==\"172.16.10.5\" and m[\"dev\"]==\"eth0\", m
assert r[\"10.98.0.0/16\"][\"protocol\"]==\"bird\", r
assert r[\"default\"][\"protocol\"]==\"boot\" and r[\"default\"][\"nexthops\"]==[{\"via\":\"172.16.10.254\",\"dev\":\"eth0\"}], r
assert not any(k in x for x in r.values() for k in (\"route\",\"vias\",\"devs\")), r
'"
check "a NOARP and a permanent neighbour are added to red" bash -c "
ip -n red neigh add 172.16.10.98 lladdr 02:00:00:00:00:98 dev eth0 nud noarp &&
ip -n red neigh add 172.16.10.97 lladdr 02:00:00:00:00:97 dev eth0 nud permanent"
check "show NODE leaves out NOARP neighbours, as ip neigh does, and keeps the others" bash -c \
	"$NSLAB show -j red | $PY -c '
import json,sys
n={x[\"address\"]:x for x in json.load(sys.stdin)[\"neighbours\"]}
assert \"172.16.10.98\" not in n and all(x[\"state\"]!=\"NOARP\" for x in n.values()), n
assert n[\"172.16.10.97\"][\"state\"]==\"PERMANENT\", n
'"
check_out "show NODE gives the neighbour table" '172\.16\.10\.5 .*eth0' "$NSLAB" show red
check_out "show host shows the host side" 'v-net-0 .*172\.16\.10\.254/24' "$NSLAB" show host
check_out "  with each interface's role, as the overview has it" '^v-net-0 .*172\.16\.10\.254/24 +gateway of v-net-0$' "$NSLAB" show host
check_out "  the switch's ports to the hosts too" '^red-eth0 .* v-net-0 port to red:eth0$' "$NSLAB" show host
check "  and show -j host has the roles, and connects null where there is none" bash -c \
	"$NSLAB show -j host | $PY -c '
import json,sys
i={x[\"name\"]:x for x in json.load(sys.stdin)[\"interfaces\"]}
assert i[\"eth0\"][\"role\"]==\"uplink (NAT)\" and i[\"eth0\"][\"connects\"]==\"uplink (NAT)\", i[\"eth0\"]
assert i[\"v-net-0-sw\"][\"role\"]==\"v-net-0 port to its host side\", i[\"v-net-0-sw\"]
'"
check "show -j: the sandbox internet's interface connects to nothing: null" bash -c \
	"$NSLAB show -j | $PY -c '
import json,sys
n={x[\"name\"]:x for x in json.load(sys.stdin)[\"nodes\"]}
assert n[\"inet\"][\"interfaces\"][0][\"connects\"] is None, n[\"inet\"]
'"
check_out "show SWITCH shows its ports" 'red-eth0 .*red:eth0' "$NSLAB" show v-net-0
check_out "show -l LAB NODE, as other commands name the lab" '^red \(lab seed, ' "$NSLAB" show -l seed red
check_out "  and show -l LAB the lab" '^lab seed ' "$NSLAB" show -l seed
check_status "  with no more than a node after it (2)" 2 "$NSLAB" show -l seed red blue
check_out "switch SW fdb shows learnt MACs" '[0-9a-f:]{17} +1 +(red|blue)-eth0' "$NSLAB" switch v-net-0 fdb
check_out "switch -j SW fdb flush says what it flushed in JSON" '"removed": [1-9]' "$NSLAB" switch -j v-net-0 fdb flush
check "  parsed: the switch and a count" bash -c "$PY -c '
import json; d=json.load(open(\"$T_DIR/last\")); assert d[\"switch\"]==\"v-net-0\" and isinstance(d[\"removed\"], int), d'"
check_eq "-q switch SW fdb flush prints nothing" "" "$("$NSLAB" -q switch v-net-0 fdb flush 2>&1)"

# What a lab lacks shows, and up makes it again.
check "yellow's interface and green's namespace are deleted, the switch daemon killed" bash -c "
ip -n yellow link del eth0 && ip netns del green &&
pkill -9 -f 'nslab-switchd .*/run/nslab/seed/v-net-0'"
check_out "show marks yellow's interface MISSING" '^yellow +eth0 +MISSING +- +- +v-net-0 port yellow-eth0$' "$NSLAB" show
check_out "  and green's" '^green +eth0 +MISSING ' cat "$T_DIR/last"
check_out "  naming green's namespace gone" '^green: its namespace green is gone; nslab up makes it again$' cat "$T_DIR/last"
check_out "  and the switch daemon not running" '^v-net-0: nslab-switchd is not running; nslab up starts it again$' cat "$T_DIR/last"
check_out "  while the others show as ever" '^red +eth0 +UP ' cat "$T_DIR/last"
check "show -j: missing, running and the MISSING interface" bash -c \
	"$NSLAB show -j | $PY -c '
import json,sys
d=json.load(sys.stdin)
n={x[\"name\"]:x for x in d[\"nodes\"]}
assert n[\"green\"][\"missing\"] is True and n[\"red\"][\"missing\"] is False, n
y=n[\"yellow\"][\"interfaces\"]
assert len(y)==1 and y[0][\"state\"]==\"MISSING\" and y[0][\"mac\"] is None and y[0][\"switch\"]==\"v-net-0\", y
assert d[\"switches\"][0][\"running\"] is False, d[\"switches\"]
'"
check_status "pingall of the lab fails (1)" 1 "$NSLAB" pingall
check_out "  naming the host whose namespace is gone" '^nslab: lab seed: host green has no namespace; nslab up repairs the lab$' cat "$T_DIR/last"
check_status "show NODE of a gone namespace fails (1)" 1 "$NSLAB" show green
check_out "  saying up makes it again" 'green: its namespace green is gone; nslab up makes it again' cat "$T_DIR/last"
check "up repairs the lab" "$NSLAB" up --sandbox
check_fail "  and show has nothing missing" grep -q 'MISSING\|is gone\|not running' <("$NSLAB" show)
check "  the switch daemon runs" bash -c "$NSLAB show -j | $PY -c '
import json,sys; assert json.load(sys.stdin)[\"switches\"][0][\"running\"] is True'"

check "down by file name" "$NSLAB" down "$TOP/examples/seed.yaml"
check_eq "nothing is left" "" "$(ip netns list)"
check_out "down with nothing running says so" 'no lab is running' "$NSLAB" down

piped='name: piped\nswitches: {s: {gateway: 10.44.0.254/24}}\nhosts:\n  p1: {switch: s, ip: 10.44.0.1/24}\n'
check "up - reads the topology from standard input" bash -c "printf '$piped' | $NSLAB up --sandbox -"
check_out "  the lab is named by its name:" '^piped +sandbox +1 +1 ' "$NSLAB" ls
check "  and works" pings p1 10.44.0.254
check "  down by name" "$NSLAB" down piped
check_status "a topology from standard input without name: is refused (2)" 2 bash -c "printf 'hosts: {a: {}}\n' | $NSLAB up --sandbox -"
check_out "  saying it needs one" "^<stdin>:1:1: a topology read from standard input needs 'name:'" cat "$T_DIR/last"
check_out "graph - draws the topology from standard input" 'p1<br/>10\.44\.0\.1/24' bash -c "printf '$piped' | $NSLAB graph -f mermaid -"

# Two labs at once: show and switch find the lab that has the node or switch.
check "two labs come up" bash -c "$NSLAB up --sandbox && printf '$piped' | $NSLAB up --sandbox -"
check_out "show p1 finds p1's lab" '^p1 \(lab piped, namespace p1\)$' "$NSLAB" show p1
check_out "show v-net-0 finds the seed's switch" '^switch v-net-0 \(nslab\)$' "$NSLAB" show v-net-0
check_out "switch s ports finds piped's" '^s-sw ' "$NSLAB" switch s ports
check_out "switch LAB:SWITCH names both" '^v-net-0-sw ' "$NSLAB" switch seed:v-net-0 ports
check_status "-l LAB and another LAB:SWITCH are a usage error (2)" 2 "$NSLAB" switch -l seed piped:s ports
check_status "  for show too (2)" 2 "$NSLAB" show -l seed piped:p1
check_status "  and exec fails (1)" 1 "$NSLAB" exec -l seed piped:p1 true
check_out "  naming both labs" 'piped:p1 names lab piped, not seed' cat "$T_DIR/last"
hosty='name: hosty\nswitches: {hs: {}}\nhosts:\n  s: {switch: hs, ip: 10.45.0.1/24}\n'
check "a third lab has a host called s, as piped has a switch" bash -c "printf '$hosty' | $NSLAB up --sandbox -"
check_out "switch s finds piped's switch: the host s is no switch" '^s-sw ' "$NSLAB" switch s ports
check_status "show s asks which (1)" 1 "$NSLAB" show s
check_out "  naming both labs" 's is in labs (hosty and piped|piped and hosty)' cat "$T_DIR/last"
check "down hosty" "$NSLAB" down hosty
check_status "show of a name no lab has fails (1)" 1 "$NSLAB" show nosuch
check_out "  naming the labs" '^nslab: no running lab has a node or switch called nosuch \(labs: piped, seed\)$' cat "$T_DIR/last"
check_status "show host, which every lab has, asks which (1)" 1 "$NSLAB" show host
check_out "  naming them" 'labs are running \(piped, seed\); say which with -l LAB$' cat "$T_DIR/last"
check_out "ping host red: red says which lab's host side pings" 'bytes from 172\.16\.10\.1:' "$NSLAB" ping -c1 host red
check_status "ping host host says nothing of which (1)" 1 "$NSLAB" ping -c1 host host
check_out "  and asks for LAB:host" '^nslab: 2 running labs have a node called host; write LAB:host$' cat "$T_DIR/last"
check "down both" bash -c "$NSLAB down piped && $NSLAB down seed"

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
check_status "up as an ordinary user fails (1)" 1 as_nobody "$NSLAB" up --sandbox
check_out "  saying it needs root" 'Permission denied; nslab needs root: run it with sudo$' cat "$T_DIR/last"
check_status "ls as an ordinary user fails (1)" 1 as_nobody "$NSLAB" ls
check_out "  saying it needs root" 'nslab needs root' cat "$T_DIR/last"
check_eq "  and nothing was made" "" "$(ip netns list)"
finish
