#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PAWS on an established connection (RFC 7323 5), native TCP first as the
# reference, then xtcp, each as the server of a native client over veth.
# The client side injects the next segment of the connection (xtcp_paws.py):
# "X" with a timestamp 10 s older than the last one the server took, which
# must be dropped and counted (PAWSEstab: TcpExt for native,
# /proc/net/stat/xtcp for xtcp); the client then sends "Y" at the same
# sequence number, so that the server reads "AY" (and "AX" without PAWS).
#
# Server-side transitions covered: none beyond ESTABLISHED; what is
# checked is the drop of an in-window segment with an old timestamp.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
xtcp_loaded || skip_all "xtcp is not loaded"
drv=$XTCP_SELFTESTS/xtcp_paws.py

ktap_header
setup_ns A B
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

check "veth pair" veth_pair "$A" "$B"

scenario() {	# PROTO PORT
	local proto=$1 port=$2 before after got spid
	local name="proto $proto"

	before=$(stack_counter "$B" "$proto" PAWSEstab)
	ip netns exec "$B" python3 "$drv" server 198.51.100.2 "$port" "$proto" \
		"$tmp/ready-$port" >"$tmp/srv-$port" 2>&1 &
	spid=$!
	wait_ready "$tmp/ready-$port" "$spid"
	ip netns exec "$A" python3 "$drv" client 198.51.100.2 "$port" xv0 |
		sed 's/^/# /'
	wait "$spid"
	got=$(cat "$tmp/srv-$port")
	after=$(stack_counter "$B" "$proto" PAWSEstab)
	ktap_info "$name: server read '$got', PAWSEstab $before -> $after"
	check "$name: old timestamp dropped, the same bytes taken later (read \"AY\")" \
		[ "$got" = 4159 ]
	check "$name: the drop is counted in PAWSEstab" \
		[ "${after:-0}" -gt "${before:-0}" ]
}

scenario 0 7000
scenario "$(xtcp_protocol)" 7010

ktap_finished
