#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A malformed pmem= is rejected whole: every one of these boots, reserves
# nothing, and prints one message naming the offending token and why.
bats_require_minimum_version 1.5.0
load lib

# pmem= value | offending token the message must quote
CASES=(
	"node1:1G:foo|foo"
	"node1:512M|node1:512M"
	"node1:1G,node1:1G|node1:1G"
	"node1:1G,|"
	"node1:1GB|1GB"
	"nodeX:1G|nodeX"
	"node1:99999999999999999999G|99999999999999999999G"
	"node1:1G:map:nomap|nomap"
	"node1:1G:1G:2M|2M"
	"node1|"
	"node1:0|0"
	"node1:1G:map:map|map"
	"1G|1G"
	"node1:1G::map|"
	"node99999999999:1G|node99999999999"
	"node1:0x40000000|0x40000000"
	"node2:1G,node1:1G:bogus|bogus"
	"|"
)

setup_file() {
	local i
	for i in "${!CASES[@]}"; do
		boot "bad$i" 2G,2G,2G "pmem=${CASES[$i]%%|*}" "$(facts_script)"
	done
}

check_case() {
	local i=$1 value=${CASES[$1]%%|*} tok=${CASES[$1]#*|}
	[ "${#CASES[@]}" -ge 16 ]
	run -0 grep '^pcarve: ' <(console "bad$i")
	echo "# $output" >&3
	[ "${#lines[@]}" = 1 ]
	[[ "${lines[0]}" == "pcarve: pmem=$value: "*" at '$tok' (offset "*"); no pools reserved" ]]
	[ "$(res "bad$i" nr_pools)" = 0 ]
	[ "$(res "bad$i" pcarve_iomem)" = 0 ]
}

@test "malformed 0: unknown option" { check_case 0; }
@test "malformed 1: size not a multiple of the granule" { check_case 1; }
@test "malformed 2: duplicate node" { check_case 2; }
@test "malformed 3: empty spec after a comma" { check_case 3; }
@test "malformed 4: bad size suffix" { check_case 4; }
@test "malformed 5: bad node number" { check_case 5; }
@test "malformed 6: size overflow" { check_case 6; }
@test "malformed 7: conflicting modes" { check_case 7; }
@test "malformed 8: conflicting granules" { check_case 8; }
@test "malformed 9: missing size" { check_case 9; }
@test "malformed 10: zero size" { check_case 10; }
@test "malformed 11: duplicate option" { check_case 11; }
@test "malformed 12: missing node" { check_case 12; }
@test "malformed 13: empty option" { check_case 13; }
@test "malformed 14: node number overflow" { check_case 14; }
@test "malformed 15: hex size" { check_case 15; }
@test "malformed 16: an error in a later spec rejects the earlier ones too" { check_case 16; }
@test "malformed 17: empty value" { check_case 17; }

@test "pmem= given twice: nothing reserved" {
	boot twice 2G,2G,2G "pmem=node1:1G pmem=node2:1G" "$(facts_script)"
	run -0 grep '^pcarve: ' <(console twice)
	[ "${lines[0]}" = "pcarve: pmem= given more than once; no pools reserved" ]
	[ "$(res twice nr_pools)" = 0 ]
}
