#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make patches-check: build every step of the series (out/patches/steps,
# written by series.py) for x86_64, then the last one for arm64 with every
# option of the fragments, in a git worktree of the series.
#
# Usage: series-check.sh STEPS WORKDIR
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
steps=$1 work=$2
repo=$(sed -n 's/^repo //p' "$steps")
tree=$work/tree
mkdir -p "$work"
if [ ! -e "$tree/.git" ]; then
	rm -rf "$tree"
	git --git-dir="$repo" worktree prune
	git --git-dir="$repo" worktree add -q -f --detach "$tree" \
		"$(sed -n 's/^base //p' "$steps")"
fi

n=0 last=
while read -r word num commit subject; do
	[ "$word" = step ] || continue
	git -C "$tree" checkout -q --detach "$commit"
	t0=$(date +%s)
	if ! PCARVE_PARTIAL=1 "$top/scripts/build-kernel.sh" x86_64 "$tree" \
		"$work/build-x86_64" > "$work/step-$num.log" 2>&1; then
		tail -n 30 "$work/step-$num.log" >&2
		echo "pcarve: step $num ($subject) does not build for x86_64" >&2
		exit 1
	fi
	echo "pcarve: step $num builds for x86_64 ($(grep -o '[0-9]* options of the fragments not in this tree yet' "$work/step-$num.log" | cut -d' ' -f1) fragment options to come), $(( $(date +%s) - t0 ))s: $subject"
	n=$((n + 1)) last=$commit
done < "$steps"
[ -n "$last" ] || { echo "pcarve: no steps in $steps" >&2; exit 1; }
# the whole series: every option of the fragments, both architectures
for a in x86_64 arm64; do
	if ! "$top/scripts/build-kernel.sh" $a "$tree" "$work/build-$a" \
		> "$work/last-$a.log" 2>&1; then
		tail -n 30 "$work/last-$a.log" >&2
		echo "pcarve: the whole series does not build for $a" >&2
		exit 1
	fi
	echo "pcarve: the whole series builds for $a with every option of the fragments"
done
echo "pcarve: $n steps build"
