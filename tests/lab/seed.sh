# SPDX-License-Identifier: GPL-2.0-or-later
# The seed network in a sandbox: every pair, the gateway, NAT to the
# sandbox's internet, and nothing of the surrounding namespace touched.
. "$(dirname "$0")/lib.sh"

before=$(net_snapshot)
check "nslab up --sandbox builds the seed network" "$NSLAB" up --sandbox
check_out "ls lists it as a sandbox lab" '^seed +sandbox +4 +1' "$NSLAB" ls
check "namespaces have the hosts' plain names" bash -c 'for h in red blue green yellow; do ip netns list | grep -qw $h || exit 1; done'

declare -A ip=([red]=172.16.10.1 [blue]=172.16.10.5 [green]=172.16.10.10 [yellow]=172.16.10.20)
for a in red blue green yellow; do
	for b in red blue green yellow; do
		[ $a = $b ] && continue
		check "$a reaches $b" pings $a ${ip[$b]}
	done
	check "$a reaches the gateway 172.16.10.254" pings $a 172.16.10.254
	check_out "$a's default route is via the gateway" 'default via 172.16.10.254' in_node $a ip route
done
check "the switch's host side carries the gateway" bash -c "ip -n nslab-seed addr show dev v-net-0 | grep -q 172.16.10.254/24"
check "hosts reach the internet at 198.51.100.1" pings blue 198.51.100.1
check_fail "the internet has no route back to the lab" bash -c "ip -n nslab-seed-inet route get 172.16.10.5"

# NAT: what arrives at the internet comes from the host side's uplink address.
in_node nslab-seed-inet timeout 5 tcpdump -l -n -i eth0 -c 1 icmp >"$T_DIR/cap" 2>/dev/null &
sleep 0.5
in_node blue ping -c 2 -W 1 198.51.100.1 >/dev/null 2>&1
wait
check_out "blue's traffic is masqueraded to 203.0.113.2" '203\.0\.113\.2 > 198\.51\.100\.1' cat "$T_DIR/cap"
check_out "the lab's nftables table masquerades its subnet, counting" 'ip saddr 172\.16\.10\.0/24 oifname "eth0" counter packets [1-9][0-9]* bytes [0-9]+ masquerade' ip netns exec nslab-seed nft list table inet nslab-seed
nat_pk=$(ip netns exec nslab-seed nft list table inet nslab-seed | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p')
check_out "show's NAT column counts what was masqueraded" "^v-net-0 +nslab +172\\.16\\.10\\.254/24 +yes, $nat_pk packets? +eth0\$" "$NSLAB" show
check "  as does show -j, as nft does" bash -c "$NSLAB show -j | $PY -c '
import json, sys
s = json.load(sys.stdin)[\"switches\"][0]
assert s[\"nat\"] is True and s[\"nat_packets\"] == $nat_pk and s[\"nat_bytes\"] >= 84 * $nat_pk, s
'"
check_eq "forwarding is on in the sandbox's host side" 1 "$(ip netns exec nslab-seed cat /proc/sys/net/ipv4/ip_forward)"
check_out "switch-side links are marked as the lab's" 'alias nslab:seed' ip -n nslab-seed -d link show red-eth0

check "running up again changes nothing" "$NSLAB" up --sandbox
check_out "and says so" 'up to date' "$NSLAB" up --sandbox
check "red still reaches blue" pings red 172.16.10.5

check "nslab down seed" "$NSLAB" down seed
check_eq "no namespace is left" "" "$(ip netns list)"
check_eq "the surrounding namespace is exactly as before" "$before" "$(net_snapshot)"
check_eq "no lab state is left" "" "$(ls /run/nslab 2>/dev/null | grep -v '^\.')"
check "up right after down works" "$NSLAB" up --sandbox
check "and down again" "$NSLAB" down seed
finish
