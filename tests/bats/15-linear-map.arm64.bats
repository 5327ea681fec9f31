#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# arm64 only: what differs from x86_64.
#  - The linear map can only lose a nomap pool where can_set_direct_map()
#    holds (rodata=full, the default).  With rodata=noalias it cannot: the
#    boot must say so and sysfs must show the pool still mapped, which the
#    probes then confirm.  The pool still has no memmap and no System RAM.
#  - There is no HVO: an hvo pool runs as map, proven like a map pool.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	local s=$BATS_FILE_TMPDIR/noalias.sh

	boot_pool hvo "$NODES" "pmem=node2:1G:hvo" 2 2:1G:map:1G
	cat "$(facts_script)" "$(selftests_script pcarve_sysfs pcarve_facts)" > "$s"
	boot noalias "$NODES" "rodata=noalias pmem=node1:1G" "$s" \
		"PCARVE_EXPECT=1:1G:nomap:1G PCARVE_NODE=1
		 PCARVE_EXPECT_DIRECT_MAP=mapped
		 PCARVE_BASE_MEMTOTAL_KB=$(res base memtotal_kb_1)
		 PCARVE_BASE_MEMMAP_PAGES=$(res base memmap_pages)"
}

@test "arm64 rodata=noalias: the boot says the nomap pool stays in the linear map" {
	run -0 grep '^pcarve: ' <(console noalias)
	echo "$output" | sed 's/^/# /' >&3
	grep -qxF 'pcarve: node1: nomap pool stays in the direct map: can_set_direct_map() is false (on arm64: rodata=full, debug_pagealloc and KFENCE are all off)' <<<"$output"
}

@test "arm64 rodata=noalias: sysfs selftest ran to the end" {
	ktap_complete noalias pcarve_sysfs 7
}

@test "arm64 rodata=noalias: facts selftest (direct_map reads mapped, probes read) ran to the end" {
	ktap_complete noalias pcarve_facts 4
	grep -q '^# direct map: sysfs says mapped; 0 of 16 pool probes faulted$' \
		"$PCARVE_RESULTS/ktap/noalias-pcarve_facts.ktap"
}

@test "arm64 device tree: no ACPI, the 3 NUMA nodes come from the DT" {
	console hvo | grep -qx 'ACPI: Interpreter disabled.'
	run ! grep -q '^ACPI: SRAT' <(console hvo)
	console hvo | grep -q ' on 3 NUMA nodes'
}

@test "arm64 rodata=full (default): no such message" {
	run ! grep -q 'can_set_direct_map\|stays in the direct map' <(console hvo)
}

@test "arm64 hvo: the boot says there is no HVO and the pool runs as map" {
	run -0 grep '^pcarve: node2: ' <(console hvo)
	[ "$output" = "pcarve: node2: hvo: this architecture has no HVO; the pool runs as map
pcarve: node2: 1024 MiB map pool, granule 1G, 1 extent" ]
}

@test "arm64 hvo: sysfs and facts selftests prove a map pool" {
	ktap_complete hvo pcarve_sysfs 7
	ktap_complete hvo pcarve_facts 4
	[ $(($(res base memtotal_kb_2) - $(res hvo memtotal_kb_2))) = 1048576 ]
}
