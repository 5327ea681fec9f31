#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest userland: Debian's static busybox for ARCH, the guest scripts of
# tests/guest/ and the selftests of tools/testing/selftests/pcarve/, compiled static
# against the kernel's nolibc, packed as a newc cpio.
#
# Usage: build-initramfs.sh ARCH TREE BUILD_DIR OUT.cpio
set -euo pipefail

arch=$1 tree=$(realpath "$2") build=$(realpath "$3") out=$4
top=$(cd "$(dirname "$0")/.." && pwd)
case "$arch" in
x86_64)	cc=gcc ;;
# no outline atomics: their helpers in libgcc need getauxval(), which nolibc
# has not (the harness's fixtures use __atomic builtins)
arm64)	cc="aarch64-linux-gnu-gcc -mno-outline-atomics" ;;
*)	echo "pcarve: unknown ARCH=$arch" >&2; exit 1 ;;
esac
busybox=$("$top/scripts/fetch-busybox.sh" "$arch")

root=$(mktemp -d)
# mktemp makes it 0700: the guest's / must let unprivileged tests through
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,pcarve}
cp "$busybox" "$root/bin/busybox"
cp "$top/tests/guest/init" "$root/init"
for f in "$top"/tests/guest/*; do
	[ "$(basename "$f")" = init ] || cp "$f" "$root/pcarve/"
done

for src in "$top"/tools/testing/selftests/pcarve/*.c; do
	prog=$(basename "$src" .c)
	$cc -static -Os -Wall -Werror -nostdlib -nostdinc \
		-fno-asynchronous-unwind-tables -fno-ident \
		-I "$tree/tools/include/nolibc" -I "$build/hdr/include" \
		-I "$tree/tools/testing/selftests" \
		-o "$root/pcarve/$prog" "$src" -lgcc
done

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
echo "pcarve: $arch initramfs: $out ($(du -k "$out" | cut -f1) KiB)" >&2
