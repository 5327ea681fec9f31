#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# What a failure after the carve leaves behind, forced with the kernel's
# fault injection (fail_pcarve_iomem=, fail_pcarve_unmap=: interval,
# probability, space, times).  The pool is quarantined, never in use, and
# says why in sysfs and in the boot log; its memory stays out of the page
# allocator; sysfs direct_map still tells the truth, which the probes check.
#  - iomem: node1's extent could not leave System RAM.  The direct map is
#    still removed.
#  - unmap: the direct map could not be removed.  The extent is "pcarve" in
#    /proc/iomem and the removal is rolled back: direct_map reads mapped.
# A map pool on node2 is carved as usual in both boots.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	local s=$BATS_FILE_TMPDIR/q.sh

	boot base "$NODES" "" "$(facts_script)"
	cat "$(facts_script)" "$(selftests_script pcarve_sysfs pcarve_facts)" > "$s"
	boot iomem "$NODES" "fail_pcarve_iomem=1,100,0,1 pmem=node1:1G,node2:1G:map" "$s" \
		"PCARVE_EXPECT='1:1G:nomap:1G:quarantined 2:1G:map:1G' PCARVE_NODE=2
		 PCARVE_BASE_MEMTOTAL_KB=$(res base memtotal_kb_2)
		 PCARVE_BASE_MEMMAP_PAGES=$(res base memmap_pages)"
	boot unmap "$NODES" "fail_pcarve_unmap=1,100,0,1 pmem=node1:1G,node2:1G:map" "$s" \
		"PCARVE_EXPECT='1:1G:nomap:1G:quarantined 2:1G:map:1G' PCARVE_NODE=2
		 PCARVE_BASE_MEMTOTAL_KB=$(res base memtotal_kb_2)
		 PCARVE_BASE_MEMMAP_PAGES=$(res base memmap_pages)"
}

@test "iomem failure: the boot says the pool is quarantined and why" {
	run -0 grep '^pcarve: node1: ' <(console iomem)
	echo "$output" | sed 's/^/# /' >&3
	# %pe prints the errno by name only with CONFIG_SYMBOLIC_ERRNAME
	[[ "${lines[1]}" =~ ^"pcarve: node1: could not take [mem 0x"[0-9a-f]+-0x[0-9a-f]+"] out of System RAM ("(-EFAULT|-14)")"$ ]]
	[ "${lines[2]}" = "pcarve: node1: pool quarantined: its memory could not leave System RAM in /proc/iomem; its memory stays reserved and is never handed out" ]
}

@test "iomem failure: sysfs shows it quarantined with the reason; node2 is active" {
	ktap_complete iomem pcarve_sysfs 7
	grep -qF '# node1: quarantined: its memory could not leave System RAM in /proc/iomem' \
		"$PCARVE_RESULTS/ktap/iomem-pcarve_sysfs.ktap"
	grep -qF '# node2: active' "$PCARVE_RESULTS/ktap/iomem-pcarve_sysfs.ktap"
}

@test "iomem failure: node1 still has no memmap and stays out of the page allocator and the direct map" {
	[ "$(res iomem memtotal_kb_1)" = "$(( $(res base memtotal_kb_1) - 1048576 + 16384 ))" ]
	[ "$(res iomem direct_map_1)" = unmapped ]
	# nothing left System RAM (node2 is a map pool)
	[ "$(res iomem pcarve_iomem)" = 0 ]
	ktap_complete iomem pcarve_facts 5
}

@test "unmap failure: quarantined, rolled back to mapped, still not System RAM" {
	run -0 grep '^pcarve: node1: ' <(console unmap)
	echo "$output" | sed 's/^/# /' >&3
	[[ "${lines[1]}" =~ ^"pcarve: node1: could not remove the pool from the direct map ("(-EFAULT|-14)")"$ ]]
	[ "${lines[2]}" = "pcarve: node1: pool quarantined: its memory could not leave the direct map; its memory stays reserved and is never handed out" ]
	[ "$(res unmap direct_map_1)" = mapped ]
	[ "$(res unmap pcarve_iomem)" = 1 ]
	ktap_complete unmap pcarve_sysfs 7
	grep -qF '# node1: quarantined: its memory could not leave the direct map' \
		"$PCARVE_RESULTS/ktap/unmap-pcarve_sysfs.ktap"
	ktap_complete unmap pcarve_facts 5
}
