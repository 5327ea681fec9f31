#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The kernel's own static checks on what pcarve adds (run once, with W=1 and
# sparse for every architecture in PCARVE_LINT_BUILDS="arch=build_dir ...").
bats_require_minimum_version 1.5.0
load lib

TREE=$PCARVE_TOP/out/linux

@test "lint: checkpatch --strict, kernel-doc -Wall, sysfs ABI, W=1 are clean" {
	local builds=${PCARVE_LINT_BUILDS:-$ARCH=$PCARVE_TOP/out/build-$ARCH}

	run "$PCARVE_TOP/scripts/lint.sh" "$TREE" $builds
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lint: clean" ]]
	for b in $builds; do
		[[ "$output" == *"== W=1 and sparse (${b%%=*},"* ]]
	done
}

# make patches once for the tests below
series() {
	[ -f "$BATS_FILE_TMPDIR/patches.done" ] && return
	make -C "$PCARVE_TOP" --no-print-directory patches >&2
	: > "$BATS_FILE_TMPDIR/patches.done"
}

@test "patches: git am of the series on the pristine 7.3 tree gives exactly the overlaid tree" {
	local steps=$PCARVE_TOP/out/patches/steps t=$BATS_FILE_TMPDIR/am base repo f n

	series
	base=$(sed -n 's/^base //p' "$steps") repo=$(sed -n 's/^repo //p' "$steps")
	n=$(grep -c '^step ' "$steps")
	[ "$n" -ge 10 ]
	git clone -q --shared --no-checkout "$repo" "$t"
	# only the files the overlay changes are checked out (the whole tree
	# takes a minute to write); git am checks out any other file a patch
	# touches, and the comparison of the file lists below fails on it
	git -C "$t" sparse-checkout set --no-cone $(cat "$TREE/.pcarve-manifest")
	git -C "$t" checkout -q -b am "$base"
	# the pristine tree: nothing of pcarve in it
	[ -z "$(git -C "$t" ls-tree HEAD mm/pcarve include/linux/pcarve.h)" ]
	git -C "$t" -c user.name=t -c user.email=t@t am -q \
		$(ls "$PCARVE_TOP"/out/patches/0*.patch | grep -v 0000-cover-letter)
	[ "$(git -C "$t" rev-list --count "$base..HEAD")" = "$n" ]
	# the files it changes are those the overlay changes, byte for byte
	diff <(git -C "$t" diff --name-only "$base" HEAD | sort) \
		<(sort "$TREE/.pcarve-manifest")
	for f in $(cat "$TREE/.pcarve-manifest"); do
		cmp "$t/$f" "$TREE/$f"
	done
	# each patch is signed off by the repository's author
	for f in "$PCARVE_TOP"/out/patches/0*.patch; do
		case $f in *0000-cover-letter*) continue ;; esac
		grep -qxF "Signed-off-by: $(git -C "$PCARVE_TOP" config user.name) <$(git -C "$PCARVE_TOP" config user.email)>" "$f"
	done
	echo "# $n patches, $(git -C "$t" diff --shortstat "$base" HEAD)" >&3
	rm -rf "$t"
}

@test "patches: checkpatch --strict on every patch of the series: no error, no warning, only the checks series/checkpatch-allowed justifies" {
	local p out allowed=$PCARVE_TOP/series/checkpatch-allowed bad=0

	series
	for p in "$PCARVE_TOP"/out/patches/0*.patch; do
		case $p in *0000-cover-letter*) continue ;; esac
		out=$(cd "$TREE" && perl scripts/checkpatch.pl --strict --terse \
			--show-types "$p" | grep -E ': (ERROR|WARNING|CHECK):' || true)
		while read -r line; do
			[ -n "$line" ] || continue
			# "PATCH:line: CHECK:TYPE: ..." is allowed when the list
			# names its type and patch
			if [[ "$line" == *": CHECK:"* ]] &&
			   grep -v '^#' "$allowed" | awk '{ print $1, $2 }' |
			   grep -qxF "$(sed -E 's/^([^:]*):[0-9]+: CHECK:([A-Z_]+):.*/\2 \1/' <<< "${line#"${p%/*}/"}")"; then
				continue
			fi
			echo "$(basename "$p"): $line"
			bad=1
		done <<< "$out"
	done
	[ "$bad" -eq 0 ]
}
