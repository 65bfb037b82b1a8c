# SPDX-License-Identifier: GPL-2.0-or-later
# Bash completion (doc/nslab.bash-completion, installed by make install) as
# bash drives it: commands, options, running labs, the nodes and switches
# of a lab (the one named by -l or by a word, or the only one running), a
# switch's views, and files for up.
. "$(dirname "$0")/lib.sh"

# complete WORD...: what Tab offers for the last WORD (empty: a new word),
# one candidate per line, sorted.
complete_words() {
	bash -c '
		. "$TOP/doc/nslab.bash-completion"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_nslab
		printf "%s\n" "${COMPREPLY[@]}" | sort -u' _ "$NSLAB" "$@"
}
offers() { # offers EXPECTED WORD...: Tab on WORD... offers exactly EXPECTED (space-separated)
	local want=$1 got; shift
	got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] || { echo "wanted: $want"; echo "got:    $got"; return 1; }
}
offers_some() { # offers_some WORD-EXPECTED WORD...: EXPECTED among the candidates
	local want=$1; shift
	complete_words "$@" | grep -qx -- "$want" || { complete_words "$@"; return 1; }
}

# Every option a command's --help lists, short and long, is offered.
for c in $("$NSLAB" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on=0}'); do
	[ "$c" = help ] && continue
	missing=""
	# The option lines: "  -l, --lab LAB   the lab ...".
	for o in $("$NSLAB" $c --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
		   grep -Eo -- '--?[a-z0-9][a-z0-9-]*' | sort -u); do
		complete_words $c - | grep -qx -- "$o" || missing="$missing $o"
	done
	check_eq "nslab $c -<Tab> offers every option of its --help" "" "$missing"
done
check "nslab sh<Tab>: show" offers "show" sh
check "nslab p<Tab>: ping, pingall" offers "ping pingall" p
check "nslab up --sa<Tab>: --sandbox" offers "--sandbox" up --sa
check "nslab show -<Tab> offers -l" offers_some "-l" show -
check "nslab down -<Tab> offers --all" offers_some "--all" down -
check "nslab switch SW <Tab>: its views" offers "fdb flows mdb ports stats" switch v-net-0 ""
check "nslab switch SW fdb <Tab>: flush" offers "flush" switch v-net-0 fdb ""
mkdir -p "$T_DIR/files" && touch "$T_DIR/files/net.yaml" "$T_DIR/files/notes.txt"
check "nslab up <Tab> offers topology files, not others" offers "$T_DIR/files/net.yaml" up "$T_DIR/files/n"

check "the seed comes up" "$NSLAB" up --sandbox
check "nslab show -l <Tab>: the running labs" offers "seed" show -l ""
check "nslab exec bl<Tab>: blue" offers "blue" exec bl
check "nslab ping red <Tab> offers the other nodes" offers_some "yellow" ping red ""
check "nslab show -l seed re<Tab>: red" offers "red" show -l seed re
check "nslab show seed <Tab> offers the nodes and switches" offers_some "v-net-0" show seed ""
check "nslab switch <Tab>: the switch" offers "v-net-0" switch ""
check "nslab cli -l seed <Tab>: nothing more" offers "" cli -l seed ""
check "nslab up -<Tab> offers -q and -v too" offers_some "--verbose" up -
check "nslab exec red <Tab> offers commands" offers_some "ping" exec red ""
check "nslab exec red cat <Tab> offers files" offers "$T_DIR/files/net.yaml $T_DIR/files/notes.txt" exec red cat "$T_DIR/files/n"
check "a second lab comes up" bash -c "printf 'name: other\nhosts:\n  o1: {switch: osw, ip: 10.46.0.1/24}\nswitches: {osw: {}}\n' | $NSLAB up --sandbox -"
check "with two labs, nslab exec bl<Tab> still offers blue" offers "blue" exec bl
check "  nslab exec o<Tab>: o1 and the lab other:" offers "o1 other:" exec o
check "  nslab switch <Tab>: both labs' switches, and LAB:" offers "osw other: seed: v-net-0" switch ""
check "  nslab exec seed:re<Tab>: red (bash puts it after the colon)" offers "red" exec seed:re
check "  nslab ping red other:<Tab>: other's nodes" offers "host inet o1" ping red other:
check "  nslab switch other:<Tab>: its switch" offers "osw" switch other:
check "down other" "$NSLAB" down other
check "down" "$NSLAB" down seed
finish
