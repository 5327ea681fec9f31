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

/**
 * pcarve_chunk_kmap() - a kernel mapping of a chunk's memory
 * @chunk: a chunk of a real pool, not taken out of the direct map by
 *	   the allocator
 *
 * Context: may sleep.
 * Return: its direct-map address if it has one, otherwise a temporary
 * write-back mapping; NULL if none could be made.  Undo with
 * pcarve_chunk_kunmap().
 */
void *pcarve_chunk_kmap(const struct pcarve_chunk *chunk)
{
	if (WARN_ON_ONCE(chunk->unmapped))
		return NULL;
	if (chunk->pool->mode != PCARVE_NOMAP)
		return phys_to_virt(chunk->addr);
	return memremap(chunk->addr, chunk->size, MEMREMAP_WB);
}

/**
 * pcarve_chunk_kunmap() - drop a mapping from pcarve_chunk_kmap()
 * @chunk: the chunk
 * @va: what pcarve_chunk_kmap() returned
 */
void pcarve_chunk_kunmap(const struct pcarve_chunk *chunk, void *va)
{
	if (chunk->pool->mode == PCARVE_NOMAP)
		memunmap(va);
}

static int pcarve_zero(struct pcarve_pool *pool, struct pcarve_chunk *chunk)
{
	void *va = pcarve_chunk_kmap(chunk);

	if (!va) {
		pr_err_ratelimited("node%d: cannot map chunk %pa+%llu to zero it\n",
				   pool->nid, &chunk->addr, chunk->size);
		return -ENOMEM;
	}
	pcarve_zero_mapped(va, chunk->size);
	pcarve_chunk_kunmap(chunk, va);
	return 0;
}

static int pcarve_mem_prepare(struct pcarve_pool *pool,
			      struct pcarve_chunk *chunk)
{
	bool unmap = (chunk->flags & PCARVE_ALLOC_UNMAPPED) &&
		     pool->mode != PCARVE_NOMAP;
	int ret;

	/* never a silent mapping: arm64 without rodata=full cannot do it */
	if (unmap && !can_set_direct_map()) {
		pr_info_ratelimited("node%d: a chunk cannot be kept out of the direct map on this kernel (can_set_direct_map() is false): allocation refused\n",
				    pool->nid);
		return -EOPNOTSUPP;
	}
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
