#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The scaled-down bench (make bench has the full one): a 64 GiB guest,
# 58 GiB on node1, booted with nothing carved, with a 1 GiB nomap pool and
# with a 56 GiB one.  The 56 GiB pool is never touched (QEMU's peak
# resident memory on the host stays far below it, and below the boot with
# nothing carved, by most of the memmap it saves), pcarve's own boot work
# stays flat from 1 GiB to 56 GiB, and the guest reaches init no slower
# than with nothing carved.
bats_require_minimum_version 1.5.0
load lib

NODES=6G,58G

scale_script() {
	local f=$BATS_FILE_TMPDIR/scale.sh
	cat "$(facts_script)" > "$f"
	cat >> "$f" <<'EOS'
echo "init_s=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process/\1/p')"
echo "boot_work_us=$(dmesg | sed -n 's/.*pcarve: boot work: \([0-9]*\) us.*/\1/p')"
EOS
	echo "$f"
}

setup_file() {
	boot none "$NODES" "" "$(scale_script)"
	boot small "$NODES" "pmem=node1:1G" "$(scale_script)"
	boot big "$NODES" "pmem=node1:56G" "$(scale_script)"
}

rss() { cat "$BATS_FILE_TMPDIR/$1/rss_kb"; }

@test "scale: a 56 GiB nomap pool in a 64 GiB guest" {
	console big | grep -q '^pcarve: node1: 57344 MiB nomap pool, granule 1G, '
	[ "$(res big nr_pools)" = 1 ]
}

@test "scale: QEMU's resident memory: the pool is never touched, and its memmap is saved" {
	local none=$(rss none) big=$(rss big) saved
	echo "# QEMU peak RSS: nothing carved $((none >> 10)) MiB, 1 GiB pool $(( $(rss small) >> 10 )) MiB, 56 GiB pool $((big >> 10)) MiB" >&3
	echo "# memmap pages: nothing carved $(res none memmap_pages), 56 GiB pool $(res big memmap_pages)" >&3
	# far below the 56 GiB pool: it was never written
	[ "$big" -lt $((1 << 20)) ]
	# 56 GiB of memmap is 896 MiB; most of it is not even allocated
	saved=$((none - big))
	[ "$saved" -gt $((600 << 10)) ]
}

@test "scale: pcarve's boot work stays flat from 1 GiB to 56 GiB, and init comes no later" {
	local s=$(res small boot_work_us) b=$(res big boot_work_us)
	echo "# pcarve boot work: 1 GiB pool ${s} us, 56 GiB pool ${b} us" >&3
	echo "# to Run /init: nothing carved $(res none init_s) s, 56 GiB nomap $(res big init_s) s" >&3
	[ -n "$s" ] && [ -n "$b" ]
	# O(extents): not 56 times the 1 GiB pool's (TCG noise: 4x and 5 ms)
	[ "$b" -le $((4 * s + 5000)) ]
	awk -v a="$(res big init_s)" -v b="$(res none init_s)" 'BEGIN { exit !(a <= b) }'
}
