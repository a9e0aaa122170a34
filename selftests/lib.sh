# SPDX-License-Identifier: GPL-2.0
# Shared helpers for xtcp's shell selftests: KTAP output, kselftest exit
# codes, the xtcp module, and network namespaces with random names that are
# removed on exit whatever happens.

readonly KSFT_PASS=0
readonly KSFT_FAIL=1
readonly KSFT_SKIP=4

XTCP_SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
XTCP_MODULE_DIR=${XTCP_MODULE_DIR:-$XTCP_SELFTESTS/../module}

ktap_count=0
ktap_failed=0
ktap_passed=0
ktap_skipped=0
xtcp_cleanups=()

# The plan comes last (ktap_finished), so tests need not count ahead.
ktap_header() {
	echo "TAP version 13"
}

ktap_result() {	# ok|not ok, name, [directive]
	ktap_count=$((ktap_count + 1))
	echo "$1 $ktap_count $2${3:+ # $3}"
}

ktap_pass() { ktap_passed=$((ktap_passed + 1)); ktap_result ok "$1"; }
ktap_fail() { ktap_failed=$((ktap_failed + 1)); ktap_result "not ok" "$1"; }
ktap_skip() { ktap_skipped=$((ktap_skipped + 1)); ktap_result ok "$1" "SKIP $2"; }
ktap_info() { echo "# $*"; }

# check NAME COMMAND...: one test case, passed when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ktap_pass "$name"; else ktap_fail "$name"; fi
}

# check_fails NAME COMMAND...: passed when COMMAND fails.
check_fails() {
	local name=$1
	shift
	if "$@"; then ktap_fail "$name"; else ktap_pass "$name"; fi
}

ktap_finished() {
	echo "1..$ktap_count"
	echo "# Totals: pass:$ktap_passed fail:$ktap_failed skip:$ktap_skipped"
	[ "$ktap_failed" = 0 ] || exit $KSFT_FAIL
	[ "$ktap_passed" -gt 0 ] || exit $KSFT_SKIP
	exit $KSFT_PASS
}

skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

require_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }
require_cmd() {
	local c
	for c in "$@"; do command -v "$c" >/dev/null || skip_all "needs $c"; done
}

# Cleanups run in reverse order on any exit, including a failed check and
# the runner's SIGTERM at the timeout; background jobs still running (a
# server waiting for a client that never came) are killed first.
on_exit() { xtcp_cleanups=("$*" "${xtcp_cleanups[@]}"); }
run_cleanups() {
	local c jobs

	jobs=$(jobs -pr)
	[ -z "$jobs" ] || kill $jobs 2>/dev/null
	for c in "${xtcp_cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	xtcp_cleanups=()
}
trap run_cleanups EXIT
trap 'exit 143' TERM INT

# setup_ns VAR...: create one namespace per VAR, named xtcp-<random>.
setup_ns() {
	local var name
	for var in "$@"; do
		name=xtcp-$(mktemp -u XXXXXXXX)
		ip netns add "$name" || return 1
		on_exit ip netns del "$name"
		ip -n "$name" link set lo up
		# New namespaces start with the default TIME_WAIT (60 s); take
		# the caller's, so that a test's connections stop pinning xtcp.
		if [ -r /proc/sys/net/xtcp/tw_timeout_ms ]; then
			ip netns exec "$name" sysctl -qw \
				net.xtcp.tw_timeout_ms="$(cat /proc/sys/net/xtcp/tw_timeout_ms)"
		fi
		eval "$var=$name"
	done
}

# veth_pair NSA NSB: xv0 (198.51.100.1/24) in NSA cabled to xv1
# (198.51.100.2/24) in NSB, both up.
veth_pair() {
	ip link add xv0 netns "$1" type veth peer name xv1 netns "$2" &&
	ip -n "$1" addr add 198.51.100.1/24 dev xv0 &&
	ip -n "$2" addr add 198.51.100.2/24 dev xv1 &&
	ip -n "$1" link set xv0 up && ip -n "$2" link set xv1 up
}

# wire_pair NSA NSB: veth_pair, and 10.99.0.0/16 routed from NSB to a MAC
# nobody has, for peers that exist only on the wire: NSA plays them from a
# raw socket (tcp_pkt.Wire), and what NSB sends them reaches NSA's xv0 but
# no socket.
wire_pair() {
	veth_pair "$1" "$2" &&
	ip -n "$2" neigh add 198.51.100.99 lladdr 02:00:00:00:63:63 dev xv1 nud permanent &&
	ip -n "$2" route add 10.99.0.0/16 via 198.51.100.99 dev xv1 &&
	ip netns exec "$2" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.xv1.rp_filter=0
}

# nic_pair NSA NSB: the test VM's NICs, cabled to each other, in two
# namespaces: nic-e1000 (192.0.2.1/24) in NSA, nic-virtio (192.0.2.2/24) in
# NSB. They go back to the first namespace when those are deleted.
nic_pair() {
	[ -e /sys/class/net/nic-e1000 ] && [ -e /sys/class/net/nic-virtio ] &&
	ip link set nic-e1000 netns "$1" && ip link set nic-virtio netns "$2" &&
	ip -n "$1" addr add 192.0.2.1/24 dev nic-e1000 &&
	ip -n "$2" addr add 192.0.2.2/24 dev nic-virtio &&
	ip -n "$1" link set nic-e1000 up && ip -n "$2" link set nic-virtio up
}

xtcp_loaded() { [ -d /sys/module/xtcp ]; }

# stack_counter NS PROTO NAME: a counter of namespace NS by its netstat
# name, native TCP's (TcpExt, PROTO 0) or xtcp's (/proc/net/stat/xtcp).
stack_counter() {
	if [ "$2" = 0 ]; then
		ip netns exec "$1" awk -v k="$3" '/^TcpExt:/ {
			if (!h) { for (i = 1; i <= NF; i++) c[i] = $i; h = 1; next }
			for (i = 1; i <= NF; i++) if (c[i] == k) print $i }' /proc/net/netstat
	else
		ip netns exec "$1" awk -v k="$3" '$1 == k { print $2 }' /proc/net/stat/xtcp
	fi
}

# xtcp_debug_kernel: true on the debug kernel (KASAN, lockdep: about 3x
# slower under TCG), where tests scale their sizes down.
xtcp_debug_kernel() {
	zgrep -qE '^CONFIG_(KASAN|PROVE_LOCKING)=y' /proc/config.gz 2>/dev/null && return 0
	case $(uname -r) in *-*) return 1 ;; esac	# Debian's: 6.1.0-N-amd64
	return 0
}

# xtcp_load [PARAM=VALUE...]: insert xtcp.ko from XTCP_MODULE_DIR.
xtcp_load() { insmod "$XTCP_MODULE_DIR/xtcp.ko" "$@"; }

xtcp_unload() { ! xtcp_loaded || rmmod xtcp; }

xtcp_protocol() { cat /sys/module/xtcp/parameters/protocol; }

# xtcp_socket_errno PROTO [NETNS]: create a socket, print "ok" or the errno name.
xtcp_socket_errno() {
	local ns=${2:+ip netns exec $2}
	$ns python3 -c '
import errno, socket, sys
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1])).close()
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$1"
}

# proc_xtcp_count [NETNS]: sockets listed in /proc/net/xtcp (-1 if absent).
proc_xtcp_count() {
	local ns=${1:+ip netns exec $1}
	if $ns test -r /proc/net/xtcp; then
		$ns tail -n +2 /proc/net/xtcp | wc -l
	else
		echo -1
	fi
}

# hold_socket PROTO [NETNS]: open a socket in a background process that keeps
# it until killed; prints that process's pid once the socket exists.
hold_socket() {
	local ns=${2:+ip netns exec $2} ready pid
	ready=$(mktemp)
	$ns python3 -c '
import signal, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
open(sys.argv[2], "w").write("ready")
signal.pause()' "$1" "$ready" >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[ -s "$ready" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -s "$ready" ]; then
		rm -f "$ready"
		echo "$pid"
		return 0
	fi
	rm -f "$ready"
	kill "$pid" 2>/dev/null
	return 1
}

# release_socket PID: end a hold_socket() process and wait for it.
release_socket() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# wait_ready FILE PID: until the process PID wrote FILE, or died (10 s at
# most).
wait_ready() {
	for _ in $(seq 100); do
		[ -s "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# Transfers between tcp_xfer.py servers and a client process that stay up
# for many connections, so that a test with many cases starts no process
# per transfer (a Python start costs seconds under TCG).
xfer_dir=

xfer_mkdir() {
	[ -n "$xfer_dir" ] && return
	xfer_dir=$(mktemp -d)
	on_exit rm -rf "$xfer_dir"
}

# xfer_servers NS PORT [ARG...]: tcp_xfer.py servers in NS on every address,
# native TCP on PORT and xtcp on PORT+1, ARGs passed to both.
xfer_servers() {
	local ns=$1 port=$2 p proto
	shift 2
	xfer_mkdir
	for p in "$port" $((port + 1)); do
		proto=0
		[ "$p" = "$port" ] || proto=$(xtcp_protocol)
		ip netns exec "$ns" python3 "$XTCP_SELFTESTS/tcp_xfer.py" server \
			0.0.0.0 "$p" --proto "$proto" --count 0 --timeout 60 \
			--ready "$xfer_dir/$p.ready" "$@" >"$xfer_dir/$p.out" &
		wait_ready "$xfer_dir/$p.ready" $! || return 1
	done
}

# xfer_client NS: the client process, in NS, that xfer() feeds.
xfer_client() {
	xfer_mkdir
	mkfifo "$xfer_dir/cin" "$xfer_dir/cout" || return 1
	ip netns exec "$1" python3 "$XTCP_SELFTESTS/tcp_xfer.py" clients \
		--timeout 60 <"$xfer_dir/cin" >"$xfer_dir/cout" &
	exec {xfer_cin}>"$xfer_dir/cin" {xfer_cout}<"$xfer_dir/cout"
	on_exit "exec $xfer_cin>&- $xfer_cout<&-"
}

# xfer ADDR PORT CPROTO BYTES [SNDBUF]: the xfer_client() sends BYTES with a
# socket of protocol CPROTO to the xfer_servers() server at ADDR:PORT.
# Passes when both ends saw the same bytes.
# Only shell builtins run when all goes well: starting a program from the
# 9p root under TCG costs more than moving a MiB.
xfer() {
	local addr=$1 port=$2 cproto=$3 bytes=$4 out got= sent n i t0=$SECONDS
	local lines=()
	out=$xfer_dir/$port.out
	mapfile -t lines <"$out"
	n=$((${#lines[@]} + 1))
	echo "$cproto $addr $port $bytes $5" >&"$xfer_cin"
	read -r -t 100 got <&"$xfer_cout"
	for ((i = 0; i < 300; i++)); do
		mapfile -t lines <"$out"
		[ "${#lines[@]}" -ge "$n" ] && break
		sleep 0.1
	done
	sent=${lines[n - 1]}
	ktap_info "proto $cproto -> $addr:$port ($((SECONDS - t0)) s): client '$got' server '$sent'"
	[ -n "$got" ] && [ "$got" = "$sent" ] && [ "${got%% *}" = "$bytes" ]
}
