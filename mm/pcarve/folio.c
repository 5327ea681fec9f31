// SPDX-License-Identifier: GPL-2.0
/*
 * The folios of pools that have struct pages.
 *
 * Every granule of a map pool, of a block grown at run time, and of an
 * hvo pool is one compound folio of the granule's order (9 for 2 MiB, 18
 * for 1 GiB), never on an LRU, holding one reference that is pcarve's.
 * A map pool's boot memory is made into folios once its memmap is
 * initialised (PageReserved pages, see pcarve_form_folios()); grown blocks
 * come compound from alloc_contig_frozen_pages(); hvo folios are made by
 * hvo.c.  A chunk of the granule's size is one folio; a 2 MiB chunk of a
 * 1 GiB pool is part of one, a 1 GiB chunk of a 2 MiB pool spans 512.
 *
 * When memory goes back to the page allocator, its folio must hold no
 * reference but pcarve's (no mapping, no pin): it is then frozen and freed
 * as the compound page it is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/pgalloc_tag.h>

#include "../internal.h"
#include "../page_alloc.h"
#include "internal.h"

static void pcarve_folio_form(struct page *head, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	for (i = 0; i < nr; i++)
		__folio_clear_reserved(page_folio(head + i));
	for (i = 1; i < nr; i++) {
		prep_compound_tail(head + i, head, order);
		set_page_count(head + i, 0);
	}
	__folio_set_head(page_folio(head));
	prep_compound_head(head, order);
	/* mapped to user space through the rmap, like a file folio */
	folio_set_large_rmappable(page_folio(head));
	/* the head keeps the count of 1 memmap_init() gave it: pcarve's */
}

/**
 * pcarve_form_folios() - make a pool's boot memory with a full memmap into
 * folios of its granule
 * @pool: a map or hvo pool whose memmap is initialised (PageReserved)
 *
 * The parts of an hvo pool whose vmemmap was trimmed are left to hvo.c.
 */
void pcarve_form_folios(struct pcarve_pool *pool)
{
	unsigned int order = ilog2(pool->granule) - PAGE_SHIFT, i;

	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];
		phys_addr_t a;

		for (a = e->start; a < e->start + e->size; a += pool->granule) {
			if (pcarve_is_hvo(pool, a))
				continue;
			pcarve_folio_form(pfn_to_page(PHYS_PFN(a)), order);
			cond_resched();
		}
	}
	pool->formed = true;
}

/**
 * pcarve_pool_movable() - does a pool with struct pages lie in ZONE_MOVABLE?
 * @pool: a map or hvo pool whose memmap is initialised
 *
 * kernelcore=, movablecore= and movable_node make the top of nodes
 * ZONE_MOVABLE, which is decided after the pools are carved.  Pinned,
 * unmovable folios there would make memory offlining and long-term GUP
 * fail, so such a pool is not used.
 *
 * Return: true if a granule of it is in ZONE_MOVABLE.
 */
bool pcarve_pool_movable(struct pcarve_pool *pool)
{
	unsigned int i;

	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];
		phys_addr_t a;

		for (a = e->start; a < e->start + e->size; a += pool->granule) {
			unsigned long first = PHYS_PFN(a);
			unsigned long last = PHYS_PFN(a + pool->granule) - 1;

			if (page_zonenum(pfn_to_page(first)) == ZONE_MOVABLE ||
			    page_zonenum(pfn_to_page(last)) == ZONE_MOVABLE)
				return true;
		}
	}
	return false;
}

/**
 * pcarve_folio_take() - take a granule-sized folio of a node's free memory
 * @nid: the node, and no other
 * @granule: SZ_2M or SZ_1G
 *
 * Return: the folio, holding one reference, or NULL.
 */
struct folio *pcarve_folio_take(int nid, u64 granule)
{
	struct page *page;

	page = alloc_contig_frozen_pages(granule >> PAGE_SHIFT,
					 GFP_KERNEL | __GFP_COMP |
					 __GFP_THISNODE | __GFP_NOWARN,
					 nid, NULL);
	if (!page)
		return NULL;
	set_page_refcounted(page);
	return page_rmappable_folio(page);
}

/**
 * pcarve_folio_busy() - does anyone but pcarve hold a folio?
 * @folio: a pool folio
 *
 * Return: true if it is mapped, pinned or referenced by anyone else.
 */
bool pcarve_folio_busy(struct folio *folio)
{
	return folio_ref_count(folio) != 1 || folio_mapped(folio);
}

/**
 * pcarve_folio_freeze() - make sure nobody but pcarve holds a folio, and
 * keep it so
 * @folio: a pool folio
 *
 * Return: true if its count was pcarve's one reference and is now frozen
 * at 0; pcarve_folio_unfreeze() or pcarve_folio_free() follow.
 */
bool pcarve_folio_freeze(struct folio *folio)
{
	return !folio_mapped(folio) && folio_ref_freeze(folio, 1);
}

/**
 * pcarve_folio_unfreeze() - undo pcarve_folio_freeze()
 * @folio: the folio
 */
void pcarve_folio_unfreeze(struct folio *folio)
{
	folio_ref_unfreeze(folio, 1);
}

/**
 * pcarve_folio_free() - hand a frozen pool folio to the page allocator
 * @folio: a folio frozen by pcarve_folio_freeze()
 * @grown: it came from pcarve_folio_take(), not from boot memory
 *
 * Its pages join MemTotal again.
 */
void pcarve_folio_free(struct folio *folio, bool grown)
{
	unsigned long nr = folio_nr_pages(folio);

	adjust_managed_page_count(&folio->page, nr);
	if (grown) {
		free_contig_frozen_range(folio_pfn(folio), nr);
		return;
	}
	/* boot memory never had an allocation tag */
	clear_page_tag_ref(&folio->page);
	free_frozen_pages(&folio->page, folio_order(folio));
}
