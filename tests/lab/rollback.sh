# SPDX-License-Identifier: GPL-2.0-or-later
# All or nothing: an up that fails half-way undoes what it made and says in
# one line what failed; a run that is killed half-way leaves a journal that
# down uses to remove everything.
. "$(dirname "$0")/lib.sh"
# Before a run in the background: an out1 left by the one before would be
# read as its words (its "stalling" as the new run's).
fresh() { rm -f "$T_DIR/out1" "$T_DIR/rc1"; }

before=$(net_snapshot)
for n in 1 3 7 12 20 31; do
	NSLAB_FAULT=$n "$NSLAB" up --sandbox >"$T_DIR/out1" 2>&1
	rc=$?
	check_eq "a failure before object $n makes up exit 1" 1 "$rc"
	check_eq "  and is reported in one line" 1 "$(wc -l <"$T_DIR/out1")"
	check_out "  naming the cause" 'nslab: seed: injected failure before creating' cat "$T_DIR/out1"
	check_eq "  and leaves no namespace" "" "$(ip netns list)"
	check_eq "  and no lab" "" "$(ls /run/nslab 2>/dev/null | grep -v '^\.')"
done
check_eq "the surrounding namespace is as before" "$before" "$(net_snapshot)"

# A failing reconcile keeps what was there before.
check "a lab comes up" "$NSLAB" up --sandbox
f=$T_DIR/grow.yaml
{ echo "name: seed"; sed -n '/^switches/,$p' "$TOP/examples/seed.yaml"; echo "  purple: {switch: v-net-0, ip: 172.16.10.30/24}"; } >"$f"
NSLAB_FAULT=4 "$NSLAB" up --sandbox "$f" >/dev/null 2>&1
check_fail "a reconcile that fails half-way does not leave the new host" test -e /run/netns/purple
check "the lab as it was still works" pings red 172.16.10.5
check "and is up to date with the old file" "$NSLAB" up --sandbox
check "down" "$NSLAB" down seed

# kill -9 at many moments of an up of 200 hosts; down always leaves nothing.
big=$T_DIR/big.yaml
{
	echo "name: big"; echo "switches:"; echo "  sw: {gateway: 10.20.0.254/16, nat: true}"; echo "hosts:"
	for i in $(seq 1 200); do echo "  h$i: {switch: sw, ip: 10.20.$((i / 250)).$((i % 250 + 1))/16}"; done
} >"$big"
for stall in 1 150 260 410 700 900; do
	NSLAB_STALL=$stall "$NSLAB" up --sandbox "$big" >/dev/null 2>&1 &
	p=$!
	for _ in $(seq 50); do grep -q . /run/nslab/big/journal 2>/dev/null && break; sleep 0.1; done
	sleep 0.3
	kill -9 $p 2>/dev/null; wait $p 2>/dev/null
	check "kill -9 while stalled before object $stall, then down" "$NSLAB" down big
	check_eq "  leaves no namespace" "" "$(ip netns list)"
	check_eq "  and no nftables table of the lab" "" "$(ip netns exec nslab-big nft list tables 2>/dev/null)"
done
# kill -9 of a first up, then up again: it finishes the lab, and does not
# call what the killed run left half-made "changed by hand".
fresh
NSLAB_STALL=700 "$NSLAB" up --sandbox "$big" >"$T_DIR/out1" 2>&1 &
p=$!
for _ in $(seq 100); do grep -q stalling "$T_DIR/out1" && break; sleep 0.1; done
kill -9 $p; wait $p 2>/dev/null
check "ls -j calls the lab incomplete, with null for what it cannot know" bash -c \
	"$NSLAB ls -j | $PY -c '
import json,sys
l=[x for x in json.load(sys.stdin) if x[\"name\"]==\"big\"][0]
assert l[\"state\"]==\"incomplete\" and l[\"mode\"] is None and l[\"created\"] is None and l[\"file\"] is None, l
'"
check_status "show of the incomplete lab fails (1)" 1 "$NSLAB" show big
check_out "  saying what up and down do about it" '^nslab: lab big is incomplete: its first nslab up did not finish; nslab up finishes it, nslab down clears it$' cat "$T_DIR/last"
check_out "kill -9 during a first up, then up: it finishes the lab" '^big: updated in ' "$NSLAB" up --sandbox "$big"
check_fail "  without calling anything changed by hand" grep -q 'by hand' "$T_DIR/last"
check "  and the lab works" pings h200 10.20.0.254
check "down" "$NSLAB" down big

# SIGTERM or SIGHUP mid-way stop up and roll back, and up dies of the signal.
for sig in TERM HUP; do
	fresh
	NSLAB_STALL=300 "$NSLAB" up --sandbox "$big" >"$T_DIR/out1" 2>&1 &
	p=$!
	for _ in $(seq 100); do grep -q stalling "$T_DIR/out1" && break; sleep 0.1; done
	kill -$sig $p; wait $p
	rc=$?
	check_eq "SIG$sig while up is half-way: up ends of the signal" $((128 + $(kill -l $sig))) "$rc"
	check_out "  saying it was interrupted and undone" \
		'^nslab: big: interrupted by a signal; what this run made is removed again$' cat "$T_DIR/out1"
	check_eq "  leaving no namespace" "" "$(ip netns list)"
	check_eq "  nor a lab on record" "" "$(ls /run/nslab 2>/dev/null | grep -v '^\.')"
done
# Ctrl-C at a terminal, as a person would press it (through tmux).
if command -v tmux >/dev/null; then
	tm=(tmux -S "$T_DIR/tmux.sock")
	at_exit "tmux -S '$T_DIR/tmux.sock' kill-server"
	# The shell traps SIGINT (so it outlives the Ctrl-C and records how up
	# ended); up itself gets it with its default action, as from a prompt.
	fresh
	"${tm[@]}" new-session -d -s up -x 200 -y 20 \
		"trap : INT; NSLAB_STALL=300 $NSLAB up --sandbox $big 2>$T_DIR/out1; echo \$? >$T_DIR/rc1; sleep 60"
	for _ in $(seq 100); do grep -q stalling "$T_DIR/out1" 2>/dev/null && break; sleep 0.1; done
	"${tm[@]}" send-keys -t up C-c
	for _ in $(seq 100); do [ -s "$T_DIR/rc1" ] && break; sleep 0.1; done
	check_eq "Ctrl-C while up is half-way: up ends of SIGINT" 130 "$(cat "$T_DIR/rc1" 2>/dev/null)"
	check_out "  saying it was interrupted and undone" \
		'^nslab: big: interrupted by a signal; what this run made is removed again$' cat "$T_DIR/out1"
	check_eq "  leaving no namespace" "" "$(ip netns list)"
	"${tm[@]}" kill-server
else
	check "tmux is available (apt-get install tmux)" false
fi
# SIGTERM during down: it finishes taking the lab down, then ends of it.
check "a lab of 200 hosts comes up" "$NSLAB" up --sandbox "$big"
fresh
NSLAB_DOWN_WAIT_MS=20000 "$NSLAB" down big >"$T_DIR/out1" 2>&1 &
p=$!
for _ in $(seq 100); do grep -q NSLAB_DOWN_WAIT_MS "$T_DIR/out1" && break; sleep 0.1; done
kill -TERM $p; wait $p
check_eq "SIGTERM during down: down finishes, then ends of the signal" 143 "$?"
check_out "  having said the lab is down" '^big: down in ' cat "$T_DIR/out1"
check_eq "  and no namespace of it is left" "" "$(ip netns list)"
check_eq "  nor the lab" "" "$(ls /run/nslab 2>/dev/null | grep -v '^\.')"

# Interrupted while adding a host to a running lab: the host goes, the lab stays.
check "a lab comes up" "$NSLAB" up --sandbox
fresh
NSLAB_STALL=3 "$NSLAB" up --sandbox "$f" >"$T_DIR/out1" 2>&1 &
p=$!
for _ in $(seq 100); do grep -q stalling "$T_DIR/out1" && break; sleep 0.1; done
kill -TERM $p; wait $p
check_eq "SIGTERM while a reconcile adds a host: up ends of it" 143 "$?"
check_fail "  the new host is gone" test -e /run/netns/purple
check "  the lab as it was still works" pings red 172.16.10.5
check_out "  and is listed as up" '^seed +sandbox +4 ' "$NSLAB" ls
check "down" "$NSLAB" down seed

# A signal once everything is made, while the new links come up: the lab is
# not up yet, and goes as between two steps.
fresh
NSLAB_STALL=links "$NSLAB" up --sandbox >"$T_DIR/out1" 2>&1 &
p=$!
for _ in $(seq 100); do grep -q stalling "$T_DIR/out1" && break; sleep 0.1; done
kill -TERM $p; wait $p
check_eq "SIGTERM while the new links come up: up ends of it" 143 "$?"
check_out "  saying what it undid" 'interrupted by a signal; what this run made is removed again' cat "$T_DIR/out1"
check_fail "  not that the lab is up" grep -q '^seed: up in' "$T_DIR/out1"
check_eq "  no namespace is left" "" "$(ip netns list)"
check_out "  nor a lab" '^no lab is running' "$NSLAB" ls

# A second up waits for the first; when the first is interrupted and takes
# the lab away (its directory, lock and all), the second builds it anew.
fresh
NSLAB_STALL=3 "$NSLAB" up --sandbox >"$T_DIR/out1" 2>&1 &
p=$!
for _ in $(seq 100); do grep -q stalling "$T_DIR/out1" && break; sleep 0.1; done
"$NSLAB" up --sandbox >"$T_DIR/out2" 2>&1 &
p2=$!
for _ in $(seq 100); do grep -q 'waiting for another' "$T_DIR/out2" && break; sleep 0.1; done
check_out "a second up of the same lab waits for the first" 'waiting for another nslab working on this lab' cat "$T_DIR/out2"
kill -TERM $p; wait $p
check_eq "  the first, interrupted, ends of the signal" 143 "$?"
wait $p2
check_eq "  the second then builds the lab (0)" 0 "$?"
check_out "  from nothing" '^seed: up in ' cat "$T_DIR/out2"
check "  and it works" pings red 172.16.10.5
check "down" "$NSLAB" down seed
for delay in 0.05 0.15 0.3 0.5; do
	"$NSLAB" up --sandbox "$big" >/dev/null 2>&1 &
	p=$!
	sleep $delay
	kill -9 $p 2>/dev/null; wait $p 2>/dev/null
	check "kill -9 after ${delay}s of up, then down" bash -c "$NSLAB down big || ! test -e /run/nslab/big"
	check_eq "  leaves no namespace" "" "$(ip netns list)"
done
# Switch daemons start together; one that cannot start fails the run,
# naming its switch and what it said, and everything is undone.
fake=$T_DIR/fake-switchd
cat >"$fake" <<'SH'
#!/bin/bash
case "$*" in *three/s2.json*) echo "nslab-switchd: s2: planted failure" >&2; exit 1 ;; esac
exec "$REAL_SWITCHD" "$@"
SH
export REAL_SWITCHD=$NSLAB_SWITCHD
chmod +x "$fake"
three=$(write_topo three <<'YAML'
switches: {s1: {}, s2: {}, s3: {}}
hosts:
  a: {switch: s1, ip: 10.0.0.1/24}
  b: {switch: s2, ip: 10.0.0.2/24}
  c: {switch: s3, ip: 10.0.0.3/24}
links: [[s1, s2], [s2, s3]]
YAML
)
NSLAB_SWITCHD=$fake "$NSLAB" up --sandbox "$three" >"$T_DIR/out1" 2>&1
check_eq "a switch daemon that cannot start makes up exit 1" 1 "$?"
check_out "  naming its switch and its words" \
	'^nslab: three: s2: starting nslab-switchd: nslab-switchd: s2: planted failure$' cat "$T_DIR/out1"
check_eq "  and no daemon is left" "" "$(pgrep -x nslab-switchd)"
check_eq "  nor a namespace" "" "$(ip netns list)"
check "the three switches start together when they can" "$NSLAB" up --sandbox "$three"
check_eq "  three daemons" 3 "$(pgrep -cx nslab-switchd)"
check "  and a reaches c across them" pings a 10.0.0.3
check "down" "$NSLAB" down three

# A lab needs two descriptors per object (a namespace's handle and its
# netlink socket): 150 hosts under a hard limit of 256 open files. Root
# with CAP_SYS_RESOURCE raises the limit; without it, up says so before
# anything is made.
many=$(write_topo many <<YAML
name: many
switches: {sw: {kind: bridge}}
hosts:
$(for i in $(seq 1 150); do echo "  m$i: {switch: sw, ip: 10.9.$((i / 200)).$((i % 200 + 1))/16}"; done)
YAML
)
(ulimit -n 256 && ulimit -Hn 256 && exec "$NSLAB" up --sandbox "$many") >"$T_DIR/out1" 2>&1
rc=$?
if [ "$rc" = 0 ]; then
	check "under a hard limit of 256 open files, 150 hosts come up (the limit raised)" pings m1 10.9.0.151
	check "down" "$NSLAB" down many
else
	check_eq "under a hard limit of 256 open files that cannot be raised, up exits 1" 1 "$rc"
	check_out "  saying how many files it needs and how to raise the limit" \
		'^nslab: many: [0-9]+ open files are needed, but the hard limit is 256 and cannot be raised .*; raise it \(ulimit -Hn [0-9]+\)$' cat "$T_DIR/out1"
	check_eq "  before making anything" "" "$(ip netns list)"
	check_out "  and leaves no lab on record" '^no lab is running' "$NSLAB" ls
fi
check_eq "the surrounding namespace is as before" "$before" "$(net_snapshot)"
finish
