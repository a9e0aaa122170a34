#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A listener under a SYN flood. The server namespace has a listener with a
# small backlog (listen(16)) and a transfer server; the client namespace
# sends a bounded flood of SYNs from spoofed addresses of 10.99.0.0/16
# (xtcp_synflood.py, random source ports), whose SYN-ACKs go nowhere. The
# legitimate clients start once the listener's own counters show its SYN
# queue overflowed (SyncookiesSent, or ListenDrops without cookies), and
# the flood stops when they are done: how fast the flood goes then only
# changes how long that takes. With net.ipv4.tcp_syncookies=1, during the
# flood:
#  (a) a transfer established before the flood completes, SHA-256 intact;
#  (b) new legitimate connections to the flooded listener still succeed,
#      through SYN cookies once the SYN queue is full, and echo their data
#      intact, some of them verifiably through cookies (native: the
#      TcpExtSyncookiesSent/Recv counters; xtcp: valid xtcp_cookie_check
#      trace events);
# and after the flood the request sockets go away: the rows of
# /proc/net/xtcp (/proc/net/tcp for native) come back down to none within
# a few seconds (tcp_synack_retries is 1: a request lives about 3 s).
# With tcp_syncookies=0 only (a) is asserted: legitimate SYNs may be dropped
# while the queue is full.
# Each scenario runs first against a native listener (the reference), then
# against an xtcp one.
#
# Then, segment by segment (xtcp_cookie_dup.py), without a flood: a peer
# whose SYN got a cookie SYN-ACK and whose retransmitted SYN then got a
# request (the SYN queue had room again) acknowledges the cookie. Native
# TCP hands that ACK from the request to the listener, where the valid
# cookie meets the request in the connection table and is dropped without
# a RST (a RST would reset a peer that believes itself connected); an ACK
# of an invalid cookie gets a RST, and the ACK of the request's own SYN-ACK
# completes the handshake. Both listeners must do the same.
#
# Server-side states covered: LISTEN with a full SYN queue, SYN_RECV
# requests that time out (SYN-ACK retransmitted, then dropped), ESTABLISHED
# straight from LISTEN on a valid cookie ACK, and the normal close
# (CLOSE_WAIT -> LAST_ACK) of those connections.
#
# The spoofed sources are routed on the server side to a gateway whose
# permanent neighbour entry is an unused MAC, rather than to a blackhole
# route: with no route for the SYN-ACK, Linux drops the request before
# queueing it (tcp_conn_request(): route_req fails), so a blackhole would
# never fill the SYN queue.
#
# XTCP_SERVER_PROTO overrides the xtcp run's protocol (0: native; only to
# develop the test). XTCP_SYNFLOOD_COUNT (100000), XTCP_SYNFLOOD_SECONDS (40),
# XTCP_SYNFLOOD_RATE (SYNs per second, 2500), XTCP_SYNFLOOD_XFER_BYTES
# (8 MiB), XTCP_SYNFLOOD_CLIENTS (20), XTCP_SYNFLOOD_ECHO_BYTES (64 KiB);
# smaller defaults on the debug kernel.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
xtcp_loaded || skip_all "xtcp is not loaded"
sproto=${XTCP_SERVER_PROTO:-$(xtcp_protocol)}
xfer=$XTCP_SELFTESTS/tcp_xfer.py
srv=$XTCP_SELFTESTS/xtcp_server.py
flood=$XTCP_SELFTESTS/xtcp_synflood.py
dup=$XTCP_SELFTESTS/xtcp_cookie_dup.py

if xtcp_debug_kernel; then
	rate=${XTCP_SYNFLOOD_RATE:-1000}
	xfer_bytes=${XTCP_SYNFLOOD_XFER_BYTES:-2097152}
	nclients=${XTCP_SYNFLOOD_CLIENTS:-10}
	echo_bytes=${XTCP_SYNFLOOD_ECHO_BYTES:-16384}
else
	rate=${XTCP_SYNFLOOD_RATE:-2500}
	xfer_bytes=${XTCP_SYNFLOOD_XFER_BYTES:-8388608}
	nclients=${XTCP_SYNFLOOD_CLIENTS:-20}
	echo_bytes=${XTCP_SYNFLOOD_ECHO_BYTES:-65536}
fi
# Upper bounds: the flood stops as soon as the clients are through.
count=${XTCP_SYNFLOOD_COUNT:-100000}
seconds=${XTCP_SYNFLOOD_SECONDS:-40}
drain=${XTCP_SYNFLOOD_DRAIN_SECONDS:-10}
saddr=198.51.100.2

ktap_header
ktap_info "xtcp run: server protocol $sproto; flood: $count SYNs / $seconds s at $rate/s"
setup_ns A B
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

net() {
	# 198.51.100.1 -> $saddr; SYN-ACKs to the spoofed sources go nowhere.
	wire_pair "$A" "$B" &&
	ip netns exec "$B" sysctl -qw net.ipv4.tcp_synack_retries=1
}
if net; then
	ktap_pass "veth pair, spoofed sources routed nowhere"
else
	ktap_fail "veth pair, spoofed sources routed nowhere"
	ktap_finished
fi

# rows PROTO: sockets the server namespace lists (requests included).
rows_file() { if [ "$1" = 0 ]; then echo /proc/net/tcp; else echo /proc/net/xtcp; fi; }
rows() { ip netns exec "$B" tail -n +2 "$(rows_file "$1")" | wc -l; }

# scenario PROTO COOKIES PORTBASE: the flood against a listener of PROTO.
scenario() {
	local proto=$1 cookies=$2 port=$3 name
	local xready=$tmp/xready-$port eready=$tmp/eready-$port
	local xpid epid fpid cpid base peak n got sent eout rc
	name="proto $proto, syncookies=$cookies"
	ip netns exec "$B" sysctl -qw net.ipv4.tcp_syncookies="$cookies"

	# (a) a transfer established before the flood.
	ip netns exec "$B" python3 "$xfer" server $saddr "$port" --proto "$proto" \
		--timeout 90 --ready "$xready" >"$tmp/xsrv-$port" &
	xpid=$!
	# The flooded listener: an echo server with listen(16).
	if [ "$cookies" = 1 ]; then
		ip netns exec "$B" python3 "$srv" echo $saddr $((port + 1)) --edge \
			--proto "$proto" --backlog 16 --count "$nclients" --timeout 90 \
			--ready "$eready" >"$tmp/esrv-$port" &
	else
		# Nothing to accept but the flood: the listener alone.
		ip netns exec "$B" python3 -c '
import signal, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2], int(sys.argv[3])))
s.listen(16)
open(sys.argv[4], "w").write("ready")
signal.pause()' "$proto" $saddr $((port + 1)) "$eready" &
	fi
	epid=$!
	if ! wait_ready "$xready" "$xpid" || ! wait_ready "$eready" "$epid"; then
		kill "$xpid" "$epid" 2>/dev/null
		wait
		ktap_fail "$name: listeners"
		return
	fi
	ip netns exec "$A" python3 "$xfer" client $saddr "$port" "$xfer_bytes" \
		--timeout 90 >"$tmp/xcli-$port" &
	cpid=$!
	sleep 0.3
	base=$(rows "$proto")

	ip netns exec "$A" python3 "$flood" $saddr $((port + 1)) --count "$count" \
		--duration "$seconds" --rate "$rate" >"$tmp/flood-$port" &
	fpid=$!
	# Go on once the SYN queue overflowed (cookies sent, or SYNs dropped):
	# how soon depends on how fast the machine lets the flood go.
	if ! wait_overflow "$proto" "$cookies" "$fpid"; then
		kill "$fpid" 2>/dev/null
		wait
		ktap_fail "$name: the flood overflows the SYN queue"
		return
	fi
	peak=$(rows "$proto")

	# (b) legitimate connections to the flooded listener.
	if [ "$cookies" = 1 ]; then
		[ "$proto" != 0 ] && trace_cookies start
		got=$(ip netns exec "$A" python3 "$srv" echo-clients $saddr $((port + 1)) \
			"$nclients" "$echo_bytes" --timeout 60)
		rc=$?
	fi
	n=$(rows "$proto")
	[ "$n" -le "$peak" ] || peak=$n
	[ "$cookies" = 1 ] || sleep 3	# the transfer goes on under the flood
	kill -TERM "$fpid" 2>/dev/null
	wait "$fpid"
	ktap_info "$name: flood: $(cat "$tmp/flood-$port"); rows: $base before, $peak during"

	wait "$cpid"
	wait "$xpid"
	got_x=$(cat "$tmp/xcli-$port")
	sent=$(cat "$tmp/xsrv-$port")
	ktap_info "$name: transfer: client '$got_x' server '$sent'"
	if [ -n "$sent" ] && [ "$sent" = "$got_x" ] && [ "${sent%% *}" = "$xfer_bytes" ]; then
		ktap_pass "$name: established transfer survives the flood"
	else
		ktap_fail "$name: established transfer survives the flood"
	fi

	if [ "$cookies" = 1 ]; then
		wait "$epid"
		eout=$(cat "$tmp/esrv-$port")
		ktap_info "$name: echo: clients '$got' server '$eout'"
		if [ "$rc" = 0 ] &&
		   [ "$eout" = "conns $nclients bytes $((nclients * echo_bytes)) errors 0" ]; then
			ktap_pass "$name: $nclients new connections during the flood"
		else
			ktap_fail "$name: $nclients new connections during the flood"
		fi
		if [ "$proto" = 0 ]; then
			check "$name: connections completed by SYN cookies (TcpExt counters)" \
				native_cookies
		elif [ -d $tr/events/xtcp/xtcp_cookie_check ]; then
			check "$name: connections completed by SYN cookies (xtcp_cookie_check events)" \
				trace_cookies stop
		else
			ktap_skip "$name: connections completed by SYN cookies" "no tracefs"
		fi
	else
		kill "$epid" 2>/dev/null
		wait "$epid"
	fi

	# The requests expire: every server socket is closed by now, so the
	# rows come back down to none.
	[ "$peak" -gt "$base" ] ||
		ktap_info "$name: no request rows listed during the flood"
	for _ in $(seq $((drain * 5))); do
		n=$(rows "$proto")
		[ "$n" -le 0 ] && break
		sleep 0.2
	done
	ktap_info "$name: rows after the flood: $n (before: $base, during: $peak)"
	[ "$n" -le 0 ] || ip netns exec "$B" cat "$(rows_file "$proto")" | head -n 20 | sed 's/^/# /'
	check "$name: request sockets gone after the flood" [ "$n" -le 0 ]
}

# wait_overflow PROTO COOKIES FLOODPID: until the listener sends cookies
# (COOKIES=1) or drops SYNs (0) because its SYN queue is full.
wait_overflow() {
	local name=ListenDrops before now
	[ "$2" = 1 ] && name=SyncookiesSent
	before=$(stack_counter "$B" "$1" $name)
	for _ in $(seq 200); do
		now=$(stack_counter "$B" "$1" $name)
		[ "${now:-0}" -gt "${before:-0}" ] && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# native_cookies: native TCP counted cookies sent and valid cookie ACKs.
native_cookies() {
	local sent recv
	sent=$(stack_counter "$B" 0 SyncookiesSent)
	recv=$(stack_counter "$B" 0 SyncookiesRecv)
	ktap_info "TcpExtSyncookiesSent $sent TcpExtSyncookiesRecv $recv"
	[ "${sent:-0}" -gt 0 ] && [ "${recv:-0}" -gt 0 ]
}

# trace_cookies start|stop: xtcp's cookie checks (the ACKs of cookie
# SYN-ACKs: only legitimate clients send them) while the clients connect;
# stop passes when some carried a valid cookie (val: its MSS, 0 if invalid).
tr=/sys/kernel/tracing
trace_cookies() {
	local ev=$tr/events/xtcp/xtcp_cookie_check valid bad
	[ -d "$ev" ] || return 1
	if [ "$1" = start ]; then
		echo 0 >$tr/tracing_on
		echo >$tr/trace
		echo 1 >"$ev/enable"
		echo 1 >$tr/tracing_on
		return
	fi
	echo 0 >$tr/tracing_on
	echo 0 >"$ev/enable"
	valid=$(grep 'xtcp_cookie_check:' $tr/trace | grep -c 'val=[1-9]')
	bad=$(grep 'xtcp_cookie_check:' $tr/trace | grep -c 'val=0')
	echo >$tr/trace
	echo 1 >$tr/tracing_on
	ktap_info "xtcp_cookie_check: $valid valid, $bad invalid"
	[ "$valid" -gt 0 ]
}
on_exit "echo 0 >$tr/events/xtcp/xtcp_cookie_check/enable; echo 1 >$tr/tracing_on"

# cookie_dup PROTO PORT: a cookie's ACK that finds a request for its
# 4-tuple (see the top).
cookie_dup() {
	local proto=$1 port=$2 name="proto $1, cookie ACK meets a request"
	local out=$tmp/dup-cli-$port srv=$tmp/dup-srv-$port spid c
	local -A before

	# Requests live long enough for every step (1 s each at most).
	ip netns exec "$B" sysctl -qw net.ipv4.tcp_syncookies=1 \
		net.ipv4.tcp_synack_retries=5
	for c in SyncookiesSent SyncookiesRecv SyncookiesFailed; do
		before[$c]=$(stack_counter "$B" "$proto" $c)
	done
	ip netns exec "$B" python3 "$dup" server $saddr "$port" "$proto" \
		"$tmp/dup-ready-$port" >"$srv" &
	spid=$!
	if ! wait_ready "$tmp/dup-ready-$port" "$spid"; then
		kill "$spid" 2>/dev/null
		wait "$spid"
		ktap_fail "$name: listener"
		return
	fi
	ip netns exec "$A" python3 "$dup" client $saddr "$port" xv0 >"$out"
	wait "$spid"
	ip netns exec "$B" sysctl -qw net.ipv4.tcp_synack_retries=1
	sed 's/^/# /' "$out" "$srv"
	for c in SyncookiesSent SyncookiesRecv SyncookiesFailed; do
		ktap_info "$name: $c ${before[$c]:-0} -> $(stack_counter "$B" "$proto" $c)"
	done

	check "$name: the SYN to a full SYN queue gets a cookie SYN-ACK" \
		counter_grew "$proto" SyncookiesSent "${before[SyncookiesSent]}"
	check "$name: the same SYN again gets a request" \
		grep -q '^request-synack [0-9]* retransmitted$' "$out"
	check "$name: the cookie ACK is checked as a cookie, valid" \
		counter_grew "$proto" SyncookiesRecv "${before[SyncookiesRecv]}"
	check "$name: no RST for the valid cookie's ACK" \
		grep -q '^cookie-ack none$' "$out"
	check "$name: the ACK of nothing sent is checked as a cookie, invalid" \
		counter_grew "$proto" SyncookiesFailed "${before[SyncookiesFailed]}"
	check "$name: a RST for the ACK of nothing sent" \
		grep -Eq '^bad-ack rst ([0-9]+) \(acked \1\)$' "$out"
	check "$name: the request's ACK completes the handshake, data intact" \
		grep -q "^accepted 10.99.2.2 42002 ok$" "$srv"
}

# counter_grew PROTO NAME BEFORE: the server namespace's counter went up.
counter_grew() {
	[ "$(stack_counter "$B" "$1" "$2")" -gt "${3:-0}" ]
}

scenario 0 1 6000
scenario 0 0 6010
scenario "$sproto" 1 6020
scenario "$sproto" 0 6030
cookie_dup 0 6040
cookie_dup "$sproto" 6050

ktap_finished
