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

# w1_missing CMDFILE FLAG...: the FLAGs of w1_flags that the command line
# of CMDFILE does not have in effect: a +flag must be there with no -Wno-
# form after it, a -Wno-x flag (W=0 only) must be gone or followed by -Wx;
# and -Werror must be there, after any -Wno-error
w1_missing() {
	awk -v want="${*:2}" '
	/^savedcmd_/ {
		nw = split(want, w, " ")
		for (i = 1; i <= NF; i++) last[$i] = i
		for (j = 1; j <= nw; j++) {
			x = substr(w[j], 2)
			if (substr(w[j], 1, 1) == "+") {
				neg = x; sub(/^-W/, "-Wno-", neg)
				if (!(x in last) || (x ~ /^-W/ && neg in last && last[neg] > last[x]))
					printf "%s ", x
			} else {
				pos = x; sub(/^-Wno-/, "-W", pos)
				if (x in last && !(pos in last && last[pos] > last[x]))
					printf "%s ", x
			}
		}
		if (!("-Werror" in last) || ("-Wno-error" in last && last["-Wno-error"] > last["-Werror"]))
			printf "-Werror "
	}' "$1"
}

# w1_check BUILD: every C file of mm/pcarve and fs/pcarvefs was compiled
# with W=1's flags (mm/pcarve/Makefile.warn) and with -Werror
# (CONFIG_WERROR), so that the build itself failed on any W=1 warning;
# prints what is wrong and returns false then
w1_check() {
	local build=$1 bad=0 cmd f d n
	local -a want=("${w1[@]}")

	[ ${#want[@]} -ge 8 ] || { echo "lint: W=1 flags not found in scripts/Makefile.warn"; return 1; }
	for d in mm/pcarve fs/pcarvefs; do
		n=0
		while read -r cmd; do
			grep -q ' -c -o ' "$cmd" || continue
			n=$((n + 1))
			f=$(w1_missing "$cmd" "${want[@]}")
			[ -z "$f" ] || { echo "${cmd#"$build"/}: not in effect: $f"; bad=1; }
		done < <(find "$build/$d" -name '.*.o.cmd' ! -name '.*.mod.o.cmd')
		[ "$n" -ge 4 ] || { echo "lint: only $n objects in $build/$d"; bad=1; }
		echo "$d: W=1 flags (${#want[@]} from scripts/Makefile.warn) and -Werror on $n objects"
	done
	w1_probe "$build" || bad=1
	return $bad
}

# compile_again BUILD OBJ EXTRA...: the command line that compiled OBJ in
# BUILD, with EXTRA flags (and less the W=0 ones: W1_DROP), on SRC
# (default: OBJ's own source), to /dev/null: the build directory is left
# as it was
compile_again() {
	local build=$1 obj=$2 src=${SRC:-} cmd f
	shift 2
	cmd=$(sed -n 's/^savedcmd_[^ ]* := //p' "$build/$(dirname "$obj")/.$(basename "$obj").cmd")
	cmd=$(sed -E 's/;.*//; s/[[:space:]]+$//' <<< "$cmd")
	[ -n "$src" ] || src=${cmd##* }
	cmd=${cmd%% -c -o *}
	cmd=$(sed -E 's/ -Wp,-MMD,[^ ]+//' <<< "$cmd")
	for f in ${W1_DROP:-}; do
		cmd=$(sed -E "s/ $f( |$)/ /g" <<< "$cmd ")
	done
	(cd "$build" && CCACHE_DISABLE=1 sh -c "$cmd $* -c -o /dev/null $src" 2>&1)
}

# w1_probe BUILD: the command line that compiled mm/pcarve/parse.o, on a
# file with a W=1 warning that W=0 turns off (an unused static const), must
# fail: the check above cannot pass on flags that do not work
w1_probe() {
	local build=$1 probe out rc

	probe=$(mktemp --suffix=.c)
	echo 'static const int pcarve_w1_probe = 1;' > "$probe"
	out=$(SRC=$probe compile_again "$build" mm/pcarve/parse.o)
	rc=$?
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
# W=1's flags, once: what w1_check looks for, and what the arch layer is
# compiled with again (W=1's additions, less W=0's -Wno- flags)
mapfile -t w1 < <(w1_flags)
add=() drop=()
for f in "${w1[@]}"; do
	case "$f" in +*) add+=("${f#+}") ;; *) drop+=("${f#-}") ;; esac
done
for ab in "$@"; do
	arch=${ab%%=*} build=$(realpath "${ab#*=}")
	case "$arch" in
	x86_64)	karch=x86 cross= ;;
	arm64)	karch=arm64 cross=aarch64-linux-gnu- ;;
	*)	echo "lint: unknown arch $arch"; rc=1; continue ;;
	esac
	echo "== W=1 and sparse ($arch, Debian's sparse 0.6.5~rc1)"
	out=$(w1_check "$build") || rc=1
	echo "$out"
	# the arch layer is one file of the arch's own directory, built
	# without W=1's flags: compiled again with them (its command line
	# plus W=1's additions, less W=0's -Wno- flags), to /dev/null
	if ! out=$(W1_DROP="${drop[*]}" compile_again "$build" \
		"arch/$karch/mm/pcarve.o" "${add[@]}") || [ -n "$out" ]; then
		echo "arch/$karch/mm/pcarve.c at W=1: $out"
		rc=1
	fi
	# C=2: sparse on every file named, built or not; the build is up to
	# date and the flags are its own (ARCH as build-kernel.sh gives it),
	# so nothing is compiled again
	out=$(nice -n 10 make -s -j"$(nproc)" -C "$tree" O="$build" \
		C=2 CHECK="$sparse" ARCH=$arch CROSS_COMPILE=$cross \
		CC="ccache ${cross}gcc" mm/pcarve/ fs/pcarvefs/ \
		"arch/$karch/mm/pcarve.o" 2>&1 | pcarve_reports)
	[ -z "$out" ] || { echo "$out"; rc=1; }
done
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
