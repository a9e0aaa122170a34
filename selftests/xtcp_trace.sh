#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The trace events of one xtcp connect appear, in the order the connect path
# takes: route lookup, source address and port, ISN, SYN_SENT, SYN out,
# SYN-ACK in, ESTABLISHED; plus the stream-connect event.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd python3
xtcp_loaded || skip_all "xtcp is not loaded"
tr=/sys/kernel/tracing
[ -d $tr/events/xtcp ] || skip_all "no tracefs or no xtcp events"
proto=$(xtcp_protocol)

ktap_header
setup_ns A
echo 0 >$tr/tracing_on
echo >$tr/trace
echo 1 >$tr/events/xtcp/enable
on_exit "echo 1 >$tr/tracing_on; echo 0 >$tr/events/xtcp/enable"
echo 1 >$tr/tracing_on

ip netns exec "$A" python3 -c '
import socket, sys
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(1)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.connect(ls.getsockname())
s.close()' "$proto"
echo 0 >$tr/tracing_on
trace=$(grep -o 'xtcp_[a-z_]*: .*' $tr/trace)
ktap_info "$(echo "$trace" | head -n 12 | sed 's/^/  /')"

line_of() { echo "$trace" | grep -n -m1 -- "$1" | cut -d: -f1; }
in_order() {
	local prev=0 n p
	for p in "$@"; do
		n=$(line_of "$p")
		[ -n "$n" ] || { ktap_info "missing: $p"; return 1; }
		[ "$n" -gt "$prev" ] || { ktap_info "out of order: $p"; return 1; }
		prev=$n
	done
}
check "connect steps traced in order" in_order \
	"xtcp_route_lookup: daddr=127.0.0.1 .* miss" \
	"xtcp_connect_source: " \
	"xtcp_isn: .*isn=" \
	"xtcp_state_change: .*CLOSE -> SYN_SENT" \
	"xtcp_syn_send: .*retransmit=0" \
	"xtcp_synack_recv: " \
	"xtcp_established: "
check "stream connect traced" test -n "$(line_of 'xtcp_stream_connect: .*socket=UNCONNECTED')"
check "close traced (ESTABLISHED -> FIN_WAIT1)" \
	test -n "$(line_of 'xtcp_state_change: .*ESTABLISHED -> FIN_WAIT1')"
ktap_finished
