# SPDX-License-Identifier: GPL-2.0
#
# xtcp top-level Makefile.
#   make          build module/xtcp.ko for the kernel the test VM runs
#   make demo     the main job: build, boot the VM, show xtcp at work
#   make check    build everything and run every test (last line: N passed, N failed)
#   make bench    xtcp against native TCP in the VM: table, build/bench/bench.{json,png}
#   make style    checkpatch over module/ and include/
#   make sparse   sparse (C=2) over the module
#   make kernel   build (or reuse) the debug test kernel
#   make setup    install what all of this needs (Debian packages)
# KDIR selects another kernel build tree (default: Debian's linux-headers for
# the installed linux-image-amd64).

KDIR ?= $(shell bash -c '. scripts/lib.sh && xtcp_stock_kdir' 2>/dev/null)

all: modules

modules:
	@test -f "$(KDIR)/Makefile" || \
		{ echo "No kernel build tree at '$(KDIR)': run 'make setup' or set KDIR."; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

setup:
	scripts/setup

kernel: setup
	scripts/build-kernel

demo: setup
	scripts/demo/run

check: setup
	scripts/check

# Not part of check: it measures, it does not pass or fail.
bench: setup
	scripts/bench/run

style:
	scripts/style

sparse: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 CF="-D__CHECK_ENDIAN__" modules

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf build

.PHONY: all modules setup kernel demo check bench style sparse clean
