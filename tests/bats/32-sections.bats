#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A 2M-granule nomap pool is placed on whole memory sections where the node
# allows: 512 MiB on a 3 GiB node covers 4 sections whole and saves their
# memmap, 4 x 2 MiB, not the 3 of a placement that ignores sections.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,3G,2G

setup_file() {
	boot_pool sec "$NODES" "pmem=node1:512M:2M" 1 "1:512M:nomap:2M"
}

@test "sections: sysfs and facts selftests ran to the end" {
	ktap_complete sec pcarve_sysfs 7
	ktap_complete sec pcarve_facts 5
}

@test "sections: every extent starts and ends on a 128 MiB section boundary" {
	local e s t
	e=$(res sec extents_1)
	s=$((${e%-*})) t=$((${e#*-} + 1))
	echo "# node1 pool: $e" >&3
	[ $((s % (128 << 20))) = 0 ]
	[ $((t % (128 << 20))) = 0 ]
	[ "$(res sec nr_extents_1)" = 1 ]
}

@test "sections: the memmap of exactly 4 sections is saved" {
	local saved=$(( $(res base memmap_pages) - $(res sec memmap_pages) ))
	echo "# nr_memmap_boot_pages: $(res base memmap_pages) -> $(res sec memmap_pages), saved $saved (4 sections: 2048)" >&3
	[ "$saved" = 2048 ]
}
