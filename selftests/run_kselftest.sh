#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run_kselftest.sh OUTPUT TEST...: run xtcp's selftests the way the kernel's
# kselftest runner does: KTAP on stdout, each test's own output nested under
# "# ", exit code 4 counted as a skip, the timeout from ./settings enforced.
#
# A test runs in its own process group (timeout(1) makes one) and writes to
# a file that is streamed while it runs: a process it left behind, even one
# stuck in the kernel, cannot keep the runner waiting for the end of a pipe.
# At a timeout the runner lists what is still running, with kernel stacks,
# and asks the kernel for its blocked tasks (sysrq w), before killing the
# group.
cd "$(dirname "$0")" || exit 1
output=$1
shift
timeout=$(sed -n 's/^timeout=//p' settings 2>/dev/null)
timeout=${timeout:-45}

echo "TAP version 13"
echo "1..$#"
# stuck_report PGID: what a timed-out test left, for the log.
stuck_report() {
	local p

	echo "# TIMEOUT: processes left in the test's group:"
	for p in $(pgrep -g "$1"); do
		case $(ps -o stat= -p "$p") in Z*|"") continue ;; esac
		echo "# $(ps -o pid=,stat=,wchan:32=,args= -p "$p")"
		sed 's/^/#   /' "/proc/$p/stack" 2>/dev/null
	done
	[ -w /proc/sysrq-trigger ] && echo w >/proc/sysrq-trigger
}

n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	if [ -x "./$t" ]; then prog=./$t; else prog=$output/$t; fi
	echo "# selftests: xtcp: $t"
	if [ ! -x "$prog" ]; then
		echo "not ok $n selftests: xtcp: $t # missing $prog"
		failed=1
		continue
	fi
	log=$(mktemp)
	timeout --kill-after=10 "$timeout" "$prog" >"$log" 2>&1 &
	pid=$!
	tail -n +1 -s 0.2 -f "$log" | sed -u 's/^/# /' &
	wait $pid 2>/dev/null
	rc=$?
	sleep 0.5	# tail's last lines
	pkill -P $$ -x tail
	wait 2>/dev/null
	# 137: the test ignored SIGTERM and was killed.
	[ "$rc" != 137 ] || rc=124
	rm -f "$log"
	[ "$rc" != 124 ] || stuck_report $pid
	# Whatever the test left running goes with it.
	kill -KILL -- -$pid 2>/dev/null
	case $rc in
	0) echo "ok $n selftests: xtcp: $t" ;;
	4) echo "ok $n selftests: xtcp: $t # SKIP" ;;
	124) echo "not ok $n selftests: xtcp: $t # TIMEOUT $timeout seconds"; failed=1 ;;
	*) echo "not ok $n selftests: xtcp: $t # exit=$rc"; failed=1 ;;
	esac
done
exit $failed
