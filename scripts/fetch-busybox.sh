#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of a static busybox for the guest architecture: the host's
# own (package busybox-static) when the guest is the host's architecture,
# otherwise Debian's busybox-static for that architecture, downloaded with a
# private apt configuration (not installed) and cached under $PCARVE_CACHE.
#
# Usage: fetch-busybox.sh ARCH
set -euo pipefail
. "$(dirname "$0")/apt-private.sh"

case "$1" in
x86_64)	debarch=amd64 ;;
arm64)	debarch=arm64 ;;
*)	echo "pcarve: unknown ARCH=$1" >&2; exit 1 ;;
esac
if [ "$debarch" = "$(dpkg --print-architecture)" ]; then
	echo /bin/busybox
	exit 0
fi

cache=${PCARVE_CACHE:-$HOME/.cache/pcarve}
dir=$cache/busybox-$debarch
suite=${PCARVE_USERLAND_SUITE:-bookworm}
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ ! -x "$dir/root/bin/busybox" ]; then
	echo "pcarve: fetching busybox-static:$debarch from Debian $suite" >&2
	apt_private "$dir/apt" "$debarch" "$suite" update >&2
	rm -f "$dir"/*.deb
	(cd "$dir" && apt_private "$dir/apt" "$debarch" "$suite" \
		download "busybox-static:$debarch" >&2)
	rm -rf "$dir/root"
	dpkg-deb -x "$dir"/busybox-static_*_"$debarch".deb "$dir/root"
fi
echo "$dir/root/bin/busybox"
