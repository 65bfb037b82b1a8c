# SPDX-License-Identifier: GPL-2.0-or-later
# nslab cli driven as a person would, through tmux: a node runs a command
# with host names turned into addresses, Tab completes names, pingall and
# show run on the lab, Ctrl-C stops a command but not the shell, history is
# kept in ~/.nslab_history, and exit leaves.
. "$(dirname "$0")/lib.sh"

if ! command -v tmux >/dev/null; then
	echo "# tmux is not installed (apt-get install tmux)"
	check "tmux is available" false
	finish
	exit
fi
export HOME=$T_DIR             # the history file goes here, not to root's home
TMUX_CMD=(tmux -S "$T_DIR/tmux.sock")
at_exit "tmux -S '$T_DIR/tmux.sock' kill-server"
screen() { "${TMUX_CMD[@]}" capture-pane -p -J -S -200 -t cli; }
# wait_for REGEX: the screen shows REGEX within 10 s (polled, not timed).
wait_for() {
	local i
	for i in $(seq 100); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	echo "(screen never showed: $1)"; screen; return 1
}
keys() { "${TMUX_CMD[@]}" send-keys -t cli "$@"; }
prompt_count() { screen | grep -c '^nslab(seed)> '; }
# wait_prompt N: the Nth prompt is on the screen (the last command ended).
wait_prompt() { local i; for i in $(seq 100); do [ "$(prompt_count)" -ge "$1" ] && return 0; sleep 0.1; done; screen; return 1; }

check_out "cli --help explains it" 'Usage: nslab cli' "$NSLAB" cli --help
check_status "cli with no lab fails (1)" 1 "$NSLAB" cli
check "the seed comes up" "$NSLAB" up --sandbox
check "the shell starts in tmux" "${TMUX_CMD[@]}" new-session -d -s cli -x 150 -y 50 "$NSLAB cli"
check "  and prompts with the lab's name" wait_for '^nslab\(seed\)> $'

keys "red ping -c1 blue" Enter
check "red ping -c1 blue: blue is pinged at its address" wait_for 'PING 172\.16\.10\.5 '
check "  and answers" wait_for '1 packets transmitted, 1 received'
wait_prompt 2

keys "gre" Tab
check "gre<Tab> completes to green" wait_for '^nslab\(seed\)> green $'
keys "echo yel" Tab
check "  and yel<Tab> in its command to yellow" wait_for '^nslab\(seed\)> green echo yellow $'
keys Enter
check "  green echo yellow prints yellow's address" wait_for '^172\.16\.10\.20$'
wait_prompt 3

keys "pinga" Tab
check "pinga<Tab> completes the command" wait_for '^nslab\(seed\)> pingall $'
keys Enter
check "pingall shows the matrix" wait_for '^12 pairs: 12 reached, 0 not reached; all as expected'
wait_prompt 4

keys "show red" Enter
check "show red gives red's routes" wait_for '^default +172\.16\.10\.254 +eth0'
wait_prompt 5

keys "switch v-net-0 ports" Enter
check "switch SW ports lists the ports" wait_for 'red-eth0'
wait_prompt 6

keys "blue ping yellow" Enter
check "a ping without a count runs" wait_for 'icmp_seq=2 '
keys C-c
check "  Ctrl-C stops it (ping prints its statistics)" wait_for 'packets transmitted, [0-9]+ received'
wait_prompt 7
keys "yellow echo still here" Enter
check "  and the shell is still there" wait_for '^still here$'
wait_prompt 8

keys "half a line" C-c
check "Ctrl-C at the prompt drops the line" wait_for '\^C$'
keys "nosuchthing" Enter
check "an unknown word is named" wait_for 'nosuchthing is neither a command nor a node'

keys "exit" Enter
for i in $(seq 50); do "${TMUX_CMD[@]}" has-session -t cli 2>/dev/null || break; sleep 0.1; done
check_fail "exit leaves the shell" "${TMUX_CMD[@]}" has-session -t cli
check_out "history is kept in ~/.nslab_history" 'red\\040ping\\040-c1\\040blue' cat "$HOME/.nslab_history"
check_out "  with every line" '^blue\\040ping\\040yellow$' cat "$HOME/.nslab_history"

# Without a terminal it reads commands from its input.
check_out "cli reads commands from a pipe" '^172\.16\.10\.1$' bash -c "printf 'blue echo red\nexit\n' | $NSLAB cli seed"
check_out "cli -l LAB, as other commands name the lab" '^172\.16\.10\.5$' bash -c "printf 'red echo blue\nexit\n' | $NSLAB cli -l seed"
check_out "a history that cannot be written is no error" '^172\.16\.10\.5$' bash -c "printf 'red echo blue\n' | HOME=/nonexistent $NSLAB cli"
check_out "host and inet become the gateway's and the sandbox server's addresses" '^172\.16\.10\.254 198\.51\.100\.1$' \
	bash -c "printf 'red echo host inet\nexit\n' | $NSLAB cli seed"
check "  and red pings inet by that name" bash -c "printf 'red ping -c1 -W2 inet\nexit\n' | $NSLAB cli seed | grep -q '1 received'"
check "nslab down" "$NSLAB" down seed

# -6 (or ping6) in a node's command: names become IPv6 addresses.
check "a dual-stack lab comes up" "$NSLAB" up --sandbox "$TOP/examples/dualstack.yaml"
check_out "red echo -6 blue gives blue's IPv6 address" '^-6 2001:db8:20::2$' \
	bash -c "printf 'red echo -6 blue\nexit\n' | $NSLAB cli dualstack"
check_out "  and without -6, its IPv4 address" '^172\.16\.20\.2$' \
	bash -c "printf 'red echo blue\nexit\n' | $NSLAB cli dualstack"
check "red ping -6 -c1 blue reaches blue over IPv6" \
	bash -c "printf 'red ping -6 -c1 -W2 blue\nexit\n' | $NSLAB cli dualstack | grep -q '1 received'"
check "nslab down" "$NSLAB" down dualstack
finish
