#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# With kho=on, the largest pool a node can give still leaves KHO its
# scratch areas: a first boot asks node2 (the last node, where KHO's global
# scratch area goes too) for far more than it has and reads what it could
# give; a second boot asks for exactly that, and KHO must not give up.
bats_require_minimum_version 1.5.0
load lib

NODES=2G,2G,2G

kho_script() {
	local f=$BATS_FILE_TMPDIR/kho.sh
	cat "$(facts_script)" > "$f"
	echo 'echo "kho_scratch=$(ls /sys/kernel/debug/kho/out 2>/dev/null | grep -c scratch)"' >> "$f"
	echo "$f"
}

setup_file() {
	local can
	boot probe "$NODES" "kho=on pmem=node2:100G:2M" "$(kho_script)"
	can=$(console probe | sed -n 's/^pcarve: node2: asked for 102400 MiB but it can give only \([0-9]*\) MiB .*/\1/p')
	echo "$can" > "$BATS_FILE_TMPDIR/can"
	boot max "$NODES" "kho=on pmem=node2:${can}M:2M" "$(kho_script)"
}

@test "kho=on: the node says how much it can give with KHO's room held" {
	local can=$(cat "$BATS_FILE_TMPDIR/can")
	echo "# node2 can give $can MiB with kho=on" >&3
	[ "$can" -gt 1024 ]
	[ "$(res probe kho_scratch)" -gt 0 ]
}

@test "kho=on: a pool of exactly that size is carved and KHO keeps its scratch" {
	local can=$(cat "$BATS_FILE_TMPDIR/can")
	console max | grep -q "^pcarve: node2: $can MiB nomap pool, granule 2M, "
	run ! grep -qi 'disabling kexec handover\|Failed to reserve\|no room for KHO' <(console max)
	[ "$(res max kho_scratch)" -gt 0 ]
}
