#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every RFC 9293 state of an xtcp socket reached and left, from both ends,
# xtcp against xtcp over a veth pair with 50 ms of delay each way, 400 ms
# for the simultaneous scenario (so that SYNs and FINs sent at about the
# same time cross, even on a busy TCG VM). Scenarios (xtcp_states.py):
#   client/server: CLOSE -> SYN_SENT -> ESTABLISHED -> FIN_WAIT1 ->
#     FIN_WAIT2 -> TIME_WAIT -> CLOSE on the side that closes first;
#     ESTABLISHED -> CLOSE_WAIT -> LAST_ACK -> CLOSE on the other; LISTEN
#     and its end; SYN_RECV -> ESTABLISHED for each accepted child; a new
#     SYN reusing a 4-tuple in TIME_WAIT; a reset (ESTABLISHED -> CLOSE);
#     a refused connect (SYN_SENT -> CLOSE).
#   simultaneous: open (SYN_SENT -> SYN_RECV -> ESTABLISHED) and close
#     (FIN_WAIT1 -> CLOSING -> TIME_WAIT) with both ends acting at once.
# The transitions are read from the xtcp_state_change trace event.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip tc python3
xtcp_loaded || skip_all "xtcp is not loaded"
tr=/sys/kernel/tracing
[ -d $tr/events/xtcp ] || tr=/sys/kernel/debug/tracing
[ -w $tr/events/xtcp/xtcp_state_change/enable ] || skip_all "no tracefs"
proto=$(xtcp_protocol)
drv=$XTCP_SELFTESTS/xtcp_states.py

ktap_header
setup_ns A B
# TIME_WAIT long enough for the reuse scenario to meet it (a second
# later), short enough not to pin xtcp long after the test.
ip netns exec "$B" sysctl -qw net.xtcp.tw_timeout_ms=4000

link() {
	ip link add xs0 netns "$A" type veth peer name xs1 netns "$B" &&
	ip -n "$A" addr add 198.51.100.1/24 dev xs0 &&
	ip -n "$B" addr add 198.51.100.2/24 dev xs1 &&
	ip -n "$A" link set xs0 up && ip -n "$B" link set xs1 up &&
	ip netns exec "$A" tc qdisc add dev xs0 root netem delay 50ms &&
	ip netns exec "$B" tc qdisc add dev xs1 root netem delay 50ms
}
check "veth pair with 50 ms delay each way" link

echo >$tr/trace
echo 1 >$tr/events/xtcp/xtcp_state_change/enable
echo 1 >$tr/events/xtcp/xtcp_tw_reuse/enable
on_exit "echo 0 >$tr/events/xtcp/xtcp_state_change/enable"
on_exit "echo 0 >$tr/events/xtcp/xtcp_tw_reuse/enable"

both() {	# SCENARIO ROLE_A ROLE_B: run both ends, pass if both print ok
	local start pid rc=0
	start=$(python3 -c 'import time; print(time.time() + 4)')
	ip netns exec "$B" python3 "$drv" "$3" "$1" 198.51.100.2 198.51.100.1 \
		"$proto" "$start" >/tmp/xtcp-states-b.$$ 2>&1 &
	pid=$!
	sleep 0.5
	ip netns exec "$A" python3 "$drv" "$2" "$1" 198.51.100.1 198.51.100.2 \
		"$proto" "$start" || rc=1
	wait $pid || rc=1
	sed 's/^/# b: /' /tmp/xtcp-states-b.$$
	rm -f /tmp/xtcp-states-b.$$
	return $rc
}
check "client and server scenarios" both serve client server
delay() {
	ip netns exec "$A" tc qdisc change dev xs0 root netem delay "$1" &&
	ip netns exec "$B" tc qdisc change dev xs1 root netem delay "$1"
}
check "400 ms delay each way" delay 400ms
check "simultaneous open and close" both simultaneous a b
sleep 0.5
echo 0 >$tr/events/xtcp/xtcp_state_change/enable
echo 0 >$tr/events/xtcp/xtcp_tw_reuse/enable
check "a SYN reopened a 4-tuple in TIME_WAIT (xtcp_tw_reuse)" \
	grep -q 'xtcp_tw_reuse: .* -> 198.51.100.2:40003' $tr/trace

seen=$(grep -oE '[A-Z_0-9]+ -> [A-Z_0-9]+$' $tr/trace | sort -u)
ktap_info "transitions seen: $(echo "$seen" | tr '\n' ',')"
for t in "CLOSE -> SYN_SENT" "SYN_SENT -> ESTABLISHED" "SYN_SENT -> CLOSE" \
	"SYN_SENT -> SYN_RECV" "SYN_RECV -> ESTABLISHED" \
	"CLOSE -> LISTEN" "LISTEN -> CLOSE" \
	"ESTABLISHED -> FIN_WAIT1" "FIN_WAIT1 -> FIN_WAIT2" \
	"FIN_WAIT2 -> TIME_WAIT" "FIN_WAIT1 -> CLOSING" \
	"CLOSING -> TIME_WAIT" "TIME_WAIT -> CLOSE" \
	"ESTABLISHED -> CLOSE_WAIT" "CLOSE_WAIT -> LAST_ACK" \
	"LAST_ACK -> CLOSE" "ESTABLISHED -> CLOSE"; do
	check "transition $t" grep -qx "$t" <<<"$seen"
done
ktap_finished
