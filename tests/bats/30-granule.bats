#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# 2M granule: pools of whole 2 MiB extents, in both modes, next to a 1G one.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G,2G

setup_file() {
	boot_pool g2m "$NODES" "pmem=node1:258M:2M,node2:6M:2M:map,node3:1G" 1 \
		"1:258M:nomap:2M 2:6M:map:2M 3:1G:nomap:1G"
}

@test "2M: summary lines name the 2M granule" {
	console g2m | grep -q '^pcarve: node1: 258 MiB nomap pool, granule 2M, 1 extent$'
	console g2m | grep -q '^pcarve: node2: 6 MiB map pool, granule 2M, 1 extent$'
	console g2m | grep -q '^pcarve: node3: 1024 MiB nomap pool, granule 1G, 1 extent$'
}

@test "2M: sysfs selftest ran to the end" {
	ktap_complete g2m pcarve_sysfs 7
}

@test "2M: facts selftest ran to the end (nomap pool on node1)" {
	ktap_complete g2m pcarve_facts 5
}

@test "2M: map pool costs node2 exactly 6 MiB" {
	[ $(( $(res base memtotal_kb_2) - $(res g2m memtotal_kb_2) )) = 6144 ]
}
