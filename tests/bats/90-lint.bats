#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The kernel's own static checks on what pcarve adds.
bats_require_minimum_version 1.5.0
load lib

TREE=$PCARVE_TOP/out/linux

@test "lint: checkpatch --strict, kernel-doc -Wall, sysfs ABI, W=1 are clean" {
	run "$PCARVE_TOP/scripts/lint.sh" "$TREE" "$PCARVE_TOP/out/build-$ARCH"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lint: clean" ]]
}
