#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: for each architecture, run the bats scenarios (which boot the
# guests, run the in-guest selftests and collect the KUnit results), then
# the static checks once, and count every leaf result: bats tests, KUnit
# cases and kselftest tests.  The last line is "N passed, N failed"
# (", N skipped" when any were).
#
# The first architecture's kernel and initramfs are built (by make check)
# before this runs.  Its suite starts at once, and the other builds run
# behind it, one at a time and niced so the guests come first: the other
# architectures (each one's suite starts when its build is done), sparse
# and the git repository of the pristine tree for the lint, the debug
# kernel (its scenario then); the lint runs once the builds and the
# architectures' suites are over, beside the debug guest and the parser's
# fuzzing.
# A build that fails is a failed test.
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
		90-lint|90-fuzz)	;;
		96-debug.*)	;;
		*.*)		[ "${b##*.}" = "$1" ] && echo "$f" ;;
		*)		echo "$f" ;;
		esac
	done
}

# run_bats LABEL RESULTS [bats files]: TAP with LABEL in every test name;
# RESULTS.done when it is over
run_bats() {
	local label=$1 dir=$2 t0=$(date +%s)
	shift 2
	mkdir -p "$dir/ktap"
	echo "# === $label"
	PCARVE_RESULTS=$dir bats --formatter tap --timing "$@" |
		sed -E "s/^((not )?ok [0-9]+ )/\1[$label] /" | tee "$dir/bats.tap"
	echo "# === $label took $(( $(date +%s) - t0 ))s"
	: > "$dir.done"
}

# build NAME CMD...: one build behind the suites; its output in
# build-NAME.log, and if it fails a failed test in NAME/bats.tap and
# NAME.done (no suite will follow)
build() {
	local name=$1 t0=$(date +%s)
	shift
	if nice -n 10 "$@" > "$results/build-$name.log" 2>&1; then
		echo "# build $name took $(( $(date +%s) - t0 ))s" \
			>> "$results/builds.out"
		return 0
	fi
	mkdir -p "$results/$name"
	printf '1..1\nnot ok 1 [%s] build: %s (see %s)\n' "$name" "$*" \
		"$results/build-$name.log" > "$results/$name/bats.tap"
	echo "# build $name FAILED: $*" >> "$results/builds.out"
	tail -20 "$results/build-$name.log" >> "$results/builds.out"
	: > "$results/$name.done"
	return 1
}

# suite LABEL ARCH [bats files]: a suite in the background, output in
# LABEL.out
suite() {
	local label=$1 arch=$2
	shift 2
	ARCH=$arch run_bats "$label" "$results/$label" "$@" \
		> "$results/$label.out" 2>&1 &
}

debug=''
for a in "${arches[@]}"; do
	[ "$a" = x86_64 ] && debug=1
done
labels=()
: > "$results/builds.out"
# the architectures side by side: a TCG guest runs on one core, and the
# suites have nothing in common but the machine; each one's output is
# printed when it is done
for i in "${!arches[@]}"; do
	a=${arches[$i]}
	mapfile -t files < <(scenarios "$a")
	labels+=("$a")
	[ "$i" -gt 0 ] || suite "$a" "$a" "${files[@]}"
done
[ -z "$debug" ] || labels+=(x86_64-debug)
{
	for a in "${arches[@]:1}"; do
		mapfile -t files < <(scenarios "$a")
		if build "$a" make -C "$top" --no-print-directory ARCH="$a" all
		then
			suite "$a" "$a" "${files[@]}"
		fi
	done
	# what the lint needs that takes long the first time (mostly one
	# core: beside the last architecture's suite rather than at the end)
	build lint-prep sh -c "'$top/scripts/fetch-sparse.sh' &&
		'$top/scripts/series.py' --base \"\$(cat '$top/out/.base')\""
	if [ -n "$debug" ] &&
	   build x86_64-debug make -C "$top" --no-print-directory debug-kernel
	then
		suite x86_64-debug x86_64 "$top"/tests/bats/96-debug.x86_64.bats
	fi
	# the lint, beside the debug kernel's guest: once the architectures'
	# suites are over (it reads their build directories, and the cover
	# letter quotes their figures)
	for a in "${arches[@]}"; do
		while [ ! -f "$results/$a.done" ]; do
			sleep 5
		done
	done
	builds=()
	for a in "${arches[@]}"; do
		builds+=("$a=$top/out/build-$a")
	done
	# the parser's fuzzing needs only the tree and one core: beside the
	# lint and the debug guest, niced like the builds
	(
		renice -n 10 -p "$BASHPID" > /dev/null
		run_bats fuzz "$results/fuzz" "$top/tests/bats/90-fuzz.bats"
	) > "$results/fuzz.out" 2>&1 &
	PCARVE_LINT_BUILDS="${builds[*]}" run_bats lint "$results/lint" \
		"$top/tests/bats/90-lint.bats" > "$results/lint.out" 2>&1
	wait
} &
wait
cat "$results/builds.out"
for l in "${labels[@]}" fuzz lint; do
	[ ! -f "$results/$l.out" ] || cat "$results/$l.out"
done

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
