// SPDX-License-Identifier: GPL-2.0
/*
 * pcarve arch interface for arm64: linear-map changes for nomap pools.
 *
 * arm64 builds its linear map in paging_init(), before NUMA is known, so a
 * nomap pool is still mapped when it is carved and is unmapped afterwards.
 * That only works where the linear map may change at run time, which is
 * what can_set_direct_map() says (rodata=full, the default, or
 * debug_pagealloc, KFENCE, a realm); otherwise set_direct_map_*() silently
 * do nothing, so say so and leave the pool mapped rather than pretend.
 *
 * A nomap pool has no struct pages, so the page-based set_direct_map_*()
 * wrappers do not apply: call set_memory_valid(), which they wrap, on the
 * linear address.
 */
#define pr_fmt(fmt) "pcarve: " fmt

#include <linux/mm.h>
#include <linux/pcarve.h>
#include <linux/printk.h>
#include <asm/set_memory.h>

static int pcarve_set_valid(phys_addr_t start, phys_addr_t size, bool valid)
{
	if (!can_set_direct_map()) {
		pr_warn_once("arm64: can_set_direct_map() is false (rodata=full, debug_pagealloc and KFENCE are all off): the linear map cannot be changed\n");
		return -EOPNOTSUPP;
	}
	return set_memory_valid((unsigned long)__va(start), size >> PAGE_SHIFT,
				valid);
}

int arch_pcarve_unmap_direct(phys_addr_t start, phys_addr_t size)
{
	return pcarve_set_valid(start, size, false);
}

int arch_pcarve_remap_direct(phys_addr_t start, phys_addr_t size)
{
	return pcarve_set_valid(start, size, true);
}
