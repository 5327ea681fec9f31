// SPDX-License-Identifier: GPL-2.0
/*
 * Carving the pools out of memblock at boot.
 *
 * pmem= is parsed as soon as it is seen, but nodes are only known once
 * setup_arch() is done, so the pools are placed from mm_core_init_early(),
 * after NUMA init and before free_area_init() sizes nodes and zones and
 * sparse_init() allocates the memmap.  A nomap pool leaves memblock.memory
 * there, so it never gets struct pages; a map pool stays in memblock.memory
 * and is reserved, so it never reaches the page allocator.
 *
 * See Documentation/admin-guide/mm/pcarve.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/memblock.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "internal.h"

/*
 * What a node keeps for the kernel after its pool is carved: the memmap of
 * all its memory (whatever the mode) and a fixed floor for page tables,
 * per-cpu areas and the first allocations of the page allocator.
 */
#define PCARVE_NODE_FLOOR	SZ_128M
#define PCARVE_NODE_MEMMAP_SHIFT	6	/* 64-byte struct page per 4 KiB */

/*
 * Extents of one pool while it is planned; copied to memblock memory.
 * 64 ranges of at most 38 characters keep the extents file in one page.
 */
#define PCARVE_MAX_BOOT_EXTENTS	64

struct pcarve_pool *pcarve_pools[MAX_NUMNODES] __ro_after_init;

static struct pcarve_spec pcarve_specs[PCARVE_MAX_SPECS] __initdata;
static int pcarve_nr_specs __initdata;
static bool pcarve_param_seen __initdata;
static struct pcarve_extent pcarve_plan[PCARVE_MAX_BOOT_EXTENTS] __initdata;

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

/*
 * @nid's free memory: all of it in *@total, and the part that lies in whole,
 * aligned granules in *@aligned.
 */
static void __init pcarve_node_free(int nid, u64 granule, u64 *total,
				    u64 *aligned)
{
	phys_addr_t start, end;
	u64 i;

	*total = *aligned = 0;
	for_each_free_mem_range(i, nid, MEMBLOCK_NONE, &start, &end, NULL) {
		*total += end - start;
		start = round_up(start, granule);
		end = round_down(end, granule);
		if (end > start)
			*aligned += end - start;
	}
}

/*
 * Plan @spec's extents in pcarve_plan[], from the top of the node down so
 * that low (DMA32) memory is taken last.  Touching ranges coalesce.
 */
static int __init pcarve_plan_extents(const struct pcarve_spec *spec,
				      unsigned int *nr)
{
	phys_addr_t start, end;
	u64 i, left = spec->size;
	unsigned int n = 0;

	for_each_free_mem_range_reverse(i, spec->nid, MEMBLOCK_NONE,
					&start, &end, NULL) {
		u64 take;

		start = round_up(start, spec->granule);
		end = round_down(end, spec->granule);
		if (end <= start)
			continue;
		take = min(end - start, left);
		if (n && pcarve_plan[n - 1].start == end) {
			pcarve_plan[n - 1].start -= take;
			pcarve_plan[n - 1].size += take;
		} else {
			if (n == PCARVE_MAX_BOOT_EXTENTS)
				return -E2BIG;
			pcarve_plan[n].start = end - take;
			pcarve_plan[n].size = take;
			n++;
		}
		left -= take;
		if (!left)
			break;
	}
	*nr = n;
	return left ? -ENOMEM : 0;
}

/* undo pcarve_take_extents() for the first @nr planned extents */
static void __init pcarve_give_back(const struct pcarve_spec *spec,
				    unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const struct pcarve_extent *e = &pcarve_plan[i];

		if (spec->mode == PCARVE_NOMAP)
			memblock_add_node(e->start, e->size, spec->nid,
					  MEMBLOCK_NONE);
		else
			memblock_phys_free(e->start, e->size);
	}
}

/* take the planned extents out of memblock; all or nothing */
static int __init pcarve_take_extents(const struct pcarve_spec *spec,
				      unsigned int nr)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < nr; i++) {
		const struct pcarve_extent *e = &pcarve_plan[i];

		if (spec->mode == PCARVE_NOMAP)
			ret = memblock_remove(e->start, e->size);
		else
			ret = __memblock_reserve(e->start, e->size, spec->nid,
						 MEMBLOCK_NONE);
		if (ret) {
			pcarve_give_back(spec, i);
			return ret;
		}
	}
	return 0;
}

static void __init pcarve_reserve_one(const struct pcarve_spec *spec)
{
	u64 mem, keep, free, aligned, can;
	struct pcarve_pool *pool;
	unsigned int nr;
	enum pcarve_mode mode = spec->mode;
	int nid = spec->nid, ret;

	mem = nid < MAX_NUMNODES && node_online(nid) ?
	      pcarve_node_memory(nid) : 0;
	if (!mem) {
		pr_warn("node%d: not online or has no memory; no pool (it could give 0 MiB)\n",
			nid);
		return;
	}
	if (mode == PCARVE_HVO &&
	    !IS_ENABLED(CONFIG_ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP)) {
		/* arm64 in 7.3: the struct pages cannot be trimmed */
		pr_info("node%d: hvo: this architecture has no HVO; the pool runs as map\n",
			nid);
		mode = PCARVE_MAP;
	}
	if (mode == PCARVE_HVO) {
		pr_warn("node%d: hvo mode is not supported yet; no pool\n", nid);
		return;
	}

	/* the pool comes from whole granules, the kernel keeps the rest */
	keep = PCARVE_NODE_FLOOR + (mem >> PCARVE_NODE_MEMMAP_SHIFT);
	pcarve_node_free(nid, spec->granule, &free, &aligned);
	can = free > keep ? round_down(min(free - keep, aligned),
					spec->granule) : 0;
	if (can < spec->size) {
		pr_warn("node%d: asked for %llu MiB but it can give only %llu MiB (%llu MiB free, %llu MiB of it in whole %s granules, %llu MiB kept for the kernel); no pool\n",
			nid, spec->size >> 20, can >> 20, free >> 20,
			aligned >> 20, pcarve_granule_name(spec->granule),
			keep >> 20);
		return;
	}

	ret = pcarve_plan_extents(spec, &nr);
	if (ret) {
		pr_warn("node%d: free memory too fragmented for %llu MiB in %s granules (%pe); no pool\n",
			nid, spec->size >> 20,
			pcarve_granule_name(spec->granule), ERR_PTR(ret));
		return;
	}
	ret = pcarve_take_extents(spec, nr);
	if (ret) {
		pr_warn("node%d: memblock refused the pool (%pe); no pool\n",
			nid, ERR_PTR(ret));
		return;
	}

	pool = memblock_alloc_node(struct_size(pool, extents_storage, nr),
				   SMP_CACHE_BYTES, nid);
	if (!pool) {
		pcarve_give_back(spec, nr);
		pr_warn("node%d: no memory for the pool descriptor; no pool\n",
			nid);
		return;
	}
	pool->nid = nid;
	pool->mode = mode;
	pool->granule = spec->granule;
	pool->size = spec->size;
	pool->nr_extents = nr;
	pool->extents = pool->extents_storage;
	memcpy(pool->extents, pcarve_plan, nr * sizeof(*pool->extents));
	spin_lock_init(&pool->lock);
	pcarve_pools[nid] = pool;

	pr_info("node%d: %llu MiB %s pool, granule %s, %u extent%s\n",
		nid, pool->size >> 20, pcarve_mode_name(pool->mode),
		pcarve_granule_name(pool->granule), nr, nr == 1 ? "" : "s");
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
