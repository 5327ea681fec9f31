#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Pools on node 0, where the kernel lives: a 1G nomap pool proven like any
# other, and a pool large enough to need low memory (below
# ARCH_LOW_ADDRESS_LIMIT: 4 GiB on x86_64; on arm64 the DMA limit, all of
# memory in the test kernel, which has no ZONE_DMA or ZONE_DMA32), which it
# takes last.  36-swiotlb.x86_64.bats checks that swiotlb still gets its
# buffer there.
bats_require_minimum_version 1.5.0
load lib

NODES=4G,2G,2G

setup_file() {
	boot_pool n0 "$NODES" "pmem=node0:1G" 0 "0:1G:nomap:1G"
	boot_pool low "$NODES" "pmem=node0:3G:2M" 0 "0:3G:nomap:2M"
}

@test "node0: summary line, sysfs and facts selftests" {
	console n0 | grep -qx 'pcarve: node0: 1024 MiB nomap pool, granule 1G, 1 extent'
	ktap_complete n0 pcarve_sysfs 7
	ktap_complete n0 pcarve_facts 5
}

@test "node0 low memory: a 3G pool takes low memory after the rest" {
	console low | grep -q '^pcarve: node0: 3072 MiB nomap pool, granule 2M, '
	ktap_complete low pcarve_sysfs 7
	ktap_complete low pcarve_facts 5
}
