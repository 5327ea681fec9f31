#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# map: the pool stays direct-mapped System RAM with its memmap, and is
# reserved from the page allocator: MemTotal falls by exactly its size.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	local s=$BATS_FILE_TMPDIR/map.sh

	boot base "$NODES" "" "$(facts_script)"
	cat "$(facts_script)" "$(selftests_script pcarve_sysfs pcarve_facts)" > "$s"
	boot map "$NODES" "pmem=node2:1G:map" "$s" \
		"PCARVE_EXPECT=2:1G:map:1G PCARVE_NODE=2 PCARVE_SLACK_KB=0
		 PCARVE_BASE_MEMTOTAL_KB=$(res base memtotal_kb_2)
		 PCARVE_BASE_MEMMAP_PAGES=$(res base memmap_pages)"
}

@test "map: one boot summary line for the pool" {
	run -0 grep -c '^pcarve: node2: 1024 MiB map pool, granule 1G, 1 extent$' <(console map)
	[ "$output" = 1 ]
}

@test "map: sysfs selftest ran to the end" {
	run -0 save_ktap map pcarve_sysfs
	[ "$(grep -cE '^(not )?ok ' <<<"$output")" = 7 ]
}

@test "map: facts selftest ran to the end" {
	run -0 save_ktap map pcarve_facts
	echo "$output" | grep '^# ' | sed 's/^/# /' >&3
	[ "$(grep -cE '^(not )?ok ' <<<"$output")" = 4 ]
}

@test "map: MemTotal falls by exactly 1 GiB, memmap and iomem unchanged" {
	local base=$(res base memtotal_kb_2) pool=$(res map memtotal_kb_2)
	echo "# node2 MemTotal kB: no pool $base, map pool $pool (fell by $((base - pool)))" >&3
	[ $((base - pool)) = 1048576 ]
	[ "$(res map memmap_pages)" = "$(res base memmap_pages)" ]
	[ "$(res map pcarve_iomem)" = 0 ]
}
