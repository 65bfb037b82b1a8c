# SPDX-License-Identifier: GPL-2.0-or-later
# pingall on a lab too big for the kernel's neighbour table: 40 hosts make
# 1,560 ARP entries, more than pingall lets exist at once (the table is
# shared by every namespace of the machine, gc_thresh3 = 1024 by default).
# Every pair still reaches, and the entries pingall made are gone after,
# while one that was there before stays.
. "$(dirname "$0")/lib.sh"

N=40
topo=$(write_topo big <<YAML
name: big
switches:
  sw0: {kind: bridge, gateway: 10.60.0.254/24}
hosts:
$(for i in $(seq 1 $N); do echo "  h$i: {switch: sw0, ip: 10.60.0.$i/24}"; done)
YAML
)
check "a lab of $N hosts comes up" "$NSLAB" up --sandbox "$topo"
check "h1 pings h2 first (an entry of the lab's own)" pings h1 10.60.0.2
before=$(ip -n h3 neigh show | wc -l)
check_status "pingall: every pair reaches (0)" 0 "$NSLAB" pingall
check_out "  all $((N * (N - 1))) of them" "^$((N * (N - 1))) pairs: $((N * (N - 1))) reached, 0 not reached; all as expected" cat "$T_DIR/last"
check_out "  in a numbered matrix" "^ 1 h1 +  \\+{39}\$" cat "$T_DIR/last"
check_out "  h40's row reaches all but itself" "^40 h40 +\\+{39}\$" cat "$T_DIR/last"
check_out "h1 still has its entry for h2" '^10\.60\.0\.2 dev eth0 ' ip -n h1 neigh show
check_eq "h3 has no more entries than before" "$before" "$(ip -n h3 neigh show | wc -l)"
left=0
for i in $(seq 4 $N); do left=$((left + $(ip -n h$i neigh show | wc -l))); done
check_eq "h4..h$N have none of the entries pingall made" 0 "$left"
check "pingall -j again: the same" bash -c "$NSLAB pingall -j | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d[\"summary\"][\"reached\"] == $((N * (N - 1))) and d[\"summary\"][\"mismatches\"] == 0, d[\"summary\"]
assert all(p[\"reached\"] for p in d[\"pairs\"])
'"
check "nslab down" "$NSLAB" down big
finish
