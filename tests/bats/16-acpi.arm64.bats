#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# arm64 with NUMA from ACPI instead of the device tree: the guest boots
# through UEFI firmware with acpi=force, so nodes come from the SRAT.  The
# pools must be carved and proven exactly as with the device tree.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

setup_file() {
	BOOT_FLAGS="-f uefi"
	boot_pool acpi "$NODES" "pmem=node1:1G,node2:1G:map" 1 \
		"1:1G:nomap:1G 2:1G:map:1G"
}

@test "arm64 ACPI: the 3 NUMA nodes come from the SRAT" {
	run -0 grep -c '^ACPI: SRAT: Node [0-2] PXM [0-2] \[mem ' <(console acpi)
	[ "$output" = 3 ]
	console acpi | grep -q ' on 3 NUMA nodes'
}

@test "arm64 ACPI: one boot line per pool" {
	console acpi | grep -qx 'pcarve: node1: 1024 MiB nomap pool, granule 1G, 1 extent'
	console acpi | grep -qx 'pcarve: node2: 1024 MiB map pool, granule 1G, 1 extent'
}

@test "arm64 ACPI: sysfs selftest ran to the end" {
	ktap_complete acpi pcarve_sysfs 7
}

@test "arm64 ACPI: facts selftest (nomap node1 against an ACPI boot without pools) ran to the end" {
	ktap_complete acpi pcarve_facts 5
	echo "# boot through UEFI: $(cat "$BATS_FILE_TMPDIR/acpi/seconds")s" >&3
}
