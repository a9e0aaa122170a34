#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PAWS on an established connection (RFC 7323 5), native TCP first as the
# reference, then xtcp, each as the server of a native client over veth.
# The client side injects the next segment of the connection (xtcp_paws.py):
# "X" with a timestamp 10 s older than the last one the server took, which
# must be dropped and counted (PAWSEstab: TcpExt for native,
# /proc/net/stat/xtcp for xtcp); the client then sends "Y" at the same
# sequence number, so that the server reads "AY" (and "AX" without PAWS).
#
# Server-side transitions covered: none beyond ESTABLISHED; what is
# checked is the drop of an in-window segment with an old timestamp.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
xtcp_loaded || skip_all "xtcp is not loaded"
drv=$XTCP_SELFTESTS/xtcp_paws.py

ktap_header
setup_ns A B
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

link() {
	ip link add xp0 netns "$A" type veth peer name xp1 netns "$B" &&
	ip -n "$A" addr add 198.51.100.1/24 dev xp0 &&
	ip -n "$B" addr add 198.51.100.2/24 dev xp1 &&
	ip -n "$A" link set xp0 up && ip -n "$B" link set xp1 up
}
check "veth pair" link

# paws_count PROTO: the server namespace's PAWSEstab counter.
paws_count() {
	if [ "$1" = 0 ]; then
		ip netns exec "$B" awk '/^TcpExt:/ {
			if (!h) { for (i = 1; i <= NF; i++) c[i] = $i; h = 1; next }
			for (i = 1; i <= NF; i++) if (c[i] == "PAWSEstab") print $i }' \
			/proc/net/netstat
	else
		ip netns exec "$B" awk '$1 == "PAWSEstab" { print $2 }' /proc/net/stat/xtcp
	fi
}

scenario() {	# PROTO PORT
	local proto=$1 port=$2 before after got spid
	local name="proto $proto"

	before=$(paws_count "$proto")
	ip netns exec "$B" python3 "$drv" server 198.51.100.2 "$port" "$proto" \
		"$tmp/ready-$port" >"$tmp/srv-$port" 2>&1 &
	spid=$!
	for _ in $(seq 100); do [ -s "$tmp/ready-$port" ] && break; sleep 0.1; done
	ip netns exec "$A" python3 "$drv" client 198.51.100.2 "$port" xp0 |
		sed 's/^/# /'
	wait "$spid"
	got=$(cat "$tmp/srv-$port")
	after=$(paws_count "$proto")
	ktap_info "$name: server read '$got', PAWSEstab $before -> $after"
	check "$name: old timestamp dropped, the same bytes taken later (read \"AY\")" \
		[ "$got" = 4159 ]
	check "$name: the drop is counted in PAWSEstab" \
		[ "${after:-0}" -gt "${before:-0}" ]
}

scenario 0 7000
scenario "$(xtcp_protocol)" 7010

ktap_finished
