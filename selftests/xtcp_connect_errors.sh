#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connect failures that need a network around them, each run with native
# TCP (protocol 0) and with xtcp, which must fail the same way:
#  - SYNs nobody answers: retransmitted with backoff (trace), then ETIMEDOUT
#    after net.ipv4.tcp_syn_retries;
#  - a neighbour that never answers ARP: xtcp ignores the host unreachable
#    its own stack sends and times out (ETIMEDOUT); native TCP does too,
#    unless a SYN still waits in the neighbour's queue when it gives up;
#  - ephemeral ports: ip_local_port_range and ip_local_reserved_ports are
#    respected and exhaustion gives EADDRNOTAVAIL.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
xtcp_loaded || skip_all "xtcp is not loaded"
proto=$(xtcp_protocol)
tr=/sys/kernel/tracing

ktap_header
setup_ns A B

# conn PROTO ADDR PORT [COUNT]: COUNT (default 1) connects from A kept open
# together; prints the errno name of the first failure, or "ok".
conn() {
	ip netns exec "$A" python3 -c '
import errno, socket, sys
proto, addr, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
keep = []
for i in range(int(sys.argv[4])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    s.settimeout(30)
    try:
        s.connect((addr, port))
    except OSError as e:
        print(errno.errorcode.get(e.errno, e.errno)); sys.exit()
    keep.append(s)
print("ok")' "$1" "$2" "$3" "${4:-1}"
}

wire() {
	ip link add xc0 netns "$A" type veth peer name xc1 netns "$B" &&
	ip -n "$A" addr add 198.51.100.1/24 dev xc0 &&
	ip -n "$B" addr add 198.51.100.2/24 dev xc1 &&
	ip -n "$A" link set xc0 up && ip -n "$B" link set xc1 up &&
	ip -n "$A" route add 198.18.0.0/15 via 198.51.100.2 &&
	ip netns exec "$A" sysctl -qw net.ipv4.tcp_syn_retries=2
}
check "two namespaces over veth" wire

same() {	# same WHAT EXPECTED ARGS...: native and xtcp both give EXPECTED
	local what=$1 want=$2 native x
	shift 2
	native=$(conn 0 "$@")
	x=$(conn "$proto" "$@")
	ktap_info "$what: native $native, xtcp $x"
	[ "$native" = "$want" ] && [ "$x" = "$want" ]
}

if [ -d $tr/events/xtcp ]; then
	echo >$tr/trace
	echo 1 >$tr/tracing_on
	echo 1 >$tr/events/xtcp/xtcp_syn_send/enable
	on_exit "echo 0 >$tr/events/xtcp/xtcp_syn_send/enable"
fi
check "unanswered SYNs: ETIMEDOUT after tcp_syn_retries" \
	same "silent peer" ETIMEDOUT 198.18.0.1 80
if [ -d $tr/events/xtcp ]; then
	backoff() {
		grep -q 'xtcp_syn_send: .*198.18.0.1:80 .*retransmit=0' $tr/trace &&
		grep -q 'xtcp_syn_send: .*198.18.0.1:80 .*retransmit=1' $tr/trace &&
		grep -q 'xtcp_syn_send: .*198.18.0.1:80 .*retransmit=2' $tr/trace &&
		! grep -q 'xtcp_syn_send: .*198.18.0.1:80 .*retransmit=3' $tr/trace
	}
	check "SYN sent once and retransmitted twice" backoff
fi

# Native TCP's result here races: the neighbour gives up after its three
# probes (about 3 s), and if a SYN still waits in its queue then, the host
# unreachable it sends back fails the connect with EHOSTUNREACH; otherwise
# the SYN timer ends it with ETIMEDOUT (seen both ways on the debug
# kernel). xtcp ignores its own host's unreachable and times out; both
# must end in one of the two, and never succeed or hang.
unreach() {
	local native x
	native=$(conn 0 198.51.100.77 80)
	x=$(conn "$proto" 198.51.100.77 80)
	ktap_info "missing neighbour: native $native, xtcp $x"
	[[ $native =~ ^(ETIMEDOUT|EHOSTUNREACH)$ ]] && [ "$x" = ETIMEDOUT ]
}
check "no ARP answer: ETIMEDOUT (native: or EHOSTUNREACH)" unreach

# Port tests: native TCP from A, xtcp from X, each namespace with its own
# link to B, so that one's TIME_WAIT ports do not stand in the other's way.
ip netns exec "$B" python3 -c '
import socket, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("0.0.0.0", 7)); ls.listen(64)
while True:
    ls.accept()[0].close()' &
on_exit kill $!
setup_ns X
wire_x() {
	ip link add xc2 netns "$X" type veth peer name xc3 netns "$B" &&
	ip -n "$X" addr add 203.0.113.1/24 dev xc2 &&
	ip -n "$B" addr add 203.0.113.2/24 dev xc3 &&
	ip -n "$X" link set xc2 up && ip -n "$B" link set xc3 up
}
check "second client namespace for xtcp" wire_x
sleep 1

# ports WHAT EXPECTED COUNT: COUNT connects kept open, native from A and
# xtcp from X, both give EXPECTED. Each side's sockets are closed before
# the next step (xtcp's TIME_WAIT is short here; native's ports move on).
ports() {
	local what=$1 want=$2 count=$3 native x
	native=$(conn 0 198.51.100.2 7 "$count")
	x=$(A=$X conn "$proto" 203.0.113.2 7 "$count")
	ktap_info "$what: native $native, xtcp $x"
	[ "$native" = "$want" ] && [ "$x" = "$want" ]
}
range() {
	local ns
	for ns in "$A" "$X"; do
		ip netns exec "$ns" sysctl -qw \
			net.ipv4.ip_local_port_range="40000 40001" || return 1
		ip netns exec "$ns" sysctl -qw net.ipv4.tcp_tw_reuse=1 || return 1
	done
}
check "ip_local_port_range narrowed to two ports" range
check "two connects fit in two ports" ports "2 ports, 2 connects" ok 2
sleep 1
check "a third one: EADDRNOTAVAIL" ports "2 ports, 3 connects" EADDRNOTAVAIL 3
reserved() {
	ip netns exec "$X" sysctl -qw net.ipv4.ip_local_reserved_ports=40001
}
check "ip_local_reserved_ports=40001 (xtcp side)" reserved
sleep 1
used_port() {
	local out
	out=$(ip netns exec "$X" python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.connect(("203.0.113.2", 7))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
try:
    t.connect(("203.0.113.2", 7)); second = "ok"
except OSError as e:
    second = errno.errorcode[e.errno]
print(s.getsockname()[1], second)' "$proto")
	ktap_info "xtcp: first port, second connect: $out"
	[ "$out" = "40000 EADDRNOTAVAIL" ]
}
check "a reserved port is never chosen" used_port
ktap_finished
