#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xtcp's route cache, seen from user space: the first connect to a
# destination misses, the next one hits; a route change, an address removal
# and a link going down are noticed by the next connect (as invalidations);
# the bound holds while connecting to thousands of distinct destinations;
# a route's rto_min sets the RTO's floor, as for native TCP.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
xtcp_loaded || skip_all "xtcp is not loaded"
proto=$(xtcp_protocol)

ktap_header
setup_ns A B

# stat NAME: one counter of A's /proc/net/stat/xtcp_route
stat() {
	ip netns exec "$A" awk -v k="$1" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		NR == 2 { print $col[k] }' /proc/net/stat/xtcp_route
}

# conn PROTO ADDR PORT: connect once from A, print "ok" or the errno name.
conn() {
	ip netns exec "$A" python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.settimeout(10)
try:
    s.connect((sys.argv[2], int(sys.argv[3])))
    print("ok")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))' "$@"
}

wire() {
	ip link add xr0 netns "$A" type veth peer name xr1 netns "$B" &&
	ip -n "$A" addr add 198.51.100.1/24 dev xr0 &&
	ip -n "$A" addr add 198.51.100.11/24 dev xr0 &&
	ip -n "$B" addr add 198.51.100.2/24 dev xr1 &&
	ip -n "$A" link set xr0 up && ip -n "$B" link set xr1 up
}
check "two namespaces over veth" wire

# A native listener in B that accepts forever (it writes READY once
# listening: a Python start takes seconds under TCG).
ready=$(mktemp)
on_exit rm -f "$ready"
ip netns exec "$B" python3 -c '
import socket, sys
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("198.51.100.2", 7)); ls.listen(128)
open(sys.argv[1], "w").write("ready")
while True:
    ls.accept()[0].close()' "$ready" &
on_exit kill $!
check "a native listener in the other namespace" wait_ready "$ready" $!

first() { [ "$(conn "$proto" 198.51.100.2 7)" = ok ] && [ "$(stat misses)" = 1 ] &&
	  [ "$(stat hits)" = 0 ] && [ "$(stat entries)" = 1 ]; }
check "first connect misses and fills the cache" first
second() { [ "$(conn "$proto" 198.51.100.2 7)" = ok ] && [ "$(stat hits)" = 1 ] &&
	   [ "$(stat misses)" = 1 ]; }
check "second connect to the same destination hits" second
listed() { ip netns exec "$A" grep -q '^198.51.100.2 .*xr0' /proc/net/xtcp_route; }
check "/proc/net/xtcp_route lists the entry with its device" listed

# noticed ACTION...: after ACTION, the next connect revalidates and misses.
noticed() {
	local inv miss
	inv=$(stat invalidations)
	miss=$(stat misses)
	"$@" || return 1
	[ "$(conn "$proto" 198.51.100.2 7)" = ok ] &&
	[ "$(stat invalidations)" -gt "$inv" ] && [ "$(stat misses)" -gt "$miss" ]
}
check "ip route replace is noticed" \
	noticed ip -n "$A" route replace 198.51.100.2/32 dev xr0
check "ip addr del is noticed" noticed ip -n "$A" addr del 198.51.100.11/24 dev xr0

down() {
	local native
	ip -n "$A" link set xr0 down || return 1
	native=$(conn 0 198.51.100.2 7)
	ktap_info "link down: native '$native', xtcp '$(conn "$proto" 198.51.100.2 7)'"
	[ "$native" = ENETUNREACH ] && [ "$(conn "$proto" 198.51.100.2 7)" = "$native" ]
}
check "link down: connect fails as native TCP's (ENETUNREACH)" down
up() { ip -n "$A" link set xr0 up && sleep 1 && [ "$(conn "$proto" 198.51.100.2 7)" = ok ]; }
check "link up again: connect works" up

# rto PROTO: tcpi_rto (TCP_INFO, microseconds) of a connection from A once
# its handshake and one byte took RTT samples.
rto() {
	ip netns exec "$A" python3 -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.settimeout(10)
s.connect(("198.51.100.2", 7))
s.sendall(b"x")
time.sleep(0.3)
print(struct.unpack_from("I", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104), 8)[0])' "$1"
}

# rto_min MS: with the route's rto_min at MS (none: 0), the RTO of both
# stacks is at least MS and below MS + 100 ms on this sub-millisecond path.
rto_min() {
	local native xtcp lo=$(($1 * 1000)) hi
	[ "$1" = 0 ] && lo=200000
	hi=$((lo + 100000))
	if [ "$1" = 0 ]; then
		ip -n "$A" route replace 198.51.100.2/32 dev xr0 || return 1
	else
		ip -n "$A" route replace 198.51.100.2/32 dev xr0 rto_min "${1}ms" || return 1
	fi
	native=$(rto 0) xtcp=$(rto "$proto")
	ktap_info "tcpi_rto: native $native us, xtcp $xtcp us"
	[ "${native:-0}" -ge "$lo" ] && [ "$native" -lt "$hi" ] &&
	[ "${xtcp:-0}" -ge "$lo" ] && [ "$xtcp" -lt "$hi" ]
}
check "RTO floor: 200 ms without a route rto_min, as native" rto_min 0
check "RTO floor: the route's rto_min 50 ms, as native" rto_min 50
check "RTO floor: the route's rto_min 1000 ms, as native" rto_min 1000
ip -n "$A" route replace 198.51.100.2/32 dev xr0

# A flood of distinct destinations (198.18.0.0/15, routed to B, where
# nobody answers): the bound holds and old entries are evicted.
flood() {
	local max=64 n=3000 out
	# (the link flap above took the gateway route away)
	ip -n "$A" route replace 198.18.0.0/15 via 198.51.100.2 &&
	ip netns exec "$A" sysctl -qw net.xtcp.route_cache_max=$max || return 1
	out=$(ip netns exec "$A" python3 -c '
import errno, socket, sys
proto, n, peak = int(sys.argv[1]), int(sys.argv[2]), 0
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    s.setblocking(False)
    err = s.connect_ex(("198.18.%d.%d" % (i // 250, i % 250 + 1), 80))
    if err != errno.EINPROGRESS:
        sys.exit("connect %d: %s" % (i, errno.errorcode.get(err, err)))
    s.close()
    if i % 100 == 0:
        peak = max(peak, int(open("/proc/net/stat/xtcp_route").read().split()[-2]))
print(peak)' "$proto" "$n") || return 1
	ktap_info "peak entries $out, evictions $(stat evictions), max $max"
	[ "$out" -le "$max" ] && [ "$(stat entries)" -le "$max" ] &&
	[ "$(stat evictions)" -ge $((n - max)) ]
}
check "bound holds under 3000 distinct destinations" flood

ktap_finished
