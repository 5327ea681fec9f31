#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The debug kernel (configs/debug.config on top of the test config: KASAN,
# lockdep, DEBUG_VM, DEBUG_LIST, debug objects, kmemleak), in one guest with
# a nomap, a map 2M and an hvo pool: the KUnit allocator stress, the
# allocator selftest, the pcarvefs 8-process stress, and one kexec into the
# debug kernel again, which carves the same pools and runs the allocator
# selftest once more.  Not one report from a checker in either kernel, and
# kmemleak finds nothing after two scans in each.  (No KHO here: KHO sizes
# its scratch areas from the kernel's reservations, and KASAN's shadow, an
# eighth of the memory, makes them larger than the guest can give.)
bats_require_minimum_version 1.5.0
load lib

DEBUG_KERNEL=$PCARVE_TOP/out/build-x86_64-debug/arch/x86/boot/bzImage
# KASAN's shadow takes an eighth of each node: node1 has room for it
PMEM="pmem=node1:2G,node2:2G:map:2M,node3:1G:hvo"
# 4-level paging in both kernels: 7.3's identify_cpu() clears the boot
# CPU's feature bits and reads them again, and an interrupt in between runs
# outline KASAN's check with pgtable_l5_enabled() false, so that a 5-level
# direct map address (0xff11...) is reported as a wild access in the
# interrupt entry (rcu_is_watching).  Not pcarve's; LA57 is covered by the
# x86_64 suite (-cpu max), and 4-level is what most hosts run.
# The debug kernel has no ACPI (configs/debug.config): its four nodes are
# NUMA emulation's.  numa=fake=4U cuts the guest's addresses from the first
# RAM page (4 KiB) to 16 GiB (2 GiB of RAM below the PCI hole, 12 above
# 4 GiB) into four nodes of 4 GiB (4 GiB less a page, which it rounds up
# with a "Fake node size ... too small" line), whatever the holes: node 1
# at 4 GiB + 4 KiB, node 2 at 8 GiB + 4 KiB, node 3 at 12 GiB + 4 KiB, the
# same in the kernel kexec'd into, whose e820 map is the same.  The pools
# lie inside them on 1 GiB boundaries.  (A size, numa=fake=3G, counts RAM
# less the firmware's holes: the nodes end off 1 GiB boundaries, and node 3
# got no memory.)
DBG_CMDLINE="no5lvl numa=fake=4U $PMEM"

setup_file() {
	local s=$BATS_FILE_TMPDIR/debug.sh

	[ -f "$DEBUG_KERNEL" ]
	cat > "$s" <<EOS
# kmemleak reports what it found unreferenced in two scans in a row
leaks() {
	[ -e /sys/kernel/debug/kmemleak ] && echo "s\${PCARVE_STAGE}_kmemleak=on"
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	echo "s\${PCARVE_STAGE}_leaks=\$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)"
	sed -n '1,40p' /sys/kernel/debug/kmemleak
}
if [ "\$PCARVE_STAGE" = 1 ]; then
	echo '@@KTAP pcarve_alloc'; pcarve_alloc; echo '@@KTAP-END pcarve_alloc'
	echo '@@KTAP pcarvefs'; pcarvefs -t stress; echo '@@KTAP-END pcarvefs'
	# a grow and a shrink of the map 2M pool, under lockdep
	p=/sys/kernel/mm/pcarve/node2/size; sz=\$(cat \$p)
	echo \$((sz + 2097152)) > \$p && echo \$sz > \$p && echo "s1_resized=\$(cat \$p)"
	echo "s1_extents=\$(cat /sys/kernel/mm/pcarve/node*/extents | tr '\\n' ' ')"
	leaks
	pcarve-next-kernel kunit.filter=speed!=slow $DBG_CMDLINE
else
	echo "s2_extents=\$(cat /sys/kernel/mm/pcarve/node*/extents | tr '\\n' ' ')"
	echo '@@KTAP pcarve_alloc-2'; pcarve_alloc; echo '@@KTAP-END pcarve_alloc-2'
	leaks
fi
EOS
	PCARVE_KERNEL=$DEBUG_KERNEL KUNIT_SLOW=1 BOOT_FLAGS="-K -t 1500" \
		boot debug 2G,4G,4G,4G "$DBG_CMDLINE" "$s" \
		"PCARVE_NOPOOL_NODE=0 PCARVE_BENCH_NODE=3 PCARVEFS_NOMAP=1
		 PCARVEFS_STRESS_SECS=20"
}

@test "debug kernel: KASAN, lockdep, DEBUG_VM, DEBUG_LIST and kmemleak are on" {
	console_of debug 1 | grep -q 'KernelAddressSanitizer initialized'
	[ "$(res debug s1_kmemleak)" = on ] && [ "$(res debug s2_kmemleak)" = on ]
	for o in KASAN PROVE_LOCKING DEBUG_VM DEBUG_LIST DEBUG_KMEMLEAK; do
		grep -qx "CONFIG_$o=y" "$PCARVE_TOP/out/build-x86_64-debug/.config"
	done
}

@test "debug kernel: the KUnit allocator stress, the allocator selftest and the pcarvefs stress pass" {
	local k=$PCARVE_RESULTS/ktap/debug-kunit-pcarve-alloc.ktap

	console_of debug 1 | sed -n '/^    # Subtest: pcarve-alloc$/,/^ok [0-9]* pcarve-alloc$/p' |
		grep -E '^ *(KTAP version|[0-9]+\.\.[0-9]+|ok |not ok |# )' > "$k"
	grep -E '# stress: ' "$k" | sed 's/^ */# /' >&3
	run ! grep -q 'not ok' "$k"
	grep -qE '^ok [0-9]+ pcarve-alloc$' "$k"
	ktap_complete debug pcarve_alloc 8
	run -0 save_ktap debug pcarvefs
	[[ "$output" == *"# PASSED: 1 / 1 tests passed."* ]]
}

@test "debug kernel: a pool grows and shrinks back" {
	[ "$(res debug s1_resized)" = $((2 << 30)) ]
}

@test "debug kernel: one kexec; the next debug kernel carves the same pools and its allocator selftest passes" {
	[ "$(res debug s1_load_rc)" = 0 ]
	[ -n "$(res debug s1_extents)" ]
	[ "$(res debug s2_extents)" = "$(res debug s1_extents)" ]
	ktap_complete debug pcarve_alloc-2 8
}

@test "debug kernel: no KASAN, lockdep, DEBUG_VM, list, BUG or WARN report, and no leak, in either kernel" {
	local n c bad='BUG:|WARNING:|KASAN|possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|list_add corruption|list_del corruption|VM_BUG_ON|page dumped because|Bad page|ODEBUG|kmemleak: [0-9]+ new suspected'

	for n in 1 2; do
		# the whole console: a report during the script counts too
		c=$(cat "$BATS_FILE_TMPDIR/debug/console.$n.log")
		[ -n "$c" ]
		run ! grep -E "$bad" <<< "$c"
		[ "$(res debug s${n}_leaks)" = 0 ]
	done
	echo "# checked 2 kernels: 0 reports, 0 leaks" >&3
}
