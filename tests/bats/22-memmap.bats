#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# What each mode costs in memmap, side by side: nr_memmap_boot_pages of the
# same machine with no pool and with the same 2 GiB pool on node1 as
# nomap, hvo and map (1G granules), and hvo with 2M granules.
#  - nomap saves the whole memmap of the pool: 4096 pages per GiB;
#  - hvo (x86_64) keeps one vmemmap page per 1 GiB folio, like hugetlb's
#    pre-HVO bootmem pages: within 1 page per GiB of nomap;
#  - map pays the full memmap, as with no pool;
#  - hvo with 2M granules keeps one page per 2 MiB folio: printed.
# Both hvo figures leave out, as hugetlb's do, the vmemmap page tables of
# the trimmed range and the shared tail page: MemTotal shows them.
# On arm64 (no HVO) an hvo pool is a map pool.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,3G,3G

setup_file() {
	local s=$BATS_FILE_TMPDIR/memmap.sh

	cat "$(facts_script)" > "$s"
	cat >> "$s" <<'EOS'
echo "nodes_memtotal_kb=$(awk '/MemTotal/ { s += $4 } END { print s }' /sys/devices/system/node/node*/meminfo)"
EOS
	boot none "$NODES" "" "$s"
	boot nomap "$NODES" "pmem=node1:2G" "$s"
	boot hvo "$NODES" "pmem=node1:2G:hvo" "$s"
	boot map "$NODES" "pmem=node1:2G:map" "$s"
	boot hvo2m "$NODES" "pmem=node1:2G:hvo:2M" "$s"
}

@test "memmap: nr_memmap_boot_pages of a 2 GiB pool, none / nomap / hvo / map / hvo 2M" {
	local none=$(res none memmap_pages) nomap=$(res nomap memmap_pages)
	local hvo=$(res hvo memmap_pages) map=$(res map memmap_pages)
	local hvo2m=$(res hvo2m memmap_pages)

	printf '# %-10s %8s %8s\n' mode pages "vs none" >&3
	printf '# %-10s %8s %8s\n' none "$none" 0 \
		nomap "$nomap" $((nomap - none)) hvo "$hvo" $((hvo - none)) \
		map "$map" $((map - none)) "hvo 2M" "$hvo2m" $((hvo2m - none)) >&3
	echo "# hvo costs $((hvo - nomap)) pages over nomap for 2 GiB of 1G folios, hvo 2M $((hvo2m - nomap))" >&3
	# nomap: the full memmap of 2 GiB, 4096 pages per GiB
	[ $((none - nomap)) = 8192 ]
	# map: the full memmap, as with no pool
	[ "$map" = "$none" ]
	case "$ARCH" in
	x86_64)
		# hvo: exactly one page per folio (2 of 1 GiB, 1024 of 2 MiB)
		[ $((hvo - nomap)) = 2 ]
		[ $((hvo2m - nomap)) = 1024 ] ;;
	arm64)
		[ "$hvo" = "$map" ] ;;
	esac
}

# saved NAME: kB of memmap boot NAME saves over the boot without a pool
saved() { echo $(( ($(res none memmap_pages) - $(res "$1" memmap_pages)) * 4 )); }

@test "memmap: an hvo pool is direct-mapped System RAM like map; MemTotal falls by its size less the memmap it saves" {
	local none=$(res none memtotal_kb_1) b

	[ "$(res hvo direct_map_1)" = mapped ]
	[ "$(res hvo pcarve_iomem)" = 0 ]
	[ $((none - $(res map memtotal_kb_1))) = 2097152 ]
	# what nr_memmap_boot_pages does not count, as for hugetlb's pages:
	# the vmemmap PTE tables of trimmed PMDs (8 per GiB) and the shared
	# tail page of the zone; MemTotal shows it
	for b in hvo hvo2m; do
		local fell=$((none - $(res $b memtotal_kb_1)))
		local extra=$((fell - (2097152 - $(saved $b))))
		echo "# $b: node1 MemTotal falls by $fell kB: pool 2097152 less memmap saved $(saved $b), plus $extra kB of vmemmap page tables and shared tail" >&3
		case "$ARCH" in
		x86_64)	[ "$extra" = $(((16 + 1) * 4)) ] ;;
		arm64)	[ "$extra" = 0 ] ;;
		esac
	done
}

@test "memmap: the boot says how many folios have a trimmed vmemmap (x86_64), or that there is no HVO (arm64)" {
	case "$ARCH" in
	x86_64)
		console hvo | grep -qx 'pcarve: node1: hvo: 2 folios of 1024 MiB with a trimmed vmemmap'
		console hvo2m | grep -qx 'pcarve: node1: hvo: 1024 folios of 2 MiB with a trimmed vmemmap' ;;
	arm64)
		console hvo | grep -q '^pcarve: node1: hvo: this kernel has no HVO before memmap init' ;;
	esac
}
