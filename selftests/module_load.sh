#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Loading and unloading xtcp.ko: protocol registration, the protocol
# parameter and its validation, rmmod refused while a socket exists, and
# every init step unwound when it fails (inject_init_fault=N).
source "$(dirname "$0")/lib.sh"

require_root
require_cmd insmod rmmod python3 ip
[ -f "$XTCP_MODULE_DIR/xtcp.ko" ] || skip_all "no xtcp.ko in $XTCP_MODULE_DIR"
xtcp_loaded && skip_all "xtcp is already loaded; this test loads it itself"
on_exit xtcp_unload

ktap_header

# A failed load must leave no trace: no protocol, no /proc entry, no slab.
no_trace() {
	! xtcp_loaded &&
	! grep -q '^XTCP ' /proc/net/protocols &&
	[ "$(proc_xtcp_count)" = -1 ] &&
	[ "$(xtcp_socket_errno 253)" = EPROTONOSUPPORT ]
}

load_default() { xtcp_load && [ "$(xtcp_protocol)" = 253 ]; }
check "load with default protocol 253" load_default
check "struct proto listed in /proc/net/protocols" grep -q '^XTCP ' /proc/net/protocols
check "socket(AF_INET, SOCK_STREAM, 253) works" \
	test "$(xtcp_socket_errno 253)" = ok
check "protocol 0 still gives native TCP" test "$(xtcp_socket_errno 0)" = ok
check "/proc/net/xtcp exists and is empty" test "$(proc_xtcp_count)" = 0
alias_ok() { modinfo -F alias "$XTCP_MODULE_DIR/xtcp.ko" | grep -qx 'net-pf-2-proto-253-type-1'; }
check "module alias for socket() autoload" alias_ok

pid=$(hold_socket 253)
check "socket held open by a process" test -n "$pid"
check "socket listed in /proc/net/xtcp" test "$(proc_xtcp_count)" = 1
proto_sockets() { awk '$1 == "XTCP" { print $3 }' /proc/net/protocols; }
check "socket counted in /proc/net/protocols" test "$(proto_sockets)" = 1
check_fails "rmmod refused while a socket is open" rmmod xtcp
check "module still loaded after refused rmmod" xtcp_loaded
[ -n "$pid" ] && release_socket "$pid"
check "/proc/net/xtcp empty after close" test "$(proc_xtcp_count)" = 0
check "rmmod succeeds once all sockets are closed" rmmod xtcp
check "nothing left after rmmod" no_trace

# Invalid protocol numbers are refused with EINVAL and leave nothing behind.
for p in 0 6 262 263 -1 1000; do
	load_refused() { ! xtcp_load protocol="$1" 2>/dev/null && no_trace; }
	check "protocol=$p refused" load_refused "$p"
done

alt_protocol() {
	xtcp_load protocol=254 &&
	[ "$(xtcp_protocol)" = 254 ] &&
	[ "$(xtcp_socket_errno 254)" = ok ] &&
	[ "$(xtcp_socket_errno 253)" = EPROTONOSUPPORT ] &&
	rmmod xtcp
}
check "protocol=254 serves 254 and not 253" alt_protocol

# A number some other stream protocol holds is refused: SCTP's, where the
# running kernel can load SCTP (probing autoloads it, as socket() would).
if modprobe -n -q sctp 2>/dev/null; then
	taken() { modprobe sctp && ! xtcp_load protocol=132 2>/dev/null && no_trace; }
	[ -d /sys/module/sctp ] || on_exit modprobe -r sctp
	check "protocol=132 refused while SCTP holds it" taken
else
	ktap_skip "protocol=132 refused while SCTP holds it" "kernel has no SCTP module"
fi

# Fail each init step in turn until a load succeeds: every failure must
# unwind completely, and there must be at least the four steps main.c has.
step=1
while [ $step -le 20 ]; do
	xtcp_load inject_init_fault=$step 2>/dev/null && break
	no_trace || { ktap_info "step $step left a trace"; break; }
	step=$((step + 1))
done
steps=$((step - 1))
ktap_info "init steps unwound on failure: $steps"
check "every init step unwinds on failure (steps: $steps)" test $steps -ge 4
check "load after the last injected step works" xtcp_loaded
xtcp_unload

# Per namespace: each namespace gets its own /proc/net/xtcp and sees only
# its own sockets.
pernet() {
	local ns pid ok=0
	setup_ns ns || return 1
	xtcp_load || return 1
	[ "$(proc_xtcp_count "$ns")" = 0 ] || return 1
	pid=$(hold_socket 253 "$ns") || return 1
	[ "$(proc_xtcp_count "$ns")" = 1 ] && [ "$(proc_xtcp_count)" = 0 ] || ok=1
	release_socket "$pid"
	[ "$(proc_xtcp_count "$ns")" = 0 ] || ok=1
	ip netns del "$ns"
	return $ok
}
check "per-namespace socket table and /proc/net/xtcp" pernet
check "rmmod after namespace use" xtcp_unload
check "clean after namespace test" no_trace

ktap_finished
