#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of a static busybox for the guest architecture: the host's
# own (package busybox-static) when the guest is the host's architecture,
# otherwise Debian's busybox-static for that architecture, downloaded and
# unpacked by fetch-deb.sh (not installed).
#
# Usage: fetch-busybox.sh ARCH
set -euo pipefail

case "$1" in
x86_64)	debarch=amd64 ;;
arm64)	debarch=arm64 ;;
*)	echo "pcarve: unknown ARCH=$1" >&2; exit 1 ;;
esac
if [ "$debarch" = "$(dpkg --print-architecture)" ]; then
	echo /bin/busybox
	exit 0
fi
root=$("$(dirname "$0")/fetch-deb.sh" "$debarch" \
	"${PCARVE_USERLAND_SUITE:-bookworm}" busybox-static)
echo "$root/bin/busybox"
