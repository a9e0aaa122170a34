#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Transfers under every combination of the offloads that shape what xtcp
# sends and receives: TSO, GSO, GRO and TX checksumming, toggled with
# `ethtool -K` on both ends of a veth pair and of the VM's e1000 <->
# virtio-net cable, each end in its own namespace (client A, server B).
#
# Covering design: the 16 combinations of the four features applied to both
# ends at once, then four asymmetric ones where each feature is on at one
# end and off at the other, both ways round (client all on / server all off,
# the reverse, and the two complementary halves tso+gro / gso+tx). A case
# whose effective features (read back with `ethtool -k`: without TX
# checksumming the kernel turns TSO off; virtio-net may have fixed ones)
# equal an earlier case's is not run again. Every transfer moves
# XTCP_OFFLOAD_BYTES (1 MiB, 512 KiB on the debug kernel: there are some
# 120 transfers; the offload paths are exercised per packet, not by
# volume), SHA-256 checked:
# native -> native first as the reference, then xtcp -> native,
# native -> xtcp server and xtcp -> xtcp server.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ethtool nsenter python3
xtcp_loaded || skip_all "xtcp is not loaded"
x=$(xtcp_protocol)
if xtcp_debug_kernel; then
	size=${XTCP_OFFLOAD_BYTES:-524288}
else
	size=${XTCP_OFFLOAD_BYTES:-1048576}
fi

ktap_header
setup_ns A B

# Features by bit, 8 down to 1, as ethtool -K and ethtool -k name them.
feat_set=(tso gso gro tx)
feat_get=(tcp-segmentation-offload generic-segmentation-offload
	generic-receive-offload tx-checksumming)

# in_ns NS CMD...: CMD in NS, lighter than `ip netns exec` (no /sys remount),
# which counts with a few ethtool calls per case.
in_ns() { nsenter --net="/run/netns/$1" "${@:2}"; }

# offloads NS DEV BITS: set the four features of DEV from the bits of BITS.
offloads() {
	local ns=$1 dev=$2 bits=$3 i args=()
	for i in 0 1 2 3; do
		if (((bits >> (3 - i)) & 1)); then
			args+=("${feat_set[i]}" on)
		else
			args+=("${feat_set[i]}" off)
		fi
	done
	# Fixed features make ethtool fail: effective() tells what took.
	in_ns "$ns" ethtool -K "$dev" "${args[@]}" >/dev/null 2>&1
	return 0
}

# effective NS DEV: the four features as they are now, e.g. "tso:on gso:off ...".
effective() {
	local ns=$1 dev=$2 i state out= k
	k=$'\n'$(in_ns "$ns" ethtool -k "$dev") || return 1
	for i in 0 1 2 3; do
		state=?
		[[ $k =~ $'\n'${feat_get[i]}:\ ([a-z]+) ]] && state=${BASH_REMATCH[1]}
		out+="${feat_set[i]}:$state "
	done
	echo "${out% }"
}

# run_case LINK DEVA DEVB ADDR ABITS BBITS: one offload case.
declare -A seen
run_case() {
	local link=$1 deva=$2 devb=$3 addr=$4 abits=$5 bbits=$6 eff name
	name=$(printf '%s client %x server %x' "$link" "$abits" "$bbits")
	offloads "$A" "$deva" "$abits"
	offloads "$B" "$devb" "$bbits"
	if ! eff="$(effective "$A" "$deva") | $(effective "$B" "$devb")"; then
		ktap_fail "$name: ethtool -k"
		return
	fi
	ktap_info "$name: $eff"
	if [ -n "${seen[$link $eff]}" ]; then
		ktap_info "$name: same features as $link ${seen[$link $eff]}, not repeated"
		return
	fi
	seen[$link $eff]=$(printf 'client %x server %x' "$abits" "$bbits")
	check "$name: native -> native" xfer "$addr" 6000 0 "$size"
	check "$name: xtcp -> native" xfer "$addr" 6000 "$x" "$size"
	check "$name: native -> xtcp" xfer "$addr" 6001 0 "$size"
	check "$name: xtcp -> xtcp" xfer "$addr" 6001 "$x" "$size"
}

# all_cases LINK DEVA DEVB ADDR: the covering design above (on the debug
# kernel, whose point is what KASAN and lockdep see in each path, the
# symmetric cases all off, all on, tso+gro and gso+tx only).
all_cases() {
	local c cases=$(seq 0 15)
	xtcp_debug_kernel && cases="0 15 10 5"
	for c in $cases; do
		run_case "$@" "$c" "$c"
	done
	run_case "$@" 15 0
	run_case "$@" 0 15
	run_case "$@" 10 5
	run_case "$@" 5 10
}

# restore NS DEV: put back the features DEV had, before its namespace goes.
restore() {
	local ns=$1 dev=$2 args=() i state
	for i in 0 1 2 3; do
		state=$(ethtool -k "$dev" | sed -n "s/^${feat_get[i]}: \([a-z]*\).*/\1/p")
		[ -n "$state" ] && args+=("${feat_set[i]}" "$state")
	done
	on_exit ip netns exec "$ns" ethtool -K "$dev" "${args[@]}"
}

check "veth pair between two namespaces" veth_pair "$A" "$B"
check "native and xtcp servers, a client process" \
	eval 'xfer_servers "$B" 6000 && xfer_client "$A"'
all_cases veth xv0 xv1 198.51.100.2

nics() {
	restore "$A" nic-e1000 && restore "$B" nic-virtio && nic_pair "$A" "$B"
}
if [ -e /sys/class/net/nic-e1000 ]; then
	check "e1000 and virtio-net NICs in two namespaces" nics
	sleep 2	# e1000 carrier
	all_cases e1000-virtio nic-e1000 nic-virtio 192.0.2.2
else
	ktap_skip "e1000 <-> virtio-net offload cases" "not inside the test VM"
fi

ktap_finished
