#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# nomap: the pool has no memmap, is not System RAM and is not mapped, proven
# against a boot without the pool and against a boot where the same memory
# is not RAM at all: memmap=1G! of the same range on x86_64; on arm64, which
# has no memmap=, node1 made 1G smaller in QEMU.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	boot_pool nomap "$NODES" "pmem=node1:1G" 1 1:1G:nomap:1G
	# the same memory taken away before the kernel sees it: what nomap
	# must cost
	local start=$(res nomap extents_1 | cut -d- -f1)
	case "$ARCH" in
	x86_64) boot ref "$NODES" "memmap=1G!$start" "$(facts_script)" ;;
	arm64)	boot ref 2G,1G,2G "" "$(facts_script)" ;;
	esac
}

@test "nomap: one boot summary line for the pool" {
	run -0 grep -c '^pcarve: node1: 1024 MiB nomap pool, granule 1G, 1 extent$' <(console nomap)
	[ "$output" = 1 ]
}

@test "nomap: sysfs selftest ran to the end" {
	ktap_complete nomap pcarve_sysfs 7
}

@test "nomap: facts selftest ran to the end" {
	ktap_complete nomap pcarve_facts 5
}

@test "nomap: node MemTotal and memmap equal a boot where that 1G is not RAM" {
	local pool ref base
	pool=$(res nomap memtotal_kb_1) ref=$(res ref memtotal_kb_1)
	base=$(res base memtotal_kb_1)
	echo "# node1 MemTotal kB: no pool $base, nomap pool $pool, 1G not RAM $ref; memmap pages: $(res base memmap_pages) / $(res nomap memmap_pages) / $(res ref memmap_pages)" >&3
	[ "$(res nomap memmap_pages)" = "$(res ref memmap_pages)" ]
	[ "$pool" = "$ref" ]
}

@test "nomap: nodes without a pool keep their memory" {
	[ "$(res nomap memtotal_kb_2)" = "$(res base memtotal_kb_2)" ]
}

@test "nomap: kernel page tables the pool still costs, against the same reference" {
	# x86_64 maps the pool with 1G pages and only clears their present
	# bit: nothing is left behind.  arm64 maps its linear map with 4K
	# pages under rodata=full (no BBML3 under TCG) and set_memory_valid()
	# only clears the PTEs: the tables stay, exactly 2 MiB of PTE tables
	# per GiB, and the GiB's 4 KiB PMD table, which the reference boot
	# may need as well, depending on where its own boot allocations went.
	local pool=$(res nomap memtotal_kb) ref=$(res ref memtotal_kb) cost
	cost=$((ref - pool))
	echo "# MemTotal kB: nomap pool $pool, 1G not RAM $ref: the pool's direct-map page tables cost $cost kB" >&3
	case "$ARCH" in
	x86_64)	[ "$cost" = 0 ] ;;
	arm64)	[ "$cost" = 2048 ] || [ "$cost" = $((2048 + 4)) ] ;;
	*)	false ;;
	esac
}
