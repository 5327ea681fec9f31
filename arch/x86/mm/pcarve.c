// SPDX-License-Identifier: GPL-2.0
/*
 * pcarve arch interface for x86: direct-map changes for nomap pools.
 *
 * x86 builds its direct map from memblock before NUMA is known and never
 * honours MEMBLOCK_NOMAP, so a nomap pool is unmapped afterwards with CPA.
 * A 1G-granule pool only clears large entries; a 2M-granule extent, or a
 * 2 MiB chunk taken out of the direct map, that starts or ends inside a
 * 1 GiB direct-map page makes CPA split it.
 */
#include <linux/mm.h>
#include <linux/pcarve.h>
#include <asm/memtype.h>
#include <asm/set_memory.h>

int arch_pcarve_unmap_direct(phys_addr_t start, phys_addr_t size)
{
	return set_memory_np((unsigned long)__va(start), size >> PAGE_SHIFT);
}

int arch_pcarve_remap_direct(phys_addr_t start, phys_addr_t size)
{
	return set_memory_p((unsigned long)__va(start), size >> PAGE_SHIFT);
}

/*
 * set_memory_np() leaves the upper-level entries of an unmapped range with
 * their address but without _PAGE_PSE, which init_memory_mapping() would
 * take for page tables: map the range again and let the hot-add reuse it.
 */
int arch_pcarve_prepare_hotplug(phys_addr_t start, phys_addr_t size)
{
	return set_memory_p((unsigned long)__va(start), size >> PAGE_SHIFT);
}

/*
 * A nomap range is not System RAM, so PAT looks its memtype up in the
 * memtype tree and would map it uncached (UC-) without an entry: record
 * the range write-back, as devm_memremap_pages() does for device memory.
 * The entry stays for the life of the kernel.
 */
int arch_pcarve_nomap_memtype(phys_addr_t start, phys_addr_t size)
{
	return memtype_reserve(start, start + size, _PAGE_CACHE_MODE_WB, NULL);
}
