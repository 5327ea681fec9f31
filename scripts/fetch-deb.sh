#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Download one Debian package for the guests (not for the host: it is
# unpacked, never installed) with a private apt configuration, cache it
# under $PCARVE_CACHE and print the directory it was unpacked in.
#
# Usage: fetch-deb.sh DEBARCH SUITE PACKAGE      (DEBARCH all: Architecture: all)
set -euo pipefail
. "$(dirname "$0")/apt-private.sh"

debarch=$1 suite=$2 pkg=$3
# apt lists Architecture: all packages under every architecture
[ "$debarch" != all ] || debarch=$(dpkg --print-architecture)
cache=${PCARVE_CACHE:-$HOME/.cache/pcarve}
dir=$cache/deb/$suite-$debarch/$pkg
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ ! -f "$dir/.unpacked" ]; then
	echo "pcarve: fetching $pkg ($debarch) from Debian $suite" >&2
	apt_private_update "$cache/deb/$suite-$debarch/apt" "$debarch" \
		"$suite" >&2
	rm -rf "$dir/root" "$dir"/*.deb
	(cd "$dir" && apt_private "$cache/deb/$suite-$debarch/apt" \
		"$debarch" "$suite" download "$pkg" >&2)
	dpkg-deb -x "$dir"/"${pkg}"_*.deb "$dir/root"
	touch "$dir/.unpacked"
fi
echo "$dir/root"
