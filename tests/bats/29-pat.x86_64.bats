#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A nomap pool is not System RAM, so x86 PAT would map it uncached (UC-)
# by pfn unless its memtype is recorded: each extent must be write-back in
# PAT's memtype list, and a map pool (System RAM) must have no entry.
bats_require_minimum_version 1.5.0
load lib

setup_file() {
	local s=$BATS_FILE_TMPDIR/pat.sh

	cat > "$s" <<'EOS'
for n in 1 2; do
	for e in $(cat /sys/kernel/mm/pcarve/node$n/extents); do
		s=${e%-*} e=${e#*-}
		echo "memtype_$n=$s $(grep -c "\[mem $(printf 0x%016x "$s")-$(printf 0x%016x $((e + 1)))\] write-back" /sys/kernel/debug/x86/pat_memtype_list)"
	done
done
EOS
	boot pat 2G,3G,3G "pmem=node1:1G,node2:1G:map" "$s"
}

@test "pat: PAT is on in the test kernel" {
	grep -q 'x86/PAT: Configuration' <(dmesg_of pat)
}

@test "pat: every extent of a nomap pool is write-back for user mappings" {
	run -0 grep '^memtype_1=' <(result pat)
	[ "${#lines[@]}" -ge 1 ]
	printf '# %s\n' "${lines[@]}" >&3
	! grep -q '^memtype_1=.* 0$' <(result pat)
}

@test "pat: a map pool (System RAM) has no memtype entry of its own" {
	run -0 grep '^memtype_2=' <(result pat)
	! grep -q '^memtype_2=.* [1-9]' <(result pat)
}
