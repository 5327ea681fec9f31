#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The figures of the last make check (out/check/ARCH/bats.tap) that the
# cover letter of make patches quotes: each chosen test's name and the
# lines it printed.  Prints nothing when there was no make check.
#
# Usage: series-figures.sh CHECK_DIR
set -euo pipefail

dir=$1
pick='memmap: nr_memmap_boot_pages|pcarvefs: chunks are zeroed|touch of a 2 GiB file next to hugetlbfs|handover: the record|scale:'
found=
for a in x86_64 arm64; do
	t=$dir/$a/bats.tap
	[ -f "$t" ] || continue
	[ -n "$found" ] || { echo "Figures of the last make check (QEMU TCG, so times are slow and noisy;"; echo "counts and sizes are exact):"; found=1; }
	# bats prints a test's lines before its "ok" line
	awk -v pick="$pick" '
		/^# / && !/^# ===/ { buf = buf "    " substr($0, 3) "\n"; next }
		/^(not )?ok / {
			if ($0 ~ pick) {
				name = $0
				sub(/^(not )?ok [0-9]+ /, "", name)
				sub(/ in [0-9]+ms$/, "", name)
				printf "\n  %s\n%s", name, buf
			}
			buf = ""
		}' "$t" | grep -v '^    boot ' || true
done
