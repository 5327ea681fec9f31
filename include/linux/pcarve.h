/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcarve: per-NUMA-node memory pools carved out at boot.
 *
 * See Documentation/admin-guide/mm/pcarve.rst.
 */
#ifndef _LINUX_PCARVE_H
#define _LINUX_PCARVE_H

#include <linux/types.h>

/**
 * enum pcarve_mode - how a pool is kept away from the rest of the kernel
 * @PCARVE_NOMAP: no struct pages, not in the direct map, not System RAM
 * @PCARVE_HVO: struct pages as HVO-trimmed compound folios, direct-mapped
 * @PCARVE_MAP: direct-mapped, full struct pages
 */
enum pcarve_mode {
	PCARVE_NOMAP,
	PCARVE_HVO,
	PCARVE_MAP,
};

#ifdef CONFIG_PCARVE
void pcarve_reserve(void);
void pcarve_hold_kho_room(void);
void pcarve_release_kho_room(void);
#else
static inline void pcarve_reserve(void) { }
static inline void pcarve_hold_kho_room(void) { }
static inline void pcarve_release_kho_room(void) { }
#endif

/*
 * Arch interface: remove a page-aligned range of at most 1 GiB from, or give
 * it back to, the kernel direct map.  The range has no struct pages when
 * its pool is nomap.  Only called where can_set_direct_map() holds.
 * Return 0 or a negative errno.
 */
int arch_pcarve_unmap_direct(phys_addr_t start, phys_addr_t size);
int arch_pcarve_remap_direct(phys_addr_t start, phys_addr_t size);

#endif /* _LINUX_PCARVE_H */
