#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SYN_RECV after crossed SYNs (RFC 9293 3.5, figure 8), segment by segment:
# a socket connects to a peer that exists only on the wire
# (xtcp_synrecv.py), which answers with a SYN of its own, so that the
# socket goes from SYN_SENT to SYN_RECV. Native TCP first as the
# reference, then xtcp, same segments; in SYN_RECV:
#   - an ACK of something never sent gets <SEQ=SEG.ACK><CTL=RST> and the
#     socket stays (a peer that took a stale SYN for this connection resets
#     its half instead of waiting forever, RFC 9293 3.10.7.4);
#   - a RST in the window but not at RCV.NXT gets a challenge ACK (RFC 5961
#     3.2), the peer's SYN again too (4.2);
#   - the peer's SYN-ACK completes the open, and data follows.
#
# Transitions covered: SYN_SENT -> SYN_RECV -> ESTABLISHED on the opener.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
xtcp_loaded || skip_all "xtcp is not loaded"
drv=$XTCP_SELFTESTS/xtcp_synrecv.py

ktap_header
setup_ns A B
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

check "veth pair, the peer routed nowhere" wire_pair "$A" "$B"

scenario() {	# PROTO PORT
	local proto=$1 port=$2 name="proto $1" out=$tmp/peer-$2 op=$tmp/op-$2 ppid

	ip netns exec "$A" python3 "$drv" peer 198.51.100.2 "$port" xv0 \
		"$tmp/ready-$port" >"$out" 2>&1 &
	ppid=$!
	if ! wait_ready "$tmp/ready-$port" "$ppid"; then
		ktap_fail "$name: the peer listens on the wire"
		return
	fi
	ip netns exec "$B" python3 "$drv" opener 198.51.100.2 "$port" \
		10.99.3.3 43003 "$proto" >"$op" 2>&1
	wait "$ppid"
	sed 's/^/# /' "$out" "$op"

	check "$name: crossed SYNs, SYN_SENT -> SYN_RECV (a SYN-ACK)" \
		grep -qx "synack ok" "$out"
	check "$name: an ACK of nothing sent gets a RST at its ACK number" \
		grep -qx "bad-ack R 1000 -" "$out"
	check "$name: a RST in the window, not at RCV.NXT, gets a challenge ACK" \
		grep -qx "rst-in-window A 1 1" "$out"
	check "$name: the peer's SYN again gets a challenge ACK" \
		grep -qx "syn-again A 1 1" "$out"
	check "$name: the peer's SYN-ACK is acknowledged" \
		grep -qx "crossed-synack A 1 1" "$out"
	check "$name: the open completes, the data arrives" \
		test "$(cat "$op")" = "$(printf 'connected\nread ok')"
}

scenario 0 7100
scenario "$(xtcp_protocol)" 7110

ktap_finished
