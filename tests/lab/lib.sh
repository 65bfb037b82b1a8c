# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for lab tests (bash). A lab test is a story told in TAP:
#   . "$(dirname "$0")/lib.sh"
#   check "red pings blue" in_node red ping -c1 -W1 172.16.10.5
#   finish
# Tests run under tests/lab/isolate (their own network, mount and PID
# namespaces); labs are still built with --sandbox. On exit, every lab is
# taken down with `nslab down --all` and registered cleanups run, even when
# a check failed or the script died.
set -u
: "${NSLAB:?run lab tests through tests/run}"
PY=/usr/bin/python3           # Debian's python3, which has scapy
T_N=0 T_FAIL=0
T_DIR=$(mktemp -d)
T_CLEANUPS=()

on_exit() {
	local c
	for c in "${T_CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1; done
	"$NSLAB" down --all >/dev/null 2>&1
	rm -rf "$T_DIR"
}
trap on_exit EXIT
at_exit() { T_CLEANUPS+=("$1"); }

_ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; cp "$T_DIR/out" "$T_DIR/last" 2>/dev/null; }
_notok() {
	T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $1"
	cp "$T_DIR/out" "$T_DIR/last" 2>/dev/null
	[ -s "$T_DIR/out" ] && sed 's/^/# /' "$T_DIR/out" | tail -n 25
	return 0
}

# Every check leaves what CMD printed in $T_DIR/last, for a later check_out
# on `cat "$T_DIR/last"`.
# check DESC CMD...: CMD succeeds.
check() { local d=$1; shift; if "$@" >"$T_DIR/out" 2>&1; then _ok "$d"; else _notok "$d"; fi; }
# check_fail DESC CMD...: CMD fails.
check_fail() { local d=$1; shift; if "$@" >"$T_DIR/out" 2>&1; then _notok "$d (succeeded)"; else _ok "$d"; fi; }
# check_status DESC STATUS CMD...: CMD exits with STATUS.
check_status() {
	local d=$1 want=$2 rc; shift 2
	"$@" >"$T_DIR/out" 2>&1; rc=$?
	if [ "$rc" = "$want" ]; then _ok "$d"; else echo "exit status $rc, wanted $want" >>"$T_DIR/out"; _notok "$d"; fi
}
# check_out DESC REGEX CMD...: CMD succeeds and its output matches REGEX (grep -E).
check_out() {
	local d=$1 re=$2; shift 2
	if "$@" >"$T_DIR/out" 2>&1 && grep -Eq -- "$re" "$T_DIR/out"; then _ok "$d"
	else echo "(wanted output matching: $re)" >>"$T_DIR/out"; _notok "$d"; fi
}
# check_eq DESC WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then _ok "$1"; else printf 'wanted: %s\ngot:    %s\n' "$2" "$3" >"$T_DIR/out"; _notok "$1"; fi
}

# in_node NODE CMD...: run CMD in a node's namespace (plain ip netns, so the
# test does not depend on nslab exec).
in_node() { local n=$1; shift; ip netns exec "$n" "$@"; }
# pings FROM ADDR: one ping answered within a second (three tries).
pings() { ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 || ip netns exec "$1" ping -c2 -W1 "$2"; }
no_ping() { ! ip netns exec "$1" ping -c2 -i 0.2 -W1 "$2" >/dev/null 2>&1; }

# write_topo NAME <<'YAML' ... : write a topology file into the test's dir,
# print its path.
write_topo() { cat >"$T_DIR/$1.yaml"; echo "$T_DIR/$1.yaml"; }

# Everything the root namespace of the test holds, to prove it untouched.
net_snapshot() {
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
	ip -o addr show | awk '{print $2, $4}' | sort
	ip route show table all | sort
	nft list ruleset 2>/dev/null
	cat /proc/sys/net/ipv4/ip_forward
}

finish() {
	echo "1..$T_N"
	[ "$T_FAIL" -eq 0 ]
}
