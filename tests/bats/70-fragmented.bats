#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Fragmented nodes: pools of several extents, each proven like a pool of
# one, and the extent limit.
#  - node1 has 8 holes of 64 KiB, one every 128 MiB of its lower GiB, so a
#    1324 MiB nomap pool in 2M granules needs several extents: each extent
#    is its own "pcarve" line in /proc/iomem, MemTotal and the memmap fall
#    by exactly what the whole sections of each extent save, against a boot
#    with the same holes and no pool, and the pages beside each extent stay
#    System RAM and mapped;
#  - node2 has 4 holes, one every 128 MiB of its lower 512 MiB: its
#    1700 MiB map pool in 2M granules is larger than the free memory above
#    them, takes several extents and costs exactly 1700 MiB;
#  - node3 (320 MiB) has a hole every 4 MiB: 140 MiB in 2M granules needs
#    70 extents, more than the 64 a pool may have, so it is refused.
# Holes are memmap=64K$addr on x86_64 (not RAM) and /reserved-memory
# entries in the device tree on arm64 (reserved RAM).
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G,320M
PMEM="pmem=node1:1324M:2M,node2:1700M:2M:map"

setup_file() {
	boot layout "$NODES" "" "$(facts_script)"
	local holes=$( { hole_addrs layout 1 8 128M; hole_addrs layout 2 4 128M; } |
		holes_spec)
	local limit=$(hole_addrs layout 3 80 4M | holes_spec)

	HOLES=$holes boot_pool frag "$NODES" "$PMEM" 1 \
		"1:1324M:nomap:2M 2:1700M:map:2M" "PCARVE_NEIGHBOURS_RAM=1"
	local s=$BATS_FILE_TMPDIR/limit.sh
	cat "$(facts_script)" "$(selftests_script pcarve_sysfs)" > "$s"
	HOLES=$limit boot layout_limit "$NODES" "" "$(facts_script)"
	HOLES=$limit boot limit "$NODES" "pmem=node3:140M:2M,node2:1G" "$s" \
		"PCARVE_EXPECT=2:1G:nomap:1G"
}

@test "fragmented: both pools have several extents, and say how many" {
	run -0 grep '^pcarve: node[12]: ' <(console frag)
	echo "$output" | sed 's/^/# /' >&3
	[[ "${lines[0]}" =~ ^"pcarve: node1: 1324 MiB nomap pool, granule 2M, "([0-9]+)" extents"$ ]]
	[ "${BASH_REMATCH[1]}" -gt 1 ]
	[ "${BASH_REMATCH[1]}" = "$(res frag nr_extents_1)" ]
	[[ "${lines[1]}" =~ ^"pcarve: node2: 1700 MiB map pool, granule 2M, "([0-9]+)" extents"$ ]]
	[ "${BASH_REMATCH[1]}" -gt 1 ]
}

@test "fragmented: every nomap extent is its own pcarve line in /proc/iomem" {
	[ "$(res frag pcarve_iomem)" = "$(res frag nr_extents_1)" ]
}

@test "fragmented: sysfs selftest ran to the end" {
	ktap_complete frag pcarve_sysfs 7
}

@test "fragmented: facts selftest (per-extent memmap, iomem, probes, neighbours) ran to the end" {
	ktap_complete frag pcarve_facts 5
}

@test "fragmented: the map pool costs node2 exactly 1700 MiB" {
	[ $(( $(res base memtotal_kb_2) - $(res frag memtotal_kb_2) )) = $((1700 * 1024)) ]
}

@test "extent limit: a pool needing more than 64 extents is refused, the others are not" {
	run -0 grep '^pcarve: node[23]: ' <(console limit)
	echo "$output" | sed 's/^/# /' >&3
	[ "${lines[0]}" = "pcarve: node3: free memory too fragmented: 140 MiB in 2M granules needs more than 64 extents; no pool" ]
	[ "${lines[1]}" = "pcarve: node2: 1024 MiB nomap pool, granule 1G, 1 extent" ]
	ktap_complete limit pcarve_sysfs 7
}

@test "extent limit: the refused pool gave back everything it had taken" {
	# node3's memory with the same holes and no pool at all; node3 is
	# the top node, where the copies of the command line (longer with
	# pmem=) are allocated: they may end one page apart (memblock=debug)
	local d=$(( $(res layout_limit memtotal_kb_3) - $(res limit memtotal_kb_3) ))
	echo "# node3 MemTotal: $(res layout_limit memtotal_kb_3) kB without pmem=, $(res limit memtotal_kb_3) kB with the refused pool" >&3
	[ "$d" -ge -4 ] && [ "$d" -le 4 ]
}
