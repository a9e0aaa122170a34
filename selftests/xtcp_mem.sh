#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The protocol-wide memory pool: with net.ipv4.tcp_mem lowered, many
# connections whose receivers do not read hold no more than the hard limit
# (plus the per-CPU reserves and the buffers a connection must always get),
# the pool goes under pressure, and once the readers read every byte
# arrives and the pool empties again. Native TCP first, then xtcp, same
# case: their figures are printed side by side.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 sysctl
xtcp_loaded || skip_all "xtcp is not loaded"
proto=$(xtcp_protocol)

ktap_header
setup_ns A B
check "two namespaces over veth" veth_pair "$A" "$B"

conns=16
bytes=$((1 << 20))
xtcp_debug_kernel && bytes=$((512 << 10))
# In pages: pressure from 512, refusals from 1024 (4 MiB with 4 KiB pages).
low=256 high=512 hard=1024
page=$(getconf PAGESIZE)
# Two CPUs may each hold up to 1 MiB of the pool's per-CPU reserve, and
# each connection always gets tcp_wmem[0] to send and one segment to receive.
slack=$((2 * (1 << 20) / page + conns * (4096 + 65536) / page))

old_mem=$(cat /proc/sys/net/ipv4/tcp_mem)
on_exit sysctl -qw net.ipv4.tcp_mem="$old_mem"
sysctl -qw net.ipv4.tcp_mem="$low $high $hard"

# pool_pages NAME: the memory column of NAME's row in /proc/net/protocols
pool_pages() {
	local name size socks mem rest
	while read -r name size socks mem rest; do
		[ "$name" = "$1" ] && echo "$mem" && return
	done </proc/net/protocols
}

# pressures PROTO: TCPMemoryPressures of both namespaces
pressures() {
	echo $(($(stack_counter "$A" "$1" TCPMemoryPressures) +
		$(stack_counter "$B" "$1" TCPMemoryPressures)))
}

# counters PROTO: what the readers' pause costs: the senders' (namespace A)
# RTOs and SACK renegings, the receivers' (B) pruned out-of-order queues
# and segments dropped for memory.
counters() {
	echo "A TCPTimeouts $(stack_counter "$A" "$1" TCPTimeouts)" \
		"TCPSACKReneging $(stack_counter "$A" "$1" TCPSACKReneging)," \
		"B OfoPruned $(stack_counter "$B" "$1" OfoPruned)" \
		"TCPRcvQDrop $(stack_counter "$B" "$1" TCPRcvQDrop)"
}

for p in 0 "$proto"; do
	if [ "$p" = 0 ]; then name=TCP label=native; else name=XTCP label=xtcp; fi
	before=$(pressures "$p")
	counters_before=$(counters "$p")
	out=$(python3 "$XTCP_SELFTESTS/xtcp_mem.py" "$p" "$A" "$B" "$conns" "$bytes")
	set -- $(grep '^stalled' <<<"$out") x x x x x
	held=$2 sent=$3 pages=$4 press=$5
	ktap_info "$label: $conns connections stalled holding $held bytes" \
		"($((held / page)) pages) after sending $sent; pool $pages pages," \
		"pressure $press; limit $hard pages + $slack slack"
	check "$label: the stalled connections hold no more than tcp_mem[2]" \
		test "${held:-0}" -gt 0 -a "$((held / page))" -le $((hard + slack))
	check "$label: the pool was charged up to the pressure threshold" \
		test "${pages:-0}" -gt "$low" -a "$press" = yes
	check "$label: TCPMemoryPressures counted" test "$(pressures "$p")" -gt "$before"
	grep '^connection ' <<<"$out" | while read -r line; do
		ktap_info "$label: $line"
	done
	ktap_info "$label: counters before -> after: $counters_before -> $(counters "$p")"
	check "$label: all $conns connections delivered every byte once read" \
		grep -qx "verified $conns" <<<"$out"
	# Released memory goes back to the pool (minus the per-CPU reserves).
	for _ in $(seq 50); do
		[ "$(pool_pages "$name")" -le $((2 * (1 << 20) / page)) ] && break
		sleep 0.2
	done
	check "$label: the pool empties once the connections close" \
		test "$(pool_pages "$name")" -le $((2 * (1 << 20) / page))
done

ktap_finished
