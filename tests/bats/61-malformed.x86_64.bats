#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The rest of the malformed pmem= values (60-malformed.bats has those both
# architectures boot): each boots, reserves nothing, and prints one message
# naming the offending token and why.
bats_require_minimum_version 1.5.0
load lib

# pmem= value | offending token the message must quote
CASES=(
	"node1:512M|node1:512M"
	"node1:1G,node1:1G|node1:1G"
	"node1:1G,|"
	"node1:1GB|1GB"
	"nodeX:1G|nodeX"
	"node1:1G:map:nomap|nomap"
	"node1:1G:1G:2M|2M"
	"node1|"
	"node1:0|0"
	"node1:1G:map:map|map"
	"1G|1G"
	"node1:1G::map|"
	"node99999999999:1G|node99999999999"
	"node1:0x40000000|0x40000000"
)

setup_file() {
	malformed_boots badx
}

@test "malformed: size not a multiple of the granule" { malformed_case badx 0; }
@test "malformed: duplicate node" { malformed_case badx 1; }
@test "malformed: empty spec after a comma" { malformed_case badx 2; }
@test "malformed: bad size suffix" { malformed_case badx 3; }
@test "malformed: bad node number" { malformed_case badx 4; }
@test "malformed: conflicting modes" { malformed_case badx 5; }
@test "malformed: conflicting granules" { malformed_case badx 6; }
@test "malformed: missing size" { malformed_case badx 7; }
@test "malformed: zero size" { malformed_case badx 8; }
@test "malformed: duplicate option" { malformed_case badx 9; }
@test "malformed: missing node" { malformed_case badx 10; }
@test "malformed: empty option" { malformed_case badx 11; }
@test "malformed: node number overflow" { malformed_case badx 12; }
@test "malformed: hex size" { malformed_case badx 13; }
