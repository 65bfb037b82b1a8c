# SPDX-License-Identifier: GPL-2.0-or-later
# An edit that fails half-way leaves the lab as it was before it: what the
# run made goes, and what it deleted or changed is put back (a switch's
# kind either way, a host moved, a gateway, a renamed switch, a MAC, an
# MTU changed in place beside a link made anew), whatever the
# moment of the failure. Then up with the old file has nothing to do, and
# up with the new one succeeds.
. "$(dirname "$0")/lib.sh"
# Before a run in the background: an out1 left by the one before would be
# read as its words (its "stalling" as the new run's).
fresh() { rm -f "$T_DIR/out1" "$T_DIR/rc1"; }

f=$T_DIR/edit.yaml
base() {
	cat <<'YAML'
name: edit
switches:
  s1: {gateway: 10.81.1.254/24, nat: true}
  s2: {gateway: 10.81.2.254/24}
  s3: {kind: bridge, gateway: 10.81.3.254/24}
hosts:
  e5: {switch: s3, ip: 10.81.3.5/24}
  e1: {switch: s1, ip: 10.81.1.1/24}
  e2: {switch: s1, ip: 10.81.1.2/24}
  e3: {switch: s2, ip: 10.81.2.3/24}
  r:
    forward: true
    interfaces:
      eth0: {switch: s1, ip: 10.81.1.9/24}
      eth1: {switch: s2, ip: 10.81.2.9/24}
YAML
}
# What the lab is, without what is made anew each time (indexes, MACs of
# links made again, addresses derived from them).
snap() {
	local n
	for n in e1 e2 e3 e5 r nslab-edit; do
		echo "== $n"
		ip -n $n -o -4 addr show | awk '{print $2, $4}' | sort
		ip -n $n route | sort
		ip -n $n -o link show | sed -E 's/^[0-9]+: //; s/@[^:]*:/:/; s/ link\/ether [0-9a-f:]+.*//; s/qlen [0-9]+//' | sort
	done
	for s in s1 s2 s2x s3; do
		"$NSLAB" switch -j "$s" ports 2>/dev/null | $PY -c 'import json,sys; print(sorted(p["name"] for p in json.load(sys.stdin)))' 2>/dev/null
	done
	pgrep -ax nslab-switchd | sed 's/^[0-9]* //' | sort
	ip netns exec nslab-edit nft list table inet nslab-edit | grep masquerade | sed 's/counter.*masquerade/masquerade/'
	"$NSLAB" pingall -q -t 1 edit
}

base >"$f"
check "the lab comes up" "$NSLAB" up --sandbox "$f"
want=$(snap)
check_status "  every pair reaches (0)" 0 "$NSLAB" pingall -t 1 edit
edits=(
	"s/  s1: {gateway/  s1: {kind: bridge, gateway/"   # s1 becomes a Linux bridge
	"s/  e2: {switch: s1, ip: 10.81.1.2/  e2: {switch: s2, ip: 10.81.2.2/"   # e2 moves to s2
	"s|10.81.2.254/24|10.81.2.253/24|"               # s2's gateway changes
	"s/s2/s2x/g"                                     # s2 is renamed
	"s|  e1: {switch: s1, ip: 10.81.1.1/24}|  e1: {switch: s1, ip: 10.81.1.1/24, mac: \"02:00:00:00:81:01\"}|"
	"s/  s3: {kind: bridge,/  s3: {kind: nslab,/"   # the bridge s3 becomes nslab-switchd
	# e1's MTU changes in place while e2's link is made anew (a MAC)
	"s|  e1: {switch: s1, ip: 10.81.1.1/24}|  e1: {switch: s1, ip: 10.81.1.1/24, mtu: 1400}|; s|  e2: {switch: s1, ip: 10.81.1.2/24}|  e2: {switch: s1, ip: 10.81.1.2/24, mac: \"02:00:00:00:81:02\"}|"
)
for e in "${edits[@]}"; do
	base | sed "$e" >"$f"
	for k in 1 2 4; do
		NSLAB_FAULT=$k "$NSLAB" up --sandbox "$f" >"$T_DIR/out1" 2>&1
		rc=$?
		# a fault past the edit's last object is no failure at all
		if [ $rc = 0 ]; then
			base >"$f"
			check "($e) an edit with fewer than $k objects to make goes through, and back" "$NSLAB" up --sandbox "$f"
			break
		fi
		check_eq "($e) failing before object $k: up exits 1" 1 "$rc"
		check_out "  in one line, naming the cause" '^nslab: edit: injected failure before creating' cat "$T_DIR/out1"
		check_eq "  and the lab is as it was" "$want" "$(snap)"
		base >"$T_DIR/old.yaml"
		check_out "  up with the old file has nothing to do" 'up to date' "$NSLAB" up --sandbox "$T_DIR/old.yaml"
	done
	check "($e) then the edit itself goes through" "$NSLAB" up --sandbox "$f"
	check_status "  every pair reaches (0)" 0 "$NSLAB" pingall -t 1 edit
	base >"$f"
	check "  and back" "$NSLAB" up --sandbox "$f"
	check_eq "  to the lab as it was" "$want" "$(snap)"
done
# Interrupted: e3 taken out and e4 put in, stopped before e4 is made (e3
# is gone by then): e3 comes back.
{ base | sed '/  e3:/d'; echo "  e4: {switch: s2, ip: 10.81.2.4/24}"; } >"$f"
fresh
NSLAB_STALL=1 "$NSLAB" up --sandbox "$f" >"$T_DIR/out1" 2>&1 &
p=$!
for _ in $(seq 100); do grep -q stalling "$T_DIR/out1" && break; sleep 0.1; done
check_fail "stalled before e4 is made, e3 is gone" test -e /run/netns/e3
kill -TERM $p; wait $p
check_eq "SIGTERM then: up ends of it" 143 "$?"
check_eq "  and the lab is as it was, e3 and all" "$want" "$(snap)"
base >"$f"
check_out "  up with the old file has nothing to do" 'up to date' "$NSLAB" up --sandbox "$f"
check "down" "$NSLAB" down edit
finish
