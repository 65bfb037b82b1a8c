# SPDX-License-Identifier: GPL-2.0-or-later
# Hosts move between switches of a running lab by an edit: from a later
# nslab switch to an earlier one (whose daemon is told first, so the old
# daemon must not unhook a port the new one has taken), two hosts swapping
# switches, and between kinds (a Linux bridge lets its old port go; an
# nslab port keeps none of the settings the other kind gave it). After each,
# the lab is as a fresh build of the same file. And an interface added
# between two others is shown where the file has it.
. "$(dirname "$0")/lib.sh"

f=$T_DIR/move.yaml
lab() { # lab KIND1 KIND2 M1-SWITCH M2-SWITCH
	cat >"$f" <<YAML
name: move
switches:
  s1: {kind: $1}
  s2: {kind: $2}
hosts:
  m1: {switch: s1, ip: 10.80.0.1/24}
  m2: {switch: $3, ip: 10.80.0.2/24}
  m3: {switch: s2, ip: 10.80.0.3/24}
  m4: {switch: $4, ip: 10.80.0.4/24}
expect:
YAML
	# the switches are not joined: hosts on different ones do not reach
	local on=(s1 "$3" s2 "$4") a b
	for a in 0 1 2 3; do
		for b in 0 1 2 3; do
			[ "${on[a]}" != "${on[b]}" ] &&
				echo "  - {from: m$((a + 1)), to: m$((b + 1)), reach: false}" >>"$f"
		done
	done
	true
}
# Each switch's ports, as the kernel and the switches see them: a bridge's
# from its members, nslab's from its daemon, each with whether the fast
# path's program is hooked on it.
hooked() { tc -n nslab-move filter show dev "$1" ingress 2>/dev/null | grep -q 'nslab-switchd' && echo hooked || echo -; }
members() { # members SWITCH: its ports, sorted, each PORT:HOOK
	local p
	if ip -n nslab-move -d link show "$1" 2>/dev/null | grep -q 'bridge '; then
		for p in $(ip -n nslab-move -o link show master "$1" | awk -F': ' '{sub(/@.*/, "", $2); print $2}'); do
			echo "$p:bridge"
		done | sort | tr '\n' ' '
	else
		for p in $("$NSLAB" switch -j "$1" ports | $PY -c 'import json,sys; print(" ".join(p["name"] for p in json.load(sys.stdin)))'); do
			echo "$p:$(hooked "$p")"
		done | sort | tr '\n' ' '
	fi
}
state() { echo "s1: $(members s1)| s2: $(members s2)"; }
fresh() { # the state a fresh build of the file has
	"$NSLAB" down move >/dev/null && "$NSLAB" up --sandbox "$f" >/dev/null && state
}

# m2 on s2 and m4 on s1 (with both switches nslab): the later switch's host
# moves to the earlier one, and then the two swap.
lab nslab nslab s2 s1
check "the lab comes up" "$NSLAB" up --sandbox "$f"
lab nslab nslab s1 s1
check "m2 moves from s2 to s1" "$NSLAB" up --sandbox "$f"
check_status "  every pair reaches (0)" 0 "$NSLAB" pingall -t 1
got=$(state)
check_out "  s1 has m2's port, hooked to its fast path" 'm2-eth0:hooked' echo "$got"
check_eq "  the switches are as a fresh build's" "$(fresh)" "$got"
lab nslab nslab s2 s1
check "m2 back to s2" "$NSLAB" up --sandbox "$f"
lab nslab nslab s1 s2
check "m2 and m4 swap switches" "$NSLAB" up --sandbox "$f"
check_status "  every pair reaches (0)" 0 "$NSLAB" pingall -t 1
got=$(state)
check_eq "  the switches are as a fresh build's" "$(fresh)" "$got"
check_out "  and up again has nothing to do" 'up to date' "$NSLAB" up --sandbox "$f"

# Between kinds: s1 a bridge, s2 nslab.
lab bridge nslab s1 s1
check "with s1 a Linux bridge, the lab comes up" bash -c "$NSLAB down move && $NSLAB up --sandbox $f"
lab bridge nslab s2 s1
check "m2 moves from the bridge to the nslab switch" "$NSLAB" up --sandbox "$f"
got=$(state)
check_fail "  the bridge has let m2's port go" grep -q 'm2-eth0:bridge' <(echo "$got")
check_status "  every pair reaches (0)" 0 "$NSLAB" pingall -t 1
check_fail "  and m1's broadcasts do not reach m2" bash -c "
	ip netns exec m2 timeout 5 tcpdump -c1 -ni eth0 arp host 10.80.0.99 >/dev/null 2>&1 & p=\$!; sleep 1
	ip netns exec m1 ping -c4 -W1 10.80.0.99 >/dev/null 2>&1; wait \$p"
check_eq "  the switches are as a fresh build's" "$(fresh)" "$got"
sysctls() { ip netns exec nslab-move sh -c "cat /proc/sys/net/ipv4/conf/$1/arp_ignore /proc/sys/net/ipv4/conf/$1/rp_filter" | tr '\n' ' '; }
want=$(sysctls m1-eth0)
lab bridge nslab s1 s1
check "m2 moves back to the bridge" "$NSLAB" up --sandbox "$f"
check_eq "  its port has the settings of a bridge's (as m1's)" "$want" "$(sysctls m2-eth0)"
check_status "  every pair reaches (0)" 0 "$NSLAB" pingall -t 1

check "down" "$NSLAB" down move

# An interface added between two others is listed where the file has it.
ifs() {
	cat >"$f" <<YAML
name: move
switches: {s1: {}}
hosts:
  m1:
    interfaces:
$(for i in "$@"; do echo "      $i: {switch: s1, ip: 10.80.$i.1/24}" | sed 's/10.80.p/10.80./'; done)
YAML
}
ifs p1 p3
check "a host with interfaces p1 and p3 comes up" "$NSLAB" up --sandbox "$f"
ifs p1 p2 p3
check "p2 is added between them" "$NSLAB" up --sandbox "$f"
check_eq "  show m1 lists p1, p2, p3, as the file does" "p1 p2 p3" \
	"$("$NSLAB" show -j m1 | $PY -c 'import json,sys; print(" ".join(i["name"] for i in json.load(sys.stdin)["interfaces"]))')"
check_eq "  and so does show" "p1 p2 p3" "$("$NSLAB" show | awk '$1 == "m1" {printf "%s%s", s, $2; s=" "}')"
check "down" "$NSLAB" down move
finish
