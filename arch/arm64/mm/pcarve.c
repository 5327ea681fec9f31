// SPDX-License-Identifier: GPL-2.0
/*
 * pcarve arch interface for arm64: linear-map changes for nomap pools.
 *
 * arm64 builds its linear map in paging_init(), before NUMA is known, so a
 * nomap pool is still mapped when it is carved and is unmapped afterwards.
 * The caller has checked can_set_direct_map(), without which the linear
 * map may be block-mapped and must not change.
 *
 * A nomap pool has no struct pages, so the page-based set_direct_map_*()
 * wrappers do not apply: call set_memory_valid(), which they wrap, on the
 * linear address.
 */
#include <linux/mm.h>
#include <linux/pcarve.h>
#include <asm/set_memory.h>

int arch_pcarve_unmap_direct(phys_addr_t start, phys_addr_t size)
{
	return set_memory_valid((unsigned long)__va(start), size >> PAGE_SHIFT,
				0);
}

int arch_pcarve_remap_direct(phys_addr_t start, phys_addr_t size)
{
	return set_memory_valid((unsigned long)__va(start), size >> PAGE_SHIFT,
				1);
}

/*
 * The linear map of an unmapped range holds invalid entries, which the
 * hot-add may overwrite (pgattr_change_is_safe() accepts any invalid old
 * entry); mapping it first would give valid entries that it must not
 * change, so nothing is done.
 */
int arch_pcarve_prepare_hotplug(phys_addr_t start, phys_addr_t size)
{
	return 0;
}

/* user mappings by pfn take the VMA's normal, write-back attributes */
int arch_pcarve_nomap_memtype(phys_addr_t start, phys_addr_t size)
{
	return 0;
}
