#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A port taken off the switch while its interface stays, then put back (by
# a reload of the same daemon, or by the next daemon after a clean stop),
# gets its fast path hooks back. Removing a clsact qdisc leaves the
# interface's ingress queue behind, and deleting a clsact qdisc where there
# is none then fails with EINVAL ("Invalid handle") instead of ENOENT: the
# hooks must not depend on that deletion.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
sw_host green 10.0.0.3/24
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}'
check "the switch starts" sw_start
fast_of() { swq '{"cmd":"ports"}' "port(r, '$1')['fast_path']"; }
check_eq "green-sw is hooked to the fast path" True "$(fast_of green-sw)"

sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}'
check_eq "a reload removes green-sw" "['green-sw']" "$(swq '{"cmd":"reload"}' 'r["removed"]')"
check_fail "  and its clsact qdisc" sh -c 'tc qdisc show dev green-sw | grep -q clsact'
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}' '{"name":"green-sw"}'
check_eq "a reload puts it back" "['green-sw']" "$(swq '{"cmd":"reload"}' 'r["added"]')"
check_eq "  hooked to the fast path again" True "$(fast_of green-sw)"
check_out "  with its clsact qdisc" clsact tc qdisc show dev green-sw
check_out "  and the program on its ingress" nslab-switchd tc filter show dev green-sw ingress
check_fail "the log has no fast path warning" grep "no fast path" "$SW_LOG"
check "green reaches red" reaches green 10.0.0.1
check "  on the fast path" test "$(swq '{"cmd":"status"}' 'r["fast_path"]["flows"]')" -ge 2

# A clean stop removes every qdisc; the next daemon hooks the same ports.
sw_stop
check_fail "a stopped daemon leaves no clsact qdisc" sh -c 'tc qdisc show | grep -q clsact'
: >"$SW_LOG"
check "the next daemon starts" sw_start
check_eq "every port is hooked to the fast path" "True True True" \
	"$(swq '{"cmd":"ports"}' '" ".join(str(p["fast_path"]) for p in r["ports"])')"
check_fail "the log has no fast path warning" grep "no fast path" "$SW_LOG"
check "red reaches blue" reaches red 10.0.0.2
check "  on the fast path" test "$(swq '{"cmd":"status"}' 'r["fast_path"]["flows"]')" -ge 2
finish
