#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks on what pcarve adds: checkpatch --strict on the new C files
# and on the hook patches, kernel-doc -Wall, the sysfs ABI entries, and for
# each ARCH=BUILD_DIR given: W=1 (mm/pcarve and fs/pcarvefs are always built
# with its flags, and in make check with -Werror: checked in the build's
# command lines; the arch layer is compiled again with W=1) and sparse (C=2)
# on every pcarve file.
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

# The flags scripts/Makefile.warn adds for W=1 (+FLAG), and those it turns
# off unless W=1 (-FLAG: a W=1 build has FLAG on), for gcc
w1_flags() {
	awk '
	function flags(line, sign,	n, i, t) {
		sub(/#.*/, "", line)
		n = split(line, t, /[ \t(),]+/)
		for (i = 1; i <= n; i++)
			if (t[i] ~ /^-[WD]/)
				print sign t[i]
	}
	/^ifneq \(\$\(findstring 1, \$\(KBUILD_EXTRA_WARN\)\),\)/ { in1 = 1; next }
	!in1 { next }
	/^if/ { depth++; skip[depth] = ($0 ~ /CONFIG_CC_IS_CLANG/); next }
	/^else/ && depth == 0 { off = 1; next }
	/^endif/ { if (depth == 0) exit; depth--; next }
	{ for (i = 1; i <= depth; i++) if (skip[i]) next }
	/^KBUILD_C(PP)?FLAGS/ { flags($0, off ? "-" : "+") }
	' "$tree/scripts/Makefile.warn"
}

# w1_check BUILD: every C file of mm/pcarve and fs/pcarvefs was compiled
# with W=1's flags (mm/pcarve/Makefile.warn), the last of -Wx/-Wno-x being
# -Wx, and with -Werror (CONFIG_WERROR), so that the build itself failed on
# any W=1 warning; prints what is wrong, returns false then
w1_check() {
	local build=$1 n=0 bad=0 cmd f
	local -a want

	mapfile -t want < <(w1_flags)
	[ ${#want[@]} -ge 8 ] || { echo "lint: W=1 flags not found in scripts/Makefile.warn"; return 1; }
	while read -r cmd; do
		grep -q ' -c -o ' "$cmd" || continue
		n=$((n + 1))
		f=$(awk -v want="${want[*]}" '
		/^savedcmd_/ {
			nw = split(want, w, " ")
			for (i = 1; i <= NF; i++) last[$i] = i
			for (j = 1; j <= nw; j++) {
				x = substr(w[j], 2)
				if (x ~ /^-Wno-/)	# -Wno-x off unless W=1: -Wx
					sub(/^-Wno-/, "-W", x)
				neg = x; sub(/^-W/, "-Wno-", neg)
				if (!(x in last) || (neg in last && last[neg] > last[x]))
					printf "%s ", x
			}
			if (!("-Werror" in last))
				printf "-Werror "
		}' "$cmd")
		[ -z "$f" ] || { echo "${cmd#"$build"/}: not in effect: $f"; bad=1; }
	done < <(find "$build/mm/pcarve" "$build/fs/pcarvefs" -name '.*.o.cmd')
	[ "$n" -ge 10 ] || { echo "lint: only $n pcarve objects in $build"; bad=1; }
	w1_probe "$build" || bad=1
	echo "W=1 flags (${#want[@]} from scripts/Makefile.warn) and -Werror: $n objects"
	return $bad
}

# w1_probe BUILD: the command line that compiled mm/pcarve/parse.o, on a
# file with a W=1 warning that W=0 turns off (an unused static const), must
# fail: the check above cannot pass on flags that do not work
w1_probe() {
	local build=$1 cmd probe out

	cmd=$(sed -n 's/^savedcmd_[^ ]* := //p' "$build/mm/pcarve/.parse.o.cmd")
	cmd=${cmd%%;*}
	cmd=${cmd%% -c -o *}
	cmd=$(sed -E 's/ -Wp,-MMD,[^ ]+//' <<< "$cmd")
	probe=$(mktemp --suffix=.c)
	echo 'static const int pcarve_w1_probe = 1;' > "$probe"
	out=$(cd "$build" && CCACHE_DISABLE=1 sh -c "$cmd -c -o /dev/null $probe" 2>&1)
	local rc=$?
	rm -f "$probe"
	if [ $rc -eq 0 ] || ! grep -q 'error: .*-Werror=unused-const-variable' <<< "$out"; then
		echo "lint: a W=1 warning does not fail mm/pcarve's compile (rc $rc): $out"
		return 1
	fi
}

sparse=$("$top/scripts/fetch-sparse.sh") || { echo "lint: no sparse"; exit 1; }
# reports of sparse or of the compiler on pcarve's files (not on the
# kernel's own headers)
pcarve_reports() {
	grep -E 'warning|error' |
	grep -E '(^|/)(mm/pcarve/|fs/pcarvefs/|arch/[a-z0-9]+/mm/pcarve\.c|include/linux/pcarve\.h|include/linux/kho/abi/pcarve\.h|include/uapi/linux/pcarvefs\.h)|^(cc1|make|gcc)'
}
for ab in "$@"; do
	arch=${ab%%=*} build=$(realpath "${ab#*=}")
	case "$arch" in
	x86_64)	karch=x86 cross= ;;
	arm64)	karch=arm64 cross=aarch64-linux-gnu- ;;
	*)	echo "lint: unknown arch $arch"; rc=1; continue ;;
	esac
	kmake=(nice -n 10 make -s -j"$(nproc)" -C "$tree" O="$build"
	       CHECK="$sparse" ARCH=$karch CROSS_COMPILE=$cross
	       CC="ccache ${cross}gcc")
	echo "== W=1 and sparse ($arch, Debian's sparse 0.6.5~rc1)"
	out=$(w1_check "$build") || { echo "$out"; rc=1; }
	echo "$out" | tail -1
	# C=2: sparse on every file named, built or not (the build is up to
	# date: nothing is compiled again)
	out=$("${kmake[@]}" C=2 mm/pcarve/ fs/pcarvefs/ 2>&1 | pcarve_reports)
	[ -z "$out" ] || { echo "$out"; rc=1; }
	# the arch layer is one file of the arch's own directory: compiled
	# again here with W=1
	out=$("${kmake[@]}" W=1 C=2 arch/$karch/mm/pcarve.o 2>&1 | pcarve_reports)
	[ -z "$out" ] || { echo "$out"; rc=1; }
done
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
