// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping nomap pools away from the running kernel once it can allocate.
 *
 * At mm_core_init_early() a nomap pool has already left memblock.memory, so
 * it has no memmap, but the direct map and the "System RAM" resources were
 * built from memblock before NUMA was known.  Both are fixed up here:
 *
 *  - the pool's ranges leave "System RAM" in /proc/iomem and show up as
 *    "pcarve" instead, marked exclusive, so that kexec_file does not place
 *    segments there, /dev/mem cannot map it, and x86 PAT never looks for
 *    struct pages that do not exist;
 *  - the direct map of the pool is removed through the arch interface
 *    (page-table splits need the page allocator, hence an initcall).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "internal.h"

static int pcarve_first_ram(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;
}

/* move [start, start + size) from "System RAM" to a "pcarve" resource */
static int __init pcarve_claim_iomem(phys_addr_t start, phys_addr_t size)
{
	u64 end = start + size - 1;
	struct resource ram, *res;
	int guard = 64;

	/* the extent may straddle several System RAM resources */
	while (walk_system_ram_res(start, end, &ram, pcarve_first_ram) == 1) {
		if (!guard--)
			return -EBUSY;
		release_mem_region_adjustable(ram.start, resource_size(&ram));
	}

	res = kzalloc_obj(*res);
	if (!res)
		return -ENOMEM;
	res->name = "pcarve";
	res->start = start;
	res->end = end;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY | IORESOURCE_EXCLUSIVE;
	if (insert_resource(&iomem_resource, res)) {
		kfree(res);
		return -EBUSY;
	}
	return 0;
}

/*
 * The arch calls take at most 1 GiB at a time, so that the page count fits
 * the int that set_memory_*() take on every architecture.
 */
static int pcarve_set_direct(phys_addr_t start, phys_addr_t size, bool mapped)
{
	phys_addr_t off, len;
	int ret;

	for (off = 0; off < size; off += len) {
		len = min_t(phys_addr_t, size - off, SZ_1G);
		ret = mapped ? arch_pcarve_remap_direct(start + off, len) :
			       arch_pcarve_unmap_direct(start + off, len);
		if (ret)
			return ret;
	}
	return 0;
}

static void __init pcarve_isolate_pool(struct pcarve_pool *pool)
{
	unsigned int i;
	int ret;

	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];

		ret = pcarve_claim_iomem(e->start, e->size);
		if (ret)
			pr_warn("node%d: could not take [mem %pa-%pa] out of System RAM (%pe)\n",
				pool->nid, &e->start, &e->size, ERR_PTR(ret));
	}

	/* arm64 unless rodata=full, debug_pagealloc or KFENCE */
	if (!can_set_direct_map()) {
		pr_warn("node%d: nomap pool stays in the direct map: can_set_direct_map() is false (on arm64: rodata=full, debug_pagealloc and KFENCE are all off)\n",
			pool->nid);
		return;
	}

	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];

		ret = pcarve_set_direct(e->start, e->size, false);
		if (ret)
			goto remap;
	}
	pool->unmapped = true;
	return;

remap:
	pr_warn("node%d: nomap pool stays in the direct map: removing it failed (%pe)\n",
		pool->nid, ERR_PTR(ret));
	/* extent i may be half done: give it back too */
	do {
		pcarve_set_direct(pool->extents[i].start,
				  pool->extents[i].size, true);
	} while (i--);
}

static int __init pcarve_isolate(void)
{
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (pcarve_pool_exists(nid) &&
		    pcarve_pools[nid]->mode == PCARVE_NOMAP)
			pcarve_isolate_pool(pcarve_pools[nid]);
	return 0;
}
early_initcall(pcarve_isolate);
