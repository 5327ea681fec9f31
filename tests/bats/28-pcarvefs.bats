#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# pcarvefs on nomap, map and hvo pools in one guest: the selftest (mounts
# and tenants, the tree, permissions, chunks, ioctls, mmap faults, sharing,
# GUP, read/write, zeroing between tenants, unlink while mapped, an
# 8-process stress for 8 s: 20 s in the debug kernel, 96-debug), the
# standard interfaces (/proc/mounts, statfs), and the touch of a 2 GiB file
# next to hugetlbfs (1 GiB pages on x86_64, 2 MiB pages on arm64) in the
# same guest.
bats_require_minimum_version 1.5.0
load lib

setup_file() {
	local s=$BATS_FILE_TMPDIR/fs.sh pmem huge bytes

	case "$ARCH" in
	x86_64)	pmem="pmem=node1:2G,node2:2G:map,node3:2G:hvo"
		huge="hugepagesz=1G hugepages=0:2" bytes=$((1 << 30)) ;;
	# no PUD mappings: folio pools of 2 MiB granule; hvo runs as map
	arm64)	pmem="pmem=node1:2G,node2:2G:map:2M,node3:2G:hvo:2M"
		huge="hugepagesz=2M hugepages=0:1024" bytes=$((2 << 20)) ;;
	esac
	cat "$(selftests_script pcarvefs)" > "$s"
	cat >> "$s" <<'EOS'
mkdir -p /tmp/m
mount -t pcarvefs -o node=1,tenant=ops,size=1G,mode=0711 none /tmp/m
echo "mounts=$(grep ' /tmp/m ' /proc/mounts)"
echo "statfs=$(stat -f -c '%t %S %b %f' /tmp/m)"
umount /tmp/m
echo "dmesg_warn=$(dmesg | grep -c -e WARNING -e BUG: -e 'Bad page')"
EOS
	boot fs 6G,3G,3G,3G "$pmem $huge" "$s" \
		"PCARVEFS_NOMAP=1 PCARVEFS_MAP=2 PCARVEFS_HVO=3 PCARVEFS_NOPOOL=0
		 PCARVEFS_HUGE=$bytes PCARVEFS_STRESS_SECS=8"
}

@test "pcarvefs: the selftest ran to the end" {
	ktap_complete fs pcarvefs 19
}

@test "pcarvefs: every page of a file for a handful of faults (PUD on x86_64, PMD on arm64)" {
	run -0 grep -E 'faults:node[0-9]+ ' <(result fs)
	[ "${#lines[@]}" -ge 6 ]
	printf '# %s\n' "${lines[@]##*faults:}" >&3
}

@test "pcarvefs: chunks are zeroed at allocation (rate printed)" {
	run -0 grep -E 'zeroing:node[0-9]+ ' <(result fs)
	[ "${#lines[@]}" = 3 ]
	printf '# %s\n' "${lines[@]##*zeroing:}" >&3
}

@test "pcarvefs: GUP reaches folio files, not pfn-mapped ones" {
	run -0 grep -E 'gup:node[0-9]+ ' <(result fs)
	[ "${#lines[@]}" = 3 ]
	printf '# %s\n' "${lines[@]##*gup:}" >&3
}

@test "pcarvefs: touch of a 2 GiB file next to hugetlbfs in the same guest (TCG: printed)" {
	run -0 grep -E '(hugetlbfs|pcarvefs|ratio):' <(result fs)
	[ "${#lines[@]}" = 3 ]
	local l
	for l in "${lines[@]}"; do echo "# ${l#*next_to_hugetlbfs:}" >&3; done
}

@test "pcarvefs: /proc/mounts and statfs show the tenant, its cap and the granule" {
	[[ "$(res fs mounts)" == "none /tmp/m pcarvefs rw,relatime,node=1,tenant=ops,size=1073741824,mode=711 0 0" ]]
	# f_type, f_bsize (the 1 GiB granule of the nomap pool), blocks, free
	[ "$(res fs statfs)" = "70637276 1073741824 1 1" ]
}

@test "pcarvefs: bad mounts are refused with a message naming the option" {
	dmesg_of fs | grep -q '^pcarvefs: unknown option "bogus"'
	dmesg_of fs | grep -q '^pcarvefs: node=0: no pcarve pool on that node'
	dmesg_of fs | grep -q '^pcarvefs: size=[0-9]*: larger than node 1.s pool'
	dmesg_of fs | grep -q '^pcarvefs: size=4194304: node 1.s other tenants hold'
	dmesg_of fs | grep -q '^pcarvefs: node= is missing'
}

@test "pcarvefs: no kernel warning in the guest" {
	[ "$(res fs dmesg_warn)" = 0 ]
}
