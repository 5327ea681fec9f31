#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the pcarve test kernel in QEMU (TCG) with NUMA nodes, run a script in
# the guest and bring its output back.
#
# Usage: boot.sh -o OUTDIR [-a x86_64|arm64] [-n 2G,2G,...] [-c "cmdline"]
#                [-s script] [-e "VAR=value ..."] [-t timeout] [-f uefi]
#
#   -n   one memory size per NUMA node (node 0 gets the CPU)
#   -c   extra kernel command line
#   -s   shell script run as /run.sh in the guest (default: the pool table)
#   -e   environment for the script
#   -f   arm64 only: boot through UEFI firmware (scripts/fetch-firmware.sh)
#        with acpi=force, so that NUMA comes from the ACPI SRAT instead of
#        the device tree
#
# Writes OUTDIR/console.log (the whole serial console), OUTDIR/result (what
# the script printed), OUTDIR/rc (its exit code), OUTDIR/dmesg (the guest's
# kernel log at the end) and OUTDIR/seconds (wall time of the boot).
# Exits 0 when the guest ran the script to the end, 1 otherwise.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
arch=${ARCH:-x86_64} nodes=2G,2G cmdline= script= envs= timeout=180 out=
firmware=
while getopts "a:n:c:s:e:t:o:f:" opt; do
	case "$opt" in
	a) arch=$OPTARG ;;
	n) nodes=$OPTARG ;;
	c) cmdline=$OPTARG ;;
	s) script=$OPTARG ;;
	e) envs=$OPTARG ;;
	t) timeout=$OPTARG ;;
	o) out=$OPTARG ;;
	f) firmware=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$out" ] || { echo "boot.sh: -o OUTDIR is required" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

build=${PCARVE_OUT:-$top/out}
case "$arch" in
x86_64)
	kernel=$build/build-x86_64/arch/x86/boot/bzImage
	qemu=(qemu-system-x86_64 -M q35 -cpu max)
	console=ttyS0 ;;
arm64)
	# NUMA nodes reach the guest as numa-node-id in QEMU's device tree;
	# pauth-impdef keeps TCG's pointer authentication cheap
	kernel=$build/build-arm64/arch/arm64/boot/Image
	qemu=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on)
	console=ttyAMA0
	if [ "$firmware" = uefi ]; then
		qemu+=(-bios "$("$top/scripts/fetch-firmware.sh")")
		cmdline="acpi=force $cmdline"
		firmware=
	fi ;;
*)	echo "boot.sh: unsupported arch $arch" >&2; exit 2 ;;
esac
[ -z "$firmware" ] ||
	{ echo "boot.sh: -f $firmware: only -f uefi, on arm64" >&2; exit 2; }
initrd=$build/initramfs-$arch.cpio
[ -f "$kernel" ] && [ -f "$initrd" ] ||
	{ echo "boot.sh: build first (make): $kernel, $initrd" >&2; exit 2; }

# the script and its environment go in a second cpio appended to the base
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
{
	echo '#!/bin/sh'
	# -e is shell assignments; export them all
	printf 'set -a\n%s\nset +a\n' "$envs"
	if [ -n "$script" ]; then cat "$script"; else echo pcarve-pools; fi
} > "$stage/run.sh"
chmod +x "$stage/run.sh"
(cd "$stage" && echo run.sh | cpio -o -H newc -R 0:0 --quiet) > "$stage/run.cpio"
cat "$initrd" "$stage/run.cpio" > "$out/initrd"

mem=0 numa=()
i=0
for size in ${nodes//,/ }; do
	numa+=(-object "memory-backend-ram,id=m$i,size=$size,reserve=off")
	if [ $i -eq 0 ]; then
		numa+=(-numa "node,nodeid=$i,memdev=m$i,cpus=0")
	else
		numa+=(-numa "node,nodeid=$i,memdev=m$i")
	fi
	mem=$((mem + $(numfmt --from=iec "$size")))
	i=$((i + 1))
done

start=$(date +%s.%N)
set +e
timeout "$timeout" "${qemu[@]}" -accel tcg -smp 1 -m "$((mem / 1048576))M" \
	"${numa[@]}" -nodefaults -display none -no-reboot -monitor none \
	-serial "file:$out/console.log" \
	-kernel "$kernel" -initrd "$out/initrd" \
	-append "console=$console panic=-1 $cmdline" > "$out/qemu.log" 2>&1
qrc=$?
set -e
echo "$(date +%s.%N) $start" | awk '{ printf "%.1f\n", $1 - $2 }' > "$out/seconds"
rm -f "$out/initrd"

log=$out/console.log
tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
sed -n '/^@@PCARVE-BEGIN@@$/,/^@@PCARVE-RC [0-9]*@@$/p' "$log" |
	sed '1d;$d' > "$out/result"
sed -n 's/^@@PCARVE-RC \([0-9]*\)@@$/\1/p' "$log" > "$out/rc"
sed -n '/^@@PCARVE-DMESG@@$/,/^@@PCARVE-END@@$/p' "$log" | sed '1d;$d' \
	> "$out/dmesg"
if [ $qrc -eq 124 ]; then
	echo "boot.sh: guest timed out after ${timeout}s (see $log)" >&2
	exit 1
fi
grep -q '^@@PCARVE-END@@$' "$log" ||
	{ echo "boot.sh: guest did not finish (see $log)" >&2; exit 1; }
