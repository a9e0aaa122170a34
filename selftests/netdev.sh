#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test VM's bench: its two NICs, an e1000 and a virtio-net cabled to each
# other through a QEMU hub, each moved into a namespace of its own, carry a
# TCP transfer through both real drivers, byte for byte.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
for nic in nic-e1000 nic-virtio; do
	[ -e /sys/class/net/$nic ] || skip_all "no $nic: not inside the xtcp test VM"
done

driver() { basename "$(readlink "/sys/class/net/$1/device/driver")"; }

ktap_header
check "nic-e1000 is driven by e1000" test "$(driver nic-e1000)" = e1000
check "nic-virtio is driven by virtio_net" test "$(driver nic-virtio)" = virtio_net

setup_ns A B
# 192.0.2.0/24 is TEST-NET-1: nothing real lives there, and nothing leaves the VM.
wire() {
	ip link set nic-e1000 netns "$A" &&
	ip link set nic-virtio netns "$B" &&
	ip -n "$A" addr add 192.0.2.1/24 dev nic-e1000 &&
	ip -n "$B" addr add 192.0.2.2/24 dev nic-virtio &&
	ip -n "$A" link set nic-e1000 up &&
	ip -n "$B" link set nic-virtio up
}
check "NICs moved into two namespaces and up" wire

# Carrier and ARP take a moment on e1000.
reachable() {
	local i
	for i in $(seq 50); do
		ip netns exec "$A" python3 -c '
import socket, sys
s = socket.socket(); s.settimeout(0.5)
sys.exit(0 if s.connect_ex(("192.0.2.2", 9)) in (0, 111) else 1)' && return 0
		sleep 0.2
	done
	return 1
}
check "virtio side reachable from e1000 side" reachable

# transfer FROM TO ADDR: 8 MiB of native TCP from namespace FROM to TO.
transfer() {
	local out sent got ready
	out=$(mktemp)
	ready=$(mktemp -u)
	ip netns exec "$2" python3 "$XTCP_SELFTESTS/tcp_xfer.py" server "$3" 5001 \
		--ready "$ready" >"$out" &
	# A loaded machine may take seconds to start python: wait for listen().
	for _ in $(seq 150); do [ -s "$ready" ] && break; sleep 0.1; done
	rm -f "$ready"
	sent=$(ip netns exec "$1" python3 "$XTCP_SELFTESTS/tcp_xfer.py" client "$3" 5001 8388608)
	wait $!
	got=$(cat "$out")
	rm -f "$out"
	ktap_info "sent: $sent"
	ktap_info "got:  $got"
	[ -n "$sent" ] && [ "$sent" = "$got" ]
}
check "8 MiB native TCP e1000 -> virtio-net, sha256 equal" transfer "$A" "$B" 192.0.2.2
check "8 MiB native TCP virtio-net -> e1000, sha256 equal" transfer "$B" "$A" 192.0.2.1

ktap_finished
