#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The pool allocator on real memory: nomap, map 2M and hvo 1G pools in one
# guest.  Chunks come back zeroed to the next owner, stay out of the direct
# map when asked (nomap ones always), pools give exactly their size, split
# and merge, the debugfs chunk map and counters say what happened, and an
# alloc+free is timed next to alloc_contig_pages() on the same node.  THP
# is off (transparent_hugepage=never): pool folios are mapped whole by PMD
# or PUD whatever the THP policy.
bats_require_minimum_version 1.5.0
load lib

setup_file() {
	local s=$BATS_FILE_TMPDIR/alloc.sh

	cat "$(selftests_script pcarve_alloc)" > "$s"
	echo 'echo "dmesg_warn=$(dmesg | grep -c -e WARNING -e BUG:)"' >> "$s"
	boot alloc 2G,3G,3G,6G \
		"transparent_hugepage=never pmem=node1:2G,node2:2G:map:2M,node3:1G:hvo" "$s" \
		"PCARVE_NOPOOL_NODE=0 PCARVE_BENCH_NODE=3"
}

@test "alloc: the allocator selftest ran to the end" {
	ktap_complete alloc pcarve_alloc 8
}

@test "alloc: each pool's free map is announced at boot" {
	run -0 grep -c '^pcarve: node[123]: allocator ready: ' <(console alloc)
	[ "$output" = 3 ]
	console alloc | grep '^pcarve: node[123]: allocator ready: ' |
		sed 's/^/# /' >&3
}

@test "alloc: zeroing rate of a 1 GiB chunk, nomap (temporary mapping) and map (direct map)" {
	run -0 grep -E 'zeroed_on_reuse:node[0-9]+ [a-z]+ 1024M: ' <(result alloc)
	[ "${#lines[@]}" -ge 2 ]
	printf '# %s\n' "${lines[@]##*zeroed_on_reuse:}" >&3
}

@test "alloc: mean alloc+free next to alloc_contig_pages() (TCG: printed, not judged)" {
	run -0 grep -E 'bench:(2M|1G): size=' <(result alloc)
	[ "${#lines[@]}" = 2 ]
	local l
	for l in "${lines[@]}"; do
		l=${l##*bench:}
		# pcarve_ns=A contig_ns=B: print the ratio too
		local a=${l#*pcarve_ns=} b=${l#*contig_ns=}
		a=${a%% *} b=${b%% *}
		echo "# $l ratio=$((b / (a > 0 ? a : 1)))x" >&3
	done
}

@test "alloc: a pool folio mapped whole to user space is pinned by GUP and unpinned cleanly" {
	run -0 grep -E 'pin_folio:node[0-9]+ ' <(result alloc)
	printf '# %s\n' "${lines[@]##*pin_folio:}" >&3
	case "$ARCH" in
	x86_64)	[ "${#lines[@]}" = 2 ] ;;	# map 2M (PMD), hvo 1G (PUD)
	arm64)	[ "${#lines[@]}" = 1 ] ;;	# map 2M (PMD)
	esac
}

@test "alloc: no kernel warning in the guest" {
	[ "$(res alloc dmesg_warn)" = 0 ]
}
