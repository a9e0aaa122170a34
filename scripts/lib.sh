# SPDX-License-Identifier: GPL-2.0
# Shared helpers for xtcp's scripts. Source it; it defines no commands of its own.

XTCP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XTCP_BUILD=${XTCP_BUILD:-$XTCP_TOP/build}
# Outside the clone so that a fresh clone reuses a debug kernel built before.
XTCP_CACHE=${XTCP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/xtcp}
XTCP_SRC_TAR=/usr/src/linux-source-6.1.tar.xz

xtcp_die() { echo "${0##*/}: $*" >&2; exit 1; }
xtcp_log() { echo "${0##*/}: $*" >&2; }

# The kernel release Debian's linux-image-amd64 installed; never hard-coded
# because Debian bumps the ABI number with point releases.
xtcp_stock_release() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
	      grep -o 'linux-image-[0-9][^ ,]*' | head -n1)
	[ -n "$dep" ] || xtcp_die "linux-image-amd64 is not installed (run scripts/setup)"
	echo "${dep#linux-image-}"
}

xtcp_stock_kdir() { echo "/lib/modules/$(xtcp_stock_release)/build"; }
xtcp_stock_image() { echo "/boot/vmlinuz-$(xtcp_stock_release)"; }

xtcp_src_version() { dpkg-query -W -f='${Version}' linux-source-6.1; }

# Bump when scripts/build-kernel changes how the kernel is configured or built.
XTCP_KERNEL_RECIPE=1

# Where the debug kernel for the current fragment lives (built or not).
xtcp_debug_dir() {
	local key
	key=$( { cat "$XTCP_TOP/scripts/kernel/debug.config";
		 echo "recipe $XTCP_KERNEL_RECIPE"; xtcp_src_version; } |
	      sha256sum | cut -c1-16)
	echo "$XTCP_CACHE/kernel-$key"
}

# The linux-source-6.1 tree, unpacked once into the cache (the debug kernel,
# kselftest_harness.h and kunit.py all come from it).
xtcp_source_tree() {
	local src
	src=$XTCP_CACHE/linux-source-$(xtcp_src_version)
	if [ ! -f "$src/.extracted" ]; then
		[ -f "$XTCP_SRC_TAR" ] || xtcp_die "$XTCP_SRC_TAR missing (run scripts/setup)"
		mkdir -p "$XTCP_CACHE"
		(
			flock 8
			if [ ! -f "$src/.extracted" ]; then
				xtcp_log "extracting $XTCP_SRC_TAR"
				rm -rf "$src" "$src.tmp"
				mkdir -p "$src.tmp"
				tar -xJf "$XTCP_SRC_TAR" -C "$src.tmp" --strip-components=1
				touch "$src.tmp/.extracted"
				mv "$src.tmp" "$src"
			fi
		) 8>"$src.lock"
	fi
	echo "$src"
}
