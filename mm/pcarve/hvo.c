// SPDX-License-Identifier: GPL-2.0
/*
 * hvo pools: struct pages as compound folios of the pool's granule whose
 * vmemmap is trimmed before the memmap is initialised, the way hugetlb
 * keeps its bootmem gigantic pages (mm/hugetlb_vmemmap.c).
 *
 * Two hooks, beside hugetlb's (mm/sparse.c, mm/mm_init.c):
 *  - pcarve_vmemmap_init_early(), from sparse_init_nid(): for each part of
 *    an hvo extent made of whole memory sections (whose vmemmap is whole
 *    vmemmap PMDs), vmemmap_populate_hvo() maps one real vmemmap page per
 *    folio and the shared read-only tail page of its zone for the rest;
 *    the sections are marked SECTION_IS_VMEMMAP_PREINIT so that
 *    sparse_init() does not populate them again, and the range is marked
 *    noinit in memblock so that memmap_init_reserved_pages() does not make
 *    the shared tails PageReserved.
 *  - pcarve_struct_page_init(), from page_alloc_init_late() once
 *    hugetlb_bootmem_struct_page_init() has initialised the shared tails:
 *    each folio gets its head and reserved struct pages, pcarve holds its
 *    one reference, and the tail vmemmap is write-protected.
 *
 * The cost is one vmemmap page per folio: a 1 GiB folio costs 4 KiB of
 * memmap instead of 16 MiB, a 2 MiB folio 4 KiB instead of 32 KiB.  Parts
 * of an extent that are not whole sections (2M pools only), or that span
 * two zones, keep a full memmap and are used as map.
 *
 * These folios must only ever be mapped whole (PMD or PUD): a PTE mapping
 * would write the mapcount of tail pages, which are shared.  They are never
 * freed: their vmemmap cannot be restored, so an hvo pool's boot memory
 * does not shrink.  memory_failure() on one of their tail pfns would set
 * PG_hwpoison in the read-only shared tail, as for any non-hugetlb folio:
 * hvo pools need a kernel without CONFIG_MEMORY_FAILURE until
 * memory_failure() knows these folios as it knows hugetlb's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-isolation.h>
#include <linux/vmstat.h>
#include <asm/tlbflush.h>

#include "../internal.h"
#include "../mm_init.h"
#include "internal.h"

/* pfns whose vmemmap is whole vmemmap PMDs and whose memory whole sections */
static unsigned long __init pcarve_hvo_unit(void)
{
	return max_t(unsigned long, PAGES_PER_SECTION,
		     PMD_SIZE / sizeof(struct page));
}

static struct zone * __init pcarve_zone_of(int nid, unsigned long pfn)
{
	struct zone *zone;

	for (zone = NODE_DATA(nid)->node_zones;
	     zone < NODE_DATA(nid)->node_zones + MAX_NR_ZONES; zone++)
		if (zone_spans_pfn(zone, pfn))
			return zone;
	return NULL;
}

static unsigned int pcarve_hvo_order(const struct pcarve_pool *pool)
{
	return ilog2(pool->granule) - PAGE_SHIFT;
}

/* the whole-section part of an extent in [pnum_begin, pnum_end) */
static bool __init pcarve_hvo_part(const struct pcarve_extent *e,
				   unsigned long pnum_begin,
				   unsigned long pnum_end,
				   unsigned long *hs, unsigned long *he)
{
	unsigned long unit = pcarve_hvo_unit();

	*hs = ALIGN(PHYS_PFN(e->start), unit);
	*he = ALIGN_DOWN(PHYS_PFN(e->start + e->size), unit);
	return *hs < *he && pfn_to_section_nr(*hs) >= pnum_begin &&
	       pfn_to_section_nr(*he - 1) < pnum_end;
}

static void __init pcarve_hvo_extent(struct pcarve_pool *pool,
				     struct pcarve_extent *e,
				     unsigned long hs, unsigned long he)
{
	unsigned int order = pcarve_hvo_order(pool);
	unsigned long pfn, pnum;
	struct zone *zone;

	zone = pcarve_zone_of(pool->nid, hs);
	if (!zone || zone_idx(zone) == ZONE_MOVABLE ||
	    pfn_range_intersects_zones(pool->nid, hs, he - hs)) {
		pr_info("node%d: [mem %#llx-%#llx] is not in one non-movable zone: it keeps a full memmap\n",
			pool->nid, (u64)PFN_PHYS(hs), (u64)PFN_PHYS(he) - 1);
		return;
	}
	for (pfn = hs; pfn < he; pfn += 1UL << order) {
		unsigned long start = (unsigned long)pfn_to_page(pfn);

		/* nothing can be undone here, as for hugetlb's pages */
		if (vmemmap_populate_hvo(start, start +
					 (sizeof(struct page) << order),
					 order, zone, PAGE_SIZE))
			panic("pcarve: no memmap for the hvo pool of node %d\n",
			      pool->nid);
		memmap_boot_pages_add(1);
	}
	for (pnum = pfn_to_section_nr(hs); pnum < pfn_to_section_nr(he);
	     pnum++)
		sparse_init_early_section(pool->nid,
					  pfn_to_page(section_nr_to_pfn(pnum)),
					  pnum, SECTION_IS_VMEMMAP_PREINIT);
	memblock_reserved_mark_noinit(PFN_PHYS(hs), PFN_PHYS(he - hs));
	e->hvo_start = PFN_PHYS(hs);
	e->hvo_end = PFN_PHYS(he);
}

/**
 * pcarve_vmemmap_init_early() - pre-HVO the vmemmap of a node's hvo pool
 * @nid: the node sparse_init_nid() is at
 * @pnum_begin: first section of its run of present sections
 * @pnum_end: end of that run
 */
void __init pcarve_vmemmap_init_early(int nid, unsigned long pnum_begin,
				      unsigned long pnum_end)
{
	struct pcarve_pool *pool;
	unsigned long hs, he;
	unsigned int i;

	if (!pcarve_pool_exists(nid) || pcarve_pools[nid]->mode != PCARVE_HVO)
		return;
	pool = pcarve_pools[nid];
	/* quarantined at carve time: its memory may hold others' data */
	if (pool->state != PCARVE_POOL_ACTIVE)
		return;
	if (!compound_info_has_mask()) {
		/* e.g. a struct page grown by debug options: no shared tails */
		pr_info("node%d: hvo: struct page cannot share tail pages on this kernel; the pool runs as map\n",
			nid);
		pool->mode = PCARVE_MAP;
		return;
	}
	for (i = 0; i < pool->nr_extents; i++) {
		struct pcarve_extent *e = &pool->extents[i];

		if (pcarve_hvo_part(e, pnum_begin, pnum_end, &hs, &he))
			pcarve_hvo_extent(pool, e, hs, he);
	}
}

static void __init pcarve_hvo_folio(struct pcarve_pool *pool,
				    unsigned long pfn, struct zone *zone)
{
	unsigned int order = pcarve_hvo_order(pool);
	struct page *head = pfn_to_page(pfn);
	unsigned long i, reserved = PAGE_SIZE / sizeof(struct page);

	/* the real vmemmap page: never initialised (noinit) */
	for (i = 0; i < reserved; i++)
		__init_single_page(head + i, pfn + i, zone_idx(zone),
				   pool->nid);
	for (i = 1; i < reserved; i++) {
		prep_compound_tail(head + i, head, order);
		set_page_count(head + i, 0);
	}
	__folio_set_head((struct folio *)head);
	prep_compound_head(head, order);
	folio_set_large_rmappable(page_folio(head));
	/* __init_single_page() left the head's count at 1: pcarve's */
	for (i = 0; i < (1UL << order); i += pageblock_nr_pages)
		init_pageblock_migratetype(head + i, MIGRATE_UNMOVABLE, false);
	vmemmap_wrprotect_hvo((unsigned long)head,
			      (unsigned long)(head + (1UL << order)),
			      pool->nid, PAGE_SIZE);
}

/**
 * pcarve_struct_page_init() - make the folios of every hvo pool
 *
 * Runs once the shared vmemmap tails are initialised.
 */
void __init pcarve_struct_page_init(void)
{
	unsigned long folios = 0, total = 0;
	unsigned int i;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];

		if (!pool || pool->mode != PCARVE_HVO)
			continue;
		for (i = 0; i < pool->nr_extents; i++) {
			const struct pcarve_extent *e = &pool->extents[i];
			unsigned long pfn, end = PHYS_PFN(e->hvo_end);
			struct zone *zone;

			if (e->hvo_start == e->hvo_end)
				continue;
			zone = pcarve_zone_of(nid, PHYS_PFN(e->hvo_start));
			for (pfn = PHYS_PFN(e->hvo_start); pfn < end;
			     pfn += pool->granule >> PAGE_SHIFT) {
				pcarve_hvo_folio(pool, pfn, zone);
				folios++;
				cond_resched();
			}
		}
		if (folios)
			pr_info("node%d: hvo: %lu folios of %llu MiB with a trimmed vmemmap\n",
				nid, folios, pool->granule >> 20);
		total += folios;
		folios = 0;
	}
	/* the tail vmemmap is read-only from now on */
	if (total)
		flush_tlb_all();
}

/**
 * pcarve_is_hvo() - is a byte of a pool in an hvo folio?
 * @pool: the pool
 * @addr: the byte
 *
 * Return: true if @addr is in the part of a boot extent whose vmemmap was
 * trimmed.
 */
bool pcarve_is_hvo(const struct pcarve_pool *pool, phys_addr_t addr)
{
	unsigned int i;

	if (pool->mode != PCARVE_HVO)
		return false;
	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];

		if (addr >= e->hvo_start && addr < e->hvo_end)
			return true;
	}
	return false;
}
