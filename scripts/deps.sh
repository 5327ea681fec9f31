#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages pcarve needs to build, boot and test (as root),
# or print the apt-get line that would (as anyone else).  "deps.sh bench"
# adds what make bench needs (gnuplot).
set -euo pipefail

need=()
want() {	# want PACKAGE COMMAND-OR-FILE
	if [[ $2 == /* ]]; then
		[ -e "$2" ] || need+=("$1")
	else
		command -v "$2" >/dev/null 2>&1 || need+=("$1")
	fi
}
want make make
want gcc gcc
want flex flex
want bison bison
want bc bc
want patch patch
want cpio cpio
want rsync rsync
want ccache ccache
want xz-utils xz
want libelf-dev /usr/include/libelf.h
want libssl-dev /usr/include/openssl/ssl.h
want qemu-system-x86 qemu-system-x86_64
want qemu-system-arm qemu-system-aarch64
want device-tree-compiler dtc
want gcc-aarch64-linux-gnu aarch64-linux-gnu-gcc
want busybox-static /bin/busybox
want bats bats
want kexec-tools kexec
want python3 python3
want perl perl
want ca-certificates /etc/ssl/certs/ca-certificates.crt
# sparse for lint: built from Debian's source package (scripts/fetch-sparse.sh)
want dpkg-dev dpkg-source
# the pmem= fuzzer (scripts/fuzz.sh): clang with libFuzzer and sanitizers
want clang clang
want libclang-rt-dev "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || echo /nonexistent)"
[ "${1:-}" != bench ] || want gnuplot-nox gnuplot
[ "${#need[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "pcarve: missing packages; run as root:" >&2
	echo "  apt-get install -y ${need[*]}" >&2
	exit 1
fi
echo "pcarve: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -q update >&2
apt-get -q install -y --no-install-recommends "${need[@]}" >&2
