#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make a device tree for an arm64 guest whose memory has holes: QEMU virt's
# own tree for the machine boot.sh boots with these nodes (same code path,
# tests/harness/machine.sh), plus a /reserved-memory child per hole, so that
# memblock sees the ranges reserved (not no-map: still memory, with struct
# pages) and pools have to be carved around them.
#
# Usage: dtb-holes.sh NODES HOLES OUT.dtb
#
#   NODES  one memory size per NUMA node, as boot.sh -n (e.g. 4G,2G,2G)
#   HOLES  comma-separated ADDR:SIZE, each 0x-hex or decimal bytes with an
#          optional K/M/G/T suffix, e.g. 0x100000000:2M,0x140000000:1G
#
# boot.sh -a arm64 -H HOLES runs this and boots with -dtb OUT.dtb.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/harness/machine.sh
. "$top/tests/harness/machine.sh"

[ $# -eq 3 ] || { echo "usage: dtb-holes.sh NODES HOLES OUT.dtb" >&2; exit 2; }
nodes=$1 holes=$2 dtb=$3
command -v dtc >/dev/null ||
	{ echo "dtb-holes.sh: no dtc (package device-tree-compiler)" >&2; exit 2; }

# "0x1000", "4096", "2M", "0x40000000" -> bytes
bytes() {
	case "$1" in
	0x*[!0-9a-fA-F]*|0x) ;;
	0x*)		echo $(($1)); return ;;
	*[!0-9KMGT]*|'') ;;
	*[0-9])		echo $((10#$1)); return ;;
	*)		numfmt --from=iec "$1" 2>/dev/null && return ;;
	esac
	echo "dtb-holes.sh: bad number '$1'" >&2
	return 1
}

machine arm64 "$nodes" "" || exit 2
# virt's RAM starts at 1 GiB; the nodes follow each other from there
base=$((0x40000000)) end=$((0x40000000 + machine_mem))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${qemu[@]}" -machine "dumpdtb=$tmp/virt.dtb" > "$tmp/qemu.log" 2>&1 ||
	{ cat "$tmp/qemu.log" >&2; exit 1; }
dtc -q -I dtb -O dts -o "$tmp/virt.dts" "$tmp/virt.dtb"

# dtc merges a second "/ { }" into the tree, an existing reserved-memory
# node included
{
	cat "$tmp/virt.dts"
	printf '\n/ {\n\treserved-memory {\n'
	printf '\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n'
	printf '\t\tranges;\n'
	for hole in ${holes//,/ }; do
		[[ $hole == *:* ]] ||
			{ echo "dtb-holes.sh: '$hole' is not ADDR:SIZE" >&2; exit 2; }
		addr=$(bytes "${hole%%:*}") && size=$(bytes "${hole#*:}") || exit 2
		if [ "$size" -le 0 ] || [ "$addr" -lt $base ] ||
		   [ $((addr + size)) -gt $end ]; then
			printf 'dtb-holes.sh: %s: %s 0x%x-0x%x\n' "$hole" \
				"empty, or not inside RAM" $base $((end - 1)) >&2
			exit 2
		fi
		printf '\t\tpcarve-hole@%x {\n' "$addr"
		printf '\t\t\treg = <0x%x 0x%x 0x%x 0x%x>;\n' \
			$((addr >> 32)) $((addr & 0xffffffff)) \
			$((size >> 32)) $((size & 0xffffffff))
		printf '\t\t};\n'
	done
	printf '\t};\n};\n'
} > "$tmp/holes.dts"
dtc -q -I dts -O dtb -o "$dtb" "$tmp/holes.dts"
