#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Boot without pmem=: nothing is reserved, and the KUnit parser suite runs.
bats_require_minimum_version 1.5.0
load lib

setup_file() {
	KUNIT_SLOW=1 boot nopmem 2G,2G,2G "" "$(facts_script)"
}

@test "no pmem=: boots and reserves nothing" {
	# read from /sys/kernel/mm/pcarve: the root exists without pools
	[ "$(res nopmem nr_pools)" = 0 ]
	[ "$(res nopmem pcarve_iomem)" = 0 ]
	run ! grep -q '^pcarve: ' <(console nopmem)
}

@test "KUnit: the pmem= parser suite runs every case of its table at boot, all passing" {
	local k=$PCARVE_RESULTS/ktap/kunit-pcarve-parse.ktap n want

	console nopmem | sed -n '/^KTAP version 1$/,$p' |
		grep -E '^ *(KTAP version|[0-9]+\.\.[0-9]+|ok |not ok |# )' > "$k"
	n=$(grep -cE '^ {8}(not )?ok [0-9]+ ' "$k")
	echo "# KUnit pcarve-parse: $n parameterised parser cases" >&3
	# one result per entry of the table (every malformed value the boots
	# of 60/61-malformed try is among them)
	want=$(grep -cE '^	(OK1|OKN|BAD)\(' "$PCARVE_TOP/mm/pcarve/tests/parse_kunit.c")
	[ "$want" -ge 100 ]
	[ "$n" -eq "$want" ]
	grep -qE '^ok [0-9]+ pcarve-parse$' "$k"
}

@test "KUnit: the allocator suite (made-up pools, 16-thread stress for 10 s) passes" {
	local k=$PCARVE_RESULTS/ktap/kunit-pcarve-alloc.ktap

	console nopmem | sed -n '/^    # Subtest: pcarve-alloc$/,/^ok [0-9]* pcarve-alloc$/p' |
		grep -E '^ *(KTAP version|[0-9]+\.\.[0-9]+|ok |not ok |# )' > "$k"
	grep -E '# (metadata_1t|stress): ' "$k" | sed 's/^ */# /' >&3
	[ "$(grep -cE '^ {4}ok [0-9]+ ' "$k")" -ge 11 ]
	run ! grep -q 'not ok' "$k"
	grep -qE '^ok [0-9]+ pcarve-alloc$' "$k"
}
