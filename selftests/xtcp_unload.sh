#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unloading with connections: rmmod is refused while an xtcp connection
# exists, including one in TIME_WAIT after an active close, and succeeds
# as soon as TIME_WAIT (net.xtcp.tw_timeout_ms) is over: nothing pins the
# module forever.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd insmod rmmod python3
[ -f "$XTCP_MODULE_DIR/xtcp.ko" ] || skip_all "no xtcp.ko in $XTCP_MODULE_DIR"
xtcp_loaded && skip_all "xtcp is already loaded; this test loads it itself"
on_exit xtcp_unload

ktap_header
check "load" xtcp_load
check "TIME_WAIT of 1.5 s" sysctl -qw net.xtcp.tw_timeout_ms=1500

# One connection to a native listener, data both ways, xtcp closes first.
exchange() {
	python3 -c '
import socket, sys
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(1)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.connect(ls.getsockname())
c, _ = ls.accept()
s.sendall(b"ping"); assert c.recv(4) == b"ping"
c.sendall(b"pong"); assert s.recv(4) == b"pong"
s.close()
assert c.recv(1) == b""
c.close()' "$(xtcp_protocol)"
}
check "connect, exchange, active close" exchange
tw() { grep -q '^ *[0-9]*: [0-9A-F:]* [0-9A-F:]* 06 ' /proc/net/xtcp; }
check "the connection waits in TIME_WAIT (/proc/net/xtcp)" tw
check_fails "rmmod refused while in TIME_WAIT" rmmod xtcp
sleep 2.5
check "TIME_WAIT over: /proc/net/xtcp empty" test "$(proc_xtcp_count)" = 0
check "rmmod succeeds" rmmod xtcp
ktap_finished
