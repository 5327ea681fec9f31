#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: run the bats scenarios (which boot the guests, run the
# in-guest selftests and collect the KUnit results), then count every leaf
# result: bats tests, KUnit cases and kselftest tests.  The last line is
# "N passed, N failed" (", N skipped" when any were).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
export PCARVE_RESULTS=${PCARVE_RESULTS:-$top/out/check}
rm -rf "$PCARVE_RESULTS"
mkdir -p "$PCARVE_RESULTS/ktap"

start=$(date +%s)
bats --formatter tap --timing "$top/tests/bats" | tee "$PCARVE_RESULTS/bats.tap"

read -r bp bf bs < <(awk -f "$top/tests/count-tap.awk" "$PCARVE_RESULTS/bats.tap")
pass=$bp fail=$bf skip=$bs
echo "# bats: $bp passed, $bf failed, $bs skipped"
for k in "$PCARVE_RESULTS"/ktap/*.ktap; do
	[ -f "$k" ] || continue
	read -r kp kf ks < <(awk -f "$top/tests/count-tap.awk" "$k")
	echo "# $(basename "$k" .ktap): $kp passed, $kf failed, $ks skipped"
	pass=$((pass + kp)) fail=$((fail + kf)) skip=$((skip + ks))
done
echo "# make check took $(( $(date +%s) - start ))s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
