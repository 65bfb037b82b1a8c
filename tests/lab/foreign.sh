# SPDX-License-Identifier: GPL-2.0-or-later
# Own only what you made: a namespace, a bridge and an nftables table that
# were there before are untouched by up, down and down --all, and names that
# are taken are refused before anything is made.
. "$(dirname "$0")/lib.sh"

ip netns add keepme
ip link add keepbr0 type bridge
ip link add v-net-0 type veth peer name vnet0peer
nft add table inet keeptable
nft add chain inet keeptable kfwd '{ type filter hook forward priority 0; policy accept; }'
nft add rule inet keeptable kfwd counter
ip -n keepme link add kept0 type veth peer name kept1
before=$(net_snapshot; ip -n keepme -o link show | awk -F': ' '{print $2}')

check "up --sandbox beside them" "$NSLAB" up --sandbox
check "the lab works" pings red 172.16.10.5
check "down" "$NSLAB" down seed
check "up --sandbox again, then down --all" bash -c "$NSLAB up --sandbox && $NSLAB down --all"
check_eq "the namespace, bridge, dummy and nftables table are untouched" "$before" \
	"$(net_snapshot; ip -n keepme -o link show | awk -F': ' '{print $2}')"
check "the foreign namespace still exists" ip netns exec keepme true

# A host named like an existing namespace: refused, nothing made.
topo=$(write_topo clash <<'YAML'
switches:
  sw: {}
hosts:
  keepme: {switch: sw, ip: 10.0.0.1/24}
  other: {switch: sw, ip: 10.0.0.2/24}
YAML
)
check_status "a host named like an existing namespace is refused" 1 "$NSLAB" up --sandbox "$topo"
check_out "  with a message naming it" 'namespace called keepme exists already and is not this lab' cat "$T_DIR/last"
check_fail "  and nothing was made" test -e /run/netns/other
check "  and the foreign one still works" ip netns exec keepme ip link show kept0
check_out "  and no lab is left on record" '^no lab is running' "$NSLAB" ls

# A host of another running lab: refused, naming that lab.
check "the seed comes up" "$NSLAB" up --sandbox
other=$(write_topo other <<'YAML'
switches: {sw: {}}
hosts:
  red: {switch: sw, ip: 10.0.0.1/24}
  purple: {switch: sw, ip: 10.0.0.2/24}
YAML
)
check_status "a host named like a host of another lab is refused" 1 "$NSLAB" up --sandbox "$other"
check_out "  naming that lab and the way out" \
	'^nslab: other: host red is lab seed.s already \(its namespace is called red\); rename the host, or take that lab down \(nslab down seed\)$' \
	cat "$T_DIR/last"
check_fail "  and nothing was made" test -e /run/netns/purple
check "  and the seed still works" pings red 172.16.10.5
check "down" "$NSLAB" down seed

# On the real host (this test's own namespace), a switch named like an
# existing interface is refused before anything is made.
onhost=$(write_topo onhost <<'YAML'
switches:
  v-net-0: {gateway: 172.16.10.254/24}
hosts:
  red: {switch: v-net-0, ip: 172.16.10.1/24}
YAML
)
check_status "a switch named like an existing interface is refused" 1 "$NSLAB" up "$onhost"
check_out "  with a message naming it" 'interface called v-net-0 already' cat "$T_DIR/last"
check_eq "  and nothing was made" "$before" "$(net_snapshot; ip -n keepme -o link show | awk -F': ' '{print $2}')"
check_out "  and no lab is left on record" '^no lab is running' "$NSLAB" ls

check_out "a dry run says what it would make" 'would make [1-9]' "$NSLAB" up -n --sandbox "$onhost"
check_out "  and leaves no lab on record" '^no lab is running' "$NSLAB" ls
finish
