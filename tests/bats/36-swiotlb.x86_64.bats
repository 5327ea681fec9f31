#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A node-0 pool deep in low memory never takes what swiotlb needs: swiotlb
# is allocated below 4 GiB after the pools, and must still get its 64 MiB
# buffer, as in a boot without pools.  x86_64 only: the arm64 test kernel
# has no ZONE_DMA32 and so no swiotlb buffer to protect.
bats_require_minimum_version 1.5.0
load lib

NODES=4G,2G,2G
SWIOTLB='^software IO TLB: mapped \[mem 0x[0-9a-f]+-0x[0-9a-f]+\] \(64MB\)$'

setup_file() {
	boot base "$NODES" "" "$(facts_script)"
	boot low "$NODES" "pmem=node0:3G:2M" "$(facts_script)"
}

@test "swiotlb: a boot without pools gets the 64 MiB buffer below 4 GiB" {
	grep -qE "$SWIOTLB" <(dmesg_of base)
}

@test "swiotlb: with 3G of node 0 in a pool, it still gets it below 4 GiB" {
	console low | grep -q '^pcarve: node0: 3072 MiB nomap pool, granule 2M, '
	run -0 grep -E "$SWIOTLB" <(dmesg_of low)
	echo "# $output" >&3
	local end=$(sed -E 's/.*-(0x[0-9a-f]+)\].*/\1/' <<<"$output")
	[ $((end)) -lt $((1 << 32)) ]
}
