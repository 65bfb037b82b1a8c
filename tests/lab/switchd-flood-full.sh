#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# More flood lists than the kernel's map holds: three trunks carrying every
# VLAN want 3 x 4094 lists, past the 8192 the map takes. The lists that fit
# are the kernel's; the broadcasts of the rest are flooded by the switch,
# so every broadcast still reaches each other member once, whichever way.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
for h in red blue green; do sw_host $h; done
all=$(seq -s, 1 4094)
sw_config "{\"name\":\"red-sw\",\"trunk\":[$all],\"native\":0}" \
	"{\"name\":\"blue-sw\",\"trunk\":[$all],\"native\":0}" \
	"{\"name\":\"green-sw\",\"trunk\":[$all],\"native\":0}"
check "the switch starts with three trunks of every VLAN" sw_start
check_out "the log says some tagged broadcasts flood through the switch" \
	"green-sw: some VLANs' tagged broadcasts flood through the switch: the kernel holds at most 8192 flood lists" \
	cat "$SW_LOG"

# each FROM VID: FROM sends 5 broadcasts tagged VID; the others each get 5.
# Prints how many of them the kernel flooded.
each() {
	local from=$1 h n0 f0 got=() want=()
	f0=$(floods)
	declare -A n0
	for h in red blue green; do n0[$h]=$(rx $h); done
	tbcast "$from" "$2" 5 || return 1
	sleep 0.3
	for h in red blue green; do
		[ "$h" = "$from" ] && continue
		got+=("$h:$(($(rx $h) - n0[$h]))") want+=("$h:5")
	done
	[ "${got[*]}" = "${want[*]}" ] || { echo "got ${got[*]}, wanted ${want[*]}"; return 1; }
	echo $(($(floods) - f0))
}
kfloods() { swq '{"cmd":"ports"}' "len(port(r, '$1-sw')['kernel_floods'])"; }
check_eq "the ports say so: red's and blue's 4094 lists fit, green's first 4" "4094 4094 4" \
	"$(kfloods red) $(kfloods blue) $(kfloods green)"
check_out "red's VLAN 4000 broadcasts reach blue and green once each, by the kernel" '^5$' each red 4000
check_out "green's VLAN 4000 broadcasts reach red and blue once each, by the switch" '^0$' each green 4000
check_out "green's VLAN 2 broadcasts (a list that fit) by the kernel" '^5$' each green 2
check "the switch still answers" sw_alive
finish
