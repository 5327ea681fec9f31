// SPDX-License-Identifier: GPL-2.0
/*
 * The free state of a pool: which of its 2 MiB units can be handed out.
 *
 * Physical memory is cut into aligned 1 GiB blocks.  Each block that holds
 * part of a pool has a struct pcarve_block: a bitmap of its 512 units (set
 * means free), how many of them are free and how many belong to the pool.
 * The blocks sit in an XArray indexed by block number, with two marks:
 *
 *   PCARVE_WHOLE	all 512 units belong to the pool and are free
 *   PCARVE_PART	some unit is free, but the block is not whole
 *
 * A 1 GiB chunk is a whole block; a 2 MiB chunk comes from a part block if
 * there is one (so that whole blocks stay whole) and otherwise splits a
 * whole one.  Finding the block is one xa_find() on a mark, O(log n) in the
 * number of blocks; the unit in it is a find_first_bit() over 512 bits.  A
 * 2 MiB pool serves 1 GiB only from a block whose 512 units are all its own
 * and free; freeing the last unit of a block makes it whole again.
 *
 * Cost: one 72-byte block per GiB of pool, plus the XArray nodes (one per
 * 64 blocks, and their parents): 82 KiB for 1 TiB.  Nothing here grows with
 * allocations or touches the memory it describes, so KUnit runs it on
 * made-up addresses.
 *
 * Locking: the pool's spinlock serialises add, remove, alloc, free and
 * trim.  Blocks are created by pcarve_chunkmap_prepare() (which may sleep)
 * under the pool's resize lock only, concurrently with those: a new block
 * is empty and unmarked until it is added to under the spinlock, and the
 * XArray has its own lock.  Only empty blocks are destroyed, by
 * pcarve_chunkmap_trim().  pcarve_chunkmap_alloc() and
 * pcarve_chunkmap_free() never allocate and never sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "internal.h"

#define PCARVE_WHOLE	XA_MARK_0
#define PCARVE_PART	XA_MARK_1

static struct kmem_cache *pcarve_block_cache;

static unsigned long pcarve_block_of(phys_addr_t addr)
{
	return addr >> PCARVE_BLOCK_SHIFT;
}

static unsigned int pcarve_unit_of(phys_addr_t addr)
{
	return (addr & (PCARVE_BLOCK - 1)) >> PCARVE_UNIT_SHIFT;
}

static void pcarve_block_marks(struct pcarve_chunkmap *m, unsigned long idx,
			       const struct pcarve_block *b)
{
	bool whole = b->nr_free == PCARVE_UNITS_PER_BLOCK;
	bool part = b->nr_free && !whole;

	if (whole)
		xa_set_mark(&m->blocks, idx, PCARVE_WHOLE);
	else
		xa_clear_mark(&m->blocks, idx, PCARVE_WHOLE);
	if (part)
		xa_set_mark(&m->blocks, idx, PCARVE_PART);
	else
		xa_clear_mark(&m->blocks, idx, PCARVE_PART);
}

/**
 * pcarve_chunkmap_init() - start an empty map
 * @m: the map
 */
void pcarve_chunkmap_init(struct pcarve_chunkmap *m)
{
	xa_init(&m->blocks);
	m->nr_blocks = 0;
	m->present = 0;
	m->free = 0;
}

/**
 * pcarve_chunkmap_prepare() - make sure every block of a range exists
 * @m: the map
 * @start: first byte, 2 MiB aligned
 * @size: length, a multiple of 2 MiB
 *
 * Context: process context, may sleep; under the map's resize lock.
 * Return: 0, or -ENOMEM with the blocks created so far left empty (a later
 * pcarve_chunkmap_trim() frees them).
 */
int pcarve_chunkmap_prepare(struct pcarve_chunkmap *m, phys_addr_t start,
			    u64 size)
{
	unsigned long idx;

	if (!size)
		return 0;
	for (idx = pcarve_block_of(start);
	     idx <= pcarve_block_of(start + size - 1); idx++) {
		struct pcarve_block *b;
		int ret;

		if (xa_load(&m->blocks, idx))
			continue;
		b = kmem_cache_zalloc(pcarve_block_cache, GFP_KERNEL);
		if (!b)
			return -ENOMEM;
		ret = xa_insert(&m->blocks, idx, b, GFP_KERNEL);
		if (ret) {
			kmem_cache_free(pcarve_block_cache, b);
			return ret;
		}
		WRITE_ONCE(m->nr_blocks, m->nr_blocks + 1);
	}
	return 0;
}

/**
 * pcarve_chunkmap_add() - give a prepared range to the map, all free
 * @m: the map
 * @start: first byte, 2 MiB aligned
 * @size: length, a multiple of 2 MiB; no unit of it may be in the map yet
 */
void pcarve_chunkmap_add(struct pcarve_chunkmap *m, phys_addr_t start,
			 u64 size)
{
	phys_addr_t addr = start, end = start + size;

	/* a block at a time: boot work is per block, not per unit */
	while (addr < end) {
		unsigned long idx = pcarve_block_of(addr);
		struct pcarve_block *b = xa_load(&m->blocks, idx);
		unsigned int first = pcarve_unit_of(addr), nr;
		phys_addr_t next = min(end, ((phys_addr_t)idx + 1) <<
					    PCARVE_BLOCK_SHIFT);

		if (WARN_ON_ONCE(!b))
			return;
		nr = (next - addr) >> PCARVE_UNIT_SHIFT;
		/* units already in the map stay as they are */
		if (WARN_ON_ONCE(find_next_bit(b->free, first + nr, first) <
				 first + nr)) {
			unsigned int u;

			for (u = first; u < first + nr; u++)
				if (!__test_and_set_bit(u, b->free)) {
					b->nr_free++;
					b->nr_present++;
					m->free += PCARVE_UNIT;
					m->present += PCARVE_UNIT;
				}
		} else {
			bitmap_set(b->free, first, nr);
			b->nr_free += nr;
			b->nr_present += nr;
			m->free += (u64)nr << PCARVE_UNIT_SHIFT;
			m->present += (u64)nr << PCARVE_UNIT_SHIFT;
		}
		pcarve_block_marks(m, idx, b);
		addr = next;
	}
}

/**
 * pcarve_chunkmap_remove() - take a range out of the map, if all of it is free
 * @m: the map
 * @start: first byte, 2 MiB aligned
 * @size: length, a multiple of 2 MiB
 *
 * Return: 0, or -EBUSY, changing nothing, if a unit of the range is not
 * free (or not in the map).
 */
int pcarve_chunkmap_remove(struct pcarve_chunkmap *m, phys_addr_t start,
			   u64 size)
{
	phys_addr_t addr;

	for (addr = start; addr < start + size; addr += PCARVE_UNIT) {
		struct pcarve_block *b = xa_load(&m->blocks,
						 pcarve_block_of(addr));

		if (!b || !test_bit(pcarve_unit_of(addr), b->free))
			return -EBUSY;
	}
	for (addr = start; addr < start + size; addr += PCARVE_UNIT) {
		unsigned long idx = pcarve_block_of(addr);
		struct pcarve_block *b = xa_load(&m->blocks, idx);

		__clear_bit(pcarve_unit_of(addr), b->free);
		b->nr_free--;
		b->nr_present--;
		m->free -= PCARVE_UNIT;
		m->present -= PCARVE_UNIT;
		pcarve_block_marks(m, idx, b);
	}
	return 0;
}

/**
 * pcarve_chunkmap_trim() - free the blocks that no longer hold any unit
 * @m: the map
 *
 * Context: under the map's resize lock.  Never sleeps.
 */
void pcarve_chunkmap_trim(struct pcarve_chunkmap *m)
{
	struct pcarve_block *b;
	unsigned long idx;

	xa_for_each(&m->blocks, idx, b) {
		if (b->nr_present)
			continue;
		xa_erase(&m->blocks, idx);
		kmem_cache_free(pcarve_block_cache, b);
		WRITE_ONCE(m->nr_blocks, m->nr_blocks - 1);
	}
}

/**
 * pcarve_chunkmap_alloc() - take one free chunk
 * @m: the map
 * @size: SZ_2M or SZ_1G
 * @addr: where its first byte is stored
 *
 * Never allocates and never sleeps.
 *
 * Return: 0, PCARVE_SPLIT when a 2 MiB chunk split a whole block, or
 * -ENOMEM when no chunk of @size is free.
 */
int pcarve_chunkmap_alloc(struct pcarve_chunkmap *m, u64 size,
			  phys_addr_t *addr)
{
	unsigned long idx = 0;
	struct pcarve_block *b;
	unsigned int unit;
	int ret = 0;

	if (size == PCARVE_BLOCK) {
		b = xa_find(&m->blocks, &idx, ULONG_MAX, PCARVE_WHOLE);
		if (!b)
			return -ENOMEM;
		bitmap_zero(b->free, PCARVE_UNITS_PER_BLOCK);
		b->nr_free = 0;
		m->free -= PCARVE_BLOCK;
		pcarve_block_marks(m, idx, b);
		*addr = (phys_addr_t)idx << PCARVE_BLOCK_SHIFT;
		return 0;
	}
	if (WARN_ON_ONCE(size != PCARVE_UNIT))
		return -EINVAL;
	b = xa_find(&m->blocks, &idx, ULONG_MAX, PCARVE_PART);
	if (!b) {
		idx = 0;
		b = xa_find(&m->blocks, &idx, ULONG_MAX, PCARVE_WHOLE);
		if (!b)
			return -ENOMEM;
		ret = PCARVE_SPLIT;
	}
	unit = find_first_bit(b->free, PCARVE_UNITS_PER_BLOCK);
	__clear_bit(unit, b->free);
	b->nr_free--;
	m->free -= PCARVE_UNIT;
	pcarve_block_marks(m, idx, b);
	*addr = ((phys_addr_t)idx << PCARVE_BLOCK_SHIFT) +
		((phys_addr_t)unit << PCARVE_UNIT_SHIFT);
	return ret;
}

/**
 * pcarve_chunkmap_free() - give back a chunk taken by pcarve_chunkmap_alloc()
 * @m: the map
 * @addr: its first byte
 * @size: SZ_2M or SZ_1G
 *
 * Never allocates and never sleeps.
 *
 * Return: 0, PCARVE_MERGED when a 2 MiB chunk made its block whole again,
 * or -EINVAL (with a warning) if any part of it was already free.
 */
int pcarve_chunkmap_free(struct pcarve_chunkmap *m, phys_addr_t addr,
			 u64 size)
{
	unsigned long idx = pcarve_block_of(addr);
	struct pcarve_block *b = xa_load(&m->blocks, idx);
	unsigned int unit = pcarve_unit_of(addr);
	unsigned int nr = size >> PCARVE_UNIT_SHIFT;

	if (WARN_ON_ONCE(!b || (size != PCARVE_UNIT && size != PCARVE_BLOCK) ||
			 !IS_ALIGNED(addr, size)))
		return -EINVAL;
	if (WARN_ON_ONCE(find_next_bit(b->free, unit + nr, unit) < unit + nr))
		return -EINVAL;
	bitmap_set(b->free, unit, nr);
	b->nr_free += nr;
	m->free += size;
	pcarve_block_marks(m, idx, b);
	if (size == PCARVE_UNIT && b->nr_free == PCARVE_UNITS_PER_BLOCK)
		return PCARVE_MERGED;
	return 0;
}

/**
 * pcarve_chunkmap_claim() - take a given chunk, as pcarve_chunkmap_alloc()
 * @m: the map
 * @addr: its first byte, aligned to @size
 * @size: SZ_2M or SZ_1G
 *
 * For chunks handed over by the previous kernel.  Never allocates and
 * never sleeps.
 *
 * Return: 0, PCARVE_SPLIT when a 2 MiB chunk split a whole block, or
 * -EINVAL, changing nothing, if the chunk is not free memory of the map.
 */
int pcarve_chunkmap_claim(struct pcarve_chunkmap *m, phys_addr_t addr,
			  u64 size)
{
	unsigned long idx = pcarve_block_of(addr);
	struct pcarve_block *b = xa_load(&m->blocks, idx);
	unsigned int unit = pcarve_unit_of(addr);
	unsigned int nr = size >> PCARVE_UNIT_SHIFT;
	bool whole;

	if (!b || (size != PCARVE_UNIT && size != PCARVE_BLOCK) ||
	    !IS_ALIGNED(addr, size) ||
	    find_next_zero_bit(b->free, unit + nr, unit) < unit + nr)
		return -EINVAL;
	whole = b->nr_free == PCARVE_UNITS_PER_BLOCK;
	bitmap_clear(b->free, unit, nr);
	b->nr_free -= nr;
	m->free -= size;
	pcarve_block_marks(m, idx, b);
	return size == PCARVE_UNIT && whole ? PCARVE_SPLIT : 0;
}

/**
 * pcarve_chunkmap_bytes() - memory the map itself takes
 * @m: the map
 *
 * Return: the blocks (their slab object size) plus the XArray nodes that
 * index them: at each level, one node per distinct index prefix, up to the
 * root (a lone entry at index 0 needs no node).
 */
size_t pcarve_chunkmap_bytes(struct pcarve_chunkmap *m)
{
	unsigned long idx, max = 0, nodes = 0;
	unsigned int shift;
	struct pcarve_block *b;

	xa_for_each(&m->blocks, idx, b)
		max = idx;
	for (shift = XA_CHUNK_SHIFT; max; shift += XA_CHUNK_SHIFT) {
		unsigned long last = ULONG_MAX;

		xa_for_each(&m->blocks, idx, b) {
			if (idx >> shift != last)
				nodes++;
			last = idx >> shift;
		}
		if (shift >= BITS_PER_LONG || !(max >> shift))
			break;
	}
	return READ_ONCE(m->nr_blocks) * kmem_cache_size(pcarve_block_cache) +
	       nodes * sizeof(struct xa_node);
}

/**
 * pcarve_chunkmap_destroy() - free every block
 * @m: the map
 */
void pcarve_chunkmap_destroy(struct pcarve_chunkmap *m)
{
	struct pcarve_block *b;
	unsigned long idx;

	xa_for_each(&m->blocks, idx, b)
		kmem_cache_free(pcarve_block_cache, b);
	xa_destroy(&m->blocks);
	m->nr_blocks = 0;
	m->present = 0;
	m->free = 0;
}

/**
 * pcarve_chunkmap_cache_init() - create the slab cache of blocks
 *
 * Return: 0 or -ENOMEM.
 */
int pcarve_chunkmap_cache_init(void)
{
	if (pcarve_block_cache)
		return 0;
	pcarve_block_cache = KMEM_CACHE(pcarve_block, 0);
	return pcarve_block_cache ? 0 : -ENOMEM;
}
