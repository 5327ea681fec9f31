# SPDX-License-Identifier: GPL-2.0
#
# pcarve: build a Linux 7.3 kernel with the pcarve overlay, boot it in QEMU
# and test it.  See README.md.
#
#   make            fetch the base, lay the overlay, build kernel + initramfs
#   make run        boot a 4-node guest with a default pmem= and show pools
#   make check      every test on x86_64 and arm64; ends with
#                   "N passed, N failed"
#   make patches    the overlay as a git format-patch series (out/patches)
#
# KSRC=/path/to/linux-7.3 builds on an existing tree instead of Debian's
# linux-source-7.3.  ARCH=x86_64 or ARCH=arm64 selects the architecture of
# make, make run and make lint; given on the command line, it also limits
# make check to that architecture.

ARCH		?= x86_64
OUT		:= $(CURDIR)/out
PCARVE_CACHE	?= $(HOME)/.cache/pcarve
TREE		:= $(OUT)/linux
BUILD		:= $(OUT)/build-$(ARCH)
INITRAMFS	:= $(OUT)/initramfs-$(ARCH).cpio
RUN_NODES	?= 4G,2G,2G,2G
RUN_PMEM	?= pmem=node0:1G,node1:1G,node2:1G:map
CHECK_ARCHES	?= $(if $(filter command line,$(origin ARCH)),$(ARCH),x86_64 arm64)

export PCARVE_CACHE ARCH

.PHONY: all deps source tree kernel initramfs run check bench lint clean distclean \
	patches patches-check debug-kernel

all: kernel initramfs

deps:
	@scripts/deps.sh

# pcarve against hugetlb, memmap=! and no carve-out, up to a 1 TiB guest
# (x86_64, not part of check): out/bench/ (BENCH_SIZES= in GiB)
bench: tree
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory ARCH=x86_64 kernel initramfs
	@scripts/bench.sh $(if $(BENCH_SIZES),-s "$(BENCH_SIZES)") -o $(OUT)/bench

# the series for the list (series/ says what goes in each patch):
# out/patches/, git format-patch against the pristine 7.3 tree
patches: tree
	@mkdir -p $(OUT)/patches
	@scripts/series-figures.sh $(OUT)/check > $(OUT)/patches/figures.txt
	@scripts/series.py "$$(cat $(OUT)/.base)" $(OUT)/patches > $(OUT)/patches/steps
	@echo "pcarve: $$(ls $(OUT)/patches/*.patch | wc -l) files (cover letter and patches) in $(OUT)/patches"

# build every step of the series for x86_64, and the last one for arm64
patches-check: patches
	@scripts/series-check.sh $(OUT)/patches/steps $(OUT)/series

# the base tree: KSRC= or Debian's linux-source-7.3, cached outside the clone
$(OUT)/.base: deps
	@mkdir -p $(OUT)
	@if [ -n "$(KSRC)" ]; then realpath "$(KSRC)"; \
	 else scripts/fetch-source.sh; fi > $@.tmp && mv $@.tmp $@

tree: $(OUT)/.base
	@scripts/prepare-tree.sh "$$(cat $(OUT)/.base)" $(TREE)

kernel: tree
	@scripts/build-kernel.sh $(ARCH) $(TREE) $(BUILD)

initramfs: kernel
	@scripts/build-initramfs.sh $(ARCH) $(TREE) $(BUILD) $(INITRAMFS)
	@[ $(ARCH) != arm64 ] || scripts/fetch-firmware.sh >/dev/null

run: all
	@echo "pcarve: booting a 4-node $(ARCH) guest with $(RUN_PMEM)"
	@tests/harness/boot.sh -a $(ARCH) -n $(RUN_NODES) -c "$(RUN_PMEM)" \
		-o $(OUT)/run
	@sed -e '/^@@PCARVE-BEGIN@@$$/,$$d' -e 's/^\[[ 0-9.]*\] //' \
		$(OUT)/run/console.log | grep '^pcarve: ' || true
	@cat $(OUT)/run/result
	@echo "pcarve: guest booted and powered off in $$(cat $(OUT)/run/seconds)s"

# the first architecture is built here; tests/check.sh builds the others
# and the debug kernel behind the first one's suite
check:
	@$(MAKE) --no-print-directory ARCH=$(firstword $(CHECK_ARCHES)) all
	@tests/check.sh $(CHECK_ARCHES)

# the x86_64 kernel with KASAN, lockdep, DEBUG_VM, DEBUG_LIST, kmemleak
debug-kernel: tree
	@PCARVE_DEBUG=1 scripts/build-kernel.sh x86_64 $(TREE) $(OUT)/build-x86_64-debug

# reads the build's command lines (W=1): needs the kernel built
lint: kernel
	@scripts/lint.sh $(TREE) $(ARCH)=$(BUILD)

clean:
	rm -rf $(OUT)/build-* $(OUT)/initramfs-* $(OUT)/run $(OUT)/check

distclean:
	rm -rf $(OUT)
