#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the pmem= parser: mm/pcarve/parse.c as it is, built for user space
# with the kernel's tools/include, under libFuzzer with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang from Debian), for a bounded time,
# starting from tests/fuzz/corpus.  New inputs go to OUT/corpus, crashes
# to OUT/crash-*.  Exits non-zero on any crash or sanitizer report.
#
# Usage: fuzz.sh TREE OUT [SECONDS]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(realpath "$1")
out=$2 secs=${3:-60}
mkdir -p "$out/corpus"
out=$(realpath "$out")
clang -g -O1 -Wall -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-D_GNU_SOURCE -D__init= -DKBUILD_MODNAME='"pcarve"' \
	-I"$tree/tools/include" -I"$tree/tools/arch/x86/include" \
	-I"$top/include" -I"$top/mm/pcarve" \
	"$top/mm/pcarve/parse.c" "$top/tests/fuzz/pmem_fuzz.c" \
	-o "$out/pmem_fuzz"
cd "$out"
rm -f crash-* leak-* timeout-*
./pmem_fuzz -max_total_time="$secs" -timeout=5 -print_final_stats=1 \
	"$out/corpus" "$top/tests/fuzz/corpus" > "$out/fuzz.log" 2>&1 || {
	tail -n 30 "$out/fuzz.log" >&2
	exit 1
}
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
echo "fuzz: $runs inputs in ${secs}s, corpus $(find "$out/corpus" -type f | wc -l) + $(find "$top/tests/fuzz/corpus" -type f | wc -l) seeds, 0 crashes"
