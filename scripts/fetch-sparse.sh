#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A sparse that 7.3 accepts (scripts/checker-valid.sh: __typeof_unqual__),
# which bookworm's 0.6.4 is not: Debian's sparse source package from
# unstable (0.6.5~rc1), fetched with a private apt configuration and built
# here (no LLVM, GTK or libxml parts), cached under $PCARVE_CACHE.  Prints
# the path of the sparse binary.
#
# Usage: fetch-sparse.sh
set -euo pipefail

cache=${PCARVE_CACHE:-$HOME/.cache/pcarve}
dir=$cache/sparse
want=0.6.5~rc1
bin=$dir/$want/bin/sparse
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ ! -x "$bin" ]; then
	echo "pcarve: building sparse $want from Debian's source package" >&2
	apt=$dir/apt
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/state"
	[ -f "$apt/state/status" ] || : > "$apt/state/status"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main" \
		> "$apt/sources.list"
	opts=(-o "Dir::Etc::SourceList=$apt/sources.list"
	      -o "Dir::Etc::SourceParts=/dev/null"
	      -o "Dir::State::Lists=$apt/lists"
	      -o "Dir::State::Status=$apt/state/status"
	      -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root")
	src=$(mktemp -d)
	trap 'rm -rf "$src"' EXIT
	for try in 1 2 3; do
		apt-get -q "${opts[@]}" update >&2 && break
		[ "$try" -lt 3 ] || exit 1
		sleep $((try * 5))
	done
	(cd "$src" && apt-get -q "${opts[@]}" source --download-only \
		"sparse=$want-2" >&2 &&
	 dpkg-source -x ./*.dsc tree >&2)
	# Debian's build pins gcc-16; this machine's gcc does
	make -s -C "$src/tree" CC=gcc HAVE_LLVM=no HAVE_GTK=no \
		HAVE_LIBXML=no PREFIX="$dir/$want" install >&2
fi
echo "$bin"
