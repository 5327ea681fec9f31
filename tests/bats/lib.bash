# SPDX-License-Identifier: GPL-2.0
# Helpers for the pcarve bats scenarios: boot a guest, read its results.

PCARVE_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
: "${PCARVE_RESULTS:=$PCARVE_TOP/out/check}"
: "${ARCH:=x86_64}"
export PCARVE_RESULTS ARCH
mkdir -p "$PCARVE_RESULTS/ktap"

# boot NAME NODES CMDLINE [SCRIPT [ENV]]: boot into $BATS_FILE_TMPDIR/NAME
# (BOOT_FLAGS: more boot.sh options, such as -f uefi; HOLES: addresses,
# comma-separated, where 64 KiB of the guest's RAM is taken away, see
# holes_spec)
boot() {
	local name=$1 nodes=$2 cmdline=$3 script=${4:-} envs=${5:-}
	local dir=$BATS_FILE_TMPDIR/$name h spec=

	# x86_64: memmap=64K$addr, not RAM; arm64 (no memmap=): a device-tree
	# /reserved-memory entry, reserved RAM
	if [ -n "${HOLES:-}" ]; then
		for h in ${HOLES//,/ }; do
			case "$ARCH" in
			x86_64)	spec+=${spec:+,}64K\$$h ;;
			*)	spec+=${spec:+,}$h:65536 ;;
			esac
		done
		case "$ARCH" in
		x86_64)	cmdline="$cmdline memmap=$spec" ;;
		*)	;;
		esac
	fi
	# KUnit runs in the boots that check its results (KUNIT_SLOW=1:
	# 00-boot and the debug kernel), not in every boot, where nobody reads
	# them (0.3-0.5 s of a TCG guest each, in some 150 boots)
	[ -n "${KUNIT_SLOW:-}" ] || cmdline="kunit.enable=0 $cmdline"
	local args=(-a "$ARCH" -n "$nodes" -c "$cmdline" -e "$envs" -o "$dir")

	[ -n "${HOLES:-}" ] && [ "$ARCH" != x86_64 ] && args+=(-H "$spec")
	# shellcheck disable=SC2206 # split on purpose
	args+=(${BOOT_FLAGS:-})
	[ -n "$script" ] && args+=(-s "$script")
	"$PCARVE_TOP/tests/harness/boot.sh" "${args[@]}" >&2
	echo "# boot $name ($cmdline): $(cat "$dir/seconds")s" >&3
	# keep the console log of every boot for post-mortems
	cp "$dir/console.log" "$PCARVE_RESULTS/$name.console.log"
}

# a script that runs selftest programs and prints their output
selftests_script() {
	local f=$BATS_FILE_TMPDIR/selftests.sh p

	: > "$f"
	for p in "$@"; do
		echo "echo '@@KTAP $p'; $p; echo '@@KTAP-END $p'" >> "$f"
	done
	echo "$f"
}

# save_ktap NAME PROG: keep PROG's KTAP from boot NAME for the final count
save_ktap() {
	local name=$1 prog=$2
	sed -n "/^@@KTAP $prog\$/,/^@@KTAP-END $prog\$/p" \
		"$BATS_FILE_TMPDIR/$name/result" | sed '1d;$d' \
		> "$PCARVE_RESULTS/ktap/$name-$prog.ktap"
	cat "$PCARVE_RESULTS/ktap/$name-$prog.ktap"
}

result() { cat "$BATS_FILE_TMPDIR/$1/result"; }
# the kernel log of the boot, up to the start of the guest script
console() {
	sed -e '/^@@PCARVE-BEGIN@@$/,$d' -e 's/^\[ *[0-9.]*\] //' \
		"$BATS_FILE_TMPDIR/$1/console.log"
}
# console_of NAME N: the same for kernel N of a boot that kexec'd
console_of() {
	sed -e '/^@@PCARVE-BEGIN@@$/,$d' -e 's/^\[ *[0-9.]*\] //' \
		"$BATS_FILE_TMPDIR/$1/console.$2.log"
}
dmesg_of() { sed 's/^\[ *[0-9.]*\] //' "$BATS_FILE_TMPDIR/$1/dmesg"; }

# value of a "key=value" line that a guest script printed
res() { sed -n "s/^$2=//p" "$BATS_FILE_TMPDIR/$1/result" | head -n 1; }

# the guest script that prints the facts the host compares between boots
facts_script() {
	local f=$BATS_FILE_TMPDIR/facts.sh
	cat > "$f" <<'EOS'
for n in /sys/devices/system/node/node*; do
	echo "memtotal_kb_${n##*node}=$(awk '/MemTotal/ { print $4 }' $n/meminfo)"
done
echo "memmap_pages=$(awk '/^nr_memmap_boot_pages / { print $2 }' /proc/vmstat)"
echo "memtotal_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
echo "nr_pools=$(cat /sys/kernel/mm/pcarve/nr_pools)"
echo "pcarve_iomem=$(grep -c ': pcarve$' /proc/iomem)"
for p in /sys/kernel/mm/pcarve/node*; do
	[ -d "$p" ] || continue
	n=${p##*node}
	echo "extents_$n=$(head -n 1 $p/extents)"
	echo "nr_extents_$n=$(cat $p/nr_extents)"
	echo "direct_map_$n=$(cat $p/direct_map)"
	echo "state_$n=$(cat $p/state)"
done
echo "direct_map_1g_kb=$(awk '/^DirectMap1G:/ { print $2 }' /proc/meminfo)"
EOS
	echo "$f"
}

# boot_pool NAME NODES PMEM NODE EXPECT [ENV]: boot "base" (no pools) once,
# then NAME with PMEM, running the selftests against base's figures for NODE
boot_pool() {
	local name=$1 nodes=$2 pmem=$3 node=$4 expect=$5 envs=${6:-}
	local s=$BATS_FILE_TMPDIR/$name.sh

	[ -d "$BATS_FILE_TMPDIR/base" ] ||
		boot base "$nodes" "" "$(facts_script)"
	cat "$(facts_script)" "$(selftests_script pcarve_sysfs pcarve_facts)" > "$s"
	boot "$name" "$nodes" "$pmem" "$s" \
		"PCARVE_EXPECT='$expect' PCARVE_NODE=$node
		 PCARVE_BASE_MEMTOTAL_KB=$(res base "memtotal_kb_$node")
		 PCARVE_BASE_MEMMAP_PAGES=$(res base memmap_pages)
		 $envs"
}

# node_range NAME NID: "start end" (hex, end inclusive) of the first memory
# range of node NID in boot NAME, from its "Early memory node ranges"
node_range() {
	console "$1" |
		sed -n "s/^ *node *$2: \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]\$/\1 \2/p" |
		head -n 1
}

# hole_addrs NAME NID COUNT STEP: COUNT addresses STEP apart (K/M/G),
# starting 1 MiB into node NID of boot NAME, one per line
hole_addrs() {
	local s e k step=$(numfmt --from=iec "$4")

	read -r s e < <(node_range "$1" "$2")
	[ -n "$s" ] || return 1
	for ((k = 0; k < $3; k++)); do
		printf '0x%x\n' $((s + k * step + (1 << 20)))
	done
}

# holes_spec: the addresses on stdin as one HOLES value
holes_spec() { paste -sd, -; }

# ktap_complete NAME PROG N: PROG's KTAP from boot NAME has all N results
# (whether they passed is counted by make check, once)
ktap_complete() {
	run -0 save_ktap "$1" "$2"
	grep '^# [a-z].*: ' <<<"$output" | sed 's/^/# /' >&3 || true
	[[ "$output" == *"1..$3"* ]]
	[ "$(grep -cE '^(not )?ok ' <<<"$output")" = "$3" ]
}

# malformed_boots PREFIX: one boot PREFIXi per "value|token" of CASES, with
# pmem=value (60-malformed and 61-malformed)
malformed_boots() {
	local i

	for i in "${!CASES[@]}"; do
		boot "$1$i" 2G,2G,2G "pmem=${CASES[$i]%%|*}" "$(facts_script)"
	done
}

# malformed_case PREFIX I: boot PREFIXI reserved nothing and printed one
# message quoting its pmem= value and the offending token
malformed_case() {
	local b=$1$2 value=${CASES[$2]%%|*} tok=${CASES[$2]#*|}

	run -0 grep '^pcarve: ' <(console "$b")
	echo "# $output" >&3
	[ "${#lines[@]}" = 1 ]
	[[ "${lines[0]}" == "pcarve: pmem=$value: "*" at '$tok' (offset "*"); no pools reserved" ]]
	[ "$(res "$b" nr_pools)" = 0 ]
	[ "$(res "$b" pcarve_iomem)" = 0 ]
}
