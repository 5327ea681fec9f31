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
 * get what the pools left on a node, and so do swiotlb, for which low
 * memory keeps room (pcarve_low_keep()), and the KHO scratch areas, whose
 * room is held (pcarve_kho_take_rooms()).
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
#include <linux/sched/clock.h>
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

struct pcarve_pool *pcarve_pools[MAX_NUMNODES] __ro_after_init;
u64 pcarve_boot_ns[PCARVE_BOOT_STEPS] __initdata;

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
 * What a node keeps for the kernel: the floor and the memmap of the @mem
 * bytes of it that get one.
 */
static u64 __init pcarve_node_keep(u64 mem)
{
	return PCARVE_NODE_FLOOR + pcarve_memmap_bytes(mem);
}

/*
 * What a node of @mem bytes with @free free keeps beside a pool of at most
 * @size: a nomap pool gets no memmap, so only the rest of the node needs
 * one, and the more the pool takes the less that is.  The keep is taken
 * for the largest pool that fits with it (a few rounds converge: the
 * memmap is 1/64 of what it covers), so that the size a node says it can
 * give, asked for, fits too.
 */
static u64 __init pcarve_keep(enum pcarve_mode mode, u64 mem, u64 free,
			      u64 size)
{
	u64 keep = pcarve_node_keep(mem), take;
	int round;

	if (mode != PCARVE_NOMAP)
		return keep;
	for (round = 0; round < 4; round++) {
		take = min3(size, mem, free > keep ? free - keep : 0);
		keep = pcarve_node_keep(mem - take);
	}
	return keep;
}

/* a nomap range has no memory blocks: hot-remove would not see it in use */
static const char pcarve_no_hotplug[] __initconst =
	", but not hotpluggable memory, which a nomap pool could lose to hot-remove";

/* free memory that must stay below ARCH_LOW_ADDRESS_LIMIT for swiotlb */
static u64 __init pcarve_low_keep(void)
{
	return IS_ENABLED(CONFIG_SWIOTLB) ? swiotlb_size_or_default() : 0;
}

/*
 * With kho=on, kho_memory_init() reserves scratch areas just before the
 * page allocator takes over, sized from the kernel's reservations
 * (MEMBLOCK_RSRV_KERN) at that time: one below ARCH_LOW_ADDRESS_LIMIT, one
 * anywhere, and one on each node.  If it cannot, KHO turns itself off.  A
 * pool must never be the reason, so their room is held, reserved, while the
 * pools are carved, and again from the end of free_area_init() to just
 * before kho_memory_init() (pcarve_hold_kho_room(),
 * pcarve_release_kho_room()), so that what is allocated in between
 * (memmap, hugetlb, swiotlb) does not take it either.  The sizes are estimated the
 * way KHO computes them with its default scale (200%): the reservations
 * made so far plus the memmap to come (none for the memory of a nomap pool:
 * short by the memmap of sections a 2M pool covers only partly) and the
 * swiotlb buffer, which is allocated low before KHO
 * looks.  What is allocated later than the carve and is not in this
 * estimate (per-cpu areas, hashes, hugetlb_cma) is not held.
 */
#define PCARVE_KHO_SCRATCH_SCALE	2
#define PCARVE_KHO_ALIGN		(PAGE_SIZE * MAX_ORDER_NR_PAGES)

/* [0]: low, [1]: global, [2 + nid]: node nid */
static struct {
	phys_addr_t addr;
	phys_addr_t size;
} pcarve_kho_rooms[MAX_NUMNODES + 2] __initdata;
static bool pcarve_holding __initdata;

/* the memmap @nid will get: none for the memory of its nomap pool */
static u64 __init pcarve_memmap_to_come(int nid)
{
	u64 mem = pcarve_node_memory(nid);
	int i;

	for (i = 0; i < pcarve_nr_specs; i++)
		if (pcarve_specs[i].nid == nid &&
		    pcarve_specs[i].mode == PCARVE_NOMAP)
			mem -= min(mem, pcarve_specs[i].size);
	return pcarve_memmap_bytes(mem);
}

static phys_addr_t __init pcarve_kho_size(u64 kern)
{
	return round_up(PCARVE_KHO_SCRATCH_SCALE * kern, PCARVE_KHO_ALIGN);
}

/* the sizes of KHO's scratch areas, estimated before any room is held */
static void __init pcarve_kho_size_rooms(void)
{
	phys_addr_t lim = ARCH_LOW_ADDRESS_LIMIT;
	u64 low, all, kern, memmap;
	int nid;

	low = memblock_reserved_kern_size(lim, NUMA_NO_NODE) +
	      pcarve_low_keep();
	all = memblock_reserved_kern_size(MEMBLOCK_ALLOC_ANYWHERE,
					  NUMA_NO_NODE) + pcarve_low_keep();
	for_each_node_state(nid, N_ONLINE) {
		if (!pcarve_node_memory(nid))
			continue;
		memmap = pcarve_memmap_to_come(nid);
		kern = memblock_reserved_kern_size(MEMBLOCK_ALLOC_ANYWHERE, nid);
		all += memmap;
		pcarve_kho_rooms[2 + nid].size = pcarve_kho_size(kern + memmap);
	}
	pcarve_kho_rooms[0].size = pcarve_kho_size(low);
	/* KHO allocates its small scratch array first, maybe in this room */
	pcarve_kho_rooms[1].size = pcarve_kho_size(all - min(low, all)) +
				   PCARVE_KHO_ALIGN;
}

/* reserve the rooms sized by pcarve_kho_size_rooms(); say which cannot be */
static void __init pcarve_kho_take_rooms(const char *when)
{
	static const char * const what[] = { "low", "global", "per-node" };
	phys_addr_t size, addr;
	int i;

	for (i = 0; i < ARRAY_SIZE(pcarve_kho_rooms); i++) {
		size = pcarve_kho_rooms[i].size;
		if (!size)
			continue;
		if (i == 0)
			addr = memblock_phys_alloc_range(size, PCARVE_KHO_ALIGN,
							 0, ARCH_LOW_ADDRESS_LIMIT);
		else if (i == 1)
			addr = memblock_phys_alloc(size, PCARVE_KHO_ALIGN);
		else
			addr = memblock_alloc_range_nid(size, PCARVE_KHO_ALIGN, 0,
							MEMBLOCK_ALLOC_ACCESSIBLE,
							i - 2, true);
		if (!addr) {
			pr_warn("kho=on: no room for KHO's %s scratch area (%llu MiB) %s\n",
				what[min(i, 2)], (u64)size >> 20, when);
			pcarve_kho_rooms[i].size = 0;
			continue;
		}
		pcarve_kho_rooms[i].addr = addr;
	}
}

/* give the rooms back, keeping their sizes for pcarve_hold_kho_room() */
static void __init pcarve_kho_put_rooms(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pcarve_kho_rooms); i++) {
		if (pcarve_kho_rooms[i].addr)
			memblock_phys_free(pcarve_kho_rooms[i].addr,
					   pcarve_kho_rooms[i].size);
		pcarve_kho_rooms[i].addr = 0;
	}
}

/**
 * pcarve_hold_kho_room() - hold KHO's scratch room again after the carve
 *
 * Called from mm_core_init_early() right after free_area_init(), which
 * counts the memory the kernel sizes its hash tables by and must not see
 * the room as taken: from there to pcarve_release_kho_room(), memmap,
 * hugetlb pages and swiotlb are allocated around it.  Not with KMSAN, which
 * gives every reservation made before kho_memory_init() a shadow.
 *
 * Context: early boot, memblock only.
 */
void __init pcarve_hold_kho_room(void)
{
	if (!pcarve_holding || IS_ENABLED(CONFIG_KMSAN))
		return;
	pcarve_kho_take_rooms("after the pools");
}

/**
 * pcarve_release_kho_room() - give back the room held for KHO's scratch
 *
 * Called from mm_core_init() right before kho_memory_init() sizes and
 * reserves KHO's scratch areas.
 *
 * Context: early boot, memblock only.
 */
void __init pcarve_release_kho_room(void)
{
	pcarve_kho_put_rooms();
	pcarve_holding = false;
}

/*
 * With KHO, the room held depends on the size asked for: the smaller a
 * nomap pool, the more memmap KHO will count, in the per-node and, at
 * worst, in the global area.  Say what the node can give with the room a
 * pool of that size would need held: the growth of both areas, by a
 * sixteenth more for the room that growth itself takes, their rounding and
 * a granule for alignment.
 */
static u64 __init pcarve_kho_can(u64 mem, const struct pcarve_spec *spec,
				 u64 can)
{
	const unsigned int areas = 2;	/* per-node and global */
	u64 more;

	if (!kho_is_enabled() || is_kho_boot() || spec->mode != PCARVE_NOMAP ||
	    can >= spec->size || can >= mem)
		return can;
	more = areas * PCARVE_KHO_SCRATCH_SCALE *
	       (pcarve_memmap_bytes(mem - can) -
		pcarve_memmap_bytes(mem - min(spec->size, mem)));
	more += more / 16 + areas * PCARVE_KHO_ALIGN + spec->granule;
	return can > more ? round_down(can - more, spec->granule) : 0;
}

/*
 * Return false when the pool cannot keep its mode on this system; say why
 * and what to ask for instead.
 */
static bool __init pcarve_mode_ok(int nid, enum pcarve_mode *mode)
{
	if (*mode == PCARVE_HVO && !IS_ENABLED(CONFIG_PCARVE_HVO)) {
		/* arm64 in 7.3: the struct pages cannot be trimmed */
		pr_info("node%d: hvo: this kernel has no HVO before memmap init (CONFIG_PCARVE_HVO); the pool runs as map\n",
			nid);
		*mode = PCARVE_MAP;
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

/*
 * Once a pool is placed, no reservation other than pcarve's own may lie in
 * it: pcarve reserves map extents with the pool's node and no flags, and
 * nomap extents are not memory at all.  Each extent is taken in one
 * memblock call, so this is a check that nothing got in.
 */
static bool __init pcarve_placed_alone(const struct pcarve_place *p)
{
	struct memblock_region *r;
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		const struct pcarve_boot_extent *e = &p->ext[i];
		phys_addr_t end = e->start + e->size;

		for_each_reserved_mem_region(r) {
			if (r->base >= end || r->base + r->size <= e->start)
				continue;
			if (p->mode == PCARVE_NOMAP ||
			    r->flags != MEMBLOCK_NONE ||
			    memblock_get_region_node(r) != p->nid)
				return false;
		}
		if (p->mode != PCARVE_NOMAP &&
		    !memblock_is_region_reserved(e->start, e->size))
			return false;
	}
	return true;
}

struct pcarve_pool * __init
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
	bool bad = false;

	if (nid < MAX_NUMNODES && pcarve_pools[nid]) {
		const struct pcarve_pool *old = pcarve_pools[nid];

		if (old->size != spec->size || old->mode != mode ||
		    old->granule != spec->granule)
			pr_warn("node%d: pmem= asks for %llu MiB %s, granule %s, but the handover recorded %llu MiB %s, granule %s: the handover wins, so that no data is lost\n",
				nid, spec->size >> 20, pcarve_mode_name(mode),
				pcarve_granule_name(spec->granule),
				old->size >> 20, pcarve_mode_name(old->mode),
				pcarve_granule_name(old->granule));
		return;
	}
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
		pr_info("node%d: the node has only hotpluggable or mirrored memory; the pool uses it%s\n",
			nid, mode == PCARVE_NOMAP ? pcarve_no_hotplug : "");

	/* the pool comes from whole granules, the kernel keeps the rest */
	pcarve_capacity(p, &free, &aligned);
	keep = pcarve_keep(mode, mem, free, spec->size);
	can = free > keep ? round_down(min(free - keep, aligned),
				       spec->granule) : 0;
	if (can < spec->size)
		can = pcarve_kho_can(mem, spec, can);
	if (can < spec->size) {
		pr_warn("node%d: asked for %llu MiB but it can give only %llu MiB (%llu MiB free, %llu MiB of it in whole %s granules it may use, %llu MiB kept for the kernel); no pool\n",
			nid, spec->size >> 20, can >> 20, free >> 20,
			aligned >> 20, pcarve_granule_name(spec->granule),
			keep >> 20);
		return;
	}

	ret = pcarve_place_pool(p, spec->size);
	if (!ret && WARN_ON_ONCE(!pcarve_placed_alone(p))) {
		/* a map pool cannot be freed without freeing the other one */
		if (mode == PCARVE_NOMAP)
			ret = -EEXIST;
		else
			bad = true;
	}
	if (ret) {
		pcarve_give_back(p);
		if (ret == -E2BIG)
			pr_warn("node%d: free memory too fragmented: %llu MiB in %s granules needs more than %d extents; no pool\n",
				nid, spec->size >> 20,
				pcarve_granule_name(spec->granule),
				PCARVE_MAX_EXTENTS);
		else if (ret == -EEXIST)
			pr_err("node%d: another boot reservation lies in the pool's memory; no pool\n",
			       nid);
		else
			pr_warn("node%d: could not take %llu MiB in %s granules (%pe); no pool\n",
				nid, spec->size >> 20,
				pcarve_granule_name(spec->granule), ERR_PTR(ret));
		return;
	}

	pool = pcarve_pool_create(p, spec->size);
	if (!pool && bad) {
		/* freeing it would free the other reservation too */
		pr_err("node%d: no pool, and its memory stays reserved\n", nid);
		return;
	}
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
	if (bad)
		pcarve_quarantine(pool, "another boot reservation lies in its memory");
}

/*
 * A nomap pool at the top of memory is no longer memory for this kernel:
 * max_pfn must end where memblock now ends, as it would if the firmware had
 * not reported that memory (memmap=! on x86), like high_memory, which
 * free_area_init() computes from memblock.
 */
void __init pcarve_trim_max_pfn(phys_addr_t old_end)
{
	unsigned long end = PFN_DOWN(memblock_end_of_DRAM());

	if (memblock_end_of_DRAM() == old_end || end >= max_pfn)
		return;
	pr_info("a nomap pool ends memory: max_pfn lowered from %#lx to %#lx\n",
		max_pfn, end);
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
	u64 t0 = local_clock();
	phys_addr_t end;
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
	 * On a kexec handover boot, pcarve_handover_reserve() has carved the
	 * recorded pools; the others come from memory KHO marked as holding
	 * nothing preserved (place.c), and KHO keeps the scratch areas it
	 * was handed, so no room is held for them.
	 */
	end = memblock_end_of_DRAM();
	if (kho_is_enabled() && !is_kho_boot()) {
		pcarve_kho_size_rooms();
		pcarve_kho_take_rooms("even before the pools");
		pcarve_holding = true;
	}
	for (i = 0; i < pcarve_nr_specs; i++)
		pcarve_reserve_one(&pcarve_specs[i]);
	/* held again by pcarve_hold_kho_room() after free_area_init() */
	pcarve_kho_put_rooms();
	pcarve_trim_max_pfn(end);
	pcarve_boot_ns[PCARVE_BOOT_CARVE] += local_clock() - t0;
}

/**
 * pcarve_quarantine() - stop a pool from ever being used, and say why
 * @pool: the pool
 * @reason: a static string, shown in sysfs
 *
 * Its memory stays where it is: out of the page allocator, where a nomap
 * pool could not go back anyway (the memory sections it covers whole have
 * no memmap).
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
