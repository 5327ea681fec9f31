// SPDX-License-Identifier: GPL-2.0
/*
 * Carving the pools out of memblock at boot.
 *
 * pmem= is parsed as soon as it is seen, but nodes are only known once
 * setup_arch() is done, so the pools are placed from mm_core_init_early(),
 * after NUMA init and before free_area_init() sizes nodes and zones and
 * sparse_init() allocates the memmap.  A nomap pool leaves memblock.memory
 * there, so it never gets struct pages; a map pool stays in memblock.memory
 * and is reserved, so it never reaches the page allocator.  Where extents
 * go and how they are taken is place.c.
 *
 * Pools are carved before everything else mm_core_init_early() and
 * mm_core_init() allocate from memblock: hugetlb boot pages and hugetlb_cma
 * get what the pools left on a node, and so do the KHO scratch areas and
 * swiotlb, for which a node keeps room (pcarve_node_keep(),
 * pcarve_low_keep()).
 *
 * See Documentation/admin-guide/mm/pcarve.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crash_dump.h>
#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/memblock.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/swiotlb.h>

#include "internal.h"

/*
 * What a node keeps for the kernel after its pool is carved: the memmap of
 * all its memory (whatever the mode) and a fixed floor for page tables,
 * per-cpu areas and the first allocations of the page allocator.
 */
#define PCARVE_NODE_FLOOR	SZ_128M

/* KHO's default scratch_scale: scratch is twice the kernel's reservations */
#define PCARVE_KHO_SCRATCH_SCALE	2

struct pcarve_pool *pcarve_pools[MAX_NUMNODES] __ro_after_init;

static struct pcarve_spec pcarve_specs[PCARVE_MAX_SPECS] __initdata;
static int pcarve_nr_specs __initdata;
static bool pcarve_param_seen __initdata;
static struct pcarve_place pcarve_placement __initdata;

static int __init pcarve_early_param(char *arg)
{
	struct pcarve_parse_error err;
	int nr;

	if (pcarve_param_seen) {
		pr_err("pmem= given more than once; no pools reserved\n");
		pcarve_nr_specs = 0;
		return 0;
	}
	pcarve_param_seen = true;

	nr = pcarve_parse(arg, pcarve_specs, ARRAY_SIZE(pcarve_specs), &err);
	if (nr < 0) {
		pr_err("pmem=%s: %s at '%.*s' (offset %td); no pools reserved\n",
		       arg ?: "", pcarve_parse_reason(err.reason),
		       (int)err.tok_len, err.tok ?: "",
		       err.tok && arg ? err.tok - arg : 0);
		return 0;
	}
	pcarve_nr_specs = nr;
	return 0;
}
early_param("pmem", pcarve_early_param);

static const char *pcarve_granule_name(u64 granule)
{
	return granule == SZ_1G ? "1G" : "2M";
}

static u64 __init pcarve_node_memory(int nid)
{
	unsigned long start, end;
	u64 total = 0;
	int i;

	for_each_mem_pfn_range(i, nid, &start, &end, NULL)
		total += PFN_PHYS(end - start);
	return total;
}

/* bytes of struct pages for @bytes of memory */
static u64 __init pcarve_memmap_bytes(u64 bytes)
{
	return (bytes >> PAGE_SHIFT) * sizeof(struct page);
}

/*
 * What @nid keeps for the kernel: the floor and the memmap of all of its
 * memory, and with KHO its per-node scratch, which kho_memory_init() sizes
 * later from the kernel's reservations on the node (those made so far and
 * the memmap to come).
 */
static u64 __init pcarve_node_keep(int nid, u64 mem)
{
	u64 keep = PCARVE_NODE_FLOOR + pcarve_memmap_bytes(mem);

	if (kho_is_enabled())
		keep += PCARVE_KHO_SCRATCH_SCALE *
			(memblock_reserved_kern_size(MEMBLOCK_ALLOC_ANYWHERE,
						     nid) +
			 pcarve_memmap_bytes(mem));
	return keep;
}

/*
 * Free memory that must stay below ARCH_LOW_ADDRESS_LIMIT for what is
 * allocated there after the pools: the swiotlb buffer and, with KHO, its
 * low scratch area.
 */
static u64 __init pcarve_low_keep(void)
{
	u64 keep = IS_ENABLED(CONFIG_SWIOTLB) ? swiotlb_size_or_default() : 0;

	if (kho_is_enabled())
		keep += PCARVE_KHO_SCRATCH_SCALE *
			memblock_reserved_kern_size(ARCH_LOW_ADDRESS_LIMIT,
						    NUMA_NO_NODE);
	return keep;
}

/*
 * Return false when the pool cannot keep its mode on this system; say why
 * and what to ask for instead.
 */
static bool __init pcarve_mode_ok(int nid, enum pcarve_mode *mode)
{
	if (*mode == PCARVE_HVO &&
	    !IS_ENABLED(CONFIG_ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP)) {
		/* arm64 in 7.3: the struct pages cannot be trimmed */
		pr_info("node%d: hvo: this architecture has no HVO; the pool runs as map\n",
			nid);
		*mode = PCARVE_MAP;
	}
	if (*mode == PCARVE_HVO) {
		pr_warn("node%d: hvo mode is not supported yet; no pool\n", nid);
		return false;
	}
	/*
	 * A nomap pool is not memory for the kernel: left in the direct map,
	 * ioremap() or KVM could map it again with other attributes.
	 */
	if (*mode == PCARVE_NOMAP && !can_set_direct_map()) {
		pr_warn("node%d: nomap refused: this kernel cannot remove memory from its direct map (can_set_direct_map() is false); ask for :map instead; no pool\n",
			nid);
		return false;
	}
	return true;
}

static struct pcarve_pool * __init
pcarve_pool_create(const struct pcarve_place *p, u64 size)
{
	struct pcarve_pool *pool;
	unsigned int i;

	pool = memblock_alloc_node(struct_size(pool, extents_storage, p->nr),
				   SMP_CACHE_BYTES, p->nid);
	if (!pool)
		return NULL;
	pool->nid = p->nid;
	pool->mode = p->mode;
	pool->granule = p->granule;
	pool->size = size;
	pool->nr_extents = p->nr;
	pool->extents = pool->extents_storage;
	for (i = 0; i < p->nr; i++) {
		pool->extents[i].start = p->ext[i].start;
		pool->extents[i].size = p->ext[i].size;
	}
	pool->state = PCARVE_POOL_ACTIVE;
	spin_lock_init(&pool->lock);
	return pool;
}

static void __init pcarve_reserve_one(const struct pcarve_spec *spec)
{
	struct pcarve_place *p = &pcarve_placement;
	enum pcarve_mode mode = spec->mode;
	u64 mem, keep, free, aligned, can;
	struct pcarve_pool *pool;
	int nid = spec->nid, ret;

	mem = nid < MAX_NUMNODES && node_online(nid) ?
	      pcarve_node_memory(nid) : 0;
	if (!mem) {
		pr_warn("node%d: not online or has no memory; no pool (it could give 0 MiB)\n",
			nid);
		return;
	}
	if (!pcarve_mode_ok(nid, &mode))
		return;

	if (pcarve_place_init(p, nid, mode, spec->granule, pcarve_low_keep()))
		pr_info("node%d: the node has only hotpluggable or mirrored memory; the pool uses it\n",
			nid);

	/* the pool comes from whole granules, the kernel keeps the rest */
	keep = pcarve_node_keep(nid, mem);
	pcarve_capacity(p, &free, &aligned);
	can = free > keep ? round_down(min(free - keep, aligned),
				       spec->granule) : 0;
	if (can < spec->size) {
		pr_warn("node%d: asked for %llu MiB but it can give only %llu MiB (%llu MiB free, %llu MiB of it in whole %s granules it may use, %llu MiB kept for the kernel); no pool\n",
			nid, spec->size >> 20, can >> 20, free >> 20,
			aligned >> 20, pcarve_granule_name(spec->granule),
			keep >> 20);
		return;
	}

	ret = pcarve_place(p, spec->size);
	if (ret) {
		pcarve_give_back(p);
		if (ret == -E2BIG)
			pr_warn("node%d: free memory too fragmented: %llu MiB in %s granules needs more than %d extents; no pool\n",
				nid, spec->size >> 20,
				pcarve_granule_name(spec->granule),
				PCARVE_MAX_EXTENTS);
		else
			pr_warn("node%d: could not take %llu MiB in %s granules (%pe); no pool\n",
				nid, spec->size >> 20,
				pcarve_granule_name(spec->granule), ERR_PTR(ret));
		return;
	}

	pool = pcarve_pool_create(p, spec->size);
	if (!pool) {
		pcarve_give_back(p);
		pr_warn("node%d: no memory for the pool descriptor; no pool\n",
			nid);
		return;
	}
	pcarve_pools[nid] = pool;

	pr_info("node%d: %llu MiB %s pool, granule %s, %u extent%s\n",
		nid, pool->size >> 20, pcarve_mode_name(pool->mode),
		pcarve_granule_name(pool->granule), pool->nr_extents,
		pool->nr_extents == 1 ? "" : "s");
}

/*
 * After the carve, a reservation in a pool that is not pcarve's own means
 * two owners for the same memory: pcarve reserves map extents with the
 * pool's node and no flags, and nomap extents are not memory at all.
 */
static bool __init pcarve_extent_is_ours(const struct pcarve_pool *pool,
					 const struct pcarve_extent *e)
{
	phys_addr_t end = e->start + e->size;
	struct memblock_region *r;

	for_each_reserved_mem_region(r) {
		if (r->base >= end || r->base + r->size <= e->start)
			continue;
		if (pool->mode == PCARVE_NOMAP || r->flags != MEMBLOCK_NONE ||
		    memblock_get_region_node(r) != pool->nid)
			return false;
	}
	return pool->mode == PCARVE_NOMAP ||
	       memblock_is_region_reserved(e->start, e->size);
}

static void __init pcarve_check_pools(void)
{
	unsigned int i;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];

		if (!pool)
			continue;
		for (i = 0; i < pool->nr_extents; i++) {
			const struct pcarve_extent *e = &pool->extents[i];
			phys_addr_t last = e->start + e->size - 1;

			if (pcarve_extent_is_ours(pool, e))
				continue;
			pr_err("node%d: [mem %pa-%pa] of the pool is also reserved by someone else\n",
			       nid, &e->start, &last);
			pcarve_quarantine(pool, "another boot reservation overlaps it");
			break;
		}
	}
}

/*
 * A nomap pool at the top of memory is no longer memory for this kernel:
 * max_pfn must end where memblock now ends, as it would if the firmware had
 * not reported that memory (memmap=! on x86), like high_memory, which
 * free_area_init() computes from memblock.
 */
static void __init pcarve_trim_max_pfn(void)
{
	unsigned long end = PFN_DOWN(memblock_end_of_DRAM());

	if (end >= max_pfn)
		return;
	pr_info("memory now ends at pfn %#lx, not %#lx: max_pfn follows\n",
		end, max_pfn);
	max_pfn = end;
	max_low_pfn = min(max_low_pfn, end);
}

/**
 * pcarve_reserve() - carve the pools that pmem= asked for
 *
 * Called once from mm_core_init_early(), after NUMA init and before
 * free_area_init().  A node that cannot give its whole pool gets none and
 * says how much it could have given; the other nodes are not affected.
 *
 * Context: early boot, memblock only.
 */
void __init pcarve_reserve(void)
{
	int i;

	if (!pcarve_nr_specs)
		return;

	/*
	 * A kdump kernel inherits the crashed kernel's command line, runs in
	 * the crash kernel's small reservation, and must not touch the memory
	 * it is there to dump.
	 */
	if (is_kdump_kernel()) {
		pr_info("kdump kernel: pmem= ignored, no pools carved\n");
		return;
	}

	/*
	 * On a kexec handover boot the previous kernel's preserved memory is
	 * only reserved later, in kho_memory_init(): a fresh carve-out here
	 * could land on it.  Keep out of it rather than guess.
	 */
	if (is_kho_boot()) {
		pr_warn("kexec handover boot: no new pools carved, so that memory the previous kernel preserved is not taken\n");
		return;
	}

	for (i = 0; i < pcarve_nr_specs; i++)
		pcarve_reserve_one(&pcarve_specs[i]);
	pcarve_check_pools();
	pcarve_trim_max_pfn();
}

/**
 * pcarve_quarantine() - stop a pool from ever being used, and say why
 * @pool: the pool
 * @reason: a static string, shown in sysfs
 *
 * Its memory stays where it is: out of the page allocator, and for nomap
 * out of memblock, since it has no memmap to be given back with.
 */
void pcarve_quarantine(struct pcarve_pool *pool, const char *reason)
{
	spin_lock(&pool->lock);
	if (pool->state != PCARVE_POOL_QUARANTINED) {
		pool->state = PCARVE_POOL_QUARANTINED;
		pool->reason = reason;
	}
	spin_unlock(&pool->lock);
	pr_err("node%d: pool quarantined: %s; its memory stays reserved and is never handed out\n",
	       pool->nid, reason);
}

/**
 * pcarve_pool_contains() - is @addr in an extent of a pool?
 * @addr: a physical address
 *
 * Return: true if some pool holds it.
 */
bool pcarve_pool_contains(phys_addr_t addr)
{
	unsigned int i;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];

		for (i = 0; pool && i < pool->nr_extents; i++) {
			const struct pcarve_extent *e = &pool->extents[i];

			if (addr >= e->start && addr - e->start < e->size)
				return true;
		}
	}
	return false;
}

/**
 * pcarve_pool_used() - bytes of a pool handed out to owners
 * @pool: the pool
 *
 * Return: a snapshot of the count.
 */
u64 pcarve_pool_used(struct pcarve_pool *pool)
{
	u64 used;

	spin_lock(&pool->lock);
	used = pool->used;
	spin_unlock(&pool->lock);
	return used;
}
