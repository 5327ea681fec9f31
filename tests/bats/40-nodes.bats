#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Four nodes, pools on nodes 1 and 3 only; and the make run default.
bats_require_minimum_version 1.5.0
load lib

setup_file() {
	boot sparse 2G,2G,2G,2G "pmem=node3:1G:map,node1:1G" \
		"$(selftests_script pcarve_sysfs)" \
		"PCARVE_EXPECT='1:1G:nomap:1G 3:1G:map:1G'"
	boot default 4G,2G,2G,2G "pmem=node0:1G,node1:1G,node2:1G:map"
}

@test "nodes 1 and 3: exactly two summary lines, in pmem= order" {
	run -0 grep -E '^pcarve: node[0-9]+: [0-9]+ MiB [a-z]+ pool, ' <(console sparse)
	[ "${#lines[@]}" = 2 ]
	[ "${lines[0]}" = "pcarve: node3: 1024 MiB map pool, granule 1G, 1 extent" ]
	[ "${lines[1]}" = "pcarve: node1: 1024 MiB nomap pool, granule 1G, 1 extent" ]
}

@test "nodes 1 and 3: sysfs selftest ran to the end" {
	ktap_complete sparse pcarve_sysfs 7
}

@test "default (make run): the pool table lists nodes 0-2 and not node 3" {
	result default >&3
	grep -qE '^node0 +[0-9]+M nomap +1024M +1024 +1024 +0 +1$' <(result default)
	grep -qE '^node1 +[0-9]+M nomap +1024M +1024 +1024 +0 +1$' <(result default)
	grep -qE '^node2 +[0-9]+M map +1024M +1024 +1024 +0 +1$' <(result default)
	grep -qE '^node3 +[0-9]+M - ' <(result default)
	grep -q '^total: 3 pools, 3072 MiB, 3072 MiB free, 0 MiB used$' <(result default)
}
