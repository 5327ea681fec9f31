#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# x86_64 with nogbpages: the direct map uses 2M pages at most, so removing a
# nomap pool splits no 1G page; the pool is proven as with 1G pages.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	boot_pool nogb "$NODES" "nogbpages pmem=node1:1G,node2:1G:map" 1 \
		"1:1G:nomap:1G 2:1G:map:1G"
}

@test "nogbpages: sysfs and facts selftests ran to the end" {
	ktap_complete nogb pcarve_sysfs 7
	ktap_complete nogb pcarve_facts 5
}

@test "nogbpages: the kernel really ran without 1G direct-map pages" {
	# arch_report_meminfo() shows DirectMap1G only while the CPU may use them
	echo "# DirectMap1G kB: $(res base direct_map_1g_kb) without nogbpages, '$(res nogb direct_map_1g_kb)' with" >&3
	[ "$(res base direct_map_1g_kb)" -gt 0 ]
	[ -z "$(res nogb direct_map_1g_kb)" ]
}
