#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: for each architecture, run the bats scenarios (which boot the
# guests, run the in-guest selftests and collect the KUnit results), then
# the static checks once, and count every leaf result: bats tests, KUnit
# cases and kselftest tests.  The last line is "N passed, N failed"
# (", N skipped" when any were).
#
# Usage: check.sh [ARCH ...]          (default: x86_64 arm64)
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
results=${PCARVE_RESULTS:-$top/out/check}
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 arm64)
rm -rf "$results"
mkdir -p "$results"

start=$(date +%s)
# NN-name.bats runs on every architecture, NN-name.ARCH.bats on ARCH only
scenarios() {
	local f b

	for f in "$top"/tests/bats/*.bats; do
		b=$(basename "$f" .bats)
		case "$b" in
		90-lint)	;;
		*.*)		[ "${b##*.}" = "$1" ] && echo "$f" ;;
		*)		echo "$f" ;;
		esac
	done
}

# run_bats LABEL RESULTS [bats files]: TAP with LABEL in every test name
run_bats() {
	local label=$1 dir=$2 t0=$(date +%s)
	shift 2
	mkdir -p "$dir/ktap"
	echo "# === $label"
	PCARVE_RESULTS=$dir bats --formatter tap --timing "$@" |
		sed -E "s/^((not )?ok [0-9]+ )/\1[$label] /" | tee "$dir/bats.tap"
	echo "# === $label took $(( $(date +%s) - t0 ))s"
}

# the architectures side by side: a TCG guest runs on one core, and the
# two suites have nothing in common but the machine; each one's output is
# printed when it is done
for a in "${arches[@]}"; do
	mapfile -t files < <(scenarios "$a")
	ARCH=$a run_bats "$a" "$results/$a" "${files[@]}" \
		> "$results/$a.out" 2>&1 &
done
wait
for a in "${arches[@]}"; do
	cat "$results/$a.out"
done
builds=()
for a in "${arches[@]}"; do
	builds+=("$a=$top/out/build-$a")
done
PCARVE_LINT_BUILDS="${builds[*]}" run_bats lint "$results/lint" \
	"$top/tests/bats/90-lint.bats"

pass=0 fail=0 skip=0
for t in "$results"/*/bats.tap "$results"/*/ktap/*.ktap; do
	[ -f "$t" ] || continue
	read -r p f s < <(awk -f "$top/tests/count-tap.awk" "$t")
	echo "# ${t#"$results"/}: $p passed, $f failed, $s skipped"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
echo "# make check (${arches[*]}) took $(( $(date +%s) - start ))s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
