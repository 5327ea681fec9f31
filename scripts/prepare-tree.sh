#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lay the pcarve overlay on a copy of a 7.3 tree.
#
# Usage: prepare-tree.sh BASE_TREE OUT_TREE
#
# OUT_TREE is a hard-linked copy of BASE_TREE (cheap, and Kbuild never writes
# into a source tree when O= is used), or a plain copy when the two are on
# different filesystems.  Files named by patches/series are
# patched in a scratch copy and only replaced in OUT_TREE when their content
# changed, and overlay files likewise, so that an unchanged file keeps its
# mtime and an edit in mm/pcarve rebuilds only mm/pcarve.
set -euo pipefail

base=$(realpath "$1")
out=$2
top=$(cd "$(dirname "$0")/.." && pwd)

# Every overlay file is tracked by git; outside a git checkout fall back to find.
overlay_files() {
	local dirs="mm include arch Documentation kernel drivers fs tools"

	cd "$top"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -- $dirs
	else
		find $dirs -type f 2>/dev/null || true
	fi | sort -u
}

if [ ! -f "$out/.pcarve-base" ] || [ "$(cat "$out/.pcarve-base")" != "$base" ]; then
	rm -rf "$out"
	mkdir -p "$(dirname "$out")"
	# Hard links cannot cross filesystems (PCARVE_CACHE or KSRC on another
	# mount), and cp -al would then fail once per file: try one link first.
	probe=$(find "$base" -type f -print -quit)
	if [ -n "$probe" ] && ln "$probe" "$out.link-probe" 2>/dev/null; then
		rm -f "$out.link-probe"
		echo "pcarve: linking $base -> $out" >&2
		cp -al "$base" "$out"
	else
		echo "pcarve: cannot hard-link $base into $(dirname "$out") (another filesystem?): copying it with cp -a" >&2
		cp -a "$base" "$out"
	fi
	echo "$base" > "$out/.pcarve-base"
	: > "$out/.pcarve-manifest"
fi

# replace FILE in $out by SRC unless identical; never write through a hard link
install_if_changed() {
	local src=$1 dst=$out/$2
	if ! cmp -s "$src" "$dst" 2>/dev/null; then
		mkdir -p "$(dirname "$dst")"
		rm -f "$dst"
		cp "$src" "$dst"
		echo "  UPDATE  $2" >&2
	fi
}

# 1. patches, applied in series order in a scratch tree
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
patched=$(cd "$top" && while read -r p; do
		case "$p" in ''|'#'*) continue;; esac
		sed -n 's,^+++ b/\([^[:space:]]*\).*,\1,p' "patches/$p"
	  done < patches/series | sort -u)
for f in $patched; do
	mkdir -p "$scratch/$(dirname "$f")"
	[ -f "$base/$f" ] && cp "$base/$f" "$scratch/$f"
done
while read -r p; do
	case "$p" in ''|'#'*) continue;; esac
	# --fuzz=0: every context line must match, so that a 7.3.y whose
	# context changed stops here instead of taking a misplaced hunk;
	# -r -: no .rej file, which the message would name in a deleted scratch
	if ! msg=$(patch -p1 --fuzz=0 -r - -d "$scratch" --no-backup-if-mismatch \
			< "$top/patches/$p" 2>&1); then
		echo "pcarve: patch $p does not apply:" >&2
		echo "$msg" >&2
		exit 1
	fi
done < "$top/patches/series"

# 2. overlay files
overlay=$(overlay_files)

# files that were ours last time but are no longer: restore the base version
for f in $(cat "$out/.pcarve-manifest"); do
	if ! grep -qxF "$f" <<<"$patched"$'\n'"$overlay"; then
		rm -f "$out/$f"
		# a copied tree (see above) cannot take a link either
		[ -f "$base/$f" ] && { cp -l "$base/$f" "$out/$f" 2>/dev/null ||
			cp "$base/$f" "$out/$f"; }
		echo "  RESTORE $f" >&2
	fi
done
for f in $patched; do
	install_if_changed "$scratch/$f" "$f"
done
for f in $overlay; do
	install_if_changed "$top/$f" "$f"
done
printf '%s\n' $patched $overlay > "$out/.pcarve-manifest"
