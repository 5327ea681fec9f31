// SPDX-License-Identifier: GPL-2.0
/*
 * What an allocation does to the memory of a real pool: zeroing, and taking
 * a chunk of a map or hvo pool out of the direct map while it is allocated.
 *
 * A chunk is zeroed before it leaves the direct map, if it is to; see
 * pcarve_chunk_access() for how chunks without a direct map are reached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "internal.h"

/* chunks are reached in pieces this large, rescheduling in between */
#define PCARVE_PIECE		SZ_2M
#define PCARVE_PIECE_PAGES	(PCARVE_PIECE >> PAGE_SHIFT)

/* a piece with struct pages that is not in the direct map */
static int pcarve_vmap_piece(struct page **pages, phys_addr_t addr, u64 off,
			     int (*fn)(void *va, u64 off, u64 len, void *arg),
			     void *arg)
{
	unsigned int i;
	void *va;
	int ret;

	for (i = 0; i < PCARVE_PIECE_PAGES; i++)
		pages[i] = pfn_to_page(PHYS_PFN(addr) + i);
	va = vmap(pages, PCARVE_PIECE_PAGES, VM_MAP, PAGE_KERNEL);
	if (!va)
		return -ENOMEM;
	ret = fn(va, off, PCARVE_PIECE, arg);
	vunmap(va);
	return ret;
}

/* call @fn on the pieces of @chunk that overlap [@start, @end) */
static int pcarve_chunk_access_range(const struct pcarve_chunk *chunk,
				     u64 start, u64 end,
				     int (*fn)(void *va, u64 off, u64 len,
					       void *arg),
				     void *arg)
{
	bool direct = pcarve_chunk_direct_mapped(chunk);
	bool has_pages = pcarve_chunk_has_pages(chunk);
	u64 first = ALIGN_DOWN(start, PCARVE_PIECE);
	u64 last = ALIGN(end, PCARVE_PIECE);
	struct page **pages = NULL;
	void *va = NULL;
	u64 off;
	int ret = 0;

	if (start >= end)
		return 0;
	if (direct)
		va = phys_to_virt(chunk->addr + first);
	else if (!has_pages)
		va = memremap(chunk->addr + first, last - first, MEMREMAP_WB);
	else
		pages = kmalloc_array(PCARVE_PIECE_PAGES, sizeof(*pages),
				      GFP_KERNEL);
	if (!va && !pages)
		return -ENOMEM;
	for (off = first; off < last && !ret; off += PCARVE_PIECE) {
		if (va)
			ret = fn(va + (off - first), off, PCARVE_PIECE, arg);
		else
			ret = pcarve_vmap_piece(pages, chunk->addr + off, off,
						fn, arg);
		cond_resched();
	}
	if (!direct && !has_pages)
		memunmap(va);
	kfree(pages);
	return ret;
}

/**
 * pcarve_chunk_access() - reach a chunk's memory from the kernel
 * @chunk: a chunk of a real pool
 * @fn: called on each 2 MiB piece in order, with a kernel address for it,
 *	its offset in the chunk and its length; a non-zero return stops
 * @arg: passed to @fn
 *
 * A chunk in the direct map is reached there.  A chunk of a nomap pool
 * carved at boot has no struct pages and is not System RAM: it gets a
 * temporary write-back memremap() mapping.  A chunk with struct pages that
 * is out of the direct map (a nomap pool's grown block, or one allocated
 * with PCARVE_ALLOC_UNMAPPED) is reached through vmap(), a piece at a time.
 *
 * Context: process context; may sleep.
 * Return: 0, the first non-zero return of @fn, or -ENOMEM if no mapping
 * could be made.
 */
int pcarve_chunk_access(const struct pcarve_chunk *chunk,
			int (*fn)(void *va, u64 off, u64 len, void *arg),
			void *arg)
{
	return pcarve_chunk_access_range(chunk, 0, chunk->size, fn, arg);
}

/**
 * pcarve_chunk_copy() - copy between a chunk and an iov_iter
 * @chunk: a chunk in the kernel direct map
 * @off: where in @chunk to start
 * @len: bytes to copy at most; @off + @len must not pass the chunk's end.
 *	 One call copies up to the next 2 MiB boundary at most.
 * @iter: the user (or kernel) buffer
 * @to_chunk: copy from @iter into the chunk, not out of it
 *
 * Context: process context; may fault on @iter.
 * Return: the bytes copied (short if @iter faulted), -EOPNOTSUPP for a
 * chunk that is not in the direct map (its data is reachable only through
 * a user mapping), -EINVAL for a range outside the chunk.
 */
ssize_t pcarve_chunk_copy(const struct pcarve_chunk *chunk, u64 off,
			  size_t len, struct iov_iter *iter, bool to_chunk)
{
	void *va;

	if (!pcarve_chunk_direct_mapped(chunk))
		return -EOPNOTSUPP;
	if (off > chunk->size || len > chunk->size - off)
		return -EINVAL;
	/* never across a folio of a 2 MiB pool: hardened usercopy checks */
	len = min_t(u64, len, PCARVE_PIECE - (off & (PCARVE_PIECE - 1)));
	va = phys_to_virt(chunk->addr + off);
	return to_chunk ? copy_from_iter(va, len, iter) :
			  copy_to_iter(va, len, iter);
}
EXPORT_SYMBOL_GPL(pcarve_chunk_copy);

static int pcarve_zero_piece(void *va, u64 off, u64 len, void *arg)
{
	memset(va, 0, len);
	return 0;
}

/* the part [start, end) of a chunk to zero */
struct pcarve_zero_part {
	u64 start;
	u64 end;
};

static int pcarve_zero_part(void *va, u64 off, u64 len, void *arg)
{
	struct pcarve_zero_part *part = arg;
	u64 start = max(off, part->start), end = min(off + len, part->end);

	if (start < end)
		memset(va + (start - off), 0, end - start);
	return 0;
}

/**
 * pcarve_chunk_zero() - zero part of a chunk
 * @chunk: a chunk of a real pool
 * @off: first byte to zero, in the chunk
 * @len: bytes to zero
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a range outside the chunk, or -ENOMEM if the
 * chunk could not be mapped.
 */
int pcarve_chunk_zero(const struct pcarve_chunk *chunk, u64 off, u64 len)
{
	struct pcarve_zero_part part = { .start = off, .end = off + len };

	if (off > chunk->size || len > chunk->size - off)
		return -EINVAL;
	return pcarve_chunk_access_range(chunk, off, off + len,
					 pcarve_zero_part, &part);
}
EXPORT_SYMBOL_GPL(pcarve_chunk_zero);

static int pcarve_zero(struct pcarve_pool *pool, struct pcarve_chunk *chunk)
{
	int ret = pcarve_chunk_access(chunk, pcarve_zero_piece, NULL);

	if (ret)
		pr_err_ratelimited("node%d: cannot map chunk %pa+%llu to zero it (%d)\n",
				   pool->nid, &chunk->addr, chunk->size, ret);
	return ret;
}

/**
 * pcarve_set_direct() - put a range in the direct map, or take it out
 * @start: first byte, page aligned
 * @size: length, page aligned
 * @mapped: true to map it, false to unmap it
 *
 * The arch calls take at most 1 GiB at a time, so that the page count fits
 * the int that set_memory_*() take on every architecture.
 *
 * Context: process context; may sleep (page-table splits allocate).
 * Return: 0 or the arch's error, with the range maybe half done.
 */
int pcarve_set_direct(phys_addr_t start, phys_addr_t size, bool mapped)
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
		ret = pcarve_set_direct(chunk->addr, chunk->size, false);
		if (ret) {
			/* a partial change is undone; remapping never splits */
			pcarve_set_direct(chunk->addr, chunk->size, true);
			return ret;
		}
		chunk->unmapped = true;
	}
	return 0;
}

/* the granule folios a chunk covers whole, or none for a part of one */
static bool pcarve_chunk_busy(struct pcarve_pool *pool,
			      struct pcarve_chunk *chunk)
{
	phys_addr_t a;

	if (!pcarve_chunk_has_pages(chunk) || chunk->size < pool->granule)
		return false;
	for (a = chunk->addr; a < chunk->addr + chunk->size;
	     a += pool->granule)
		if (pcarve_folio_busy(page_folio(pfn_to_page(PHYS_PFN(a)))))
			return true;
	return false;
}

static int pcarve_mem_release(struct pcarve_pool *pool,
			      struct pcarve_chunk *chunk)
{
	/* user space can do this (a pin across a truncate): no WARN */
	if (pcarve_chunk_busy(pool, chunk))
		return -EBUSY;
	return chunk->unmapped ? PCARVE_RESTORE : 0;
}

static int pcarve_mem_restore(struct pcarve_pool *pool,
			      struct pcarve_chunk *chunk)
{
	int ret = pcarve_set_direct(chunk->addr, chunk->size, true);

	if (!ret)
		chunk->unmapped = false;
	return ret;
}

const struct pcarve_pool_ops pcarve_mem_ops = {
	.prepare	= pcarve_mem_prepare,
	.release	= pcarve_mem_release,
	.restore	= pcarve_mem_restore,
};
