#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# hugetlb boot pages on a pool's node.  Pools are carved first; hugetlb
# gets what is left.  On a 3G node a 1G pool and a 1G hugetlb page both
# fit and both are given; on a 2G node they do not, and the boot says
# clearly that hugetlb lost: the pool is there, the page is not.
bats_require_minimum_version 1.5.0
load lib

hugetlb_script() {
	local f=$BATS_FILE_TMPDIR/hugetlb.sh
	cat "$(selftests_script pcarve_sysfs)" > "$f"
	cat >> "$f" <<'EOS'
for n in 1 2; do
	echo "huge_$n=$(cat /sys/devices/system/node/node$n/hugepages/hugepages-1048576kB/nr_hugepages)"
done
EOS
	echo "$f"
}

setup_file() {
	local s=$(hugetlb_script)
	boot both 2G,3G,2G "pmem=node1:1G hugepagesz=1G hugepages=1:1,2:1" "$s" \
		"PCARVE_EXPECT=1:1G:nomap:1G"
	boot lost 2G,2G,2G "pmem=node1:1G hugepagesz=1G hugepages=1:1,2:1" "$s" \
		"PCARVE_EXPECT=1:1G:nomap:1G"
}

@test "hugetlb: on a 3G node the pool and the 1G page are both given" {
	console both | grep -qx 'pcarve: node1: 1024 MiB nomap pool, granule 1G, 1 extent'
	ktap_complete both pcarve_sysfs 7
	[ "$(res both huge_1)" = 1 ]
	[ "$(res both huge_2)" = 1 ]
	run ! grep -q 'HugeTLB: allocating' <(console both)
}

@test "hugetlb: on a 2G node the pool wins and hugetlb says it got no page on node1" {
	console lost | grep -qx 'pcarve: node1: 1024 MiB nomap pool, granule 1G, 1 extent'
	ktap_complete lost pcarve_sysfs 7
	run -0 grep 'HugeTLB: allocating' <(console lost)
	echo "# $output" >&3
	[[ "$output" == *"failed node1."*"Only allocated 0 hugepages."* ]]
	[ "$(res lost huge_1)" = 0 ]
	[ "$(res lost huge_2)" = 1 ]
}
