// SPDX-License-Identifier: GPL-2.0
/*
 * pcarve arch interface for x86: direct-map changes for nomap pools.
 *
 * x86 builds its direct map from memblock before NUMA is known and never
 * honours MEMBLOCK_NOMAP, so a nomap pool is unmapped afterwards with CPA.
 * Pools are granule-aligned (2M or 1G), so CPA only clears large entries.
 */
#include <linux/mm.h>
#include <linux/pcarve.h>
#include <linux/sizes.h>
#include <asm/set_memory.h>

/* set_memory_*() take an int page count: work in 1 GiB steps */
static int pcarve_set_present(phys_addr_t start, phys_addr_t size,
			      bool present)
{
	phys_addr_t off, len;
	int ret;

	for (off = 0; off < size; off += len) {
		unsigned long addr = (unsigned long)__va(start + off);

		len = min_t(phys_addr_t, size - off, SZ_1G);
		ret = present ? set_memory_p(addr, len >> PAGE_SHIFT) :
				set_memory_np(addr, len >> PAGE_SHIFT);
		if (ret)
			return ret;
	}
	return 0;
}

int arch_pcarve_unmap_direct(phys_addr_t start, phys_addr_t size)
{
	return pcarve_set_present(start, size, false);
}

int arch_pcarve_remap_direct(phys_addr_t start, phys_addr_t size)
{
	return pcarve_set_present(start, size, true);
}
