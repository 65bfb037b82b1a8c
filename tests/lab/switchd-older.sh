#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A switch daemon started by an older nslab (here: a stand-in on its control
# socket that knows no 'flows' and no 'mdb', as daemons before them) still
# shows its ports, MAC table and counters; only the views it cannot answer
# fail, saying why and how to restart it.
. "$(dirname "$0")/lib.sh"

check "the seed network comes up on nslab-switchd" "$NSLAB" up --sandbox
check "red reaches blue" pings red 172.16.10.5
sock=${NSLAB_RUN_DIR:-/run/nslab}/seed/v-net-0.sock
check "the daemon's socket is where nslab looks for it" test -S "$sock"
mv "$sock" "$sock.real"
at_exit "mv -f '$sock.real' '$sock'"
# The stand-in forwards every request but the newer ones to the real daemon.
"$PY" - "$sock" "$sock.real" >"$T_DIR/proxy.log" 2>&1 <<'PY' &
import json, os, socket, sys
path, real = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(16)
def line(s):
    buf = b""
    while not buf.endswith(b"\n"):
        d = s.recv(65536)
        if not d:
            break
        buf += d
    return buf
while True:
    c, _ = srv.accept()
    req = line(c)
    cmd = json.loads(req).get("cmd")
    if cmd in ("flows", "mdb"):
        c.sendall(json.dumps({"ok": False, "error": 'unknown command "%s" (status, ports, fdb, stats, fdb-flush)' % cmd}).encode() + b"\n")
    else:
        r = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        r.connect(real)
        r.sendall(req)
        c.sendall(line(r))
        r.close()
    c.close()
PY
proxy=$!
at_exit "kill $proxy"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done

check_out "nslab show SW still shows the ports" 'red-eth0 +up' "$NSLAB" show v-net-0
check_out "  and the MAC table" 'MAC +VLAN +PORT +AGE' cat "$T_DIR/last"
check_fail "  but claims no flows" grep -q 'forwarded by the kernel' "$T_DIR/last"
check "nslab show -j SW leaves out what the daemon cannot tell" bash -c "'$NSLAB' show -j v-net-0 | $PY -c '
import json, sys
s = json.load(sys.stdin)
assert s[\"kind\"] == \"nslab\" and len(s[\"ports\"]) == 5, s
assert \"mdb\" not in s and \"flows\" not in s and \"mld_snooping\" not in s, s
'"
check_out "nslab switch SW fdb works" 'red-eth0' "$NSLAB" switch v-net-0 fdb
check_out "nslab switch SW stats works" 'RX-PKTS' "$NSLAB" switch v-net-0 stats
check_status "nslab switch SW mdb fails (1)" 1 "$NSLAB" switch v-net-0 mdb
check_out "  saying the daemon is older and how to restart it" \
	"v-net-0: the running nslab-switchd is older than this nslab and has no 'mdb' request; nslab down and nslab up restart it" \
	cat "$T_DIR/last"
check_status "nslab switch SW flows fails (1) the same way" 1 "$NSLAB" switch v-net-0 flows
check_out "  naming flows" "has no 'flows' request" cat "$T_DIR/last"
kill $proxy; wait $proxy 2>/dev/null
mv -f "$sock.real" "$sock"
check_out "the real daemon answers mdb again" 'GROUP|no port has reported' "$NSLAB" switch v-net-0 mdb
check "nslab down takes the lab away" "$NSLAB" down
finish
