#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A node that cannot give its pool gets none and says what it could give;
# the other nodes still get theirs.
bats_require_minimum_version 1.5.0
load lib

setup_file() {
	local s=$(selftests_script pcarve_sysfs)

	boot short 2G,2G,2G "pmem=node1:2G,node2:1G" "$s" \
		"PCARVE_EXPECT=2:1G:nomap:1G"
	boot nonode 2G,2G,2G "pmem=node7:1G,node2:1G:map" "$s" \
		"PCARVE_EXPECT=2:1G:map:1G"
	# arm64 has no HVO: the pool runs as map
	local hvo_expect="1:1G:hvo:1G 2:1G:nomap:1G"
	[ "$ARCH" = arm64 ] && hvo_expect="1:1G:map:1G 2:1G:nomap:1G"
	boot hvo 2G,2G,2G "pmem=node1:1G:hvo,node2:1G" "$s" \
		"PCARVE_EXPECT='$hvo_expect'"
}

@test "node without enough memory: no pool there, message says what it could give" {
	run -0 grep '^pcarve: node1: ' <(console short)
	echo "# $output" >&3
	[[ "$output" =~ ^"pcarve: node1: asked for 2048 MiB but it can give only "[0-9]+" MiB".*"; no pool"$ ]]
	console short | grep -q '^pcarve: node2: 1024 MiB nomap pool, granule 1G, 1 extent$'
	ktap_complete short pcarve_sysfs 7
}

@test "node that does not exist: no pool there, the others get theirs" {
	run -0 grep '^pcarve: node7: ' <(console nonode)
	echo "# $output" >&3
	[[ "$output" == "pcarve: node7: not online or has no memory; no pool (it could give 0 MiB)" ]]
	console nonode | grep -q '^pcarve: node2: 1024 MiB map pool, granule 1G, 1 extent$'
	ktap_complete nonode pcarve_sysfs 7
}

@test "hvo: x86_64 carves it with a trimmed vmemmap, arm64 (no HVO) runs it as map; both say so" {
	run -0 grep '^pcarve: node1: ' <(console hvo)
	echo "# $output" | head -n 1 >&3
	case "$ARCH" in
	x86_64)
		[ "$output" = "pcarve: node1: 1024 MiB hvo pool, granule 1G, 1 extent
pcarve: node1: hvo: 1 folios of 1024 MiB with a trimmed vmemmap
pcarve: node1: allocator ready: 1024 MiB in 1 blocks, free map 648 bytes" ] ;;
	arm64)
		[[ "$output" == "pcarve: node1: hvo: this kernel has no HVO before memmap init (CONFIG_PCARVE_HVO); the pool runs as map
pcarve: node1: 1024 MiB map pool, granule 1G, 1 extent"* ]] ;;
	*)	false ;;
	esac
	ktap_complete hvo pcarve_sysfs 7
}
