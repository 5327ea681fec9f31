#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# arm64 only: what differs from x86_64.
#  - The linear map can only lose a nomap pool where can_set_direct_map()
#    holds (rodata=full, the default).  With rodata=noalias it cannot, and a
#    nomap pool left mapped while memblock says it is not memory could be
#    mapped again with other attributes: pmem= refuses it at carve time,
#    says to ask for map instead, takes nothing from the node, and the
#    other pools are carved.
#  - There is no HVO: an hvo pool runs as map, proven like a map pool.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	local s=$BATS_FILE_TMPDIR/noalias.sh

	boot_pool hvo "$NODES" "pmem=node1:1G,node2:1G:hvo" 2 \
		"1:1G:nomap:1G 2:1G:map:1G"
	cat "$(facts_script)" "$(selftests_script pcarve_sysfs)" > "$s"
	cat >> "$s" <<'EOS'
t=/sys/kernel/debug/pcarve/test
echo "alloc 2 2097152 1 unmapped" > $t; echo "unmapped_alloc=$(cat $t)"
echo "alloc 2 2097152 1" > $t; echo "plain_alloc=$(cat $t)"
EOS
	boot noalias "$NODES" "rodata=noalias pmem=node1:1G,node2:1G:map" "$s" \
		"PCARVE_EXPECT=2:1G:map:1G"
}

@test "arm64 rodata=noalias: a nomap pool is refused at carve time, saying to ask for map" {
	run -0 grep '^pcarve: node1: ' <(console noalias)
	echo "# $output" >&3
	[ "$output" = "pcarve: node1: nomap refused: this kernel cannot remove memory from its direct map (can_set_direct_map() is false); ask for :map instead; no pool" ]
}

@test "arm64 rodata=noalias: node1 keeps all its memory, the map pool on node2 is carved" {
	[ "$(res noalias memtotal_kb_1)" = "$(res base memtotal_kb_1)" ]
	[ "$(res noalias memmap_pages)" = "$(res base memmap_pages)" ]
	[ "$(res noalias pcarve_iomem)" = 0 ]
	ktap_complete noalias pcarve_sysfs 7
}

@test "arm64 rodata=noalias: a chunk cannot be kept out of the linear map: -EOPNOTSUPP, never a silent mapping" {
	echo "# unmapped: $(res noalias unmapped_alloc), plain: $(res noalias plain_alloc)" >&3
	[ "$(res noalias unmapped_alloc)" = "error -95" ]
	[[ "$(res noalias plain_alloc)" == 0x* ]]
	console noalias >/dev/null
	grep -q 'pcarve: node2: a chunk cannot be kept out of the direct map on this kernel' \
		"$BATS_FILE_TMPDIR/noalias/console.log"
}

@test "arm64 device tree: no ACPI, the 3 NUMA nodes come from the DT" {
	console hvo | grep -qx 'ACPI: Interpreter disabled.'
	run ! grep -q '^ACPI: SRAT' <(console hvo)
	console hvo | grep -q ' on 3 NUMA nodes'
}

@test "arm64 rodata=full (default): the nomap pool is carved and unmapped" {
	console hvo | grep -qx 'pcarve: node1: 1024 MiB nomap pool, granule 1G, 1 extent'
	run ! grep -q 'nomap refused' <(console hvo)
	[ "$(res hvo direct_map_1)" = unmapped ]
}

@test "arm64 hvo: the boot says there is no HVO and the pool runs as map" {
	run -0 grep '^pcarve: node2: ' <(console hvo)
	[[ "$output" == "pcarve: node2: hvo: this kernel has no HVO before memmap init (CONFIG_PCARVE_HVO); the pool runs as map
pcarve: node2: 1024 MiB map pool, granule 1G, 1 extent"* ]]
}

@test "arm64 hvo: sysfs and facts selftests prove a map pool" {
	ktap_complete hvo pcarve_sysfs 7
	ktap_complete hvo pcarve_facts 5
	# as in 20-map: at most one page more for the pool's own record
	local fell=$(($(res base memtotal_kb_2) - $(res hvo memtotal_kb_2)))
	[ "$fell" = 1048576 ] || [ "$fell" = 1048580 ]
}
