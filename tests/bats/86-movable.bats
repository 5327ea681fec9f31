#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# movablecore= makes the top of each node ZONE_MOVABLE, which is decided
# after the pools are carved.  A pool with struct pages there (map, hvo)
# would put pinned, unmovable folios in a movable zone: it is quarantined
# with the reason, its memory stays reserved, and nothing warns.  A nomap
# pool has no pages in any zone and stays active.
bats_require_minimum_version 1.5.0
load lib

setup_file() {
	local s=$BATS_FILE_TMPDIR/movable.sh

	cat "$(facts_script)" > "$s"
	cat >> "$s" <<'EOS'
for n in 1 2; do echo "reason_$n=$(cat /sys/kernel/mm/pcarve/node$n/reason)"; done
echo "free_1=$(cat /sys/kernel/mm/pcarve/node1/free)"
echo "movable_1=$(awk '/^Node 1, zone  Movable/ { m = 1 } m && /spanned/ { print $2; exit }' /proc/zoneinfo)"
echo "dmesg_warn=$(dmesg | grep -c -e WARNING -e BUG: -e 'Bad page')"
EOS
	boot movable 2G,3G,3G "movablecore=4G pmem=node1:1G:map,node2:1G" "$s"
}

@test "movablecore=: a map pool in ZONE_MOVABLE is quarantined, saying why" {
	echo "# node1 ZONE_MOVABLE spans $(res movable movable_1) pages; pool: $(res movable state_1): $(res movable reason_1)" >&3
	[ "$(res movable movable_1)" -gt 0 ]
	[ "$(res movable state_1)" = quarantined ]
	[ "$(res movable reason_1)" = "it lies in ZONE_MOVABLE (kernelcore=, movablecore=, movable_node), where its pinned folios would block offlining" ]
	[ "$(res movable free_1)" = 0 ]
	console movable | grep -q '^pcarve: node1: pool quarantined: it lies in ZONE_MOVABLE'
}

@test "movablecore=: a nomap pool stays active, and nothing warns" {
	[ "$(res movable state_2)" = active ]
	[ "$(res movable direct_map_2)" = unmapped ]
	[ "$(res movable dmesg_warn)" = 0 ]
}
