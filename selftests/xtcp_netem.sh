#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path through netem impairments, one at a time and one direction
# at a time, and with windows above 8 MB. A client in namespace A sends to
# servers in namespace B over a veth pair, so netem on A's end (xv0) acts on
# the data and netem on B's end (xv1) on the ACKs. xtcp_interop.sh and
# xtcp_passive.sh cover loss and reordering mixed, both ways at once; here
# each impairment is alone, so that what it exercises is known:
#  - loss 5%: retransmission (data), cumulative ACKs covering lost ones (ACK);
#    on the data, the sender's TCPSackRecovery must grow (SACK-based fast
#    recovery), and once more with SACK off, TCPRenoRecovery (NewReno);
#  - reorder 25% (50% correlation) behind a 10 ms delay: the out-of-order
#    queue and SACK blocks (data), ACKs arriving out of order (ACK);
#  - duplicate 5%: duplicate segments dropped whole or trimmed (data), each
#    reported as a D-SACK (RFC 2883) that the sender counts in TCPDSACKRecv,
#    duplicate ACKs that must not be taken for loss signals alone (ACK);
#  - corrupt 5%: bit errors, which the checksum must catch: on the data
#    direction the receiving namespace's TcpInCsumErrors must grow (xtcp
#    counts there too), and every byte still arrives intact. On the ACK
#    direction only the bytes are checked: a receiver that gets GRO-merged
#    segments may send a few dozen ACKs per transfer, too few for 5% of
#    them to be sure to hit a TCP header (the flipped bit may also land in
#    the MAC or IP header).
# Then, still one segment per packet, 20 ms each way: receive-buffer
# autotuning must grow an xtcp receiver's buffer past tcp_rmem[1], as
# native TCP's (a full segment carries less than the MSS with timestamps;
# without GRO super-packets an xtcp receiver once never saw one).
# With a 50 Mbit/s bottleneck added, slow start must end on a HyStart
# signal (TCPHystartTrainDetect or TCPHystartDelayDetect of the sender), as
# native CUBIC's does.
# TSO and GSO are off on both veth ends for these cases, and gso_max_segs is
# 1, so that what netem impairs is one segment: with GSO off a stack still
# builds 64 KiB packets and segments them in software after the qdisc, and
# netem would drop, duplicate or corrupt one segment of each (a 1 MiB
# transfer is then some 16 packets, which 5% may not touch at all).
# Each case is a transfer native -> native first (the reference), then
# xtcp -> native, native -> xtcp server and xtcp -> xtcp server, of
# XTCP_NETEM_BYTES (1 MiB; 256 KiB on the debug kernel; corruption and loss
# on the data always XTCP_NETEM_CORRUPT_BYTES, 1 MiB), SHA-256 checked.
#
# Large windows (TSO and GSO on again): tcp_rmem/rmem_max at 32 MB, the servers' SO_RCVBUF at
# 16 MB (32 MB once doubled), 50 ms of delay each way and a deep netem
# queue; XTCP_NETEM_BIG_BYTES (8 MiB) go up.
# TCG is too slow to need the window, so what is checked is what the
# receiver advertised on the wire (tcp_window.py): a window scale of at
# least 8 in its SYN-ACK, the same as native TCP's, and a window above
# 8 MiB, and the bytes.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip tc ethtool python3
xtcp_loaded || skip_all "xtcp is not loaded"
x=$(xtcp_protocol)
# The debug kernel (3x slower) gets the data direction only, and the large
# window for the two kinds of receiver only (native -> native and
# native -> xtcp): the out-of-order queue and the checksums are on the
# receiving side.
if xtcp_debug_kernel; then
	size=${XTCP_NETEM_BYTES:-262144}
	dirs=${XTCP_NETEM_DIRS:-data}
	bigsenders=${XTCP_NETEM_BIG_SENDERS:-0}
else
	size=${XTCP_NETEM_BYTES:-1048576}
	dirs=${XTCP_NETEM_DIRS:-data ack}
	bigsenders=${XTCP_NETEM_BIG_SENDERS:-0 xtcp}
fi
# Some 700 segments: 5% corruption hits TCP headers surely, 5% loss
# needs fast recovery surely.
csize=${XTCP_NETEM_CORRUPT_BYTES:-1048576}
# Native TCP's window passes 8 MiB after about 4 MiB received.
big=${XTCP_NETEM_BIG_BYTES:-8388608}
addr=198.51.100.2

ktap_header
setup_ns A B

veth() {
	veth_pair "$A" "$B" &&
	ip netns exec "$A" ethtool -K xv0 tso off gso off >/dev/null &&
	ip netns exec "$B" ethtool -K xv1 tso off gso off >/dev/null &&
	ip -n "$A" link set dev xv0 gso_max_segs 1 &&
	ip -n "$B" link set dev xv1 gso_max_segs 1
}
check "veth pair between two namespaces, one segment per packet" veth
# sch_netem is a module on Debian's kernel, built in on the debug kernel.
modprobe -q sch_netem 2>/dev/null
if ! ip netns exec "$A" tc qdisc add dev xv0 root netem delay 0ms 2>/dev/null; then
	ktap_skip "netem cases" "no netem qdisc"
	ktap_finished
fi
check "native and xtcp servers, a client process" \
	eval 'xfer_servers "$B" 6000 && xfer_client "$A"'

# csum_errors NS: TcpInCsumErrors of the namespace.
csum_errors() {
	ip netns exec "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++)
		if ($i == "InCsumErrors") f = i; h = 1 } else print $f }' /proc/net/snmp
}

# caught NS BEFORE: TcpInCsumErrors of NS grew past BEFORE.
caught() {
	local now
	now=$(csum_errors "$1")
	ktap_info "TcpInCsumErrors in the receiving namespace: $2 -> $now"
	[ "$now" -gt "$2" ]
}

# grew NS PROTO COUNTER BEFORE: the sending stack's COUNTER grew past BEFORE.
grew() {
	local now
	now=$(stack_counter "$1" "$2" "$3")
	ktap_info "$3 of the sender: $4 -> $now"
	[ "${now:-0}" -gt "$4" ]
}

# impaired DIR NETEM...: the four transfers with NETEM on the data ("data")
# or ACK ("ack") direction, the other one clean. With loss on the data, the
# sender's $recovery counter (netstat's name) must grow: the losses were
# repaired by fast recovery, not only by timeouts.
impaired() {
	local dir=$1 ns dev rns name c before cproto port bytes=$size rec dsk
	shift
	# Corruption and the recovery counters need enough segments.
	[ "$1" = corrupt ] || { [ "$1" = loss ] && [ "$dir" = data ]; } && bytes=$csize
	if [ "$dir" = data ]; then ns=$A dev=xv0 rns=$B; else ns=$B dev=xv1 rns=$A; fi
	name="$* on the $dir${label:+, $label}"
	check "$name: netem" ip netns exec "$ns" tc qdisc replace dev "$dev" root netem "$@"
	for c in "0 6000 native -> native" "$x 6000 xtcp -> native" \
		 "0 6001 native -> xtcp" "$x 6001 xtcp -> xtcp"; do
		read -r cproto port c <<<"$c"
		before=$(csum_errors "$rns")
		rec=$(stack_counter "$A" "$cproto" "$recovery")
		dsk=$(stack_counter "$A" "$cproto" TCPDSACKRecv)
		check "$name: $c" xfer "$addr" "$port" "$cproto" "$bytes"
		[ "$1" = corrupt ] && [ "$dir" = data ] &&
			check "$name: $c: corruption caught by the checksum" caught "$rns" "$before"
		[ "$1" = loss ] && [ "$dir" = data ] &&
			check "$name: $c: $recovery" grew "$A" "$cproto" "$recovery" "${rec:-0}"
		[ "$1" = duplicate ] && [ "$dir" = data ] && [ -z "$label" ] &&
			check "$name: $c: the receiver's D-SACKs reach the sender" \
				grew "$A" "$cproto" TCPDSACKRecv "${dsk:-0}"
	done
	ip netns exec "$ns" tc qdisc del dev "$dev" root
}

recovery=TCPSackRecovery
for dir in $dirs; do
	impaired $dir loss 5%
	impaired $dir delay 10ms reorder 25% 50%
	impaired $dir duplicate 5%
	impaired $dir corrupt 5%
done
# Without SACK (the sender does not offer it): NewReno (RFC 6582).
check "tcp_sack off in the sending namespace" ip netns exec "$A" sysctl -qw net.ipv4.tcp_sack=0
label="no SACK" recovery=TCPRenoRecovery impaired data loss 5%
ip netns exec "$A" sysctl -qw net.ipv4.tcp_sack=1

# window CPROTO PORT: the big transfer to the server on PORT, the
# window its end advertised read on the wire.
# Receive-buffer autotuning with one segment per packet (no GSO or GRO
# super-packets) over 20 ms each way: the receiving stack's buffer must grow
# past tcp_rmem[1] as native TCP's does.
autotune() {
	local port=$1 name=$2 rbuf
	rm -f "$xfer_dir/rcvbuf"
	xfer "$addr" "$port" 0 "$tsize" || return 1
	read -r rbuf <"$xfer_dir/rcvbuf"
	ktap_info "$name receiver: SO_RCVBUF after $tsize bytes: ${rbuf:-?} (tcp_rmem[1] $rmem1)"
	[ "${rbuf:-0}" -gt "$rmem1" ]
}
rmem1=$(ip netns exec "$B" sysctl -n net.ipv4.tcp_rmem | awk '{ print $2 }')
tsize=$((4 * size))
check "20 ms each way, servers logging SO_RCVBUF" eval '
	ip netns exec "$A" tc qdisc replace dev xv0 root netem delay 20ms limit 100000 &&
	ip netns exec "$B" tc qdisc replace dev xv1 root netem delay 20ms limit 100000 &&
	xfer_servers "$B" 6020 --rcvbuf-log "$xfer_dir/rcvbuf"'
check "receive buffer grows without GSO: native -> native" autotune 6020 native
check "receive buffer grows without GSO: native -> xtcp" autotune 6021 xtcp

# HyStart: over a 50 Mbit/s bottleneck with 20 ms each way (and room to
# queue), slow start must end on HyStart's ACK-train or delay signal before
# any loss, for xtcp as for native CUBIC. netem drops nothing here, but the
# VM may reorder (what netem releases enters the backlog of whichever CPU
# its timer ran on): a fast recovery on a reordering, before HyStart could
# fire, ends slow start too. Such a transfer proves nothing either way and
# is done again, up to three times; one without a recovery must end on
# HyStart.
hystart_exits() {
	echo $(($(stack_counter "$A" "$1" TCPHystartTrainDetect) +
		$(stack_counter "$A" "$1" TCPHystartDelayDetect)))
}
hystart() {
	local cproto=$1 before now rbefore rnow try
	for try in 1 2 3; do
		before=$(hystart_exits "$cproto")
		rbefore=$(stack_counter "$A" "$cproto" TCPSackRecovery)
		xfer "$addr" 6020 "$cproto" "$tsize" || return 1
		now=$(hystart_exits "$cproto")
		rnow=$(stack_counter "$A" "$cproto" TCPSackRecovery)
		ktap_info "TCPHystartTrainDetect + TCPHystartDelayDetect of the sender: $before -> $now (TCPSackRecovery $rbefore -> $rnow)"
		[ "$now" -gt "$before" ] && return 0
		[ "$rnow" = "$rbefore" ] && return 1
	done
	return 1
}
check "50 Mbit/s bottleneck" ip netns exec "$A" tc qdisc replace dev xv0 root netem \
	delay 20ms rate 50mbit limit 100000
check "slow start ends by HyStart: native -> native" hystart 0
check "slow start ends by HyStart: xtcp -> native" hystart "$x"

window() {
	local cproto=$1 port=$2 ready wout pid ok=true wscale maxwin
	ready=$xfer_dir/window.ready
	wout=$xfer_dir/window.out
	rm -f "$ready"
	ip netns exec "$B" python3 "$XTCP_SELFTESTS/tcp_window.py" xv1 "$port" \
		--ready "$ready" --timeout 200 >"$wout" &
	pid=$!
	wait_ready "$ready" "$pid" || return 1
	xfer "$addr" "$port" "$cproto" "$big" 16777216 || ok=false
	wait "$pid"
	read -r _ wscale _ maxwin _ <"$wout"
	ktap_info "server $port advertised: $(cat "$wout")"
	# Native TCP's receiver, checked first, sets the scale to expect.
	ref_wscale=${ref_wscale:-$wscale}
	$ok && [ "${wscale:--1}" -ge 8 ] && [ "${maxwin:-0}" -gt 8388608 ] &&
		[ "$wscale" = "$ref_wscale" ]
}

bigwin() {
	local ns
	# net.core.[rw]mem_max are global: restored on exit.
	on_exit sysctl -qw net.core.rmem_max="$(sysctl -n net.core.rmem_max)" \
		net.core.wmem_max="$(sysctl -n net.core.wmem_max)"
	sysctl -qw net.core.rmem_max=33554432 net.core.wmem_max=33554432 || return 1
	for ns in "$A" "$B"; do
		ip netns exec "$ns" sysctl -qw \
			net.ipv4.tcp_rmem="4096 131072 33554432" \
			net.ipv4.tcp_wmem="4096 16384 33554432" || return 1
	done
	ip netns exec "$A" ethtool -K xv0 tso on gso on >/dev/null &&
	ip netns exec "$B" ethtool -K xv1 tso on gso on >/dev/null &&
	ip -n "$A" link set dev xv0 gso_max_segs 65535 &&
	ip -n "$B" link set dev xv1 gso_max_segs 65535 &&
	ip netns exec "$A" tc qdisc replace dev xv0 root netem delay 50ms limit 100000 &&
	ip netns exec "$B" tc qdisc replace dev xv1 root netem delay 50ms limit 100000 &&
	xfer_servers "$B" 6010 --rcvbuf 16777216
}
check "32 MB buffers, 50 ms each way, servers with SO_RCVBUF 16 MB" bigwin
mib=$((big / 1048576))
for s in $bigsenders; do
	[ "$s" = 0 ] && name=native cproto=0 || name=xtcp cproto=$x
	check "$mib MiB, window > 8 MiB: $name -> native" window "$cproto" 6010
done
for s in $bigsenders; do
	[ "$s" = 0 ] && name=native cproto=0 || name=xtcp cproto=$x
	check "$mib MiB, window > 8 MiB: $name -> xtcp" window "$cproto" 6011
done

ktap_finished
