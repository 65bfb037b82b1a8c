# SPDX-License-Identifier: GPL-2.0-or-later
# nslab-switchd as the lab's switch (the default kind): the seed network
# through it, its state through `nslab switch`, a killed daemon brought back
# by `up` without touching the hosts, a host added live, VLANs, and the same
# file on the Linux bridge.
. "$(dirname "$0")/lib.sh"

check "the seed network comes up on nslab-switchd" "$NSLAB" up --sandbox
check_out "its switch is kind nslab" 'v-net-0 +nslab' "$NSLAB" show
check_eq "one daemon runs, in the sandbox's host namespace" "nslab-seed" \
	"$(ip netns identify "$(pgrep -x nslab-switchd)")"
declare -A ip=([red]=172.16.10.1 [blue]=172.16.10.5 [green]=172.16.10.10 [yellow]=172.16.10.20)
for a in red blue green yellow; do
	for b in red blue green yellow; do
		[ $a = $b ] || check "$a reaches $b" pings $a ${ip[$b]}
	done
	check "$a reaches the gateway" pings $a 172.16.10.254
done
check "blue reaches the internet through NAT" pings blue 198.51.100.1
gw_mac=$(ip -n nslab-seed -j link show v-net-0 | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
check_out "red knows the gateway by the gateway's own MAC (the host answers no ARP on ports)" \
	"172\.16\.10\.254 dev eth0 lladdr $gw_mac" ip -n red neigh show 172.16.10.254
check_eq "  and the host side learnt no neighbour on a switch port" "" \
	"$(ip -n nslab-seed neigh show | grep -v ' dev \(v-net-0\|eth0\) ')"
check_out "the gateway's MAC is the lab's own (locally administered, 02:…)" '^02:' echo "$gw_mac"
check_eq "the switch's own port has no address, not even IPv6 link-local" "" \
	"$(ip -n nslab-seed addr show dev v-net-0-sw | grep inet)"
check_out "  while the gateway interface has one, for IPv6 neighbour discovery" 'inet6 fe80::' \
	ip -n nslab-seed addr show dev v-net-0
# One UDP broadcast from red: the host side's socket gets it once (through
# the switch to v-net-0), not once more from red's port.
bcast_count() {
	ip netns exec nslab-seed $PY -c '
import socket,sys,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("0.0.0.0",9999)); s.settimeout(0.5)
print("ready",flush=True); n=0
try:
    while True: s.recv(100); n+=1
except socket.timeout: pass
print(n)' | { read -r _; ip netns exec red $PY -c '
import socket
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET,socket.SO_BROADCAST,1)
s.sendto(b"x",("172.16.10.255",9999))'; cat; }
}
check_eq "a broadcast reaches the host side once, not once more per port" 1 "$(bcast_count)"
check_out "switch ports lists every port with its host" 'yellow-eth0 +up +1 .*yellow:eth0' "$NSLAB" switch v-net-0 ports
check "switch fdb -j has the hosts' MACs on their ports" bash -c "$NSLAB switch v-net-0 fdb -j | $PY -c '
import json,sys,subprocess
fdb=json.load(sys.stdin)
red=subprocess.check_output([\"ip\",\"-n\",\"red\",\"-j\",\"link\",\"show\",\"eth0\"]).decode()
red=json.loads(red)[0][\"address\"]
e=[x for x in fdb if x[\"mac\"]==red]
assert e and e[0][\"port\"]==\"red-eth0\" and e[0][\"vlan\"]==1, (red, fdb)
'"
check "switch stats -j counts what red sent" bash -c "$NSLAB switch v-net-0 stats -j | $PY -c '
import json,sys
p={x[\"name\"]:x for x in json.load(sys.stdin)}
assert p[\"red-eth0\"][\"stats\"][\"rx_packets\"] > 0 and p[\"blue-eth0\"][\"stats\"][\"tx_packets\"] > 0, p
'"
n_fdb=$("$NSLAB" switch v-net-0 fdb -j | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "  the MAC table holds entries" test "$n_fdb" -gt 0
# (at least as many as were there a moment before: a frame meanwhile may
# have added one)
flushed=$("$NSLAB" switch v-net-0 fdb flush | sed -n 's/^v-net-0: \([0-9]*\) MAC entries flushed$/\1/p')
check "fdb flush empties the MAC table, saying how many entries went ($flushed of $n_fdb)" \
	test "${flushed:-0}" -ge "$n_fdb"
check "and forwarding goes on (it learns again)" pings red 172.16.10.5
check "  red and green talk, so the table holds both again" bash -c "ip netns exec red ping -c1 -W1 172.16.10.10 >/dev/null && ip netns exec green ping -c1 -W1 172.16.10.1 >/dev/null"
ports_in_fdb() { "$NSLAB" switch v-net-0 fdb -j | $PY -c 'import json,sys; print(" ".join(sorted({e["port"] for e in json.load(sys.stdin)})))'; }
check_out "  (red-eth0 and green-eth0 among them)" 'green-eth0 red-eth0' ports_in_fdb
check_out "fdb flush --port red-eth0 flushes red's entries" '^v-net-0: [1-9][0-9]* MAC entr(y|ies) flushed$' \
	"$NSLAB" switch v-net-0 fdb flush --port red-eth0
check_fail "  red-eth0 is gone from the table" grep -q red-eth0 <(ports_in_fdb)
check_out "  green-eth0 is not" 'green-eth0' ports_in_fdb
check_status "fdb flush --port of a port the switch lacks fails (1)" 1 "$NSLAB" switch v-net-0 fdb flush --port nosuch
check_out "  naming the switch's ports" '^nslab: switch v-net-0 has no port nosuch \(its ports: v-net-0-sw, red-eth0, blue-eth0, green-eth0, yellow-eth0\)$' \
	cat "$T_DIR/last"
check_out "fdb flush --vlan 1 flushes the rest" '^v-net-0: [0-9]+ MAC entr(y|ies) flushed$' "$NSLAB" switch v-net-0 fdb flush --vlan 1
check_status "fdb flush --vlan 4095 is a usage error (2)" 2 "$NSLAB" switch v-net-0 fdb flush --vlan 4095

ident() { echo "$(stat -L -c %i /run/netns/red) $(ip -n red -o link show eth0 | cut -d: -f1) $(ip -n nslab-seed -o link show red-eth0 | cut -d: -f1)"; }
id0=$(ident)
# Flows the daemon had handed to the kernel would go on after it dies (the
# last pings may just have offered red's and blue's again): a flush takes
# them back first. A new neighbour then needs the ARP reply switched.
"$NSLAB" switch v-net-0 fdb flush >/dev/null
kill -9 "$(pgrep -x nslab-switchd)"
sleep 0.2
ip -n red neigh flush all
check "with the daemon killed, red no longer finds blue" no_ping red 172.16.10.5
t0=$(date +%s%N)
check_out "ls calls the lab damaged" '^seed .* damaged ' "$NSLAB" ls
check_status "switch SW ports fails (1)" 1 "$NSLAB" switch v-net-0 ports
check_out "  saying its daemon is not running and what starts it" 'its nslab-switchd is not running; nslab up starts it again$' cat "$T_DIR/last"
check_out "up restarts it, and only it" 'updated .*1 made, 0 changed, 1 removed' "$NSLAB" up --sandbox
check "red reaches blue again at once" in_node red ping -c1 -W1 172.16.10.5
echo "# from up to forwarding: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
check_eq "the hosts and their links were not touched" "$id0" "$(ident)"

# Its pid file deleted by hand, the running daemon is still found (its
# socket answers): not started twice, and stopped by down.
pid0=$(pgrep -x nslab-switchd)
rm -f /run/nslab/seed/v-net-0.pid
check_out "with the daemon's pid file gone, ls still calls the lab up" '^seed .* up ' "$NSLAB" ls
check_out "  and up has nothing to do" 'up to date' "$NSLAB" up --sandbox
check_eq "  one daemon runs, the same" "$pid0" "$(pgrep -x nslab-switchd)"

f=$T_DIR/grow.yaml
{ echo "name: seed"; sed -n '/^switches/,$p' "$TOP/examples/seed.yaml"; echo "  purple: {switch: v-net-0, ip: 172.16.10.30/24}"; } >"$f"
check "a host added to the running lab" "$NSLAB" up --sandbox "$f"
check_out "gets a port on the running switch" 'purple-eth0 +up' "$NSLAB" switch v-net-0 ports
check "and reaches red" pings purple 172.16.10.1
check "down, the daemon's pid file still gone" "$NSLAB" down seed
check_eq "the daemon is gone" "" "$(pgrep -x nslab-switchd)"
check_eq "nothing is left" "" "$(ip netns list)"

vl=$(write_topo vl <<'YAML'
switches:
  sw: {gateway: 10.0.0.254/24}
hosts:
  a: {switch: sw, ip: 10.0.0.1/24, vlan: 10}
  b: {switch: sw, ip: 10.0.0.2/24, vlan: 10}
  c: {switch: sw, ip: 10.0.0.3/24, vlan: 20}
  d: {switch: sw, ip: 10.0.0.4/24}
YAML
)
check "a lab with two VLANs comes up" "$NSLAB" up --sandbox "$vl"
check "a reaches b (both VLAN 10)" pings a 10.0.0.2
check "a does not reach c (VLAN 20)" no_ping a 10.0.0.3
check "a does not reach d (VLAN 1)" no_ping a 10.0.0.4
check "d reaches the gateway (VLAN 1)" pings d 10.0.0.254
check "c does not reach the gateway" no_ping c 10.0.0.254
check_out "ports show their VLANs" 'c-eth0 +up +20' "$NSLAB" switch sw ports
sed -i 's/vlan: 20/vlan: 10/' "$vl"
check "moving c to VLAN 10 is applied in place" "$NSLAB" up --sandbox "$vl"
check "now a reaches c" pings a 10.0.0.3
check "down" "$NSLAB" down vl

nf=$(write_topo nf <<'YAML'
switches:
  sw: {gateway: 10.0.0.254/24}
hosts:
  a: {switch: sw, ip: 10.0.0.1/24}
  b: {switch: sw, ip: 10.0.0.2/24}
YAML
)
check "a lab on the default switch" "$NSLAB" up --sandbox "$nf"
check "a reaches b" in_node a ping -c3 -i0.05 -W1 10.0.0.2
check_out "switch flows lists what the kernel forwards for the switch" '^a-eth0 +b-eth0 +[0-9a-f:]{17} +[0-9a-f:]{17} +1 +no +no +[1-9]' \
	"$NSLAB" switch sw flows
check "  and -j the same as JSON" bash -c "$NSLAB switch sw flows -j | $PY -c '
import json,sys
f=[x for x in json.load(sys.stdin) if x[\"in\"]==\"a-eth0\"]
assert f and f[0][\"out\"]==\"b-eth0\" and f[0][\"vlan\"]==1 and f[0][\"packets\"]>0, f
assert f[0][\"in_tagged\"] is False and f[0][\"out_tagged\"] is False, f
'"
sed -i 's|sw: {gateway: 10.0.0.254/24}|sw: {gateway: 10.0.0.254/24, fast_path: false}|' "$nf"
check "fast_path: false, applied to the running switch" "$NSLAB" up --sandbox "$nf"
check "  a still reaches b" in_node a ping -c3 -i0.05 -W1 10.0.0.2
check_out "  with no flow in the kernel" 'no flow is forwarded by the kernel' "$NSLAB" switch sw flows
check "down" "$NSLAB" down nf

# The same file on the Linux bridge behaves the same.
br=$T_DIR/seedbr.yaml
sed 's/nat: true .*/nat: true\n    kind: bridge/' "$TOP/examples/seed.yaml" >"$br"
check "the seed network on kind bridge" "$NSLAB" up --sandbox "$br"
check_out "its switch is a Linux bridge" 'v-net-0 +bridge' "$NSLAB" show
for a in red blue; do
	for b in green yellow; do check "$a reaches $b on the bridge" pings $a ${ip[$b]}; done
done
check "blue reaches the internet on the bridge" pings blue 198.51.100.1
check_out "switch fdb shows the bridge's learnt MACs" 'red-eth0' "$NSLAB" switch v-net-0 fdb
check_out "switch mdb on a bridge says it floods multicast" 'Linux bridge, its multicast snooping off' "$NSLAB" switch v-net-0 mdb
check "down" "$NSLAB" down seed

# A switch taken out of the file goes with its daemon's files, log included;
# one whose daemon died and is started again keeps its log.
two=$(write_topo two <<'YAML'
name: two
switches: {s1: {}, s2: {}}
hosts:
  h1: {switch: s1, ip: 10.4.0.1/24}
  h2: {switch: s2, ip: 10.4.1.1/24}
YAML
)
check "a lab of two switches comes up" "$NSLAB" up --sandbox "$two"
kill -9 "$(cat /run/nslab/two/s1.pid)"
check "s1's daemon, killed, is started again" "$NSLAB" up --sandbox "$two"
check "  its log goes on (two starts in it)" bash -c "test \$(grep -c '^.* switch s1: ' /run/nslab/two/s1.log) -ge 2"
one=$(write_topo one <<'YAML'
name: two
switches: {s1: {}}
hosts:
  h1: {switch: s1, ip: 10.4.0.1/24}
YAML
)
check "s2 taken out of the file" "$NSLAB" up --sandbox "$one"
check_fail "  its log is gone" test -e /run/nslab/two/s2.log
check_fail "  and its socket" test -e /run/nslab/two/s2.sock
check "  s1's is still there" test -s /run/nslab/two/s1.log
check "down" "$NSLAB" down two
finish
