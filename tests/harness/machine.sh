# SPDX-License-Identifier: GPL-2.0
#
# The QEMU machine of a pcarve guest, sourced by boot.sh and dtb-holes.sh:
# one code path, so that a device tree dumped by dtb-holes.sh describes
# exactly the machine that boot.sh then boots with it.  Needs $top, the
# top of the pcarve tree.

# machine ARCH NODES FIRMWARE: set qemu (the QEMU command: machine, CPU,
# memory and NUMA nodes, no default devices, no serial or kernel yet),
# console (the serial console's name in the guest), machine_cmdline
# (kernel command line the machine needs) and machine_mem (its RAM in
# bytes); print why and return 2 when the combination is not supported
# shellcheck disable=SC2034 # the variables it sets are for the caller
machine() {
	local arch=$1 nodes=$2 firmware=$3 size mem=0 i=0 numa=()

	machine_cmdline=
	case "$arch" in
	x86_64)
		qemu=(qemu-system-x86_64 -M q35 -cpu max)
		console=ttyS0
		# TCG's TSC is the host's: give its rate, so that the guest
		# never falls back to calibrating late (when the host is busy
		# the PIT calibration fails, the TSC is calibrated after the
		# memmap is initialised, and the printk clock restarts: the
		# "Run /init" time would leave out the early boot)
		if grep -qw constant_tsc /proc/cpuinfo; then
			machine_cmdline=$(awk '/^cpu MHz/ { printf "tsc_early_khz=%d", $4 * 1000; exit }' /proc/cpuinfo)
		fi ;;
	arm64)
		# NUMA nodes reach the guest as numa-node-id in QEMU's device
		# tree; pauth-impdef keeps TCG's pointer authentication cheap
		qemu=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on)
		console=ttyAMA0
		if [ "$firmware" = uefi ]; then
			qemu+=(-bios "$("$top/scripts/fetch-firmware.sh")")
			machine_cmdline=acpi=force
			firmware=
		fi ;;
	*)	echo "pcarve: unsupported arch $arch" >&2; return 2 ;;
	esac
	if [ -n "$firmware" ]; then
		echo "pcarve: -f $firmware: only -f uefi, and only on arm64" >&2
		return 2
	fi

	# one memory-backend-ram per node; reserve=off (MAP_NORESERVE): the
	# host commits only what the guest touches
	for size in ${nodes//,/ }; do
		numa+=(-object "memory-backend-ram,id=m$i,size=$size,reserve=off")
		if [ $i -eq 0 ]; then
			numa+=(-numa "node,nodeid=$i,memdev=m$i,cpus=0")
		else
			numa+=(-numa "node,nodeid=$i,memdev=m$i")
		fi
		mem=$((mem + $(numfmt --from=iec "$size")))
		i=$((i + 1))
	done
	machine_mem=$mem
	# TCG's "max" CPU has 40 physical address bits (1 TiB), and QEMU puts
	# the 64-bit PCI hole above RAM: a guest of half a TiB or more gets 48
	if [ "$arch" = x86_64 ] && [ "$mem" -ge $((512 << 30)) ]; then
		qemu[4]=max,phys-bits=48
	fi
	qemu+=(-accel tcg -smp 1 -m "$((mem / 1048576))M" "${numa[@]}"
	       -nodefaults -display none -no-reboot -monitor none)
}
