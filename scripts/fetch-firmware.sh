#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of the UEFI firmware for arm64 QEMU virt guests booted with
# ACPI: QEMU_EFI.fd from Debian trixie's qemu-efi-aarch64, downloaded and
# unpacked by fetch-deb.sh (not installed).
#
# Not bookworm's: its firmware (2022.11) describes the flash bank at
# 0x4000000 as write-combining runtime MMIO, which Linux adds to memblock;
# arm64 NUMA init then finds 64 MiB of "memory" outside every SRAT node and
# falls back to a single fake node.  trixie's (2025.02) marks it uncached.
set -euo pipefail

root=$("$(dirname "$0")/fetch-deb.sh" all \
	"${PCARVE_FIRMWARE_SUITE:-trixie}" qemu-efi-aarch64)
echo "$root/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
