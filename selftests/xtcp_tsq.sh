#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Small queues (TSQ): a bulk sender keeps little of its data waiting in the
# host below it, about a millisecond's worth at its rate and two segments at
# least, whatever its congestion window; the rest stays in the socket until
# the device has sent what is queued. Native TCP does (tcp_small_queue_check()),
# so must xtcp.
#
# The sender's end of a veth pair gets an HTB class that drains at
# 10 Mbit/s (its FIFO long enough to drop nothing), and the qdisc's backlog
# is sampled through an XTCP_TSQ_BYTES (4 MiB, some 3.5 s) transfer (on the
# debug kernel 2 Mbit/s and 1 MiB, since its senders may not reach 10), native
# TCP first, then xtcp, each to a server of its own kind. Not netem: it
# orphans what it delays, and so frees the sender's charge at once. A sender
# without the bound fills the queue with its window, megabytes once slow
# start and send-buffer growth have run; with it the peak stays near two
# 64 KiB TSO packets. The pass mark is 384 KiB.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip tc python3
xtcp_loaded || skip_all "xtcp is not loaded"
x=$(xtcp_protocol)
# The debug kernel's senders may not even fill 10 Mbit/s: 2 there.
if xtcp_debug_kernel; then
	rate=${XTCP_TSQ_MBIT:-2}
	bytes=${XTCP_TSQ_BYTES:-1048576}
else
	rate=${XTCP_TSQ_MBIT:-10}
	bytes=${XTCP_TSQ_BYTES:-4194304}
fi
mark=393216

ktap_header
setup_ns A B

shaped() {
	veth_pair "$A" "$B" &&
	ip netns exec "$A" tc qdisc add dev xv0 root handle 1: htb default 1 &&
	ip netns exec "$A" tc class add dev xv0 parent 1: classid 1:1 htb rate "${rate}mbit" &&
	xfer_servers "$B" 6200 && xfer_client "$A"
}
if ! shaped; then
	ktap_fail "veth, $rate Mbit/s HTB on the sender's end, servers up"
	ktap_finished
fi
ktap_pass "veth, $rate Mbit/s HTB on the sender's end, servers up"

# sample FILE: the qdisc's largest backlog in bytes so far, into FILE, until
# killed. tc's JSON gives plain bytes (its text output rounds to Kb/Mb).
sample() {
	local peak=0 b
	echo 0 >"$1"
	while :; do
		b=$(ip netns exec "$A" tc -s -j qdisc show dev xv0 |
			grep -o '"backlog":[0-9]*' | head -n 1)
		b=${b#*:}
		if [ "${b:-0}" -gt "$peak" ]; then
			peak=$b
			echo "$peak" >"$1"
		fi
		sleep 0.1
	done
}

# bounded PEAK: something was seen waiting, and not more than the mark.
bounded() { [ "$1" -gt 0 ] && [ "$1" -le "$mark" ]; }

for cproto in 0 "$x"; do
	[ "$cproto" = 0 ] && name=native port=6200 || name=xtcp port=6201
	peakf=$xfer_dir/peak-$cproto
	sample "$peakf" &
	spid=$!
	check "$name -> $name: $((bytes / 1048576)) MiB through the $rate Mbit/s queue" \
		xfer 198.51.100.2 "$port" "$cproto" "$bytes"
	kill "$spid"
	wait "$spid" 2>/dev/null
	peak=$(cat "$peakf")
	ktap_info "$name: peak qdisc backlog $peak bytes"
	check "$name: at most $((mark / 1024)) KiB of the sender's data waits in the qdisc" \
		bounded "$peak"
done

ktap_finished
