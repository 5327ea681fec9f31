#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Take apart the serial console of a boot.sh guest, which holds one kernel,
# or several when the guest kexec'd or crashed into a kdump kernel.
#
# Usage: split-console.sh OUTDIR
#
# Reads OUTDIR/console.log (and drops its carriage returns); writes
#   OUTDIR/console.N.log  kernel N's part of the console, N = 1, 2, ...
#                         (console.1.log is the whole log when nothing
#                         kexec'd)
#   OUTDIR/result         the output of every kernel's /run.sh, in order
#   OUTDIR/rc, dmesg      /run.sh's exit code and the dmesg of the last
#                         kernel
# Exits 0 when the last kernel ran its script to the end, 1 otherwise.
#
# A kernel starts at its banner ("Linux version ", which arm64 precedes
# with "Booting Linux on physical CPU"), except inside a script's output or
# the dmesg dump, where banners are only text.  A script's output runs
# from @@PCARVE-BEGIN@@ to @@PCARVE-RC n@@, or to @@PCARVE-KEXEC@@, which
# a script prints before it kexecs or crashes the kernel; lines after that
# marker join the result only when the same kernel then prints its RC (the
# kexec failed and the script went on).
set -euo pipefail

out=$1 log=$1/console.log
tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
rm -f "$out"/console.[0-9]*.log
n=$(awk -v out="$out" '
function banner(l) {
	return l ~ /Booting Linux on physical CPU |Linux version /
}
BEGIN {
	n = 1; file = out "/console.1.log"; result = out "/result"
	printf "" > file; printf "" > result
	state = "kernel"; seen = 0; prev = 0
}
{
	b = (state == "kernel" || state == "kexec") && banner($0)
	# the first banner of a new kernel; arm64 prints two in a row
	if (b && seen && !prev) {
		close(file)
		n++
		file = out "/console." n ".log"
		state = "kernel"; pend = ""
	}
	if (b)
		seen = 1
	prev = b
	print > file
}
state == "kernel" && /^@@PCARVE-BEGIN@@$/ { state = "script"; next }
state == "kernel" && /^@@PCARVE-DMESG@@$/ { state = "dmesg"; next }
state == "dmesg" && /^@@PCARVE-END@@$/ { state = "kernel"; next }
(state == "script" || state == "kexec") && /^@@PCARVE-RC [0-9]+@@$/ {
	printf "%s", pend > result
	pend = ""; state = "kernel"; next
}
(state == "script" || state == "kexec") && /^@@PCARVE-KEXEC@@$/ {
	printf "%s", pend > result
	pend = ""; state = "kexec"; next
}
state == "script" { print > result }
state == "kexec" { pend = pend $0 "\n" }
END { print n }
' "$log")

last=$out/console.$n.log
sed -n 's/^@@PCARVE-RC \([0-9]*\)@@$/\1/p' "$last" | tail -n 1 > "$out/rc"
sed -n '/^@@PCARVE-DMESG@@$/,/^@@PCARVE-END@@$/p' "$last" | sed '1d;$d' \
	> "$out/dmesg"
grep -q '^@@PCARVE-END@@$' "$last"
