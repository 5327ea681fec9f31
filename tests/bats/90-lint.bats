#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The kernel's own static checks on what pcarve adds (run once, with a W=1
# build for every architecture in PCARVE_LINT_BUILDS="arch=build_dir ...").
bats_require_minimum_version 1.5.0
load lib

TREE=$PCARVE_TOP/out/linux

@test "lint: checkpatch --strict, kernel-doc -Wall, sysfs ABI, W=1 are clean" {
	local builds=${PCARVE_LINT_BUILDS:-$ARCH=$PCARVE_TOP/out/build-$ARCH}

	run "$PCARVE_TOP/scripts/lint.sh" "$TREE" $builds
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lint: clean" ]]
	for b in $builds; do
		[[ "$output" == *"== W=1 build (${b%%=*})"* ]]
	done
}
