// SPDX-License-Identifier: GPL-2.0
/*
 * Placing a pool's extents in its node's free memory and taking them out of
 * memblock.
 *
 * Extents are found and taken one at a time: each is looked for in the free
 * memory memblock reports at that moment and reserved at once, the way
 * mm/cma.c takes a fixed range (memblock_is_region_reserved(), then
 * memblock_reserve()).  Nothing allocates between finding an extent and
 * reserving it, and memblock_add_range() keeps the reserved array's growth
 * (memblock_double_array()) out of the range it adds.  A nomap extent then
 * leaves memblock.memory and its reservation is dropped: while
 * memblock_remove() may grow the memory array, the extent is reserved, so
 * the new array cannot land in it.  No other boot allocation can.
 *
 * A map extent is reserved without MEMBLOCK_RSRV_KERN: it is not kernel
 * memory, and KHO sizes its scratch areas from RSRV_KERN reservations.  It
 * is not registered with kmemleak either, which must never scan a pool.
 *
 * Where extents go, highest address first:
 *  - only in regions that are neither hotpluggable nor mirrored, unless the
 *    node has no other memory;
 *  - memory below ARCH_LOW_ADDRESS_LIMIT last, and never so much of it that
 *    less than @low_keep (the swiotlb buffer, allocated there after the
 *    pools) stays free there;
 *  - a nomap or hvo pool with 2M granules first takes whole memory sections
 *    (above the low limit, unless the node has no memory there), so that it
 *    saves their memmap (nomap) or can trim it (hvo), and then the rest, if
 *    less than a section, right beside them; if that would need more
 *    extents than a pool may have, plain 2M granules.
 *
 * See Documentation/admin-guide/mm/pcarve.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/memblock.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sort.h>

#include "internal.h"

/*
 * The free memory a pool may come from.  On a kexec handover boot, memory
 * the previous kernel preserved is only reserved in kho_memory_init(), but
 * kho_memory_init_early() has marked every 1 GiB that holds none of it as
 * KHO scratch: a new pool comes from there.
 */
static enum memblock_flags __init pcarve_free_flags(void)
{
	return MEMBLOCK_HOTPLUG |
	       (is_kho_boot() ? MEMBLOCK_KHO_SCRATCH : MEMBLOCK_NONE);
}

/*
 * On a kexec handover boot, KHO's own scratch areas must stay free for
 * early allocations of this kernel and the next: shrink [@a, @b) to its
 * highest piece, in @unit steps, that does not touch them.
 */
static void __init pcarve_skip_scratch(u64 unit, phys_addr_t a,
				       phys_addr_t *b, phys_addr_t *new_a)
{
	phys_addr_t x;

	if (!is_kho_boot() || *b <= a)
		return;
	while (*b > a && kho_scratch_overlap(*b - unit, unit))
		*b -= unit;
	for (x = *b; x > a && !kho_scratch_overlap(x - unit, unit); x -= unit)
		;
	*new_a = x;
}

/* the memblock.memory region holding @addr, or NULL */
static struct memblock_region * __init pcarve_region_of(phys_addr_t addr)
{
	struct memblock_region *r;

	for_each_mem_region(r)
		if (addr >= r->base && addr - r->base < r->size)
			return r;
	return NULL;
}

/* the memblock.memory flags of the region holding @addr */
static enum memblock_flags __init pcarve_region_flags(phys_addr_t addr)
{
	struct memblock_region *r = pcarve_region_of(addr);

	return r ? r->flags : MEMBLOCK_NONE;
}

/*
 * May [start, start + size) be taken for @p beside extent @e: free memory
 * of one region of the node, of the kind @e came from, and above the low
 * limit unless the node has nothing there and low memory has room?
 */
static bool __init pcarve_may_take(const struct pcarve_place *p,
				   const struct pcarve_boot_extent *e,
				   phys_addr_t start, u64 size)
{
	struct memblock_region *r = pcarve_region_of(start);

	if (!r || memblock_get_region_node(r) != p->nid ||
	    r->flags != e->flags || start + size > r->base + r->size ||
	    memblock_is_region_reserved(start, size) ||
	    (is_kho_boot() && kho_scratch_overlap(start, size)))
		return false;
	if (start + size <= p->low_limit)
		return !p->has_high && p->low_free >= p->low_keep + size;
	return start >= p->low_limit;
}

/**
 * pcarve_place_init() - start placing a pool on a node
 * @p: the placement
 * @nid: the node
 * @mode: the pool's mode
 * @granule: its granule
 * @low_keep: free memory that must stay below ARCH_LOW_ADDRESS_LIMIT
 *
 * Return: true when the node has only hotpluggable or mirrored memory,
 * which the pool then uses (a nomap pool never uses hotpluggable memory).
 */
bool __init pcarve_place_init(struct pcarve_place *p, int nid,
			      enum pcarve_mode mode, u64 granule, u64 low_keep)
{
	const enum memblock_flags special = MEMBLOCK_HOTPLUG | MEMBLOCK_MIRROR;
	struct memblock_region *r;
	phys_addr_t start, end;
	bool only_special;
	u64 i;

	memset(p, 0, sizeof(*p));
	p->nid = nid;
	p->mode = mode;
	p->granule = granule;
	p->low_limit = (u64)ARCH_LOW_ADDRESS_LIMIT + 1;
	p->low_keep = low_keep;
	for_each_mem_region(r) {
		if (memblock_get_region_node(r) == nid &&
		    !(r->flags & (special | MEMBLOCK_NOMAP))) {
			p->avoid = special;
			break;
		}
	}
	only_special = !p->avoid;
	/*
	 * A nomap range has no memory blocks, so hot-remove could not see
	 * that it is in use: a nomap pool never takes hotpluggable memory.
	 */
	if (mode == PCARVE_NOMAP)
		p->avoid |= MEMBLOCK_HOTPLUG;

	for_each_free_mem_range(i, nid, pcarve_free_flags(), &start, &end,
				NULL)
		if (end > p->low_limit &&
		    !(pcarve_region_flags(start) & p->avoid))
			p->has_high = true;

	/* swiotlb allocates from any node: count all free low memory */
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end,
				NULL) {
		if (start >= p->low_limit)
			break;
		p->low_free += min(end, p->low_limit) - start;
	}
	return only_special;
}

/*
 * The highest piece of @p's node, aligned to @unit and at most @want long,
 * that may be taken now.  Free ranges are split at the low limit, so that
 * memory above it is always found first; memory below it only when @low.
 * Return its size, 0 if none.
 */
static u64 __init pcarve_find(const struct pcarve_place *p, u64 unit,
			      u64 want, bool low, phys_addr_t *startp)
{
	phys_addr_t start, end, lim = p->low_limit;
	u64 i;

	for_each_free_mem_range_reverse(i, p->nid, pcarve_free_flags(),
					&start, &end, NULL) {
		phys_addr_t ps[2] = { max(start, lim), start };
		phys_addr_t pe[2] = { end, min(end, lim) };
		int k;

		if (pcarve_region_flags(start) & p->avoid)
			continue;
		for (k = 0; k < (low ? 2 : 1); k++) {
			phys_addr_t a = round_up(ps[k], unit);
			phys_addr_t b = round_down(pe[k], unit);
			u64 len;

			pcarve_skip_scratch(unit, a, &b, &a);
			if (b <= a)
				continue;
			len = b - a;
			if (k) {	/* below the low limit */
				u64 room = p->low_free > p->low_keep ?
					   p->low_free - p->low_keep : 0;

				len = min(len, round_down(room, unit));
			}
			if (!len)
				continue;
			len = min(len, want);
			*startp = b - len;
			return len;
		}
	}
	return 0;
}

/* does @e touch [start, start + size) and come from the same kind of region? */
static bool __init pcarve_touches(const struct pcarve_boot_extent *e,
				  phys_addr_t start, u64 size,
				  enum memblock_flags flags)
{
	return e->flags == flags &&
	       (e->start == start + size || e->start + e->size == start);
}

/* highest address first */
static int __init pcarve_cmp_extent(const void *a, const void *b)
{
	const struct pcarve_boot_extent *x = a, *y = b;

	return x->start < y->start ? 1 : x->start > y->start ? -1 : 0;
}

/*
 * Record [start, start + size), merged with the extents it touches, and
 * keep the extents sorted from the highest address down.
 */
static void __init pcarve_record(struct pcarve_place *p, phys_addr_t start,
				 u64 size, enum memblock_flags flags)
{
	struct pcarve_boot_extent e = {
		.start = start, .size = size, .flags = flags,
	};
	unsigned int i = 0;

	while (i < p->nr) {
		if (!pcarve_touches(&p->ext[i], e.start, e.size, flags)) {
			i++;
			continue;
		}
		e.start = min(e.start, p->ext[i].start);
		e.size += p->ext[i].size;
		p->ext[i] = p->ext[--p->nr];
		i = 0;
	}
	p->ext[p->nr++] = e;
	sort(p->ext, p->nr, sizeof(*p->ext), pcarve_cmp_extent, NULL);
}

/*
 * Take [start, start + size) out of memblock and record it.  All or
 * nothing.
 */
static int __init pcarve_take(struct pcarve_place *p, phys_addr_t start,
			      u64 size)
{
	enum memblock_flags flags = pcarve_region_flags(start);
	unsigned int i, touching = 0;
	int ret;

	for (i = 0; i < p->nr; i++)
		touching += pcarve_touches(&p->ext[i], start, size, flags);
	if (p->nr + 1 - touching > PCARVE_MAX_EXTENTS)
		return -E2BIG;
	if (!memblock_is_region_memory(start, size) ||
	    memblock_is_region_reserved(start, size))
		return -EBUSY;

	ret = __memblock_reserve(start, size, p->nid, MEMBLOCK_NONE);
	if (ret)
		return ret;
	if (p->mode == PCARVE_NOMAP) {
		int freed;

		ret = memblock_remove(start, size);
		freed = memblock_phys_free(start, size);
		if (freed && !ret) {
			/* still reserved: put it back as it was */
			memblock_add_node(start, size, p->nid, flags);
			ret = freed;
		}
		if (ret)
			return ret;
	}

	pcarve_record(p, start, size, flags);
	if (start < p->low_limit)
		p->low_free -= min(start + size, p->low_limit) - start;
	return 0;
}

/**
 * pcarve_place_exact() - take a range the previous kernel recorded
 * @p: the placement, from pcarve_place_init()
 * @start: first byte, aligned to the granule
 * @size: bytes, a multiple of the granule
 *
 * Return: 0, -EINVAL if the range is not all memory of @p's node, -EBUSY
 * if part of it is reserved, -E2BIG for too many extents, or another
 * negative errno from memblock.
 */
int __init pcarve_place_exact(struct pcarve_place *p, phys_addr_t start,
			      u64 size)
{
	struct memblock_region *r;
	phys_addr_t a;

	for (a = start; a < start + size; a = r->base + r->size) {
		r = pcarve_region_of(a);
		if (!r || memblock_get_region_node(r) != p->nid)
			return -EINVAL;
	}
	return pcarve_take(p, start, size);
}

/*
 * The rest of a pool, when it is less than a section, right below or above
 * an extent it already has, so that it adds no extent.  Return its size,
 * 0 if neither place is free.
 */
static u64 __init pcarve_find_beside(const struct pcarve_place *p, u64 want,
				     phys_addr_t *startp)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		const struct pcarve_boot_extent *e = &p->ext[i];

		/* above first: the pool keeps to the top of the node */
		if (pcarve_may_take(p, e, e->start + e->size, want)) {
			*startp = e->start + e->size;
			return want;
		}
		if (e->start >= want &&
		    pcarve_may_take(p, e, e->start - want, want)) {
			*startp = e->start - want;
			return want;
		}
	}
	return 0;
}

/*
 * take up to @want bytes in pieces of @unit, below the low limit too when
 * @low; return what was taken
 */
static s64 __init pcarve_fill(struct pcarve_place *p, u64 unit, u64 want,
			      bool low)
{
	phys_addr_t start;
	u64 taken = 0, len;
	int ret;

	while (taken < want) {
		len = pcarve_find(p, unit, want - taken, low, &start);
		if (!len)
			break;
		ret = pcarve_take(p, start, len);
		if (ret)
			return ret;
		taken += len;
	}
	return taken;
}

/**
 * pcarve_place_pool() - take @size bytes of extents for the pool
 * @p: the placement, from pcarve_place_init()
 * @size: the pool size, a multiple of its granule
 *
 * On failure everything taken is given back with pcarve_give_back() by the
 * caller.
 *
 * Return: 0, -E2BIG when the pool would need more than PCARVE_MAX_EXTENTS
 * extents, -ENOSPC when the node's free memory cannot hold it, or another
 * negative errno from memblock.
 */
int __init pcarve_place_pool(struct pcarve_place *p, u64 size)
{
	u64 section = PFN_PHYS(PAGES_PER_SECTION);
	u64 left = size;
	phys_addr_t start;
	s64 got;

	if (p->mode != PCARVE_MAP && p->granule < section) {
		/*
		 * whole sections, but never low memory before high granules,
		 * unless the node has no high memory at all
		 */
		got = pcarve_fill(p, section, round_down(left, section),
				  !p->has_high);
		if (got == -E2BIG)
			goto plain;
		if (got < 0)
			return got;
		left -= got;
		if (left && left < section &&
		    pcarve_find_beside(p, left, &start) &&
		    !pcarve_take(p, start, left))
			return 0;
	}
	got = pcarve_fill(p, p->granule, left, true);
	if (got == -E2BIG && left != size)
		goto plain;
	if (got < 0)
		return got;
	return (u64)got == left ? 0 : -ENOSPC;

plain:
	/* sections need more extents than a pool may have: just granules */
	pcarve_give_back(p);
	got = pcarve_fill(p, p->granule, size, true);
	if (got < 0)
		return got;
	return (u64)got == size ? 0 : -ENOSPC;
}

/**
 * pcarve_give_back() - undo pcarve_place_pool()
 * @p: the placement
 *
 * Every extent goes back where it came from with the memblock flags it had.
 */
void __init pcarve_give_back(struct pcarve_place *p)
{
	while (p->nr) {
		const struct pcarve_boot_extent *e = &p->ext[--p->nr];

		if (p->mode == PCARVE_NOMAP)
			memblock_add_node(e->start, e->size, p->nid, e->flags);
		else
			memblock_phys_free(e->start, e->size);
		if (e->start < p->low_limit)
			p->low_free += min(e->start + e->size, p->low_limit) -
				       e->start;
	}
}

/**
 * pcarve_capacity() - what a node could give a pool now
 * @p: the placement, from pcarve_place_init()
 * @free: all free memory of the node
 * @aligned: the part of it a pool may take, in whole granules, within the
 *	     rules above
 */
void __init pcarve_capacity(const struct pcarve_place *p, u64 *free,
			    u64 *aligned)
{
	phys_addr_t start, end, lim = p->low_limit;
	u64 i, low = 0, room;

	*free = *aligned = 0;
	for_each_free_mem_range(i, p->nid, pcarve_free_flags(), &start, &end,
				NULL) {
		phys_addr_t a, b;

		*free += end - start;
		if (pcarve_region_flags(start) & p->avoid)
			continue;
		/* above the low limit */
		a = round_up(max(start, lim), p->granule);
		b = round_down(end, p->granule);
		if (b > a)
			*aligned += b - a;
		/* below it */
		a = round_up(start, p->granule);
		b = round_down(min(end, lim), p->granule);
		if (b > a)
			low += b - a;
	}
	room = p->low_free > p->low_keep ? p->low_free - p->low_keep : 0;
	*aligned += min(low, round_down(room, p->granule));
}
