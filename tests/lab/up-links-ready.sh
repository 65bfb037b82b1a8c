# SPDX-License-Identifier: GPL-2.0-or-later
# `up` returns once the lab forwards. A new veth drops what it sends until
# the kernel's link watcher has run for it, and with a thousand new links
# the watcher lags by seconds (200 links at once, then 100 a second): up
# must have it run for every link before returning, or a host's first ARP
# request is lost and its first ping waits a second or fails. And the
# hosts' IPv6 start-up multicast, which nslab-switchd snoops rather than
# floods, must not keep the switch busy while that first ARP waits.
. "$(dirname "$0")/lib.sh"

N=1000
topo=$(write_topo ready <<YAML
switches:
  sw0: {gateway: 10.70.255.254/16}
hosts:
$(for i in $(seq 1 $N); do echo "  h$i: {switch: sw0, ip: 10.70.$((i / 250)).$((i % 250 + 1))/16}"; done)
YAML
)
check "a lab of $N hosts comes up" "$NSLAB" -q up --sandbox "$topo"
at_exit "$NSLAB down --all >/dev/null 2>&1"
# A dump (not a query of one link, which would run the watcher for it)
# of the hosts created last, straight after up.
not_up() {
	local i n=0
	for i in $(seq $N -1 $((N - 199))); do
		ip -n h$i -o link show | grep -q ' eth0@.* state UP ' || { n=$((n + 1)); echo "h$i: eth0 not up"; }
	done
	echo "$n"
}
check_eq "straight after up, the last 200 hosts' links are up" 0 "$(not_up | tail -n1)"
check "h$N's first ping to the gateway is answered (no retry)" \
	ip netns exec h$N ping -c1 -W1 10.70.255.254
check "h$N's first ping to h1 too" ip netns exec h$N ping -c1 -W1 10.70.0.2
check "the lab goes down" "$NSLAB" -q down ready
finish
