#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run_kselftest.sh OUTPUT TEST...: run xtcp's selftests the way the kernel's
# kselftest runner does: KTAP on stdout, each test's own output nested under
# "# ", exit code 4 counted as a skip, the timeout from ./settings enforced.
cd "$(dirname "$0")" || exit 1
output=$1
shift
timeout=$(sed -n 's/^timeout=//p' settings 2>/dev/null)
timeout=${timeout:-45}

echo "TAP version 13"
echo "1..$#"
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
	timeout --kill-after=10 "$timeout" "$prog" 2>&1 | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	case $rc in
	0) echo "ok $n selftests: xtcp: $t" ;;
	4) echo "ok $n selftests: xtcp: $t # SKIP" ;;
	124) echo "not ok $n selftests: xtcp: $t # TIMEOUT $timeout seconds"; failed=1 ;;
	*) echo "not ok $n selftests: xtcp: $t # exit=$rc"; failed=1 ;;
	esac
done
exit $failed
