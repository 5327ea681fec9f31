#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A malformed pmem= is rejected whole: every one of these boots, reserves
# nothing, and prints one message naming the offending token and why.
# These cases on both architectures; the rest of the parser's errors boot
# on x86_64 only (61-malformed.x86_64.bats): the parser is common code, and
# its KUnit suite, which 00-boot runs on both, has every case.
bats_require_minimum_version 1.5.0
load lib

# pmem= value | offending token the message must quote
CASES=(
	"node1:1G:foo|foo"
	"node1:99999999999999999999G|99999999999999999999G"
	"node2:1G,node1:1G:bogus|bogus"
	"|"
)

setup_file() {
	malformed_boots bad
}

@test "malformed 0: unknown option" { malformed_case bad 0; }
@test "malformed 1: size overflow" { malformed_case bad 1; }
@test "malformed 2: an error in a later spec rejects the earlier ones too" { malformed_case bad 2; }
@test "malformed 3: empty value" { malformed_case bad 3; }

@test "pmem= given twice: nothing reserved" {
	boot twice 2G,2G,2G "pmem=node1:1G pmem=node2:1G" "$(facts_script)"
	run -0 grep '^pcarve: ' <(console twice)
	[ "${lines[0]}" = "pcarve: pmem= given more than once; no pools reserved" ]
	[ "$(res twice nr_pools)" = 0 ]
}
