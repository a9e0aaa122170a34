#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A SACK receiver played segment by segment (xtcp_sack_peer.py): a socket
# sends 10,000 bytes to a peer that exists only on the wire. Native TCP
# first as the reference, then xtcp, same segments:
#   reneging: the peer SACKs a segment, lets the sender time out, then
#     acknowledges everything up to that segment and not the segment itself
#     (it dropped what it had SACKed, as a receiver short of memory does
#     when it prunes its out-of-order queue): the sender must resend it
#     (RFC 2018 8);
#   dsack-undo: three SACKs make the sender resend the first segment, then
#     the peer acknowledges everything and reports the resent copy as a
#     duplicate (D-SACK, RFC 2883): the recovery was spurious, and the
#     sender undoes it (RFC 3708), its ssthresh back to infinite and
#     TCPDSACKUndo counted.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 ethtool
xtcp_loaded || skip_all "xtcp is not loaded"
drv=$XTCP_SELFTESTS/xtcp_sack_peer.py

ktap_header
setup_ns A B
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

# One segment per frame, so that the peer sees the sender's segments.
check "veth pair, the peer routed nowhere, no segmentation offload" \
	eval 'wire_pair "$A" "$B" && ip netns exec "$B" ethtool -K xv1 tso off gso off >/dev/null'

# run PROTO PORT CASE: both ends of one case; the peer's lines in
# $tmp/peer-PORT, the sender's in $tmp/snd-PORT.
run() {
	local ppid

	ip netns exec "$A" python3 "$drv" peer 198.51.100.2 "$2" xv0 \
		"$tmp/ready-$2" "$3" >"$tmp/peer-$2" 2>&1 &
	ppid=$!
	if ! wait_ready "$tmp/ready-$2" "$ppid"; then
		wait "$ppid"
		return 1
	fi
	ip netns exec "$B" python3 "$drv" sender 198.51.100.2 "$2" \
		10.99.3.3 43003 "$1" >"$tmp/snd-$2" 2>&1
	wait "$ppid"
	sed 's/^/# /' "$tmp/peer-$2" "$tmp/snd-$2"
}

reneging() {	# PROTO PORT
	local name="proto $1, reneging" out=$tmp/peer-$2

	check "$name: handshake with SACK, the first flight whole" run "$1" "$2" reneging
	check "$name: the oldest segment resent after the SACK" \
		grep -qx "resent-head ok" "$out"
	check "$name: the SACKed segment the receiver reneged on is resent" \
		grep -qx "resent-reneged ok" "$out"
	check "$name: every byte acknowledged in the end" grep -qx "sent" "$tmp/snd-$2"
}

dsack_undo() {	# PROTO PORT
	local name="proto $1, D-SACK undo" out=$tmp/peer-$2 before

	before=$(stack_counter "$B" "$1" TCPDSACKUndo)
	check "$name: handshake with SACK, the first flight whole" run "$1" "$2" dsack-undo
	check "$name: three SACKs, the first segment resent" \
		grep -qx "resent-head ok" "$out"
	check "$name: every byte acknowledged" grep -qx "sent" "$tmp/snd-$2"
	check "$name: ssthresh back to infinite after the D-SACK" \
		grep -qx "ssthresh 2147483647" "$tmp/snd-$2"
	check "$name: TCPDSACKUndo counted" \
		test "$(stack_counter "$B" "$1" TCPDSACKUndo)" -gt "${before:-0}"
	ktap_info "$name: the sender's counters:" $(for c in TCPSackRecovery \
		TCPFastRetrans TCPLossProbes TCPDSACKRecv TCPDSACKIgnoredDubious \
		TCPDSACKUndo TCPFullUndo; do echo "$c=$(stack_counter "$B" "$1" $c)"; done)
}

xproto=$(xtcp_protocol)
reneging 0 7200
reneging "$xproto" 7210
dsack_undo 0 7220
dsack_undo "$xproto" 7230

ktap_finished
