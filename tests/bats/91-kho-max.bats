#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# With kho=on, the largest pools the nodes can give still leave KHO its
# scratch areas, and are handed over: a first boot asks nodes 1 and 2 (the
# last node, where KHO's global scratch area goes too) for far more than
# they have and reads what they could give; a second boot asks for that
# (less 64 MiB each: they were asked one at a time), more than 85% of the
# guest's memory, and KHO must not give up,
# neither there nor in the kernel it kexecs into, which takes the pools
# back.
bats_require_minimum_version 1.5.0
load lib

NODES=1G,8G,8G

kho_script() {
	local f=$BATS_FILE_TMPDIR/kho.sh
	{
		echo "facts() {"
		cat "$(facts_script)"
		echo "}"
		cat <<'EOS'
facts | sed "s/^/s${PCARVE_STAGE}_/"
echo "s${PCARVE_STAGE}_kho_scratch=$(ls /sys/kernel/debug/kho/out 2>/dev/null | grep -c scratch)"
for p in /sys/kernel/mm/pcarve/node*; do
	[ -d "$p" ] && echo "s${PCARVE_STAGE}_origin_${p##*node}=$(cat $p/origin)"
done
if [ "$PCARVE_STAGE" = 1 ] && [ -n "$NEXT" ]; then
	pcarve-next-kernel $NEXT
fi
EOS
	} > "$f"
	echo "$f"
}

setup_file() {
	local can1 can2 pmem
	boot probe "$NODES" "kho=on pmem=node1:100G:2M,node2:100G:2M" \
		"$(kho_script)"
	can1=$(console probe | sed -n 's/^pcarve: node1: asked for 102400 MiB but it can give only \([0-9]*\) MiB .*/\1/p')
	can2=$(console probe | sed -n 's/^pcarve: node2: asked for 102400 MiB but it can give only \([0-9]*\) MiB .*/\1/p')
	echo "$can1 $can2" > "$BATS_FILE_TMPDIR/can"
	# each node was asked alone; with both pools KHO's room grows a little
	pmem="kho=on pmem=node1:$((can1 - 64))M:2M,node2:$((can2 - 64))M:2M"
	BOOT_FLAGS="-K ${BOOT_FLAGS:-}" boot max "$NODES" "$pmem" \
		"$(kho_script)" "NEXT='$pmem'"
}

@test "kho=on: the nodes say how much they can give with KHO's room held" {
	local can1 can2
	read -r can1 can2 < "$BATS_FILE_TMPDIR/can"
	echo "# node1 can give $can1 MiB, node2 $can2 MiB with kho=on" >&3
	[ "$can1" -gt 4096 ] && [ "$can2" -gt 4096 ]
	[ "$(res probe s1_kho_scratch)" -gt 0 ]
}

@test "kho=on: pools of nearly that size, over 85% of memory, and KHO keeps its scratch" {
	local can1 can2 total
	read -r can1 can2 < "$BATS_FILE_TMPDIR/can"
	can1=$((can1 - 64)) can2=$((can2 - 64))
	console_of max 1 | grep -q "^pcarve: node1: $can1 MiB nomap pool, granule 2M, "
	console_of max 1 | grep -q "^pcarve: node2: $can2 MiB nomap pool, granule 2M, "
	run ! grep -qi 'disabling kexec handover\|Failed to reserve\|no room for KHO' <(console_of max 1)
	[ "$(res max s1_kho_scratch)" -gt 0 ]
	total=$((17 << 10))
	echo "# pools: $((can1 + can2)) MiB of the guest's $total MiB ($(( (can1 + can2) * 100 / total ))%)" >&3
	[ $(( (can1 + can2) * 100 )) -ge $((total * 85)) ]
}

@test "kho=on: the kernel it kexecs into takes both pools back, and KHO still keeps its scratch" {
	local p
	[ "$(res max s1_load_rc)" = 0 ]
	for p in 1 2; do
		[ "$(res max s2_origin_$p)" = handover ]
		[ "$(res max s2_extents_$p)" = "$(res max s1_extents_$p)" ]
		[ "$(res max s2_state_$p)" = active ]
	done
	run ! grep -qi 'disabling kexec handover\|Failed to reserve\|Failed to extend scratch' <(console_of max 2)
	[ "$(res max s2_kho_scratch)" -gt 0 ]
	[ "$(cat "$BATS_FILE_TMPDIR/max/rc")" = 0 ]
}
