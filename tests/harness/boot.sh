#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the pcarve test kernel in QEMU (TCG) with NUMA nodes, run a script in
# the guest and bring its output back.
#
# Usage: boot.sh -o OUTDIR [-a x86_64|arm64] [-n 2G,2G,...] [-c "cmdline"]
#                [-s script] [-e "VAR=value ..."] [-t timeout] [-f uefi]
#                [-K] [-H "ADDR:SIZE,..."] [-q "qemu args"]
#
#   -n   one memory size per NUMA node (node 0 gets the CPU)
#   -c   extra kernel command line
#   -s   shell script run as /run.sh in the guest (default: the pool table)
#   -e   environment for the script
#   -f   arm64 only: boot through UEFI firmware (scripts/fetch-firmware.sh)
#        with acpi=force, so that NUMA comes from the ACPI SRAT instead of
#        the device tree
#   -K   give the guest what it needs to kexec into this same boot:
#        /kexec/kernel (this kernel image) and /kexec/initrd (this boot's
#        whole initrd, /kexec included so that every stage can kexec again;
#        run.sh assembles it from /kexec/initrd.base); see pcarve_kexec and
#        PCARVE_STAGE in tests/guest/init
#   -H   arm64 only: boot with QEMU's device tree plus these ranges
#        reserved in memblock (tests/harness/dtb-holes.sh; the tree is of
#        the machine without -q's arguments), kept in OUTDIR/holes.dtb
#   -q   more QEMU arguments, split on blanks (may be given again)
#
# Writes OUTDIR/console.log (the whole serial console), OUTDIR/result (what
# the script printed), OUTDIR/rc (its exit code), OUTDIR/dmesg (the guest's
# kernel log at the end), OUTDIR/seconds (wall time of the boot) and
# OUTDIR/rss_kb (the peak resident memory of QEMU on the host, in KiB).
#
# A guest that kexecs or crashes into a kdump kernel runs several kernels
# on one console.  Each stage's script prints @@PCARVE-KEXEC@@ before it
# kexecs or crashes; OUTDIR/console.N.log is kernel N's part of the console
# (one part, console.1.log, when nothing kexec'd), OUTDIR/result the output
# of every stage's script in order, OUTDIR/rc and OUTDIR/dmesg those of the
# last kernel.
# Exits 0 when the last kernel ran its script to the end, 1 otherwise.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/harness/machine.sh
. "$top/tests/harness/machine.sh"
arch=${ARCH:-x86_64} nodes=2G,2G cmdline= script= envs= timeout=180 out=
firmware= kexec= holes= qextra=() q=()
while getopts "a:n:c:s:e:t:o:f:KH:q:" opt; do
	case "$opt" in
	a) arch=$OPTARG ;;
	n) nodes=$OPTARG ;;
	c) cmdline=$OPTARG ;;
	s) script=$OPTARG ;;
	e) envs=$OPTARG ;;
	t) timeout=$OPTARG ;;
	o) out=$OPTARG ;;
	f) firmware=$OPTARG ;;
	K) kexec=1 ;;
	H) holes=$OPTARG ;;
	q) read -r -a q <<< "$OPTARG"; qextra+=("${q[@]}") ;;
	*) exit 2 ;;
	esac
done
[ -n "$out" ] || { echo "boot.sh: -o OUTDIR is required" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

build=${PCARVE_OUT:-$top/out}
case "$arch" in
x86_64)	kernel=$build/build-x86_64/arch/x86/boot/bzImage ;;
arm64)	kernel=$build/build-arm64/arch/arm64/boot/Image ;;
*)	echo "boot.sh: unsupported arch $arch" >&2; exit 2 ;;
esac
# PCARVE_KERNEL: another image of the same arch (the debug kernel)
kernel=${PCARVE_KERNEL:-$kernel}
if [ -n "$holes" ] && { [ "$arch" != arm64 ] || [ -n "$firmware" ]; }; then
	echo "boot.sh: -H: arm64 device-tree boots only" >&2
	exit 2
fi
machine "$arch" "$nodes" "$firmware" || exit 2
cmdline=${machine_cmdline:+$machine_cmdline }$cmdline
initrd=$build/initramfs-$arch.cpio
[ -f "$kernel" ] && [ -f "$initrd" ] ||
	{ echo "boot.sh: build first (make): $kernel, $initrd" >&2; exit 2; }

# the script and its environment go in a second cpio appended to the base
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
{
	echo '#!/bin/sh'
	if [ -n "$kexec" ]; then
		cat <<'EOS'
# /kexec/initrd: initrd.base (the base initramfs and run.sh) plus /kexec,
# which the host cannot put inside itself
cat /kexec/initrd.base > /kexec/initrd
(cd / && printf 'kexec\nkexec/kernel\nkexec/initrd.base\n' |
	cpio -o -H newc -R 0:0 2>/dev/null) >> /kexec/initrd
EOS
	fi
	# -e is shell assignments; export them all
	printf 'set -a\n%s\nset +a\n' "$envs"
	if [ -n "$script" ]; then cat "$script"; else echo pcarve-pools; fi
} > "$stage/run.sh"
chmod +x "$stage/run.sh"
(cd "$stage" && echo run.sh | cpio -o -H newc -R 0:0 --quiet) > "$stage/run.cpio"
cat "$initrd" "$stage/run.cpio" > "$out/initrd"
if [ -n "$kexec" ]; then
	mkdir "$stage/kexec"
	cp "$kernel" "$stage/kexec/kernel"
	cp "$out/initrd" "$stage/kexec/initrd.base"
	(cd "$stage" && printf 'kexec\nkexec/kernel\nkexec/initrd.base\n' |
		cpio -o -H newc -R 0:0 --quiet) >> "$out/initrd"
fi

dtb=()
if [ -n "$holes" ]; then
	"$top/tests/harness/dtb-holes.sh" "$nodes" "$holes" "$out/holes.dtb"
	dtb=(-dtb "$out/holes.dtb")
fi

log=$out/console.log
rm -f "$log"
start=$(date +%s.%N)
set +e
# the peak resident memory of QEMU on the host (getrusage of the waited
# children: timeout and QEMU), into OUTDIR/rss_kb
python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$out/rss_kb" \
	timeout "$timeout" "${qemu[@]}" "${dtb[@]}" \
	-serial "file:$out/console.log" \
	-kernel "$kernel" -initrd "$out/initrd" \
	-append "console=$console panic=-1 $cmdline" "${qextra[@]}" \
	> "$out/qemu.log" 2>&1
qrc=$?
set -e
echo "$(date +%s.%N) $start" | awk '{ printf "%.1f\n", $1 - $2 }' > "$out/seconds"
rm -f "$out/initrd"

[ -f "$log" ] || { cat "$out/qemu.log" >&2; exit 1; }
finished=0
"$top/tests/harness/split-console.sh" "$out" && finished=1
if [ $qrc -eq 124 ]; then
	echo "boot.sh: guest timed out after ${timeout}s (see $log)" >&2
	exit 1
fi
[ $finished -eq 1 ] ||
	{ echo "boot.sh: guest did not finish (see $log)" >&2; exit 1; }
