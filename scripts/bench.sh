#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: what pcarve costs and saves next to what one would use
# instead, measured in the same x86_64 guest (TCG), one boot per cell row:
# no carve-out; pcarve nomap, hvo and map; hugetlb 1 GiB boot pages with
# HVO off and on; memmap=S!addr (x86's "not RAM").  Every figure is one the
# guest reported (/proc/vmstat, meminfo, the kernel's timestamps, pcarve's
# boot-work line) or QEMU's peak resident memory on the host.
#
# Usage: bench.sh [-s "1 16 256 960"] [-o DIR] [-r]
#	-r: only draw the table and plot again from DIR/raw
#
# The guest has 8 nodes: node0 56 GiB for the kernel, nodes 1-7 each a
# seventh of the largest size plus 1 GiB; a pool of S GiB fills nodes 1..7
# in order.  With the default sizes that is a 1 TiB guest with up to
# 960 GiB carved.  Writes DIR/table.md, DIR/bench.png and DIR/raw/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
sizes="1 16 256 960"
out=$top/out/bench
render_only=
while getopts "s:o:r" opt; do
	case $opt in
	s) sizes=$OPTARG ;;
	o) out=$OPTARG ;;
	r) render_only=1 ;;
	*) echo "usage: bench.sh [-s \"SIZES in GiB\"] [-o DIR]" >&2; exit 2 ;;
	esac
done
mkdir -p "$out/raw"

max=0
for s in $sizes; do [ "$s" -gt "$max" ] && max=$s; done
per=$(( (max + 6) / 7 ))		# GiB of pool per node at most
node0=56
nodes=${node0}G
for _ in 1 2 3 4 5 6 7; do nodes+=",$((per + 1))G"; done
total=$((node0 + 7 * (per + 1)))

# spread S GiB over nodes 1..7: "N:SIZE" words
spread() {
	local left=$1 n=1 take
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
		# the top S GiB of RAM: q35 puts 2 GiB below 4 GiB, the rest
		# from 4 GiB up
		echo "memmap=${s}G!$(( total + 2 - s ))G"
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

cat > "$out/raw/facts.sh" <<'EOS'
echo "memmap_pages=$(awk '/^nr_memmap_boot_pages / { print $2 }' /proc/vmstat)"
echo "memtotal_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
echo "huge_total=$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)"
echo "pool_bytes=$(cat /sys/kernel/mm/pcarve/size 2>/dev/null || echo 0)"
echo "init_s=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process/\1/p')"
echo "boot_work_us=$(dmesg | sed -n 's/.*pcarve: boot work: \([0-9]*\) us.*/\1/p')"
dmesg | grep -e '^\[ *[0-9.]*\] pcarve: node[0-9]*: asked' -e 'HugeTLB: allocating' |
	sed 's/^\[ *[0-9.]*\] /short=/' | head -n 3
EOS

# boot NAME CMDLINE: one guest; its facts in raw/NAME/result
run() {
	local name=$1 cmd=$2 dir=$out/raw/$1
	echo "bench: $name: $cmd" >&2
	rm -rf "$dir"
	if ! "$top/tests/harness/boot.sh" -a x86_64 -n "$nodes" \
		-c "kunit.enable=0 $cmd" -s "$out/raw/facts.sh" -t 3600 \
		-o "$dir" \
		2> "$out/raw/$name.err" >&2; then
		mkdir -p "$dir"
		echo "failed=$(tail -n 1 "$out/raw/$name.err")" >> "$dir/result"
	fi
}

val() {
	[ -f "$out/raw/$1/result" ] || return 0
	sed -n "s/^$2=//p" "$out/raw/$1/result" | head -n 1
}

if [ -z "$render_only" ]; then
	run none ""
	for s in $sizes; do
		for cfg in nomap hvo map hugetlb-hvo-off hugetlb-hvo-on memmap!; do
			run "$cfg-$s" "$(cmdline "$cfg" "$s")"
		done
	done
fi

# the table, and the data gnuplot draws
kver=$(sed -n 's/^\[ *[0-9.]*\] Linux version \([^ ]*\).*/\1/p' \
	"$out/raw/none/console.log" 2>/dev/null | head -n 1)
{
	echo "# make bench, $(date -u +%Y-%m-%d), Linux ${kver:-?}, x86_64 TCG, ${total} GiB in 8 nodes ($nodes)"
	echo
	echo "Every cell comes from the guest (/proc/vmstat nr_memmap_boot_pages, MemTotal, the \"Run /init\" timestamp, pcarve's \"boot work\" line) or from QEMU's peak resident memory on the host. Struct-page bytes per GiB: memmap pages above the memmap=! boot of the same size, per GiB carved."
	echo
	echo "| configuration | GiB | memmap pages | struct-page bytes / GiB | MemTotal GiB | to init (s) | pcarve boot work (ms) | QEMU RSS (MiB) | note |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
} > "$out/table.md"
: > "$out/plot.dat"
row() {	# NAME CONFIG SIZE
	local n=$1 cfg=$2 s=$3 mm ref per rss note
	mm=$(val "$n" memmap_pages) ref=$(val "memmap!-$s" memmap_pages)
	per=-
	if [ -n "$mm" ] && [ -n "$ref" ] && [ "$s" -gt 0 ]; then
		per=$(( (mm - ref) * 4096 / s ))
	fi
	rss=$(cat "$out/raw/$n/rss_kb" 2>/dev/null || echo)
	note=$(val "$n" failed)
	[ -n "$note" ] || note=$(val "$n" short)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$cfg" "$s" \
		"${mm:--}" "$per" \
		"$(awk -v k="$(val "$n" memtotal_kb)" 'BEGIN { if (k) printf "%.1f", k / 1048576; else print "-" }')" \
		"$(val "$n" init_s | sed 's/^$/-/')" \
		"$(awk -v u="$(val "$n" boot_work_us)" 'BEGIN { if (u != "") printf "%.1f", u / 1000; else print "-" }')" \
		"$( [ -n "$rss" ] && echo $((rss >> 10)) || echo -)" "$note" >> "$out/table.md"
	echo "$cfg $s ${mm:-nan} $(val "$n" init_s | sed 's/^$/nan/') $( [ -n "$rss" ] && echo $((rss >> 10)) || echo nan)" >> "$out/plot.dat"
}
row none none 0
for s in $sizes; do
	for cfg in nomap hvo map hugetlb-hvo-off hugetlb-hvo-on memmap!; do
		row "$cfg-$s" "$cfg" "$s"
	done
done

gnuplot <<EOG
set terminal pngcairo size 1200,500 font ",10" noenhanced
set output "$out/bench.png"
set multiplot layout 1,2 title "pcarve vs hugetlb and memmap=!, ${total} GiB x86_64 guest (TCG)"
set logscale x 2
set xlabel "GiB carved"
set key left top
set ylabel "memmap pages (nr_memmap_boot_pages)"
plot for [c in "nomap hvo map hugetlb-hvo-off hugetlb-hvo-on memmap!"] \
	"< grep '^".c." ' $out/plot.dat" using 2:3 with linespoints title c
set ylabel "QEMU peak RSS (MiB)"
plot for [c in "nomap hvo map hugetlb-hvo-off hugetlb-hvo-on memmap!"] \
	"< grep '^".c." ' $out/plot.dat" using 2:5 with linespoints title c
unset multiplot
EOG
cat "$out/table.md"
echo "bench: $out/table.md, $out/bench.png" >&2
