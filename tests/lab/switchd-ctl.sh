#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The control socket under abuse: garbage, a line far over the 64 KiB
# limit, unknown commands, many clients at once and a client that never
# reads its replies. Each gets an error or is cut off, and the switch keeps
# forwarding and answering throughout.
. "$(dirname "$0")/switchd-lib.sh"

quiet_ns
sw_host red 10.0.0.1/24
sw_host blue 10.0.0.2/24
sw_config '{"name":"red-sw"}' '{"name":"blue-sw"}'
check "the switch starts" sw_start
check "red reaches blue" reaches red 10.0.0.2

check_out "garbage: an error reply" '"ok":false,"error":"malformed request' swctl $'\x01\x02 not json'
check_out "an unknown command: an error naming it" 'unknown command \\"dance\\"' swctl '{"cmd":"dance"}'
known=$(sed -n 's/.*unknown command \\"dance\\" (\([a-z, -]*\)).*/\1/p' "$T_DIR/last" | tr -d ,)
check "  listing the commands it knows" test -n "$known"
for k in $known; do
	check_out "  nslab-switchd --help lists $k" "requests \\(([a-z-]+, )*$k[,)]" \
		bash -c "$NSLAB_SWITCHD --help | tr '\\n' ' ' | sed 's/  */ /g'"
done
check_out "a request without cmd: an error" '"ok":false' swctl '{"command":"status"}'

drops=$(softnet_drops)
in_node red ping -q -c 400 -i 0.01 -W1 10.0.0.2 >"$T_DIR/ping" 2>&1 &
pinger=$!
check "abuse: oversized line, 40 clients at once, a client that never reads" "$PY" - "$SW_SOCK" <<'PY'
import socket, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    return s
def line(s):
    buf = b""
    while not buf.endswith(b"\n"):
        d = s.recv(65536)
        if not d:
            break
        buf += d
    return buf.decode()
# 1 MiB without a newline, then a newline and a good request
s = conn()
s.sendall(b"{" + b"x" * (1 << 20))
r = line(s)
assert "longer than 65536" in r, r
s.sendall(b"\n{\"cmd\":\"status\"}\n")
r = line(s)
assert '"ok":true' in r, r
s.close()
# 40 clients: 32 are served, the rest told to go
many = [conn() for _ in range(40)]
time.sleep(0.3)
served = refused = 0
for c in many:
    try:
        c.sendall(b'{"cmd":"status"}\n')
        r = line(c)
    except OSError:
        r = ""
    if '"ok":true' in r:
        served += 1
    elif "too many clients" in r or r == "":
        refused += 1
for c in many:
    c.close()
assert served >= 1 and served + refused == 40, (served, refused)
print("served", served, "refused", refused)
# a client that asks for the fdb 2000 times and never reads
lazy = conn()
lazy.setblocking(False)
try:
    for _ in range(2000):
        lazy.send(b'{"cmd":"fdb"}\n{"cmd":"stats"}\n')
except BlockingIOError:
    pass
time.sleep(0.5)
t = conn()
t.sendall(b'{"cmd":"status"}\n')
r = line(t)
assert '"ok":true' in r, r
lazy.close()
PY
wait $pinger
check "red's 400 pings meanwhile: none lost" no_loss "$T_DIR/ping" "$drops"
check "the daemon still answers" sw_alive
check "and still forwards" reaches blue 10.0.0.1

check "32 clients that never finish a request do not lock nslab out: the one silent longest makes room" \
	"$PY" - "$SW_SOCK" <<'PY'
import socket, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    return s
slow = []
for _ in range(32):
    c = conn()
    c.sendall(b'{"cmd":"sta')
    slow.append(c)
    time.sleep(0.01)
t = conn()
t.sendall(b'{"cmd":"status"}\n')
r = t.recv(65536).decode()
assert "too many clients" in r, "a newcomer while all 32 are fresh: " + r
t.close()
time.sleep(1.2)
t = conn()
t.sendall(b'{"cmd":"status"}\n')
r = t.recv(65536).decode()
assert '"ok":true' in r, "after a second of their silence: " + r
assert slow[0].recv(100) == b"", "the first, silent longest, was closed"
for c in slow[1:]:
    c.close()
PY
check "query: queries go out at most every quarter second, however often asked" in_node red "$PY" - "$SW_SOCK" <<'PY'
import json, socket, sys, time
def ask(cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(sys.argv[1])
    s.sendall(json.dumps({"cmd": cmd}).encode() + b"\n")
    buf = b""
    while not buf.endswith(b"\n"):
        buf += s.recv(65536)
    s.close()
    return json.loads(buf)
# IGMP queries as red receives them (IPv4, protocol 2, type 0x11)
cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
cap.bind(("red-eth0", 0))
cap.settimeout(0.3)
def queries():
    n = 0
    try:
        while True:
            f = cap.recv(2048)
            ihl = (f[14] & 15) * 4
            if f[23] == 2 and f[14 + ihl] == 0x11:
                n += 1
    except socket.timeout:
        return n
time.sleep(0.3)
queries()
r = [ask("query") for _ in range(50)]
assert r[0]["ok"] and r[0]["sent"], r[0]
assert all(x["ok"] and not x["sent"] for x in r[1:]), "asked again at once: not sent"
n = queries()
assert n == 1, "50 asks, %d queries" % n
assert ask("query")["sent"], "a quarter second later: sent"
n = queries()
assert n == 1, "then %d more" % n
assert ask("reload")["ok"]
assert ask("query")["sent"], "right after a reload (the ports may have changed): sent"
PY
check "pipelined requests: every one answered, in order, then the last one without its newline at shutdown" "$PY" - "$SW_SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
n = 500
s.sendall(b''.join(b'{"cmd":"status"}\n' if i % 2 else b'{"cmd":"nope%d"}\n' % i for i in range(n)))
s.sendall(b'{"cmd":"status"}')
s.shutdown(socket.SHUT_WR)
buf = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    buf += d
lines = buf.decode().splitlines()
assert len(lines) == n + 1, len(lines)
for i, l in enumerate(lines[:n]):
    if i % 2:
        assert '"ok":true' in l and '"pid"' in l, (i, l)
    else:
        assert 'unknown command \\"nope%d\\"' % i in l, (i, l)
assert '"ok":true' in lines[n] and '"pid"' in lines[n], lines[n]
PY

# A second daemon on the same socket must stop before it touches a port:
# on its way out it would take the running daemon's kernel hooks along.
check_status "a second daemon on the running one's socket is refused (1)" 1 \
	"$NSLAB_SWITCHD" --config "$SW_CONF" --control "$SW_SOCK" --pidfile "$T_DIR/other.pid"
check_out "  saying another daemon listens there" 'another daemon is listening there' cat "$T_DIR/last"
check_fail "  before attaching any port" grep -q 'attached' "$T_DIR/last"
check_out "  the running daemon's hooks are still on its ports" 'clsact' tc qdisc show dev red-sw
check "  and it still forwards" reaches red 10.0.0.2
check "  and answers" sw_alive
finish
