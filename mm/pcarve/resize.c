// SPDX-License-Identifier: GPL-2.0
/*
 * Resizing a pool at run time, the way nr_hugepages resizes hugetlb's.
 *
 * Growing takes granule-sized, granule-aligned blocks of the node's free
 * memory on that node only, as compound folios (folio.c).  They have
 * struct pages; in a nomap pool they leave the direct map.  Like the
 * memory carved at boot, they leave MemTotal (adjust_managed_page_count()).
 *
 * Shrinking gives free memory back, never a chunk in use, in this order:
 *  - grown blocks: back to the page allocator (mapped again first);
 *  - memory a map pool carved at boot: its folios are freed;
 *  - memory a nomap pool carved at boot has no memmap: whole memory blocks
 *    of it are added to the node as ordinary memory and onlined, through
 *    memory hotplug (hotplug.c), where the kernel has it.
 * An hvo pool's boot memory has a trimmed vmemmap that cannot go back to
 * the page allocator: only its grown blocks can.  A shrink never takes the
 * pool below what is committed to consumers (pcarve_commit(), pcarvefs'
 * size= caps), and commitments made while it runs count it as done.
 *
 * A resize either reaches the size asked for or changes nothing and
 * fails: -ENOMEM when the node cannot give the blocks, -EBUSY when not
 * enough free memory of the pool can go back or the rest would be less
 * than its commitments.  Only a failure while giving back memory already
 * taken out of the pool (which the checks before make unexpected) stops
 * half-way; the size read back is then what was reached.  All under the
 * pool's resize_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/kexec_handover.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "internal.h"

/* a piece of the pool taken off its free map to be given back */
struct pcarve_piece {
	phys_addr_t start;
	u64 size;
	int kind;
};

/**
 * pcarve_set_handover() - turn a pool's handover switch on or off
 * @pool: the pool
 * @on: whether its chunks marked for handover go to the next kernel
 *
 * Return: 0, or -EOPNOTSUPP to turn it on where KHO is not enabled.
 */
int pcarve_set_handover(struct pcarve_pool *pool, bool on)
{
	if (on && !kho_is_enabled()) {
		pr_warn("node%d: handover=1: KHO is not enabled on this kernel (kho=on); nothing changed\n",
			pool->nid);
		return -EOPNOTSUPP;
	}
	guard(mutex)(&pool->resize_lock);
	if (pool->sealed)
		return -EBUSY;
	WRITE_ONCE(pool->handover, on);
	return 0;
}

/* give a grown block back to the page allocator, unless someone holds it */
static int pcarve_put_grown(struct pcarve_pool *pool, phys_addr_t start)
{
	struct folio *folio = page_folio(pfn_to_page(PHYS_PFN(start)));

	if (!pcarve_folio_freeze(folio))
		return -EBUSY;
	/* the page allocator may write it: mapped first, or kept */
	if (pool->mode == PCARVE_NOMAP &&
	    pcarve_set_direct(start, pool->granule, true)) {
		pcarve_set_direct(start, pool->granule, false);
		pcarve_folio_unfreeze(folio);
		pr_err("node%d: [mem %pa] +%llu could not be mapped again: it stays in the pool\n",
		       pool->nid, &start, pool->granule);
		return -EFAULT;
	}
	pcarve_folio_free(folio, true);
	return 0;
}

/* take one granule block of the node's free memory */
static int pcarve_take_block(struct pcarve_pool *pool, phys_addr_t *start)
{
	struct folio *folio = pcarve_folio_take(pool->nid, pool->granule);

	if (!folio)
		return -ENOMEM;
	*start = folio_pfn(folio) << PAGE_SHIFT;
	if (WARN_ON_ONCE(folio_nid(folio) != pool->nid ||
			 !IS_ALIGNED(*start, pool->granule)))
		goto put;
	if (pool->mode == PCARVE_NOMAP &&
	    pcarve_set_direct(*start, pool->granule, false)) {
		pcarve_set_direct(*start, pool->granule, true);
		goto put;
	}
	/* out of MemTotal, as the pool's boot memory is */
	adjust_managed_page_count(&folio->page, -(long)folio_nr_pages(folio));
	return 0;
put:
	if (folio_ref_freeze(folio, 1))
		free_contig_frozen_range(folio_pfn(folio),
					 folio_nr_pages(folio));
	return -ENOMEM;
}

static int pcarve_count_range(phys_addr_t start, phys_addr_t size, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int pcarve_grow(struct pcarve_pool *pool, u64 bytes)
{
	unsigned long n = div64_u64(bytes, pool->granule), i, taken = 0;
	phys_addr_t *blocks;
	int ret = 0;

	/* not more than the node has at all */
	if (bytes > PFN_PHYS(node_present_pages(pool->nid))) {
		pr_warn("node%d: could not grow the pool by %llu bytes: the node has %llu bytes of memory; nothing changed\n",
			pool->nid, bytes,
			(u64)PFN_PHYS(node_present_pages(pool->nid)));
		return -ENOMEM;
	}
	blocks = kvmalloc_array(n, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = pcarve_take_block(pool, &blocks[i]);
		if (ret)
			break;
		taken++;
		ret = pcarve_chunkmap_prepare(&pool->map, blocks[i],
					      pool->granule);
		if (!ret)
			ret = pcarve_store_range(pool, blocks[i],
						 pool->granule,
						 PCARVE_RANGE_GROWN);
		cond_resched();
	}
	if (!ret) {
		int nr = 0;

		/* what the next kernel could not carve again is refused */
		__pcarve_walk_ranges(pool, pcarve_count_range, &nr);
		if (nr > PCARVE_MAX_EXTENTS) {
			pr_warn("node%d: growing the pool by %llu bytes would leave it in %d ranges, more than the %d a handover can carry; nothing changed\n",
				pool->nid, bytes, nr, PCARVE_MAX_EXTENTS);
			ret = -E2BIG;
		}
	}
	if (ret) {
		for (i = 0; i < taken; i++) {
			pcarve_store_range(pool, blocks[i], pool->granule, 0);
			/* nobody else can hold it yet */
			WARN_ON_ONCE(pcarve_put_grown(pool, blocks[i]));
		}
		spin_lock(&pool->lock);
		pcarve_chunkmap_trim(&pool->map);
		spin_unlock(&pool->lock);
		if (ret == -ENOMEM)
			pr_warn("node%d: could not grow the pool by %llu bytes: the node has %lu free %llu MiB blocks for it; nothing changed\n",
				pool->nid, bytes, taken, pool->granule >> 20);
		goto out;
	}
	spin_lock(&pool->lock);
	for (i = 0; i < n; i++)
		pcarve_chunkmap_add(&pool->map, blocks[i], pool->granule);
	WRITE_ONCE(pool->size, pool->size + bytes);
	spin_unlock(&pool->lock);
	pr_info("node%d: pool grown by %llu MiB to %llu MiB\n", pool->nid,
		bytes >> 20, pool->size >> 20);
out:
	kvfree(blocks);
	return ret;
}

/* how large a piece of a range of this kind goes back at once, or 0 */
static u64 pcarve_piece_size(struct pcarve_pool *pool, int kind)
{
	if (kind == PCARVE_RANGE_GROWN)
		return pool->granule;
	switch (pool->mode) {
	case PCARVE_MAP:
		return pool->granule;
	case PCARVE_NOMAP:
		return pcarve_hotplug_unit(pool->granule);
	default:
		return 0;
	}
}

struct pcarve_shrink {
	struct pcarve_pool *pool;
	struct pcarve_piece *pieces;
	unsigned long nr;
	u64 want;
	u64 got;
};

/* take the free pieces of the ranges of @kind off the free map, top down */
static void pcarve_collect(struct pcarve_shrink *s, int kind)
{
	MA_STATE(mas, &s->pool->ranges, ULONG_MAX, ULONG_MAX);
	struct pcarve_pool *pool = s->pool;
	u64 psize = pcarve_piece_size(pool, kind);
	void *entry;

	if (!psize)
		return;
	for (;;) {
		phys_addr_t first, end, p;

		/* resize_lock excludes every writer of the tree */
		rcu_read_lock();
		entry = mas_find_rev(&mas, 0);
		first = (phys_addr_t)mas.index << PCARVE_UNIT_SHIFT;
		end = (phys_addr_t)(mas.last + 1) << PCARVE_UNIT_SHIFT;
		mas_pause(&mas);
		rcu_read_unlock();
		if (!entry || s->got >= s->want)
			return;
		if (xa_to_value(entry) != kind)
			continue;
		for (p = ALIGN_DOWN(end, psize);
		     p >= first + psize && s->want - s->got >= psize;
		     p -= psize) {
			phys_addr_t start = p - psize;

			spin_lock(&pool->lock);
			if (!pcarve_chunkmap_remove(&pool->map, start, psize)) {
				s->pieces[s->nr++] = (struct pcarve_piece){
					start, psize, kind };
				s->got += psize;
			}
			spin_unlock(&pool->lock);
		}
	}
}

static int pcarve_put_piece(struct pcarve_pool *pool,
			    const struct pcarve_piece *piece)
{
	struct folio *folio;

	if (piece->kind == PCARVE_RANGE_GROWN)
		return pcarve_put_grown(pool, piece->start);
	if (pool->mode == PCARVE_NOMAP)
		return pcarve_hotplug_give(pool->nid, piece->start,
					   piece->size);
	/* map: one folio, with a full memmap */
	folio = page_folio(pfn_to_page(PHYS_PFN(piece->start)));
	if (!pcarve_folio_freeze(folio))
		return -EBUSY;
	pcarve_folio_free(folio, false);
	return 0;
}

static int pcarve_shrink(struct pcarve_pool *pool, u64 bytes)
{
	struct pcarve_shrink s = { .pool = pool, .want = bytes };
	unsigned long i, n = div64_u64(bytes, pool->granule);
	u64 committed;
	bool fits;
	int ret = 0;

	s.pieces = kvmalloc_array(n, sizeof(*s.pieces), GFP_KERNEL);
	if (!s.pieces)
		return -ENOMEM;
	/* never below what consumers were promised (pcarve_commit()) */
	spin_lock(&pool->lock);
	committed = pool->committed;
	/* bytes <= size - lost: the pieces taken below are free ones */
	fits = committed + pool->lost <= pool->size - bytes;
	if (fits)
		pool->shrinking = bytes;
	spin_unlock(&pool->lock);
	if (!fits) {
		pr_warn("node%d: cannot give back %llu bytes: %llu of its %llu are committed to its consumers (pcarvefs tenants' caps and holdings); nothing changed\n",
			pool->nid, bytes, committed, pool->size);
		ret = -EBUSY;
		goto out;
	}
	pcarve_collect(&s, PCARVE_RANGE_GROWN);
	pcarve_collect(&s, PCARVE_RANGE_BOOT);
	if (s.got < s.want) {
		spin_lock(&pool->lock);
		for (i = 0; i < s.nr; i++)
			pcarve_chunkmap_add(&pool->map, s.pieces[i].start,
					    s.pieces[i].size);
		pool->shrinking = 0;
		spin_unlock(&pool->lock);
		pr_warn("node%d: cannot give back %llu bytes: %llu are free in pieces this %s pool can give back (grown blocks, %s); nothing changed\n",
			pool->nid, bytes, s.got, pcarve_mode_name(pool->mode),
			pool->mode == PCARVE_MAP ? "boot memory by granule" :
			pool->mode == PCARVE_HVO ? "not its boot memory" :
			pcarve_hotplug_unit(pool->granule) ?
			"boot memory in whole memory blocks" :
			"not its boot memory: no memory hotplug");
		ret = -EBUSY;
		goto out;
	}
	for (i = 0; i < s.nr; i++) {
		const struct pcarve_piece *piece = &s.pieces[i];

		ret = pcarve_put_piece(pool, piece);
		spin_lock(&pool->lock);
		if (ret) {
			/* still the pool's: put it and the rest back */
			for (; i < s.nr; i++)
				pcarve_chunkmap_add(&pool->map,
						    s.pieces[i].start,
						    s.pieces[i].size);
		} else {
			WRITE_ONCE(pool->size, pool->size - piece->size);
			pool->shrinking -= piece->size;
		}
		spin_unlock(&pool->lock);
		if (ret) {
			pr_err("node%d: giving back [mem %pa] +%llu failed (%d); the pool stops at %llu bytes\n",
			       pool->nid, &piece->start, piece->size, ret,
			       pool->size);
			break;
		}
		if (pcarve_store_range(pool, piece->start, piece->size, 0))
			pr_warn("node%d: [mem %pa] +%llu was given back but is still listed in the pool's extents\n",
				pool->nid, &piece->start, piece->size);
	}
	spin_lock(&pool->lock);
	pcarve_chunkmap_trim(&pool->map);
	pool->shrinking = 0;
	spin_unlock(&pool->lock);
	if (!ret)
		pr_info("node%d: pool shrunk by %llu MiB to %llu MiB\n",
			pool->nid, bytes >> 20, pool->size >> 20);
out:
	kvfree(s.pieces);
	return ret;
}

/**
 * pcarve_pool_release() - give a quarantined handed-over pool back
 * @pool: a pool carved quarantined from a handover record
 *
 * The operator's decision that the data the previous kernel left there is
 * not wanted: the memory goes to the page allocator, as a shrink to 0.
 *
 * Context: process context; sleeps.
 * Return: 0, -EPERM for a pool that is not a quarantined handed-over one,
 * -EBUSY if it has chunks, -EOPNOTSUPP for an hvo pool (its trimmed
 * memmap cannot serve the page allocator), or what giving the memory back
 * returned.
 */
int pcarve_pool_release(struct pcarve_pool *pool)
{
	u64 now;

	guard(mutex)(&pool->resize_lock);
	if (pool->sealed)
		return -EBUSY;
	if (!pool->restored || READ_ONCE(pool->state) == PCARVE_POOL_ACTIVE)
		return -EPERM;
	if (pcarve_pool_used(pool))
		return -EBUSY;
	if (pool->mode == PCARVE_HVO)
		return -EOPNOTSUPP;
	/* a pool quarantined at boot never had its folios */
	if (pool->mode == PCARVE_MAP && !pool->formed)
		pcarve_form_folios(pool);
	now = READ_ONCE(pool->size);
	return now ? pcarve_shrink(pool, now) : 0;
}

/**
 * pcarve_pool_resize() - grow or shrink a pool to a size
 * @pool: the pool
 * @size: the size wanted, a multiple of its granule
 *
 * Context: process context; sleeps.
 * Return: 0 when the pool has @size bytes; -EINVAL for a size that is not
 * a multiple of the granule, -EIO for a quarantined pool, -ENOMEM when the
 * node cannot give the memory, -EBUSY when not enough of the pool is free
 * to give back or less than its commitments would be left, -EINTR on a
 * fatal signal: with nothing changed in each case.  Only when giving back
 * memory already off the free map fails (hotplug refusing a range) is the
 * error that one, with the pool at the size it reached.
 */
int pcarve_pool_resize(struct pcarve_pool *pool, u64 size)
{
	u64 now;

	if (!IS_ALIGNED(size, pool->granule))
		return -EINVAL;
	guard(mutex)(&pool->resize_lock);
	if (READ_ONCE(pool->state) != PCARVE_POOL_ACTIVE)
		return -EIO;
	/* recorded for a kexec under way */
	if (pool->sealed)
		return -EBUSY;
	now = READ_ONCE(pool->size);
	if (size > now)
		return pcarve_grow(pool, size - now);
	if (size < now)
		return pcarve_shrink(pool, now - size);
	return 0;
}
