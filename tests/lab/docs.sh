# SPDX-License-Identifier: GPL-2.0-or-later
# The documentation stays true to the program: the man pages build and
# render cleanly, and every command and option nslab has is in them and in
# the README.
. "$(dirname "$0")/lib.sh"

for m in nslab.8 nslab-switchd.8 nslab-topology.5; do
	page=$TOP/$BUILD/man/$m
	check "man page $m was built" test -s "$page"
	check_eq "man page $m renders without warnings" "" "$(man --warnings -l "$page" 2>&1 >/dev/null)"
	check_out "man page $m has a NAME" '^NAME' env MANWIDTH=80 man -l "$page"
done
cmds=$("$NSLAB" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on=0}')
check "nslab --help lists commands" test -n "$cmds"
for c in $cmds; do
	check_out "nslab(8) documents $c" "^### $c|^### .*\\b$c\\b" cat "$TOP/doc/nslab.md"
	check_out "the README lists nslab $c" "\`nslab $c" cat "$TOP/README.md"
	# Every long option of a command's --help appears in nslab(8).
	for o in $("$NSLAB" $c --help | grep -Eo -- '--[a-z][a-z-]+' | sort -u); do
		[ "$o" = --help ] && continue
		check_out "nslab(8) mentions $c $o" "$o" cat "$TOP/doc/nslab.md"
	done
done
# Every whole topology file shown in the README and nslab-topology(5) is valid.
n=0
for doc in README.md doc/topology.md; do
	$PY - "$TOP/$doc" "$T_DIR/doc-$n" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", text, re.S)):
    if re.search(r"^hosts:", block, re.M):   # a whole file, not a fragment
        open("%s-%d.yaml" % (sys.argv[2], i), "w").write(block)
PY
	n=$((n + 1))
done
for f in "$T_DIR"/doc-*.yaml; do
	check "$(basename "$f"): a topology of the docs is valid" "$NSLAB" graph -f dot -o /dev/null "$f"
done
# The README's topology example builds, and meets its own expectations.
check "the README's topology example comes up" "$NSLAB" up --sandbox "$T_DIR/doc-0-0.yaml"
check_status "  and pingall finds every pair as its expect: says (0)" 0 "$NSLAB" pingall
check "  down" "$NSLAB" down seed
check_out "nslab-switchd(8) documents --config" '--config' cat "$TOP/doc/nslab-switchd.md"
for o in $("$NSLAB_SWITCHD" --help | grep -Eo -- '--[a-z][a-z-]+' | sort -u); do
	check_out "nslab-switchd(8) mentions $o" "$o" cat "$TOP/doc/nslab-switchd.md"
done
finish
