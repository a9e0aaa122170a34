#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xtcp as a SERVER (passive open): xtcp listeners in one network namespace,
# native and xtcp clients in another, across a veth pair and across the VM's
# e1000 <-> virtio-net cable. Every byte is checked by SHA-256.
#
# Cases and the server-side TCP state transitions they cover:
#  - "up" transfers (the client sends, then half-closes): LISTEN -> SYN_RECV
#    (request) -> ESTABLISHED (accept) -> CLOSE_WAIT (client's FIN) ->
#    LAST_ACK (server's close) -> CLOSED.
#  - "down" transfers (the server sends, then half-closes first):
#    ESTABLISHED -> FIN_WAIT1 -> FIN_WAIT2 (its FIN acked) -> TIME_WAIT
#    (client's FIN) -> CLOSED after net.xtcp.tw_timeout_ms.
#  - 200 concurrent echo clients on an epoll server (edge- and
#    level-triggered): many requests in SYN_RECV at once, a full accept
#    queue drained by non-blocking accept(), CLOSE_WAIT -> LAST_ACK while
#    other connections still move data.
#  - the echo test through netem on the veth (client side: 3% loss, 10%
#    reordering with 10 ms delay, 1% duplicates; server side: 3% loss):
#    lost SYN-ACKs (SYN_RECV retransmits them), duplicated SYNs for a
#    pending request, a lost third ACK (the request is completed by the first
#    data segment), out-of-order and duplicated data and FINs in
#    ESTABLISHED / CLOSE_WAIT, retransmitted FINs in LAST_ACK.
# At the end no xtcp socket may be left in the server's namespace.
#
# XTCP_SERVER_PROTO overrides the servers' protocol (0: native TCP; only to
# develop these tests before xtcp has a passive open). Sizes:
# XTCP_PASSIVE_BYTES, XTCP_PASSIVE_CLIENTS, XTCP_PASSIVE_ECHO_BYTES,
# XTCP_PASSIVE_LOSSY_CLIENTS, XTCP_PASSIVE_LOSSY_BYTES; smaller defaults on
# the debug kernel.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip tc python3
xtcp_loaded || skip_all "xtcp is not loaded"
xproto=$(xtcp_protocol)
sproto=${XTCP_SERVER_PROTO:-$xproto}
xfer=$XTCP_SELFTESTS/tcp_xfer.py
srv=$XTCP_SELFTESTS/xtcp_server.py

if xtcp_debug_kernel; then
	size=${XTCP_PASSIVE_BYTES:-4194304}
	nclients=${XTCP_PASSIVE_CLIENTS:-100}
	echo_bytes=${XTCP_PASSIVE_ECHO_BYTES:-16384}
	lossy_clients=${XTCP_PASSIVE_LOSSY_CLIENTS:-20}
	lossy_bytes=${XTCP_PASSIVE_LOSSY_BYTES:-8192}
else
	size=${XTCP_PASSIVE_BYTES:-16777216}
	nclients=${XTCP_PASSIVE_CLIENTS:-200}
	echo_bytes=${XTCP_PASSIVE_ECHO_BYTES:-32768}
	lossy_clients=${XTCP_PASSIVE_LOSSY_CLIENTS:-50}
	lossy_bytes=${XTCP_PASSIVE_LOSSY_BYTES:-16384}
fi

ktap_header
ktap_info "server protocol $sproto, xtcp $xproto, $size bytes per transfer"
setup_ns A B

# transfer DIR CPROTO CNS SNS ADDR PORT BYTES: one connection from a client
# of protocol CPROTO in CNS to a server of protocol $sproto in SNS; DIR "up"
# sends from the client, "down" from the server. Passes when both ends saw
# the same bytes.
transfer() {
	local dir=$1 cproto=$2 cns=$3 sns=$4 addr=$5 port=$6 bytes=$7
	local ready sout got sent pid send=() download=() nbytes=$bytes
	ready=$(mktemp -u)
	sout=$(mktemp)
	if [ "$dir" = down ]; then
		send=(--send "$bytes")
		download=(--download)
		nbytes=
	fi
	ip netns exec "$sns" python3 "$xfer" server "$addr" "$port" \
		--proto "$sproto" --timeout 60 "${send[@]}" --ready "$ready" >"$sout" &
	pid=$!
	if wait_ready "$ready" "$pid"; then
		got=$(ip netns exec "$cns" python3 "$xfer" client "$addr" "$port" \
			$nbytes "${download[@]}" --proto "$cproto" --timeout 60)
	fi
	wait "$pid"
	sent=$(cat "$sout")
	rm -f "$ready" "$sout"
	ktap_info "$dir $addr: client '$got' server '$sent'"
	[ -n "$got" ] && [ "$got" = "$sent" ] && [ "${got%% *}" = "$bytes" ]
}

# echo_test CNS SNS ADDR PORT CLIENTS BYTES [--edge]: an epoll echo server
# of protocol $sproto, CLIENTS concurrent native clients of BYTES each.
echo_test() {
	local cns=$1 sns=$2 addr=$3 port=$4 n=$5 bytes=$6 mode=$7
	local ready sout got sent pid rc
	ready=$(mktemp -u)
	sout=$(mktemp)
	ip netns exec "$sns" python3 "$srv" echo "$addr" "$port" $mode \
		--proto "$sproto" --count "$n" --timeout 90 --ready "$ready" >"$sout" &
	pid=$!
	if wait_ready "$ready" "$pid"; then
		got=$(ip netns exec "$cns" python3 "$srv" echo-clients "$addr" "$port" \
			"$n" "$bytes" --proto 0 --timeout 60)
		rc=$?
	else
		rc=1
		kill "$pid" 2>/dev/null
	fi
	wait "$pid" || rc=1
	sent=$(cat "$sout")
	rm -f "$ready" "$sout"
	ktap_info "echo${mode:+ $mode} $addr: clients '$got' server '$sent'"
	[ "$rc" = 0 ] && [ "$sent" = "conns $n bytes $((n * bytes)) errors 0" ]
}

check "veth pair between two namespaces" veth_pair "$A" "$B"

mib=$((size / 1048576))
check "$mib MiB native -> xtcp server over veth" \
	transfer up 0 "$A" "$B" 198.51.100.2 5001 "$size"
check "$mib MiB xtcp server -> native over veth" \
	transfer down 0 "$A" "$B" 198.51.100.2 5002 "$size"
check "$mib MiB xtcp -> xtcp server over veth" \
	transfer up "$xproto" "$A" "$B" 198.51.100.2 5003 "$size"
check "$mib MiB xtcp server -> xtcp over veth" \
	transfer down "$xproto" "$A" "$B" 198.51.100.2 5004 "$size"

check "epoll echo (edge-triggered): $nclients native clients x $echo_bytes bytes" \
	echo_test "$A" "$B" 198.51.100.2 5005 "$nclients" "$echo_bytes" --edge
check "epoll echo (level-triggered): $nclients native clients x $echo_bytes bytes" \
	echo_test "$A" "$B" 198.51.100.2 5006 "$nclients" "$echo_bytes"

if [ -e /sys/class/net/nic-e1000 ]; then
	check "e1000 and virtio-net NICs in two namespaces" nic_pair "$A" "$B"
	sleep 2	# e1000 carrier
	check "$mib MiB native(e1000) -> xtcp server(virtio-net)" \
		transfer up 0 "$A" "$B" 192.0.2.2 5011 "$size"
	check "$mib MiB xtcp server(virtio-net) -> native(e1000)" \
		transfer down 0 "$A" "$B" 192.0.2.2 5012 "$size"
	check "$mib MiB xtcp(e1000) -> xtcp server(virtio-net)" \
		transfer up "$xproto" "$A" "$B" 192.0.2.2 5013 "$size"
	check "$mib MiB xtcp server(virtio-net) -> xtcp(e1000)" \
		transfer down "$xproto" "$A" "$B" 192.0.2.2 5014 "$size"
	check "epoll echo over e1000 <-> virtio-net: $nclients clients" \
		echo_test "$A" "$B" 192.0.2.2 5015 "$nclients" "$echo_bytes" --edge
else
	ktap_skip "e1000 <-> virtio-net transfers" "not inside the test VM"
fi

lossy() {
	ip netns exec "$A" tc qdisc add dev xv0 root netem \
		delay 10ms reorder 10% 50% loss 3% duplicate 1% &&
	ip netns exec "$B" tc qdisc add dev xv1 root netem loss 3%
}
# sch_netem is a module on Debian's kernel, built in on the debug kernel.
modprobe -q sch_netem 2>/dev/null
if lossy 2>/dev/null; then
	ktap_pass "netem: client side 3% loss, 10% reordering, 1% duplicates; server side 3% loss"
	check "epoll echo through loss/reordering: $lossy_clients clients x $lossy_bytes bytes" \
		echo_test "$A" "$B" 198.51.100.2 5021 "$lossy_clients" "$lossy_bytes" --edge
	check "epoll echo (level) through loss/reordering" \
		echo_test "$A" "$B" 198.51.100.2 5022 "$lossy_clients" "$lossy_bytes"
	check "1 MiB xtcp server -> native through loss/reordering" \
		transfer down 0 "$A" "$B" 198.51.100.2 5023 1048576
else
	ktap_skip "echo through netem" "no netem qdisc"
fi

# No connection may be left behind in the server's namespace once TIME_WAIT
# (net.xtcp.tw_timeout_ms) has passed; only checked with a short TIME_WAIT.
tw_ms=$(ip netns exec "$B" sysctl -n net.xtcp.tw_timeout_ms 2>/dev/null || echo 60000)
none_left() {
	local n
	for _ in $(seq $(((tw_ms + 3000) / 200))); do
		n=$(proc_xtcp_count "$B")
		[ "$n" -le 0 ] && return 0
		sleep 0.2
	done
	ktap_info "still in /proc/net/xtcp of the server namespace:"
	ip netns exec "$B" cat /proc/net/xtcp | sed 's/^/# /'
	return 1
}
if [ "$tw_ms" -le 5000 ]; then
	check "no xtcp socket left in the server namespace" none_left
else
	ktap_skip "no xtcp socket left in the server namespace" \
		"net.xtcp.tw_timeout_ms is $tw_ms"
fi

ktap_finished
