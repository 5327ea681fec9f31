// SPDX-License-Identifier: GPL-2.0
/*
 * What an allocation does to the memory of a real pool: zeroing, and taking
 * a chunk of a map or hvo pool out of the direct map while it is allocated.
 *
 * A nomap chunk has no struct pages and no direct map, so it is zeroed
 * through a temporary memremap() mapping; it is not System RAM (isolate.c),
 * so that mapping is a vmalloc-space one with write-back caching on both
 * architectures.  A chunk with struct pages is zeroed through the direct
 * map, before it leaves it if it is to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "internal.h"

/* zero in pieces this large, rescheduling in between */
#define PCARVE_ZERO_STEP	SZ_2M

static void pcarve_zero_mapped(void *va, u64 size)
{
	u64 off;

	for (off = 0; off < size; off += PCARVE_ZERO_STEP) {
		memset(va + off, 0, PCARVE_ZERO_STEP);
		cond_resched();
	}
}

static int pcarve_zero(struct pcarve_pool *pool, struct pcarve_chunk *chunk)
{
	void *va;

	if (pool->mode != PCARVE_NOMAP) {
		pcarve_zero_mapped(phys_to_virt(chunk->addr), chunk->size);
		return 0;
	}
	va = memremap(chunk->addr, chunk->size, MEMREMAP_WB);
	if (!va) {
		pr_err_ratelimited("node%d: cannot map chunk %pa+%llu to zero it\n",
				   pool->nid, &chunk->addr, chunk->size);
		return -ENOMEM;
	}
	pcarve_zero_mapped(va, chunk->size);
	memunmap(va);
	return 0;
}

static int pcarve_mem_prepare(struct pcarve_pool *pool,
			      struct pcarve_chunk *chunk)
{
	bool unmap = (chunk->flags & PCARVE_ALLOC_UNMAPPED) &&
		     pool->mode != PCARVE_NOMAP;
	int ret;

	/* never a silent mapping: arm64 without rodata=full cannot do it */
	if (unmap && !can_set_direct_map())
		return -EOPNOTSUPP;
	if (chunk->flags & PCARVE_ALLOC_ZERO) {
		ret = pcarve_zero(pool, chunk);
		if (ret)
			return ret;
	}
	if (unmap) {
		ret = arch_pcarve_unmap_direct(chunk->addr, chunk->size);
		if (ret) {
			/* a partial change is undone; remapping never splits */
			arch_pcarve_remap_direct(chunk->addr, chunk->size);
			return ret;
		}
		chunk->unmapped = true;
	}
	return 0;
}

static bool pcarve_mem_release(struct pcarve_pool *pool,
			       struct pcarve_chunk *chunk)
{
	return chunk->unmapped;
}

static int pcarve_mem_restore(struct pcarve_pool *pool,
			      struct pcarve_chunk *chunk)
{
	int ret = arch_pcarve_remap_direct(chunk->addr, chunk->size);

	if (!ret)
		chunk->unmapped = false;
	return ret;
}

const struct pcarve_pool_ops pcarve_mem_ops = {
	.prepare	= pcarve_mem_prepare,
	.release	= pcarve_mem_release,
	.restore	= pcarve_mem_restore,
};
