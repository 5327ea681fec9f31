#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# kexec without handover, a chain of kexecs with kho=on, and kdump, from
# kernels with pools (tests/harness/boot.sh -K, tools/testing/selftests/pcarve/pcarve_kexec).
#  - kx: a pool on node1, and on node2, the top of memory, the largest
#    nomap pool node2 can give (asked of a first boot): it reaches up to
#    the boot reservations at the top of memory (a few tens of MiB), too
#    few for the initrd, grown by 64 MiB, that kexec_file places there
#    top-down, which would otherwise go into the pool, were it System RAM.  The kernel loaded
#    (kexec_file_load with KEXEC_FILE_DEBUG, which logs each segment) has
#    no pmem=: it boots, has no pool and has node1's memory back.  No
#    segment lies in a pool, and some lie below node2's pool.
#  - kho: kho=on and pools on nodes 1 to 3: KHO keeps its scratch areas (a
#    pool never makes it give up), and three chained kexecs, each with
#    kho=on, boot to the end, each kernel taking the same pools back from
#    the handover (92-handover.bats checks what is in them).
#  - kdump: crashkernel=256M and a pool; the crash kernel inherits the
#    command line, pmem= included, and carves nothing.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

# kexec_script LAST CMDLINE_EXTRA [PAD_MB]: stages 1..LAST-1 print their
# facts (keys prefixed sN_) and kexec into the next with CMDLINE_EXTRA,
# its initrd grown by PAD_MB MiB of zeroes; LAST prints its facts and ends
kexec_script() {
	local f=$BATS_FILE_TMPDIR/kexec-$1.sh
	{
		echo "facts() {"
		cat "$(facts_script)"
		echo "}"
		cat <<EOS
facts | sed "s/^/s\${PCARVE_STAGE}_/"
for p in /sys/kernel/mm/pcarve/node*; do
	[ -d "\$p" ] && sed "s/^/s\${PCARVE_STAGE}_ext=\${p##*node} /" "\$p/extents"
done
echo "s\${PCARVE_STAGE}_kho_scratch=\$(ls /sys/kernel/debug/kho/out 2>/dev/null | grep -c scratch)"
if [ "\$PCARVE_STAGE" -lt $1 ]; then
	next=\$((PCARVE_STAGE + 1))
	con=\$(tr ' ' '\\n' < /proc/cmdline | grep -e '^console=' -e '^kunit[.]' -e '^tsc_early_khz=' | tr '\\n' ' ')
	if [ "${3:-0}" -gt 0 ]; then
		dd if=/dev/zero of=/tmp/pad bs=1M count=${3:-0} 2>/dev/null
		(cd /tmp && echo pad | cpio -o -H newc 2>/dev/null) >> /kexec/initrd
		rm /tmp/pad
	fi
	pcarve_kexec load -d /kexec/kernel /kexec/initrd \\
		"\$con panic=-1 pcarve.stage=\$next $2"
	echo "s\${PCARVE_STAGE}_load_rc=\$?"
	dmesg | sed -n 's/.*kexec_file: segment\\[[0-9]*\\]: .* mem=\\(0x[0-9a-f]*\\) memsz=\\(0x[0-9a-f]*\\).*/seg=\\1 \\2/p'
	echo @@PCARVE-KEXEC@@
	pcarve_kexec exec
fi
EOS
	} > "$f"
	echo "$f"
}

kdump_script() {
	local f=$BATS_FILE_TMPDIR/kdump.sh
	{
		echo "facts() {"
		cat "$(facts_script)"
		echo "}"
		cat <<'EOS'
facts | sed "s/^/s${PCARVE_STAGE}_/"
if [ "$PCARVE_STAGE" = 1 ]; then
	# the crash kernel inherits this command line, pmem= included
	pcarve_kexec load -p /kexec/kernel /kexec/initrd \
		"$(cat /proc/cmdline) pcarve.stage=2"
	echo "s1_load_rc=$?"
	echo @@PCARVE-KEXEC@@
	echo c > /proc/sysrq-trigger
fi
echo "s2_vmcore=$([ -e /proc/vmcore ] && echo yes || echo no)"
EOS
	} > "$f"
	echo "$f"
}

setup_file() {
	local can
	boot base "$NODES" "" "$(facts_script)"
	boot probe "$NODES" "pmem=node2:100G:2M" "$(facts_script)"
	can=$(console probe | sed -n 's/^pcarve: node2: asked for 102400 MiB but it can give only \([0-9]*\) MiB .*/\1/p')
	BOOT_FLAGS="-K ${BOOT_FLAGS:-}" boot kx "$NODES" \
		"pmem=node1:1G,node2:${can}M:2M" "$(kexec_script 2 "" 64)"
	BOOT_FLAGS="-K ${BOOT_FLAGS:-}" boot kho 2G,2G,2G,2G \
		"kho=on pmem=node1:1G,node2:1G,node3:1G" \
		"$(kexec_script 4 "kho=on pmem=node1:1G,node2:1G,node3:1G")"
	BOOT_FLAGS="-K ${BOOT_FLAGS:-}" boot kdump "$NODES" \
		"crashkernel=256M pmem=node1:1G" "$(kdump_script)"
}

# does [s, s + len) meet an extent of stage 1 of boot NAME?
in_pool() {
	local name=$1 s=$2 len=$3 e a b
	for e in $(sed -n 's/^s1_ext=[0-9]* //p' "$BATS_FILE_TMPDIR/$name/result"); do
		a=$((${e%-*})) b=$((${e#*-}))
		[ $((s)) -le $b ] && [ $((s + len - 1)) -ge $a ] && return 0
	done
	return 1
}

@test "kexec: the first kernel has both pools and loads the next kernel" {
	[ "$(res kx s1_nr_pools)" = 2 ]
	[ "$(res kx s1_load_rc)" = 0 ]
}

@test "kexec: no kexec segment was placed in a pool" {
	local n=0 below=0 s len low2
	# where node2's pool starts: its lowest extent
	low2=$(sed -n 's/^s1_ext=2 \(0x[0-9a-f]*\)-.*/\1/p' "$BATS_FILE_TMPDIR/kx/result" |
		tail -n 1)
	[ -n "$low2" ]
	while read -r s len; do
		[ $((s + len)) -le $((low2)) ] && below=$((below + 1))
		echo "# segment $s+$len" >&3
		if in_pool kx "$s" "$len"; then
			echo "# segment $s+$len lies in a pool" >&3
			return 1
		fi
		n=$((n + 1))
	done < <(sed -n 's/^seg=//p' "$BATS_FILE_TMPDIR/kx/result")
	echo "# pool extents: $(sed -n 's/^s1_ext=/node/p' "$BATS_FILE_TMPDIR/kx/result" | tr '\n' ' '); $below of $n segments below node2's pool" >&3
	[ "$n" -ge 3 ]
	# the pool was in their way: some had to go below it
	[ "$below" -gt 0 ]
}

@test "kexec: the kernel without pmem= boots, has no pool and has node1's memory back" {
	console_of kx 2 | grep -q '^Linux version '
	run ! grep -q '^pcarve: node' <(console_of kx 2)
	[ "$(res kx s2_nr_pools)" = 0 ]
	echo "# node1 MemTotal kB: cold boot $(res base memtotal_kb_1), with a pool $(res kx s1_memtotal_kb_1), after kexec $(res kx s2_memtotal_kb_1)" >&3
	[ "$(res kx s2_memtotal_kb_1)" = "$(res base memtotal_kb_1)" ]
}

@test "kho=on: the pools are carved and KHO keeps its scratch areas" {
	[ "$(res kho s1_nr_pools)" = 3 ]
	run ! grep -qi 'disabling kexec handover\|Failed to reserve' <(console_of kho 1)
	[ "$(res kho s1_kho_scratch)" -gt 0 ]
}

@test "kho=on: three chained kexecs boot to the end, each taking the pools back from the handover" {
	local n p
	for n in 2 3 4; do
		[ "$(res kho s$((n - 1))_load_rc)" = 0 ]
		[ "$(res kho s${n}_nr_pools)" = 3 ]
		for p in 1 2 3; do
			console_of kho $n | grep -q "^pcarve: node$p: 1024 MiB nomap pool, granule 1G, 1 extent, from the handover\$"
			[ "$(res kho s${n}_extents_$p)" = "$(res kho s1_extents_$p)" ]
		done
		# the pmem= of each kernel agrees with the handover: no complaint
		run ! grep -q 'the handover wins' <(console_of kho $n)
		[ "$(res kho s${n}_kho_scratch)" -gt 0 ]
	done
	[ "$(cat "$BATS_FILE_TMPDIR/kho/rc")" = 0 ]
}

@test "kdump: the crash kernel inherits pmem= and carves nothing, and says so" {
	[ "$(res kdump s1_nr_pools)" = 1 ]
	[ "$(res kdump s1_load_rc)" = 0 ]
	console_of kdump 2 | grep -qx 'pcarve: kdump kernel: pmem= ignored, no pools carved'
	console_of kdump 2 | grep -q '^Kernel command line: .*pmem=node1:1G'
	[ "$(res kdump s2_nr_pools)" = 0 ]
	[ "$(res kdump s2_vmcore)" = yes ]
}
