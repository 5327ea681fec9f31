#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks on what pcarve adds: checkpatch --strict on the new C files
# and on the hook patches, kernel-doc -Wall, the sysfs ABI entries, and a
# W=1 build of mm/pcarve and the arch layer for each ARCH=BUILD_DIR given.
#
# Usage: lint.sh TREE [ARCH=BUILD_DIR ...]     (ARCH: x86_64 or arm64)
set -uo pipefail

tree=$(realpath "$1")
shift
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
rc=0
cfiles=$(git ls-files -- 'mm/pcarve/*.[ch]' 'include/linux/*pcarve*.h' \
	'include/linux/kho/abi/pcarve.h' 'arch/*/mm/pcarve.c')

echo "== checkpatch --strict (new files)"
out=$(perl "$tree/scripts/checkpatch.pl" --no-tree --strict --terse \
	--show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $cfiles |
	grep -E ': (ERROR|WARNING|CHECK):')
[ -z "$out" ] || { echo "$out"; rc=1; }

# from stdin: checkpatch takes a file tracked by git for a source file
echo "== checkpatch --strict (hook patches)"
for p in patches/*.patch; do
	out=$(perl "$tree/scripts/checkpatch.pl" --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,MISSING_SIGN_OFF - < "$p" |
		grep -E ': (ERROR|WARNING|CHECK):')
	[ -z "$out" ] || { echo "$out"; rc=1; }
done

echo "== kernel-doc -Wall"
"$tree/scripts/kernel-doc" -none -Wall $cfiles 2>&1 | grep . && rc=1

echo "== sysfs ABI"
python3 "$tree/tools/docs/get_abi.py" -D sysfs-ABI validate 2>&1 |
	grep -i warning && rc=1

for ab in "$@"; do
	arch=${ab%%=*} build=$(realpath "${ab#*=}")
	case "$arch" in
	x86_64)	karch=x86 cross= ;;
	arm64)	karch=arm64 cross=aarch64-linux-gnu- ;;
	*)	echo "lint: unknown arch $arch"; rc=1; continue ;;
	esac
	echo "== W=1 build ($arch)"
	out=$(make -s -C "$tree" O="$build" W=1 ARCH=$karch \
		CROSS_COMPILE=$cross CC="ccache ${cross}gcc" \
		mm/pcarve/ arch/$karch/mm/pcarve.o 2>&1 | grep -E 'warning|error')
	[ -z "$out" ] || { echo "$out"; rc=1; }
done
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
