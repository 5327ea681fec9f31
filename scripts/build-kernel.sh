#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configure (tinyconfig + configs/common.config + configs/$ARCH.config) and
# build the kernel image and the uapi headers for one architecture.
#
# Usage: build-kernel.sh ARCH TREE BUILD_DIR
#
# PCARVE_DEBUG=1: configs/debug.config on top (KASAN, lockdep, DEBUG_VM,
# DEBUG_LIST, kmemleak), for the debug kernel of make check.
#
# PCARVE_PARTIAL=1 (make patches-check, a step of the series): configure
# every time, since TREE's Kconfig changes under the same repo files, only
# count the fragment options the step does not have yet, and build without
# CONFIG_WERROR.
set -euo pipefail

arch=$1
tree=$(realpath "$2")
mkdir -p "$3"
build=$(realpath "$3")
top=$(cd "$(dirname "$0")/.." && pwd)
case "$arch" in
x86_64)	karch=x86_64; cross=; image=arch/x86/boot/bzImage ;;
arm64)	karch=arm64; cross=aarch64-linux-gnu-; image=arch/arm64/boot/Image ;;
*)	echo "pcarve: unknown ARCH=$arch" >&2; exit 1 ;;
esac

export CCACHE_DIR=${CCACHE_DIR:-${PCARVE_CACHE:-$HOME/.cache/pcarve}/ccache}
export CCACHE_BASEDIR=$top
export CCACHE_NOHASHDIR=1
# depend mode: a miss is one compile, without a preprocessor run first to
# hash its output (about a third of a compile, measured on mm/: a build
# with an empty cache takes a quarter less); kbuild's -Wp,-MMD gives ccache
# the dependencies instead
export CCACHE_DEPEND=1
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
export KBUILD_BUILD_USER=pcarve KBUILD_BUILD_HOST=pcarve
jobs=${JOBS:-$(nproc)}
mk=(make -s -C "$tree" O="$build" ARCH="$karch" CROSS_COMPILE="$cross"
    CC="ccache ${cross}gcc" -j"$jobs")

# What the configure step reads from the repo, relative to $top: the
# fragments, every Kconfig file of the overlay (mm/pcarve/Kconfig) and every
# patch to a Kconfig file of the base (mm/Kconfig exists here only as its
# patch).  Kbuild's own syncconfig follows a Kconfig edit, but silently drops
# a fragment option whose dependencies the edit broke: such an edit must
# re-run the merge and the "config lost" check below.
config_inputs() (
	cd "$top"
	echo configs/common.config
	echo "configs/$arch.config"
	[ -z "${PCARVE_DEBUG:-}" ] || echo configs/debug.config
	{
		if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
			git ls-files -- ':(glob)**/Kconfig*'
		else	# as prepare-tree.sh's overlay_files
			find mm include arch Documentation kernel drivers fs \
				-type f -name 'Kconfig*' 2>/dev/null || true
		fi
		for p in patches/*.patch; do
			if grep -Eqs '^\+\+\+ b/([^[:space:]]*/)?Kconfig[^/[:space:]]*([[:space:]]|$)' "$p"; then
				echo "$p"
			fi
		done
	} | LC_ALL=C sort -u | while read -r f; do
		# git ls-files still lists a file deleted but not committed
		if [ -f "$f" ]; then echo "$f"; fi
	done
)

mkdir -p "$build"
frags=("$top/configs/common.config" "$top/configs/$arch.config")
[ -z "${PCARVE_DEBUG:-}" ] || frags+=("$top/configs/debug.config")
# a step of the series builds as it did before common.config turned on
# CONFIG_WERROR: its W=1 warnings are not checked yet (see README)
if [ -n "${PCARVE_PARTIAL:-}" ]; then
	echo '# CONFIG_WERROR is not set' > "$build/.pcarve-partial.config"
	frags+=("$build/.pcarve-partial.config")
fi
mapfile -t inputs < <(config_inputs)
stamp=$(cd "$top" && sha1sum -- "${inputs[@]}" | sha1sum | cut -d' ' -f1)
[ -z "${PCARVE_PARTIAL:-}" ] || stamp=partial-$RANDOM
if [ ! -f "$build/.config" ] || [ "$(cat "$build/.pcarve-config" 2>/dev/null)" != "$stamp" ]; then
	echo "pcarve: configuring $arch (tinyconfig + fragments)" >&2
	"${mk[@]}" tinyconfig >/dev/null
	KCONFIG_CONFIG="$build/.config" "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$build" "$build/.config" "${frags[@]}" >/dev/null
	"${mk[@]}" olddefconfig >/dev/null
	# every option of the fragments must have survived olddefconfig
	# (the last fragment that names an option decides it, as in
	# merge_config.sh: debug.config may switch off what x86_64.config
	# switches on)
	declare -A want=()
	for f in "${frags[@]}"; do
		while read -r line; do
			case "$line" in
			CONFIG_*)	opt=${line%%=*} ;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }; opt=${opt%% *} ;;
			*)	continue ;;
			esac
			want[$opt]=$line
		done < "$f"
	done
	bad=0
	for opt in "${!want[@]}"; do
		line=${want[$opt]}
		case "$line" in
		CONFIG_*)	grep -qxF "$line" "$build/.config" && continue ;;
		*)		grep -q "^$opt=" "$build/.config" || continue ;;
		esac
		bad=$((bad + 1))
		[ -n "${PCARVE_PARTIAL:-}" ] ||
			echo "pcarve: config lost: $line" >&2
	done
	if [ -n "${PCARVE_PARTIAL:-}" ]; then
		echo "pcarve: $bad options of the fragments not in this tree yet" >&2
	elif [ "$bad" -ne 0 ]; then
		exit 1
	fi
	echo "$stamp" > "$build/.pcarve-config"
fi
echo "pcarve: building $arch kernel in $build" >&2
start=$(date +%s)
"${mk[@]}" "${image#arch/*/boot/}" headers_install INSTALL_HDR_PATH="$build/hdr"
echo "pcarve: $arch kernel built in $(( $(date +%s) - start ))s: $build/$image" >&2
