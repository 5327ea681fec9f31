#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks on what pcarve adds: checkpatch --strict on the new C files
# and on the hook patches, kernel-doc -Wall, the sysfs ABI entries, and a
# W=1 build with sparse (C=2) of mm/pcarve, fs/pcarvefs and the arch layer
# for each ARCH=BUILD_DIR given.
#
# Usage: lint.sh TREE [ARCH=BUILD_DIR ...]     (ARCH: x86_64 or arm64)
set -uo pipefail

tree=$(realpath "$1")
shift
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
rc=0
# git ls-files also lists a file deleted but not yet committed: keep only
# the files present in the working tree (a pattern without a match, such as
# the kho ABI header not written yet, lists nothing)
cfiles=$(git ls-files -- 'mm/pcarve/*.[ch]' 'include/linux/*pcarve*.h' \
	'include/linux/kho/abi/pcarve.h' 'arch/*/mm/pcarve.c' \
	'fs/pcarvefs/*.[ch]' 'include/uapi/linux/pcarvefs.h' |
	while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done)
hooks=$(compgen -G 'patches/*.patch')

# step NAME FILES: print the step's header; when FILES is empty, say the step
# is skipped instead and return false (given no file, checkpatch and
# kernel-doc read stdin or complain)
step() {
	if [ -z "$2" ]; then
		echo "== $1: no files, skipped"
		return 1
	fi
	echo "== $1"
}

if step "checkpatch --strict (new files)" "$cfiles"; then
	out=$(perl "$tree/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
		-f $cfiles | grep -E ': (ERROR|WARNING|CHECK):')
	[ -z "$out" ] || { echo "$out"; rc=1; }
fi

# from stdin: checkpatch takes a file tracked by git for a source file
if step "checkpatch --strict (hook patches)" "$hooks"; then
	for p in $hooks; do
		out=$(perl "$tree/scripts/checkpatch.pl" --no-tree --strict \
			--terse --ignore FILE_PATH_CHANGES,MISSING_SIGN_OFF - \
			< "$p" | grep -E ': (ERROR|WARNING|CHECK):')
		[ -z "$out" ] || { echo "$out"; rc=1; }
	done
fi

if step "kernel-doc -Wall" "$cfiles"; then
	"$tree/scripts/kernel-doc" -none -Wall $cfiles 2>&1 | grep . && rc=1
fi

echo "== sysfs ABI"
python3 "$tree/tools/docs/get_abi.py" -D Documentation/ABI/testing validate 2>&1 |
	grep -i warning && rc=1

sparse=$("$top/scripts/fetch-sparse.sh") || { echo "lint: no sparse"; exit 1; }
for ab in "$@"; do
	arch=${ab%%=*} build=$(realpath "${ab#*=}")
	case "$arch" in
	x86_64)	karch=x86 cross= ;;
	arm64)	karch=arm64 cross=aarch64-linux-gnu- ;;
	*)	echo "lint: unknown arch $arch"; rc=1; continue ;;
	esac
	echo "== W=1 build and sparse ($arch, Debian's sparse 0.6.5~rc1)"
	# C=2: sparse on every file named, built or not; its reports on the
	# kernel's own headers are not pcarve's, those on pcarve's files are
	out=$(nice -n 10 make -s -j"$(nproc)" -C "$tree" O="$build" \
		W=1 C=2 CHECK="$sparse" ARCH=$karch \
		CROSS_COMPILE=$cross CC="ccache ${cross}gcc" \
		mm/pcarve/ fs/pcarvefs/ arch/$karch/mm/pcarve.o 2>&1 |
		grep -E 'warning|error' |
		grep -E '(^|/)(mm/pcarve/|fs/pcarvefs/|arch/[a-z0-9]+/mm/pcarve\.c|include/linux/pcarve\.h|include/linux/kho/abi/pcarve\.h|include/uapi/linux/pcarvefs\.h)|^(cc1|make|gcc)')
	[ -z "$out" ] || { echo "$out"; rc=1; }
done
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
