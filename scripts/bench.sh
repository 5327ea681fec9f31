#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: what pcarve costs and saves next to what one would use
# instead, measured on the same x86_64 guest (TCG), one boot per row:
# no carve-out; pcarve nomap, hvo and map; hugetlb 1 GiB boot pages with
# HVO off and on; memmap=S!addr (x86's "not RAM").  Then a 16 GiB
# pcarvefs file against a 16 GiB hugetlbfs file (faults, time to touch),
# and the pcarvefs handover of 1 and 10,000 files against a cold boot.
# Every figure is one the guest reported (/proc/vmstat, meminfo, the
# kernel's timestamps, pcarve's "boot work" line, the selftests' lines) or
# QEMU's peak resident memory on the host.
#
# Usage: bench.sh [-s "1 16 256 960"] [-o DIR] [-r] [-k]
#	-r: only draw the table and plot again from DIR/raw
#	-k: keep the boots of DIR/raw that finished; boot only the others
#
# For a pool of S GiB the guest has 8 nodes: nodes 1-7 each ceil(S/7)+3
# GiB (room for the memmap of a map pool or of hugetlb pages on the node),
# node0 56 GiB for the kernel, or less where the guest would pass 1 TiB;
# the pool fills nodes 1..7 in order, and every configuration of that size
# boots the same guest.  S = 960 is a 1 TiB guest: node0 37 GiB, nodes
# 1-7 141 GiB, 64 GiB left to the kernel.  QEMU runs in a memory cgroup capped below what the host
# has free, so that a configuration the host cannot hold is reported
# (killed at the cap) instead of taking the host down.
# Writes DIR/table.md, DIR/bench.png and DIR/raw/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
sizes="1 16 256 960"
out=$top/out/bench
render_only='' keep=''
while getopts "s:o:rk" opt; do
	case $opt in
	s) sizes=$OPTARG ;;
	o) out=$OPTARG ;;
	r) render_only=1 ;;
	k) keep=1 ;;
	*) echo "usage: bench.sh [-s \"SIZES in GiB\"] [-o DIR] [-r] [-k]" >&2; exit 2 ;;
	esac
done
mkdir -p "$out/raw"
raw=$out/raw
configs="none nomap hvo map hugetlb-hvo-off hugetlb-hvo-on memmap!"

per_node() { echo $(( ($1 + 6) / 7 )); }	# GiB of pool per node at most
node_gib() { echo $(( $(per_node "$1") + 3 )); }
node0_gib() {
	local rest=$((7 * $(node_gib "$1")))
	if [ $((56 + rest)) -gt 1024 ]; then echo $((1024 - rest)); else echo 56; fi
}
guest_nodes() {
	local s=$1 n
	n=$(node0_gib "$s")G
	for _ in 1 2 3 4 5 6 7; do n+=",$(node_gib "$s")G"; done
	echo "$n"
}
guest_gib() { echo $(( $(node0_gib "$1") + 7 * $(node_gib "$1") )); }

# spread S GiB over nodes 1..7: "N:SIZE" words
spread() {
	local left=$1 per n=1 take
	per=$(per_node "$1")
	while [ "$left" -gt 0 ]; do
		take=$((left < per ? left : per))
		echo "$n:$take"
		left=$((left - take))
		n=$((n + 1))
	done
}

cmdline() {	# CONFIG SIZE
	local cfg=$1 s=$2 w pm='' hp='' sfx=''
	case $cfg in
	none)	return ;;
	nomap)	sfx= ;;
	hvo)	sfx=:hvo ;;
	map)	sfx=:map ;;
	hugetlb-hvo-off|hugetlb-hvo-on) ;;
	memmap!)
		# the top S GiB of RAM, from the e820 map of the boot with
		# nothing carved (QEMU moves RAM above 1 TiB on large AMD-like
		# guests: the layout is read, not assumed)
		local top
		top=$(sed -n 's/.*BIOS-e820: \[mem 0x[0-9a-f]*-\(0x[0-9a-f]*\)\]  *System RAM$/\1/p' \
			"$raw/none-$s/console.1.log" | tail -n 1)
		[ -n "$top" ] || return 0
		echo "memmap=${s}G!$(( (top + 1) / 1073741824 - s ))G"
		return ;;
	esac
	for w in $(spread "$s"); do
		case $cfg in
		hugetlb-*) hp+=${hp:+,}${w%%:*}:${w#*:} ;;
		*) pm+=${pm:+,}node${w%%:*}:${w#*:}G$sfx ;;
		esac
	done
	case $cfg in
	hugetlb-hvo-off) echo "hugepagesz=1G hugepages=$hp hugetlb_free_vmemmap=off" ;;
	hugetlb-hvo-on) echo "hugepagesz=1G hugepages=$hp hugetlb_free_vmemmap=on" ;;
	*) echo "pmem=$pm" ;;
	esac
}

# the memory cgroup QEMU runs in (v2, or v1's memory controller); none
# when this host has neither
cg=
cap_gib=
cgroup_setup() {
	local avail d
	avail=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
	cap_gib=$((avail - 2))
	for d in /sys/fs/cgroup /sys/fs/cgroup/unified /sys/fs/cgroup/memory; do
		if [ -f "$d/cgroup.controllers" ] &&
		   grep -qw memory "$d/cgroup.controllers" &&
		   mkdir -p "$d/pcarve-bench" 2>/dev/null &&
		   echo $((cap_gib << 30)) > "$d/pcarve-bench/memory.max" 2>/dev/null; then
			cg=$d/pcarve-bench
			return
		fi
		if [ -f "$d/memory.limit_in_bytes" ] &&
		   mkdir -p "$d/pcarve-bench" 2>/dev/null &&
		   echo $((cap_gib << 30)) > "$d/pcarve-bench/memory.limit_in_bytes" 2>/dev/null; then
			cg=$d/pcarve-bench
			return
		fi
	done
	echo "bench: no memory cgroup: QEMU runs without a cap" >&2
}
cgroup_reset() {	# a fresh failure count per boot
	[ -n "$cg" ] || return 0
	if [ -f "$cg/memory.failcnt" ]; then
		echo 0 > "$cg/memory.failcnt"
		echo 0 > "$cg/memory.max_usage_in_bytes" 2>/dev/null || true
	fi
}
cgroup_hit() {		# did the last boot reach the cap?
	[ -n "$cg" ] || return 1
	if [ -f "$cg/memory.failcnt" ]; then
		[ "$(cat "$cg/memory.failcnt")" -gt 0 ]
	else
		[ "$(awk '/^oom_kill / { print $2 }' "$cg/memory.events")" -gt "${oom0:-0}" ]
	fi
}

# boot NAME NODES CMDLINE SCRIPT [ENV] [FLAGS]: one guest; its facts in
# raw/NAME/result, or why it did not boot in raw/NAME/result's failed=
run() {
	local name=$1 nodes=$2 cmd=$3 script=$4 envs=${5:-} flags=${6:-}
	local dir=$raw/$1 why
	if [ -n "$keep" ] && [ -f "$dir/result" ] &&
	   ! grep -q '^failed=' "$dir/result"; then
		echo "bench: $name: kept" >&2
		return
	fi
	echo "bench: $name: $nodes: $cmd" >&2
	rm -rf "$dir"
	cgroup_reset
	oom0=$( [ -f "$cg/memory.events" ] && awk '/^oom_kill / { print $2 }' "$cg/memory.events" || echo 0)
	# shellcheck disable=SC2016 # $1 is the inner shell's
	# shellcheck disable=SC2086 # flags are words
	if ! PCARVE_OUT=$raw/kernel sh -c \
		'[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec "$@"' \
		sh "$cg" "$top/tests/harness/boot.sh" -a x86_64 -n "$nodes" \
		-c "kunit.enable=0 $cmd" -s "$script" -e "$envs" -t 3600 \
		$flags -o "$dir" 2> "$raw/$name.err" >&2; then
		mkdir -p "$dir"
		why=$(tail -n 1 "$raw/$name.err")
		if cgroup_hit; then
			why="QEMU killed at the ${cap_gib} GiB host memory cap: the guest touched more host memory than this host has free"
		elif grep -q -e 'Kernel panic' -e 'Out of memory' "$dir/console.log" 2>/dev/null; then
			why="guest: $(grep -m1 -e 'Kernel panic' -e 'Out of memory' "$dir/console.log" | sed 's/^\[ *[0-9.]*\] //')"
		elif [ ! -s "$dir/console.log" ] && [ -s "$dir/qemu.log" ]; then
			why="QEMU: $(tail -n 1 "$dir/qemu.log")"
		fi
		echo "failed=$why" >> "$dir/result"
	fi
}

val() {
	[ -f "$raw/$1/result" ] || return 0
	sed -n "s/^$2=//p" "$raw/$1/result" | head -n 1
}

cat > "$raw/facts.sh" <<'EOS'
echo "memmap_pages=$(awk '/^nr_memmap_boot_pages / { print $2 }' /proc/vmstat)"
echo "memtotal_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
echo "huge_total=$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)"
echo "pool_bytes=$(cat /sys/kernel/mm/pcarve/size 2>/dev/null || echo 0)"
echo "init_s=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process/\1/p')"
echo "boot_work_us=$(dmesg | sed -n 's/.*pcarve: boot work: \([0-9]*\) us.*/\1/p')"
dmesg | grep -e '^\[ *[0-9.]*\] pcarve: node[0-9]*: asked' -e 'HugeTLB: allocating' |
	sed 's/^\[ *[0-9.]*\] /short=/' | head -n 3
EOS

# the touch: one 16 GiB file, hugetlbfs (1 GiB pages) or pcarvefs (nomap),
# with the selftest's next_to_hugetlbfs; the same guest both times, one
# side per boot (both files would need 32 GiB of host memory)
touch_nodes=4G,17G,17G
touch_cmd="pmem=node1:16G hugepagesz=1G hugepages=2:16"
cat > "$raw/touch.sh" <<'EOS'
pcarvefs -t next_to_hugetlbfs 2>&1 | sed -n 's/.*next_to_hugetlbfs:\(hugetlbfs\|pcarvefs\):/touch=\1:/p'
EOS

# the handover: a nomap pool, 1 or 10,000 files (pcarvefs_fill), kexec
# with KHO; the cold boot and the KHO boot of the same guest
ho_nodes=4G,4G
ho_cmd="kho=on pmem=node1:2G"
cat > "$raw/handover.sh" <<'EOS'
echo "s${PCARVE_STAGE}_init_s=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process/\1/p')"
echo "s${PCARVE_STAGE}_boot_work_us=$(dmesg | sed -n 's/.*pcarve: boot work: \([0-9]*\) us.*/\1/p')"
if [ "$PCARVE_STAGE" = 1 ]; then
	echo "s1_filled=$(pcarvefs_fill 0)"
	pcarve-next-kernel kunit.enable=0 kho=on pmem=node1:2G
else
	echo "s2_restored=$(dmesg | sed -n 's/.*pcarvefs: handover: \(.* trees restored in .*\)/\1/p')"
	echo "@@KTAP handover"
	pcarvefs_handover
	echo "@@KTAP-END handover"
fi
EOS

if [ -z "$render_only" ]; then
	# the kernel and initramfs of this run, so that a build during the
	# bench does not change them
	mkdir -p "$raw/kernel/build-x86_64/arch/x86/boot"
	cp "$top/out/build-x86_64/arch/x86/boot/bzImage" \
		"$raw/kernel/build-x86_64/arch/x86/boot/bzImage"
	cp "$top/out/initramfs-x86_64.cpio" "$raw/kernel/"
	cgroup_setup
	echo "${cap_gib} ${cg:+cgroup}" > "$raw/cap"
	for s in $sizes; do
		for cfg in $configs; do
			run "$cfg-$s" "$(guest_nodes "$s")" "$(cmdline "$cfg" "$s")" \
				"$raw/facts.sh"
		done
	done
	for side in hugetlbfs pcarvefs; do
		run "touch-$side" "$touch_nodes" "$touch_cmd" "$raw/touch.sh" \
			"PCARVEFS_NOMAP=1 PCARVEFS_HUGE=$((1 << 30)) PCARVEFS_TOUCH_MB=16384 PCARVEFS_TOUCH_SIDE=$side"
	done
	run handover-1 "$ho_nodes" "$ho_cmd" "$raw/handover.sh" \
		"PCARVEFS_HO_NODES=1:1 PCARVEFS_HO_MB=16 PCARVEFS_HO_EMPTY=0" -K
	run handover-10000 "$ho_nodes" "$ho_cmd" "$raw/handover.sh" \
		"PCARVEFS_HO_NODES=1:1 PCARVEFS_HO_MB=16 PCARVEFS_HO_EMPTY=9999" -K
	[ -z "$cg" ] || rmdir "$cg" 2>/dev/null || true
fi

# --- the table, and the data gnuplot draws ---
kver=$(sed -n 's/^\[ *[0-9.]*\] Linux version \([^ ]*\).*/\1/p' \
	"$raw"/none-*/console.log 2>/dev/null | head -n 1)
s2() { awk -v s="$1" 'BEGIN { if (s != "") printf "%.2f", s; else print "-" }'; }
ms() { awk -v u="$1" 'BEGIN { if (u != "") printf "%.1f", u / 1000; else print "-" }'; }
{
	echo "# make bench, $(date -u +%Y-%m-%d), Linux ${kver:-?}, x86_64 TCG on $(nproc) cores, $(awk '/^MemTotal:/ { printf "%d", $2 / 1048576 }' /proc/meminfo) GiB host"
	echo
	echo "Every cell comes from the guest (/proc/vmstat nr_memmap_boot_pages, MemTotal, the \"Run /init\" timestamp, pcarve's \"boot work\" line) or from QEMU's peak resident memory on the host. Struct-page bytes per GiB: memmap pages above the memmap=! boot of the same guest, per GiB carved. Guest for S GiB: nodes 1-7 ceil(S/7)+3 GiB each, node0 56 GiB (37 GiB for the 1 TiB guest); QEMU capped at $(cut -d' ' -f1 "$raw/cap" 2>/dev/null || echo '?') GiB of host memory."
	echo
	echo "| configuration | GiB carved | guest GiB | memmap pages | struct-page bytes / GiB | MemTotal GiB | to init (s) | pcarve boot work (ms) | QEMU RSS (MiB) | note |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
} > "$out/table.md"
: > "$out/plot.dat"
row() {	# CONFIG SIZE
	local cfg=$1 s=$2 n=$1-$2 mm ref per rss note init
	mm=$(val "$n" memmap_pages) ref=$(val "memmap!-$s" memmap_pages)
	per=-
	if [ "$cfg" != none ] && [ -n "$mm" ] && [ -n "$ref" ]; then
		per=$(( (mm - ref) * 4096 / s ))
	fi
	rss=$(cat "$raw/$n/rss_kb" 2>/dev/null || true)
	init=$(val "$n" init_s | awk '{ printf "%.2f", $1 }')
	note=$(val "$n" failed)
	[ -n "$note" ] || note=$(val "$n" short)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$cfg" \
		"$( [ "$cfg" = none ] && echo 0 || echo "$s")" "$(guest_gib "$s")" \
		"${mm:--}" "$per" \
		"$(awk -v k="$(val "$n" memtotal_kb)" 'BEGIN { if (k) printf "%.1f", k / 1048576; else print "-" }')" \
		"${init:--}" "$(ms "$(val "$n" boot_work_us)")" \
		"$( [ -n "$rss" ] && echo $((rss >> 10)) || echo -)" "$note" >> "$out/table.md"
	echo "$cfg $s ${mm:-nan} ${init:-nan} $( [ -n "$rss" ] && echo $((rss >> 10)) || echo nan) $(ms "$(val "$n" boot_work_us)" | sed 's/^-$/nan/')" >> "$out/plot.dat"
}
for s in $sizes; do
	for cfg in $configs; do
		row "$cfg" "$s"
	done
done

# the goals: pcarve's boot work flat from the smallest to the largest
# pool; the largest nomap boot at init no later than nothing carved
small=${sizes%% *} large=${sizes##* }
{
	echo
	w1=$(val "nomap-$small" boot_work_us) w2=$(val "nomap-$large" boot_work_us)
	if [ -n "$w1" ] && [ -n "$w2" ]; then
		echo "pcarve boot work, nomap: $(ms "$w1") ms for $small GiB, $(ms "$w2") ms for $large GiB (x$(awk -v a="$w2" -v b="$w1" 'BEGIN { printf "%.2f", a / b }') for x$((large / small)) the memory)."
	fi
	a=$(val "nomap-$large" init_s) b=$(val "none-$large" init_s)
	if [ -n "$a" ] && [ -n "$b" ]; then
		echo "$large GiB nomap reached init at $a s, nothing carved at $b s on the same $(guest_gib "$large") GiB guest: $(awk -v a="$a" -v b="$b" 'BEGIN { print (a <= b ? "no slower" : "SLOWER") }')."
	else
		echo "$large GiB nomap: to init ${a:-did not boot}, nothing carved ${b:-did not boot}."
	fi

	echo
	echo "## Mapping: a 16 GiB file, hugetlbfs (1 GiB pages) and pcarvefs (nomap), in one guest ($touch_nodes: $touch_cmd), one side per boot"
	echo
	echo "hugetlbfs zeroes a page at its first fault, pcarvefs at allocation (ftruncate); the touch writes every 4 KiB page; faults are the process's minor faults."
	echo
	echo "| file | ftruncate (ms) | first touch: faults | first touch (ms) | second touch: faults | second touch (ms) | QEMU RSS (MiB) |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for side in hugetlbfs pcarvefs; do
		l=$(val "touch-$side" touch)
		if [ -z "$l" ]; then
			echo "| $side | $(val "touch-$side" failed) | | | | | |"
			continue
		fi
		# "<side>:16384M file, ...: ftruncate U us, first touch F faults U us, second touch (or again) F faults U us"
		read -r t ff fu sf su < <(echo "$l" | sed -n 's/.*ftruncate \([0-9]*\) us, first touch \([0-9]*\) faults \([0-9]*\) us, \(second touch\|again\) \([0-9]*\) faults \([0-9]*\) us.*/\1 \2 \3 \5 \6/p')
		rss=$(cat "$raw/touch-$side/rss_kb" 2>/dev/null || echo 0)
		echo "| ${l%%,*} | $(ms "$t") | $ff | $(ms "$fu") | $sf | $(ms "$su") | $((rss >> 10)) |"
	done

	echo
	echo "## Handover: pcarvefs files across kexec (KHO) against a cold boot of the same guest ($ho_nodes: $ho_cmd)"
	echo
	echo "| files | cold boot to init (s) | KHO boot to init (s) | pcarvefs trees restored | pcarve boot work, KHO boot (ms) | checked after kexec |"
	echo "|---:|---:|---:|---|---:|---|"
	for f in 1 10000; do
		n=handover-$f
		if [ -n "$(val "$n" failed)" ]; then
			echo "| $f | $(val "$n" failed) | | | | |"
			continue
		fi
		k=$(sed -n '/^@@KTAP handover$/,/^@@KTAP-END handover$/p' "$raw/$n/result" 2>/dev/null |
			grep -m1 '^# Totals:' || echo 'no KTAP totals')
		echo "| $f | $(s2 "$(val "$n" s1_init_s)") | $(s2 "$(val "$n" s2_init_s)") | $(val "$n" s2_restored) | $(ms "$(val "$n" s2_boot_work_us)") | ${k#\# } |"
	done
} >> "$out/table.md"

gnuplot <<EOG
set terminal pngcairo size 1400,900 font ",10" noenhanced
set output "$out/bench.png"
set multiplot layout 2,2 title "pcarve vs hugetlb and memmap=!: x86_64 guests of 8 nodes, 7 sized for the pool, up to 1 TiB (TCG)"
set logscale x 2
set xlabel "GiB carved (guest grows with it)"
set key left top
array lab[4] = ["memmap pages (nr_memmap_boot_pages)", "kernel time to init (s)", "QEMU peak RSS (MiB)", "pcarve boot work (ms)"]
array col[4] = [3, 4, 5, 6]
array cfgs[4] = ["$configs", "$configs", "$configs", "nomap hvo map"]
do for [i = 1:4] {
	set ylabel lab[i]
	plot for [c in cfgs[i]] "< grep '^".c." ' $out/plot.dat" \
		using 2:col[i] with linespoints title c
}
unset multiplot
EOG
cat "$out/table.md"
echo "bench: $out/table.md, $out/bench.png" >&2
