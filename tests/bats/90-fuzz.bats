#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The pmem= parser under libFuzzer (run once, beside the lint: it needs only
# the tree and one core).
bats_require_minimum_version 1.5.0
load lib

TREE=$PCARVE_TOP/out/linux

@test "fuzz: the pmem= parser (parse.c itself) under libFuzzer, ASan and UBSan for 60 s: 0 crashes, every input parsed to valid specs or rejected with a reason" {
	run "$PCARVE_TOP/scripts/fuzz.sh" "$TREE" "$PCARVE_TOP/out/fuzz" 60
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "fuzz: "*" inputs in 60s, "*", 0 crashes" ]]
	echo "# ${output#fuzz: }" >&3
}
