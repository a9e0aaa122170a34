#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An xtcp client against native TCP servers across real netdevs: a veth
# pair and the VM's e1000 <-> virtio-net cable, each end in its own network
# namespace. 32 MiB each way, every byte checked by SHA-256; then again
# through netem (3% loss, 10 ms delay each way), where retransmission must
# recover. Native TCP between the same namespaces keeps working meanwhile.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip tc python3
xtcp_loaded || skip_all "xtcp is not loaded"
proto=$(xtcp_protocol)
xfer=$XTCP_SELFTESTS/tcp_xfer.py
size=${XTCP_INTEROP_BYTES:-33554432}
lossy_size=${XTCP_INTEROP_LOSSY_BYTES:-4194304}
file_size=${XTCP_INTEROP_FILE_BYTES:-8388608}

ktap_header
setup_ns A B

# transfer DIR CLIENT_NS SERVER_NS ADDR PORT BYTES [CLIENT_OPT]: one
# connection, an xtcp client and a native server; DIR "up" sends from the
# client (CLIENT_OPT --sendfile or --splice: from a file), "down" from the
# server. Passes when both ends saw the same bytes.
transfer() {
	local dir=$1 cns=$2 sns=$3 addr=$4 port=$5 bytes=$6 opt=${7:-}
	local ready sout got sent pid
	ready=$(mktemp -u)
	sout=$(mktemp)
	if [ "$dir" = up ]; then
		ip netns exec "$sns" python3 "$xfer" server "$addr" "$port" \
			--ready "$ready" >"$sout" &
	else
		ip netns exec "$sns" python3 "$xfer" server "$addr" "$port" \
			--send "$bytes" --ready "$ready" >"$sout" &
	fi
	pid=$!
	for _ in $(seq 100); do [ -s "$ready" ] && break; sleep 0.1; done
	if [ "$dir" = up ]; then
		got=$(ip netns exec "$cns" python3 "$xfer" client "$addr" "$port" \
			"$bytes" --proto "$proto" $opt)
	else
		got=$(ip netns exec "$cns" python3 "$xfer" client "$addr" "$port" \
			--download --proto "$proto")
	fi
	wait "$pid"
	sent=$(cat "$sout")
	rm -f "$ready" "$sout"
	ktap_info "$dir $addr: client '$got' server '$sent'"
	[ -n "$got" ] && [ "$got" = "$sent" ] && [ "${got%% *}" = "$bytes" ]
}

check "veth pair between two namespaces" veth_pair "$A" "$B"
check "32 MiB xtcp -> native over veth" transfer up "$A" "$B" 198.51.100.2 5001 "$size"
check "32 MiB native -> xtcp over veth" transfer down "$A" "$B" 198.51.100.2 5002 "$size"
# Page-cache pages queued by reference (sendpage), whole and in pieces.
check "$((file_size >> 20)) MiB sendfile() xtcp -> native over veth" \
	transfer up "$A" "$B" 198.51.100.2 5005 "$file_size" --sendfile
check "$((file_size >> 20)) MiB splice() xtcp -> native over veth" \
	transfer up "$A" "$B" 198.51.100.2 5006 "$file_size" --splice

# Native TCP keeps working, in parallel with an xtcp transfer.
parallel() {
	local out
	out=$(mktemp)
	( transfer up "$A" "$B" 198.51.100.2 5003 "$size" && echo ok >"$out" ) &
	ip netns exec "$B" python3 "$xfer" server 198.51.100.2 5004 >/dev/null &
	sleep 1
	ip netns exec "$A" python3 "$xfer" client 198.51.100.2 5004 8388608 >/dev/null &&
		wait && [ -s "$out" ]
	local rc=$?
	rm -f "$out"
	return $rc
}
check "native TCP transfer alongside an xtcp one" parallel

if [ -e /sys/class/net/nic-e1000 ]; then
	check "e1000 and virtio-net NICs in two namespaces" nic_pair "$A" "$B"
	sleep 2	# e1000 carrier
	check "32 MiB xtcp(e1000) -> native(virtio-net)" \
		transfer up "$A" "$B" 192.0.2.2 5011 "$size"
	check "32 MiB native(virtio-net) -> xtcp(e1000)" \
		transfer down "$A" "$B" 192.0.2.2 5012 "$size"
else
	ktap_skip "e1000 <-> virtio-net transfers" "not inside the test VM"
fi

lossy() {
	ip netns exec "$A" tc qdisc add dev xv0 root netem loss 3% delay 10ms &&
	ip netns exec "$B" tc qdisc add dev xv1 root netem loss 3% delay 10ms
}
# sch_netem is a module on Debian's kernel, built in on the debug kernel.
modprobe -q sch_netem 2>/dev/null
if lossy 2>/dev/null; then
	ktap_pass "netem 3% loss, 10 ms delay on both veth ends"
	check "xtcp -> native through 3% loss" \
		transfer up "$A" "$B" 198.51.100.2 5021 "$lossy_size"
	check "native -> xtcp through 3% loss" \
		transfer down "$A" "$B" 198.51.100.2 5022 "$lossy_size"
else
	ktap_skip "transfers through netem loss" "no netem qdisc"
fi

ktap_finished
