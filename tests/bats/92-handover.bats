#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Pools, chunks and pcarvefs trees across kexec with KHO (kho=on, each
# kernel loaded with kexec_file_load by tools/testing/selftests/pcarve/pcarve_kexec):
#  - chain: a nomap and a map pool (and an hvo pool on x86_64), over 2 GiB
#    of data in 128 files plus 10,000 empty ones, written by pcarvefs_fill
#    (the 8 files without the handover flag must be gone);
#    five kexecs in a row, each kernel checking with pcarvefs_handover
#    every name, size, mode, owner, time, flag and byte, and that the pool
#    layout is the first kernel's.
#  - off: node2's handover switch turned off before the kexec: node1's one
#    file comes back, though the next kernel's pmem= asks for less there
#    (reported: the handover wins), node2's pool is carved afresh from
#    pmem= and its tree is gone.
#  - broken: the record missing, truncated, corrupted and of an unknown
#    version (debugfs pcarve/kho_break), one kexec each: the pools come
#    back quarantined with the reason, their memory out of the page
#    allocator; the operator releases them, and the next kernel carves
#    fresh pools from pmem=.
bats_require_minimum_version 1.5.0
load lib

# node sizes, pmem= and the files per node of the chain
chain_conf() {
	case "$ARCH" in
	x86_64)	NODES=2G,3G,3G,2G
		PMEM="pmem=node1:2G,node2:2G:map:2M,node3:1G:hvo"
		HO_NODES=1:64,2:64,3:1 ;;
	arm64)	NODES=2G,3G,3G
		PMEM="pmem=node1:2G,node2:2G:map:2M"
		HO_NODES=1:64,2:64 ;;
	esac
}

# stage_script NAME LAST CMDLINE BODY: every stage runs BODY (which may use
# $PCARVE_STAGE), prints the pools and, but for LAST, kexecs with CMDLINE
stage_script() {
	local f=$BATS_FILE_TMPDIR/$1.sh
	cat > "$f" <<EOS
$4
for p in /sys/kernel/mm/pcarve/node*; do
	[ -d "\$p" ] || continue
	n=\${p##*node}
	echo "s\${PCARVE_STAGE}_pool_\$n=\$(cat \$p/extents | tr '\\n' ' ')"
	echo "s\${PCARVE_STAGE}_origin_\$n=\$(cat \$p/origin)"
	echo "s\${PCARVE_STAGE}_state_\$n=\$(cat \$p/state)"
	echo "s\${PCARVE_STAGE}_reason_\$n=\$(cat \$p/reason)"
	echo "s\${PCARVE_STAGE}_size_\$n=\$(cat \$p/size)"
	echo "s\${PCARVE_STAGE}_memtotal_kb_\$n=\$(awk '/MemTotal/ { print \$4 }' /sys/devices/system/node/node\$n/meminfo)"
done
echo "s\${PCARVE_STAGE}_init_s=\$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process/\1/p')"
echo "s\${PCARVE_STAGE}_warn=\$(dmesg | grep -c -e WARNING -e BUG: -e 'Bad page')"
if [ "\$PCARVE_STAGE" -lt $2 ]; then
	pcarve-next-kernel $3
fi
EOS
	echo "$f"
}

# the guest part that writes (stage 1) or checks (later stages) the tree
fill_or_check() {
	cat <<EOS
export PCARVEFS_HO_NODES=$1 PCARVEFS_HO_MB=${2:-16} PCARVEFS_HO_EMPTY=${3:-0}
if [ "\$PCARVE_STAGE" = 1 ]; then
	echo "s1_filled=\$(pcarvefs_fill ${4:-0})"
else
	echo "@@KTAP handover-s\$PCARVE_STAGE"
	pcarvefs_handover
	echo "@@KTAP-END handover-s\$PCARVE_STAGE"
fi
EOS
}

# same_memtotal NAME N NODE: the node's MemTotal in kernel N is kernel 1's,
# within what KHO's own pages move (a pool given to the page allocator
# would add its whole size)
same_memtotal() {
	local a b
	a=$(res "$1" "s1_memtotal_kb_$3") b=$(res "$1" "s$2_memtotal_kb_$3")
	[ -n "$a" ] && [ -n "$b" ]
	[ $((a > b ? a - b : b - a)) -lt 16384 ]
}

setup_file() {
	local body

	chain_conf
	BOOT_FLAGS="-K ${BOOT_FLAGS:-}" boot chain "$NODES" "kho=on $PMEM" \
		"$(stage_script chain 6 "kho=on $PMEM" \
			"$(fill_or_check "$HO_NODES" 18 10000)")"

	# and two chunks of the allocator's own on node1, one marked for
	# handover: its owner finds it again, with its bytes
	body="export PCARVEFS_HO_GONE=2 PCARVEFS_HO_EXTRA=$((2 << 20))
$(fill_or_check 1:1,2:8 2 3 $((1536 << 20)))
T=/sys/kernel/debug/pcarve/test
if [ \"\$PCARVE_STAGE\" = 1 ]; then
	echo 0 > /sys/kernel/mm/pcarve/node2/handover
	echo 'alloc 1 2097152 4660 handover' > \$T; a=\$(cat \$T)
	echo \"fill \$a 171\" > \$T; echo \"s1_fill=\$(cat \$T)\"
	echo 'alloc 1 2097152 4661' > \$T; cat \$T > /dev/null
	# a file unlinked but open at the kexec is not handed over
	truncate -s 4M /tmp/ho/n1/unlinked && exec 7< /tmp/ho/n1/unlinked &&
		rm /tmp/ho/n1/unlinked && echo s1_unlinked_open=1
else
	echo 'owned 4660' > \$T; echo \"s2_owned=\$(cat \$T)\"
	echo 'owned 4661' > \$T; echo \"s2_owned_not=\$(cat \$T)\"
	echo 'adopt 4660' > \$T; r=\$(cat \$T); a=\${r#*first=}
	echo \"check \$a 171\" > \$T; echo \"s2_check=\$(cat \$T)\"
fi"
	# a fresh pool on a handover boot comes from whole GiBs that hold no
	# page KHO preserved: node2 has room for that
	BOOT_FLAGS="-K ${BOOT_FLAGS:-}" boot off 2G,3G,4G \
		"kho=on pmem=node1:2G,node2:2G:map:2M" \
		"$(stage_script off 2 "kho=on pmem=node1:1G,node2:2G:map:2M" "$body")"

	body="if [ \"\$PCARVE_STAGE\" = 1 ]; then
	export PCARVEFS_HO_NODES=1:2,2:2 PCARVEFS_HO_MB=4
	echo \"s1_filled=\$(pcarvefs_fill $((1 << 30)))\"
else
	mkdir -p /tmp/q
	mount -t pcarvefs -o node=1 none /tmp/q 2>/dev/null
	echo \"s\${PCARVE_STAGE}_mount_rc=\$?\"
	echo \"s\${PCARVE_STAGE}_iomem=\$(grep -c ': pcarve\$' /proc/iomem)\"
fi
if [ \"\$PCARVE_STAGE\" = 5 ]; then
	for n in 1 2; do
		echo 1 > /sys/kernel/mm/pcarve/node\$n/release
		echo \"s5_release_rc_\$n=\$?\"
	done
fi
[ \"\$PCARVE_STAGE\" -le 4 ] && echo \$PCARVE_STAGE > /sys/kernel/debug/pcarve/kho_break"
	BOOT_FLAGS="-K ${BOOT_FLAGS:-}" boot broken 2G,4G,4G \
		"kho=on pmem=node1:2G,node2:2G:map:2M" \
		"$(stage_script broken 6 "kho=on pmem=node1:2G,node2:2G:map:2M" "$body")"
}

@test "handover: the chain writes 2 GiB in 128 files and 10,000 empty files, and kexecs five times" {
	local n
	echo "# $(res chain s1_filled)" >&3
	[[ "$(res chain s1_filled)" == "files=12"[89]" bytes="*" empty=10000" ]]
	[ "$(sed 's/.*bytes=\([0-9]*\).*/\1/' <<<"$(res chain s1_filled)")" -ge $((2 << 30)) ]
	for n in 1 2 3 4 5; do
		[ "$(res chain s${n}_load_rc)" = 0 ]
	done
	[ "$(cat "$BATS_FILE_TMPDIR/chain/rc")" = 0 ]
}

@test "handover: each of the five kernels finds every file, name for name and byte for byte" {
	local n
	local b
	for n in 2 3 4 5 6; do
		ktap_complete chain handover-s$n 5
		run -0 save_ktap chain handover-s$n
		[[ "$output" == *"# PASSED: 5 / 5 tests passed."* ]]
		# at least 2 GiB of it checked after each kexec
		b=$(sed -n 's/.*every_byte:\([0-9]*\) bytes checked, 0 differ.*/\1/p' <<<"$output")
		[ -n "$b" ] && [ "$b" -ge $((2 << 30)) ]
	done
	echo "# kernel 6 checked $b bytes" >&3
}

@test "handover: the pools keep their ranges and mode, and say they came from the handover" {
	local n p
	chain_conf
	for p in ${HO_NODES//,/ }; do
		p=${p%%:*}
		[ -n "$(res chain s1_pool_$p)" ]
		[ "$(res chain s1_origin_$p)" = boot ]
		for n in 2 3 4 5 6; do
			[ "$(res chain s${n}_pool_$p)" = "$(res chain s1_pool_$p)" ]
			[ "$(res chain s${n}_origin_$p)" = handover ]
			[ "$(res chain s${n}_state_$p)" = active ]
			same_memtotal chain $n $p
		done
		echo "# node$p: $(res chain s1_pool_$p)" >&3
	done
	for n in 1 2 3 4 5 6; do
		[ "$(res chain s${n}_warn)" = 0 ]
	done
}

@test "handover: the record's size is printed, and the restore time next to a cold boot" {
	local rec trees cold kho
	rec=$(console_of chain 2 | grep -m1 '^pcarve: handover: a [0-9]*-byte record')
	trees=$(console_of chain 2 | grep -m1 '^pcarvefs: handover: .* trees restored in')
	[ -n "$rec" ] && [ -n "$trees" ]
	cold=$(res chain s1_init_s) kho=$(res chain s2_init_s)
	echo "# 10,128 files: ${rec#pcarve: handover: }; ${trees#pcarvefs: handover: }" >&3
	echo "# to init: cold boot ${cold}s, KHO boot ${kho}s (ratio $(awk -v a="$kho" -v b="$cold" 'BEGIN { printf "%.2f", a / b }'))" >&3
	trees=$(console_of off 2 | grep -m1 '^pcarvefs: handover: .* trees restored in')
	cold=$(res off s1_init_s) kho=$(res off s2_init_s)
	echo "# 1 file: ${trees#pcarvefs: handover: }; to init: cold ${cold}s, KHO ${kho}s (ratio $(awk -v a="$kho" -v b="$cold" 'BEGIN { printf "%.2f", a / b }'))" >&3
}

@test "handover off: node1's file comes back whatever pmem= says, node2's pool is carved afresh and its tree is gone" {
	[[ "$(res off s1_filled)" == "files=9 "* ]]
	ktap_complete off handover-s2 5
	run -0 save_ktap off handover-s2
	[[ "$output" == *"# PASSED: 5 / 5 tests passed."* ]]
	[ "$(res off s2_origin_1)" = handover ]
	# the allocator's chunk: found by its owner, every byte as it was;
	# the one not marked for handover is free memory now
	[ "$(res off s1_fill)" = filled ]
	# (and pcarvefs_handover found the pool holding only the files and
	# that chunk: not the 4 MiB of the unlinked file)
	[ "$(res off s1_unlinked_open)" = 1 ]
	[ "$(res off s2_owned)" = "n=1 bytes=2097152" ]
	[ "$(res off s2_owned_not)" = "n=0 bytes=0" ]
	[ "$(res off s2_check)" = same ]
	# the next kernel's pmem= asks for 1G on node1: reported, and ignored
	console_of off 2 | grep -q '^pcarve: node1: pmem= asks for 1024 MiB nomap, granule 1G, but the handover recorded 2048 MiB nomap, granule 1G: the handover wins, so that no data is lost$'
	[ "$(res off s2_size_1)" = $((2 << 30)) ]
	[ "$(res off s2_origin_2)" = boot ]
	[ "$(res off s2_state_2)" = active ]
}

@test "handover broken: missing, truncated, corrupted, unknown version: quarantined with the reason" {
	local n why
	for n in 2 3 4 5; do
		case $n in
		2) why="handover record missing" ;;
		3) why="handover record truncated" ;;
		4) why="handover record corrupted" ;;
		5) why="handover record of an unknown version" ;;
		esac
		[ "$(res broken s$((n - 1))_load_rc)" = 0 ]
		for p in 1 2; do
			[ "$(res broken s${n}_state_$p)" = quarantined ]
			[ "$(res broken s${n}_origin_$p)" = handover ]
			# the first record that failed decides; later kernels keep it
			[ "$(res broken s${n}_reason_$p)" = "$why" ] ||
			[ "$(res broken s${n}_reason_$p)" = "it was quarantined in the previous kernel" ]
			# kernel 5 releases them before it prints them
			[ $n = 5 ] && continue
			[ "$(res broken s${n}_pool_$p)" = "$(res broken s1_pool_$p)" ]
			# not one byte of it in the page allocator
			same_memtotal broken $n $p
		done
		[ "$(res broken s${n}_mount_rc)" != 0 ]
		console_of broken $n | grep -q "^pcarve: node1: pool quarantined: $why"
	done
}

@test "handover broken: the operator releases the pools, and the next kernel carves fresh ones" {
	local p
	local a b
	for p in 1 2; do
		[ "$(res broken s5_release_rc_$p)" = 0 ]
		# the node's MemTotal grows by the pool's 2 GiB
		a=$(res broken s4_memtotal_kb_$p) b=$(res broken s5_memtotal_kb_$p)
		echo "# node$p MemTotal: quarantined ${a} kB, released ${b} kB" >&3
		[ $((b - a)) -ge $(( (2 << 20) - 16384 )) ]
		[ "$(res broken s6_origin_$p)" = boot ]
		[ "$(res broken s6_state_$p)" = active ]
	done
	[ "$(cat "$BATS_FILE_TMPDIR/broken/rc")" = 0 ]
}
