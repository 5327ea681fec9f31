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
 *    (page-table splits need the page allocator, hence an initcall);
 *  - the arch records that user mappings of it by pfn are write-back (x86
 *    PAT would otherwise make a range that is not System RAM uncached).
 *
 * Either can fail.  The pool is then quarantined: never handed out, its
 * memory kept out of the page allocator (it has no memmap to go there
 * with), and sysfs and the boot log say which step failed.  The direct map
 * is removed even from a pool whose iomem claim failed, and a failed
 * removal is undone, so that sysfs direct_map tells the truth.
 *
 * fail_pcarve_iomem= and fail_pcarve_unmap= (fault injection, see
 * Documentation/fault-injection/) make those steps fail for tests.  The
 * failures are injected before anything changes, as the real ones would
 * be for an extent's first piece.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/sched/clock.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "internal.h"

static DECLARE_FAULT_ATTR(pcarve_fail_iomem);
static DECLARE_FAULT_ATTR(pcarve_fail_unmap);

#ifdef CONFIG_PCARVE_FAULT_INJECTION
static int __init pcarve_fail_iomem_setup(char *str)
{
	return setup_fault_attr(&pcarve_fail_iomem, str) ? 0 : -EINVAL;
}
early_param("fail_pcarve_iomem", pcarve_fail_iomem_setup);

static int __init pcarve_fail_unmap_setup(char *str)
{
	return setup_fault_attr(&pcarve_fail_unmap, str) ? 0 : -EINVAL;
}
early_param("fail_pcarve_unmap", pcarve_fail_unmap_setup);
#endif

static bool __init pcarve_should_fail(struct fault_attr *attr, ssize_t size)
{
	return IS_ENABLED(CONFIG_PCARVE_FAULT_INJECTION) &&
	       should_fail(attr, size);
}

static int __init pcarve_first_ram(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;
}

/* an exclusive, busy "pcarve" resource for [start, end] */
static struct resource * __init pcarve_new_resource(resource_size_t start,
						    resource_size_t end)
{
	struct resource *res = kzalloc_obj(*res);

	if (res) {
		res->name = "pcarve";
		res->start = start;
		res->end = end;
		res->flags = IORESOURCE_MEM | IORESOURCE_BUSY |
			     IORESOURCE_EXCLUSIVE;
	}
	return res;
}

/* replace [start, end], a piece of one System RAM resource, by "pcarve" */
static int __init pcarve_claim_piece(resource_size_t start,
				     resource_size_t end)
{
	struct resource *res = pcarve_new_resource(start, end);
	int ret;

	if (!res)
		return -ENOMEM;
	ret = try_release_mem_region_adjustable(start, end - start + 1);
	if (!ret)
		ret = insert_resource(&iomem_resource, res);
	if (ret)
		kfree(res);
	return ret;
}

/*
 * Move [start, start + size) from "System RAM" to "pcarve".  The extent
 * may straddle several System RAM resources: each piece is moved on its
 * own, with try_release_mem_region_adjustable(), which says when it cannot;
 * unless a single piece is the whole extent, the pieces are then grouped
 * under one "pcarve" resource covering the extent.  On failure the pieces
 * already moved stay "pcarve" and exclusive and the rest stays System RAM,
 * except a piece whose "pcarve" resource could not be inserted after it
 * left System RAM: that piece is in neither.
 */
static int __init pcarve_claim_iomem(phys_addr_t start, phys_addr_t size)
{
	resource_size_t end = start + size - 1, next = start;
	struct resource ram = {}, *cover;
	int ret, pieces = 0;

	if (pcarve_should_fail(&pcarve_fail_iomem, size))
		return -EFAULT;

	/* before anything moves, so that moving is the last thing to fail */
	cover = pcarve_new_resource(start, end);
	if (!cover)
		return -ENOMEM;

	while (next <= end &&
	       walk_system_ram_res(next, end, &ram, pcarve_first_ram) == 1) {
		ret = pcarve_claim_piece(ram.start, ram.end);
		if (ret)
			goto free_cover;
		pieces++;
		next = ram.end + 1;
		if (!next)	/* the piece ended at the top of iomem */
			break;
	}
	if (pieces == 1 && ram.start == start && ram.end == end) {
		kfree(cover);
		return 0;
	}

	/* one resource for the whole extent, over its pieces if any */
	ret = insert_resource(&iomem_resource, cover);
	if (!ret)
		return 0;
free_cover:
	kfree(cover);
	return ret;
}

static int __init pcarve_unmap_extent(const struct pcarve_extent *e)
{
	if (pcarve_should_fail(&pcarve_fail_unmap, e->size))
		return -EFAULT;
	return pcarve_set_direct(e->start, e->size, false);
}

static void __init pcarve_isolate_pool(struct pcarve_pool *pool)
{
	unsigned int i;
	int ret;

	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];
		phys_addr_t last = e->start + e->size - 1;

		ret = pcarve_claim_iomem(e->start, e->size);
		if (ret) {
			pr_err("node%d: could not take [mem %pa-%pa] out of System RAM (%pe)\n",
			       pool->nid, &e->start, &last, ERR_PTR(ret));
			pcarve_quarantine(pool,
					  "its memory could not leave System RAM in /proc/iomem");
			break;
		}
	}

	/* refused at carve time; only a bug gets here */
	if (WARN_ON_ONCE(!can_set_direct_map())) {
		pcarve_quarantine(pool, "the direct map cannot be changed");
		return;
	}

	for (i = 0; i < pool->nr_extents; i++) {
		ret = pcarve_unmap_extent(&pool->extents[i]);
		if (ret)
			goto remap;
	}
	pool->unmapped = true;

	/*
	 * Only once the pool has left System RAM: PAT takes a System RAM
	 * range's memtype from its struct pages, which a nomap pool has not.
	 * A quarantined pool is never mapped to user space anyway.
	 */
	if (pool->state != PCARVE_POOL_ACTIVE)
		return;
	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];

		ret = arch_pcarve_nomap_memtype(e->start, e->size);
		if (ret) {
			pr_err("node%d: [mem %pa] cannot be given a write-back memtype for user mappings (%pe)\n",
			       pool->nid, &e->start, ERR_PTR(ret));
			pcarve_quarantine(pool,
					  "its memory could not get a write-back memtype");
			break;
		}
	}
	return;

remap:
	pr_err("node%d: could not remove the pool from the direct map (%pe)\n",
	       pool->nid, ERR_PTR(ret));
	pcarve_quarantine(pool, "its memory could not leave the direct map");
	/* extent i may be half done: give it back too */
	do {
		const struct pcarve_extent *e = &pool->extents[i];

		if (pcarve_set_direct(e->start, e->size, true))
			pr_err("node%d: [mem %pa] and after may be left out of the direct map\n",
			       pool->nid, &e->start);
	} while (i--);
}

static int __init pcarve_isolate(void)
{
	u64 t0 = local_clock();
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (pcarve_pool_exists(nid) &&
		    pcarve_pools[nid]->mode == PCARVE_NOMAP)
			pcarve_isolate_pool(pcarve_pools[nid]);
	pcarve_boot_ns[PCARVE_BOOT_ISOLATE] = local_clock() - t0;
	return 0;
}
early_initcall(pcarve_isolate);
