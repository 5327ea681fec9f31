#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's linux-source-7.3 through apt with a private configuration
# (the machine's own apt sources are never touched), cache the .deb and the
# unpacked tree under $PCARVE_CACHE, and print the tree's path.
#
# Usage: fetch-source.sh            (prints the unpacked source directory)
set -euo pipefail
. "$(dirname "$0")/apt-private.sh"

cache=${PCARVE_CACHE:-$HOME/.cache/pcarve}
apt_dir=$cache/apt
suites=${PCARVE_SUITES:-"trixie-backports sid"}
pkg=linux-source-7.3

mkdir -p "$cache"
exec 9>"$cache/.fetch.lock"
flock 9

deb=$(ls "$cache"/${pkg}_7.3.*_all.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
	echo "pcarve: fetching $pkg from Debian ($suites) with a private apt config" >&2
	apt_private_update "$apt_dir" "$(dpkg --print-architecture)" "$suites" >&2
	(cd "$cache" && apt_private "$apt_dir" "$(dpkg --print-architecture)" "$suites" download "$pkg" >&2)
	deb=$(ls "$cache"/${pkg}_7.3.*_all.deb | sort -V | tail -n 1)
fi

ver=$(basename "$deb" | sed -e "s/^${pkg}_//" -e 's/_all\.deb$//')
src=$cache/src/$ver/linux-source-7.3
if [ ! -f "$src/.pcarve-unpacked" ]; then
	echo "pcarve: unpacking $pkg $ver" >&2
	rm -rf "$cache/src/$ver"
	mkdir -p "$cache/src/$ver/deb"
	dpkg-deb -x "$deb" "$cache/src/$ver/deb"
	# the tarball has 69 xz blocks: xz decompresses them in parallel
	tar -I 'xz -T0' -xf "$cache/src/$ver/deb/usr/src/linux-source-7.3.tar.xz" \
		-C "$cache/src/$ver"
	rm -rf "$cache/src/$ver/deb"
	grep -q '^PATCHLEVEL = 3$' "$src/Makefile" || {
		echo "pcarve: $src is not a 7.3 tree" >&2; exit 1; }
	touch "$src/.pcarve-unpacked"
fi
echo "$src"
