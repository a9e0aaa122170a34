#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An HTTP/1.1 server on an xtcp listening socket (xtcp_server.py http:
# http.server with its socket made with xtcp's protocol) in one network
# namespace; curl, wget and python's urllib in another fetch files (small,
# 1 MiB, 8 MiB random) and generated bodies, whose SHA-256 must match. curl
# fetching two URLs in one invocation must reuse the connection
# (keep-alive: one accepted connection serves several requests, and the
# server sees the client's FIN in ESTABLISHED -> CLOSE_WAIT -> LAST_ACK).
#
# XTCP_SERVER_PROTO overrides the server's protocol (0: native TCP; only to
# develop the test before xtcp has a passive open). XTCP_HTTP_BIG_BYTES sets
# the big file's size (8 MiB; 2 MiB on the debug kernel).
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3 curl wget sha256sum
xtcp_loaded || skip_all "xtcp is not loaded"
sproto=${XTCP_SERVER_PROTO:-$(xtcp_protocol)}
srv=$XTCP_SELFTESTS/xtcp_server.py

debug_kernel() {
	zgrep -qE '^CONFIG_(KASAN|PROVE_LOCKING)=y' /proc/config.gz 2>/dev/null && return 0
	case $(uname -r) in *-*) return 1 ;; esac	# Debian's: 6.1.0-N-amd64
	return 0
}
if debug_kernel; then big=${XTCP_HTTP_BIG_BYTES:-2097152}
else big=${XTCP_HTTP_BIG_BYTES:-8388608}; fi

ktap_header
ktap_info "server protocol $sproto"
setup_ns A B
dir=$(mktemp -d)
on_exit rm -rf "$dir"
mkdir "$dir/www" "$dir/got"
echo "hello from xtcp" >"$dir/www/small.txt"
head -c 1048576 /dev/urandom >"$dir/www/one.bin"
head -c "$big" /dev/urandom >"$dir/www/big.bin"

ip link add xv0 netns "$A" type veth peer name xv1 netns "$B" &&
ip -n "$A" addr add 198.51.100.1/24 dev xv0 &&
ip -n "$B" addr add 198.51.100.2/24 dev xv1 &&
ip -n "$A" link set xv0 up && ip -n "$B" link set xv1 up ||
	skip_all "cannot set up a veth pair"
url=http://198.51.100.2:8080

start_server() {
	local ready=$dir/ready
	ip netns exec "$B" python3 "$srv" http 198.51.100.2 8080 \
		--proto "$sproto" --dir "$dir/www" --ready "$ready" &
	server=$!
	on_exit kill "$server"
	wait_ready "$ready" "$server"
}
check "HTTP server listening (protocol $sproto)" start_server

# same_sha FILE EXPECTED_FILE: both have the same SHA-256.
same_sha() {
	local a b
	a=$(sha256sum <"$1" | cut -d' ' -f1)
	b=$(sha256sum <"$2" | cut -d' ' -f1)
	[ "$a" = "$b" ] || ktap_info "$1: $a, expected $b"
	[ "$a" = "$b" ]
}

client() {	# client TOOL NAME: fetch NAME with TOOL, compare
	local out=$dir/got/$1-$2
	case $1 in
	curl) ip netns exec "$A" curl -sSf --max-time 60 -o "$out" "$url/$2" ;;
	wget) ip netns exec "$A" wget -q -T 60 -t 1 -O "$out" "$url/$2" ;;
	urllib) ip netns exec "$A" python3 -c '
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as r, open(sys.argv[2], "wb") as f:
    shutil.copyfileobj(r, f)' "$url/$2" "$out" ;;
	esac || return 1
	same_sha "$out" "$dir/www/$2"
}

for tool in curl wget urllib; do
	for f in small.txt one.bin big.bin; do
		check "$tool GET /$f" client $tool $f
	done
done

# Generated bodies: /gen/<bytes>/<seed>, compared with the generator's own.
gen() {
	local out=$dir/got/gen-$1-$2
	ip netns exec "$A" curl -sSf --max-time 60 -o "$out" "$url/gen/$1/$2" &&
	python3 "$srv" body "$1" "$2" >"$out.expected" &&
	same_sha "$out" "$out.expected"
}
check "curl GET /gen/3000000/7 (generated body)" gen 3000000 7

# Keep-alive: two URLs in one curl run share one connection (curl counts
# the connections it opened for each transfer: 1, then 0).
keepalive() {
	local n
	n=$(ip netns exec "$A" curl -sSf --max-time 60 -w '%{num_connects} ' \
		-o "$dir/got/ka-1" "$url/one.bin" -o "$dir/got/ka-2" "$url/small.txt") &&
	ktap_info "connections opened per transfer: $n" &&
	[ "$n" = "1 0 " ] &&
	same_sha "$dir/got/ka-1" "$dir/www/one.bin" &&
	same_sha "$dir/got/ka-2" "$dir/www/small.txt"
}
check "curl keep-alive: two files over one connection" keepalive

# A missing file is a 404 over the same server, which keeps serving.
check_fails "curl GET /missing fails (404)" \
	ip netns exec "$A" curl -sf --max-time 30 -o /dev/null "$url/missing"
check "server still serving after the 404" client curl small.txt

ktap_finished
