#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# map: the pool stays direct-mapped System RAM with its memmap, and is
# reserved from the page allocator: MemTotal falls by exactly its size.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	boot_pool map "$NODES" "pmem=node2:1G:map" 2 2:1G:map:1G
}

@test "map: one boot summary line for the pool" {
	run -0 grep -c '^pcarve: node2: 1024 MiB map pool, granule 1G, 1 extent$' <(console map)
	[ "$output" = 1 ]
}

@test "map: sysfs selftest ran to the end" {
	ktap_complete map pcarve_sysfs 7
}

@test "map: facts selftest ran to the end" {
	ktap_complete map pcarve_facts 5
}

@test "map: MemTotal falls by 1 GiB (and at most the page of the pool's record), memmap and iomem unchanged" {
	local base=$(res base memtotal_kb_2) pool=$(res map memtotal_kb_2)
	echo "# node2 MemTotal kB: no pool $base, map pool $pool (fell by $((base - pool)))" >&3
	# the pool's own record (304 bytes, memblock, on its node) shifts
	# the boot allocations after it and may take the node one page more
	# (memblock=debug shows it on arm64)
	[ $((base - pool)) = 1048576 ] || [ $((base - pool)) = 1048580 ]
	[ "$(res map memmap_pages)" = "$(res base memmap_pages)" ]
	[ "$(res map pcarve_iomem)" = 0 ]
}
