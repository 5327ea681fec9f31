#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Resizing pools at run time through sysfs, like nr_hugepages: growing
# takes 1 GiB blocks of the node's free memory, shrinking gives free memory
# back (grown blocks first, then boot memory: a map pool's reserved pages
# are freed, a nomap pool's memory goes back through memory hotplug), the
# size read back is what was reached, node MemTotal follows exactly, and
# bad writes change nothing.  The handover switch is off without KHO.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,4G,4G

setup_file() {
	local s=$BATS_FILE_TMPDIR/resize.sh

	cat > "$s" <<'EOS'
P=/sys/kernel/mm/pcarve
T=/sys/kernel/debug/pcarve/test
# w FILE VALUE: "ok", or the error the write got
w() { if echo "$2" > "$1" 2>/tmp/err; then echo ok; else sed 's/.*: //' /tmp/err; fi; }
mt() { awk '/MemTotal/ { print $4 }' /sys/devices/system/node/node$1/meminfo; }
mf() { awk '/MemFree/ { print $4 }' /sys/devices/system/node/node$1/meminfo; }
probe() { echo "$1" > /sys/kernel/debug/pcarve/probe; cut -d' ' -f2 /sys/kernel/debug/pcarve/probe; }
G=1073741824
# pcarvefs tenants commit their caps, or what they hold without one: no
# shrink below that.  Before the rest: node1 ends as it booted.
# m DIR OPTIONS: "ok", or "refused" with mount's message in the log
m() { if mount -t pcarvefs -o "$2" none "$1" 2>/tmp/err; then echo ok; else echo refused; cat /tmp/err >&2; fi; }
M=2097152
mkdir -p /tmp/ca /tmp/cb
echo "caps_grow=$(w $P/node1/size $((2 * G)))"
echo "caps_mount_a=$(m /tmp/ca node=1,tenant=a,size=$G)"
echo "caps_committed_shrink0=$(w $P/node1/size 0) size=$(cat $P/node1/size)"
echo "caps_mount_b_over=$(m /tmp/cb node=1,tenant=b,size=$((G + M)))"
echo "caps_shrink1=$(w $P/node1/size $G) size=$(cat $P/node1/size)"
echo "caps_mount_b_full=$(m /tmp/cb node=1,tenant=b,size=$M)"
echo "caps_remount_a=$(mount -o remount,size=$M /tmp/ca 2>&1 && echo ok)"
# b without a cap commits what it holds
echo "caps_mount_b=$(m /tmp/cb node=1,tenant=b)"
echo "caps_b_take=$(truncate -s $((G - M)) /tmp/cb/f 2>&1 && echo ok)"
echo "caps_b_more=$(truncate -s $G /tmp/cb/f 2>/dev/null && echo ok || echo refused)"
echo "caps_held_shrink0=$(w $P/node1/size 0) size=$(cat $P/node1/size)"
echo "caps_remount_a_over=$(mount -o remount,size=$((2 * M)) /tmp/ca 2>/dev/null && echo ok || echo refused)"
rm /tmp/cb/f
echo "caps_remount_a_fits=$(mount -o remount,size=$((2 * M)) /tmp/ca 2>&1 && echo ok)"
umount /tmp/ca /tmp/cb
# nothing committed once they are gone
echo "caps_mount_after=$(m /tmp/cb node=1,tenant=c,size=$G)"
umount /tmp/cb
for n in 1 2; do
	echo "mt0_$n=$(mt $n)"
	echo "mf0_$n=$(mf $n)"
	boot=$(head -n 1 $P/node$n/extents)
	echo "grow_$n=$(w $P/node$n/size $((2 * G)))"
	echo "size_grown_$n=$(cat $P/node$n/size)"
	echo "free_grown_$n=$(cat $P/node$n/free)"
	echo "mt_grown_$n=$(mt $n)"
	echo "mf_grown_$n=$(mf $n)"
	echo "nr_extents_grown_$n=$(cat $P/node$n/nr_extents)"
	# the grown block: the 1 GiB chunk of the pool that is not the boot one
	echo "alloc $n $G 77" > $T; a=$(cat $T); echo "alloc $n $G 77" > $T; b=$(cat $T)
	for c in $a $b; do
		[ "$c" = "${boot%-*}" ] || grown=$c
	done
	echo "grown_probe_$n=$(probe $grown)"
	echo "grown_pages_$n=$(grep "^$(printf '0x%016x' $grown) " /sys/kernel/debug/pcarve/node$n/chunks | awk '{ print $6 }')"
	echo "busy_$n=$(w $P/node$n/size 0)"
	echo "size_busy_$n=$(cat $P/node$n/size)"
	echo "free $a" > $T; echo "free $b" > $T
	echo "shrink1_$n=$(w $P/node$n/size $G)"
	echo "size_shrunk1_$n=$(cat $P/node$n/size)"
	echo "mt_shrunk1_$n=$(mt $n)"
	echo "shrink0_$n=$(w $P/node$n/size 0)"
	echo "size_shrunk0_$n=$(cat $P/node$n/size)"
	echo "free_shrunk0_$n=$(cat $P/node$n/free)"
	echo "mt_shrunk0_$n=$(mt $n)"
	echo "nr_extents_shrunk0_$n=$(cat $P/node$n/nr_extents)"
	echo "probe_shrunk0_$n=$(probe ${boot%-*})"
	echo "regrow_$n=$(w $P/node$n/size $G)"
	echo "mt_regrow_$n=$(mt $n)"
done
echo "iomem_pcarve=$(grep -c ': pcarve$' /proc/iomem)"
echo "memory_blocks_online=$(cat /sys/devices/system/memory/memory*/state | grep -c online)"
# bad writes, each against node2's pool of 1 GiB
for v in junk -1 99999999999999999999999 1000 $((3 * G / 2)) $((64 * G)) ""; do
	echo "bad[$v]=$(w $P/node2/size "$v") size=$(cat $P/node2/size) mt=$(mt 2)"
done
echo "handover=$(cat $P/node2/handover)"
echo "handover_on=$(w $P/node2/handover 1) now=$(cat $P/node2/handover)"
echo "handover_junk=$(w $P/node2/handover maybe)"
echo "dmesg_warn=$(dmesg | grep -c -e WARNING -e BUG: -e 'Bad page')"
dmesg | grep 'pcarve: node[12]: ' | sed 's/^\[ *[0-9.]*\] /msg: /'
EOS
	boot resize "$NODES" "pmem=node1:1G,node2:1G:map" "$s"
}

@test "resize: growing by 1 GiB takes a block of the node: size read back, MemTotal falls by exactly 1 GiB, MemFree by about 1 GiB" {
	local n
	for n in 1 2; do
		echo "# node$n: grow $(res resize grow_$n), size $(res resize size_grown_$n), MemTotal kB $(res resize mt0_$n) -> $(res resize mt_grown_$n)" >&3
		[ "$(res resize grow_$n)" = ok ]
		[ "$(res resize size_grown_$n)" = 2147483648 ]
		[ "$(res resize free_grown_$n)" = 2147483648 ]
		[ $(( $(res resize mt0_$n) - $(res resize mt_grown_$n) )) = 1048576 ]
		[ "$(res resize nr_extents_grown_$n)" -ge 1 ]
		# MemFree moves with other allocations: within 32 MiB
		local df=$(( $(res resize mf0_$n) - $(res resize mf_grown_$n) ))
		echo "# node$n: MemFree fell by $df kB" >&3
		[ $df -ge $((1048576 - 32768)) ] && [ $df -le $((1048576 + 32768)) ]
	done
}

@test "resize: a grown block has struct pages; in a nomap pool it is out of the direct map" {
	[ "$(res resize grown_pages_1)" = pages ]
	[ "$(res resize grown_probe_1)" = fault ]
	[ "$(res resize grown_pages_2)" = pages ]
	[ "$(res resize grown_probe_2)" = mapped ]
}

@test "resize: chunks in use are never given back: -EBUSY, size unchanged" {
	[ "$(res resize busy_1)" = "Device or resource busy" ]
	[ "$(res resize size_busy_1)" = 2147483648 ]
	[ "$(res resize busy_2)" = "Device or resource busy" ]
	[ "$(res resize size_busy_2)" = 2147483648 ]
}

@test "resize: shrinking gives the grown block back first: MemTotal as before" {
	local n
	for n in 1 2; do
		[ "$(res resize shrink1_$n)" = ok ]
		[ "$(res resize size_shrunk1_$n)" = 1073741824 ]
		[ "$(res resize mt_shrunk1_$n)" = "$(res resize mt0_$n)" ]
	done
}

@test "resize: a map pool's boot memory goes back to the page allocator: MemTotal rises by 1 GiB" {
	[ "$(res resize shrink0_2)" = ok ]
	[ "$(res resize size_shrunk0_2)" = 0 ]
	[ "$(res resize free_shrunk0_2)" = 0 ]
	[ "$(res resize nr_extents_shrunk0_2)" = 0 ]
	[ $(( $(res resize mt_shrunk0_2) - $(res resize mt0_2) )) = 1048576 ]
	[ "$(res resize probe_shrunk0_2)" = mapped ]
}

@test "resize: a nomap pool's boot memory goes back through memory hotplug: MemTotal rises by 1 GiB, System RAM again" {
	echo "# node1 MemTotal kB: pool $(res resize mt0_1), given back $(res resize mt_shrunk0_1)" >&3
	[ "$(res resize shrink0_1)" = ok ]
	[ "$(res resize size_shrunk0_1)" = 0 ]
	[ $(( $(res resize mt_shrunk0_1) - $(res resize mt0_1) )) = 1048576 ]
	[ "$(res resize probe_shrunk0_1)" = mapped ]
	[ "$(res resize iomem_pcarve)" = 0 ]
}

@test "resize: an empty pool grows again from the node's free memory" {
	local n
	for n in 1 2; do
		[ "$(res resize regrow_$n)" = ok ]
	done
	[ $(( $(res resize mt_shrunk0_2) - $(res resize mt_regrow_2) )) = 1048576 ]
}

# bad VALUE ERROR: writing VALUE fails with ERROR and changes nothing
bad() {
	local line
	line=$(sed -n "s/^bad\[$1\]=//p" "$BATS_FILE_TMPDIR/resize/result")
	echo "# size <- '$1': $line" >&3
	[ "${line%% size=*}" = "$2" ]
	[[ "$line" == *" size=1073741824 mt=$(res resize mt_regrow_2)" ]]
}

@test "resize: no shrink below the pcarvefs caps of the node's tenants: EBUSY, size unchanged, the log says why" {
	[ "$(res resize caps_grow)" = ok ]
	[ "$(res resize caps_mount_a)" = ok ]
	[ "$(res resize caps_committed_shrink0)" = "Device or resource busy size=2147483648" ]
	grep -q 'pcarve: node1: cannot give back 2147483648 bytes: 1073741824 of its 2147483648 are committed to its consumers' \
		"$BATS_FILE_TMPDIR/resize/result"
	# caps add up to no more than the pool, before and after a shrink
	[ "$(res resize caps_mount_b_over)" = refused ]
	[ "$(res resize caps_shrink1)" = "ok size=1073741824" ]
	[ "$(res resize caps_mount_b_full)" = refused ]
	# the part of a cap a remount drops is no longer committed
	[ "$(res resize caps_remount_a)" = ok ]
	[ "$(res resize caps_mount_b)" = ok ]
	[ "$(res resize caps_b_take)" = ok ]
	# nor is anything once the tenants are unmounted
	[ "$(res resize caps_mount_after)" = ok ]
}

@test "resize: a tenant without a cap commits what it holds: no shrink below it, no cap beside it that would overcommit" {
	# 2 MiB of a's cap and b's 1022 MiB fill the 1 GiB pool
	[ "$(res resize caps_b_more)" = refused ]
	[ "$(res resize caps_held_shrink0)" = "Device or resource busy size=1073741824" ]
	grep -q 'pcarve: node1: cannot give back 1073741824 bytes: 1073741824 of its 1073741824 are committed' \
		"$BATS_FILE_TMPDIR/resize/result"
	[ "$(res resize caps_remount_a_over)" = refused ]
	[ "$(res resize caps_remount_a_fits)" = ok ]
}

@test "resize: junk is refused with EINVAL, nothing changes, the value is named" {
	bad junk "Invalid argument"
	grep -q "pcarve: node2: size: 'junk" "$BATS_FILE_TMPDIR/resize/result"
}

@test "resize: a negative size is refused with EINVAL" {
	bad -1 "Invalid argument"
}

@test "resize: an overflowing size is refused with EINVAL" {
	bad 99999999999999999999999 "Invalid argument"
}

@test "resize: a size that is not a multiple of the granule is refused with EINVAL, naming it" {
	bad 1000 "Invalid argument"
	bad 1610612736 "Invalid argument"
	grep -q 'pcarve: node2: size: 1610612736 is not a multiple of the pool.s granule' \
		"$BATS_FILE_TMPDIR/resize/result"
}

@test "resize: a size the node cannot give is refused with ENOMEM, nothing changes" {
	bad 68719476736 "Cannot allocate memory"
	grep -q 'pcarve: node2: could not grow the pool by ' "$BATS_FILE_TMPDIR/resize/result"
}

@test "resize: an empty write is refused with EINVAL" {
	bad "" "Invalid argument"
}

@test "resize: the handover switch is off without KHO and cannot be turned on" {
	[ "$(res resize handover)" = 0 ]
	[ "$(res resize handover_on)" = "Operation not supported now=0" ]
	[ "$(res resize handover_junk)" = "Invalid argument" ]
}

@test "resize: no kernel warning in the guest" {
	[ "$(res resize dmesg_warn)" = 0 ]
}
