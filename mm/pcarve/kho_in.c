// SPDX-License-Identifier: GPL-2.0
/*
 * Taking back what the previous kernel handed over (see kho.c).
 *
 * pcarve_handover_reserve() runs first in mm_core_init_early(), before
 * kho_memory_init_early() marks as scratch every 1 GiB that holds no
 * KHO-preserved page (pools are not preserved pages) and anything can
 * allocate there.  It reads the "pcarve" record and carves each recorded
 * pool again, range for range, in its mode: a nomap pool leaves
 * memblock.memory again and gets no memmap, an hvo pool gets its trimmed
 * vmemmap.  The work is per range, not per byte.  Chunks are claimed
 * again when the allocator starts (pcarve_handover_claim()), and pcarvefs
 * reads its part with pcarve_handover_fs_data().
 *
 * If "pcarve" is missing, short, damaged or of an unknown version, the
 * pools named in "pcarve-ranges" are carved quarantined, so that no
 * recorded byte reaches the page allocator, and say why; an operator may
 * release them through sysfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crash_dump.h>
#include <linux/crc32.h>
#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/pcarve.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/overflow.h>
#include <linux/sched/clock.h>

#include "internal.h"

static const struct pcarve_kho_header *pcarve_in __ro_after_init;
static struct pcarve_place pcarve_in_place __initdata;

/*
 * Where the two records are: no pool may lie over them; those that proved
 * sound (@valid) are freed once read.
 */
static struct {
	phys_addr_t phys;
	size_t size;
	bool valid;
} pcarve_in_blobs[2] __initdata;

/* is [off, off + n * size) inside a blob of @total bytes, 8-aligned? */
static bool __init pcarve_in_table_ok(u64 off, u64 n, size_t size,
				      u64 total)
{
	u64 bytes, end;

	if (!IS_ALIGNED(off, 8) || check_mul_overflow(n, (u64)size, &bytes) ||
	    check_add_overflow(off, bytes, &end))
		return false;
	return off >= sizeof(struct pcarve_kho_header) && end <= total;
}

/*
 * Check a blob; return NULL if it is sound, or why it is not.  Only the
 * frame is checked here: the pools, as they are carved.
 */
static const char * __init pcarve_in_check(const struct pcarve_kho_header *h,
					   size_t size, const char *compat)
{
	const size_t at = offsetof(struct pcarve_kho_header, crc);
	const u32 zero = 0;
	u32 crc;

	if (size < sizeof(*h))
		return "truncated (shorter than its header)";
	if (strncmp(h->compatible, compat, sizeof(h->compatible)))
		return "of a version this kernel does not know";
	if (h->size != size)
		return "truncated (its size does not match KHO's)";
	/* the checksum is over the blob with its own field read as zero */
	crc = crc32_le(~0, (const u8 *)h, at);
	crc = crc32_le(crc, (const u8 *)&zero, sizeof(zero));
	crc = crc32_le(crc, (const u8 *)h + at + sizeof(zero),
		       size - at - sizeof(zero));
	if (crc != h->crc)
		return "corrupted (checksum mismatch)";
	if (!pcarve_in_table_ok(h->pools_off, h->nr_pools,
				sizeof(struct pcarve_kho_pool), size) ||
	    !pcarve_in_table_ok(h->ranges_off, h->nr_ranges,
				sizeof(struct pcarve_kho_range), size) ||
	    !pcarve_in_table_ok(h->chunks_off, h->nr_chunks,
				sizeof(struct pcarve_kho_chunk), size) ||
	    (h->fs_size && !pcarve_in_table_ok(h->fs_off, h->fs_size, 1, size)))
		return "corrupted (a table lies outside it)";
	return NULL;
}

static const void *pcarve_in_table(const struct pcarve_kho_header *h,
				   u64 off)
{
	return (const void *)h + off;
}

static bool __init pcarve_in_over_blob(phys_addr_t start, u64 size)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pcarve_in_blobs); i++) {
		phys_addr_t b = pcarve_in_blobs[i].phys;

		if (pcarve_in_blobs[i].size && start < b + pcarve_in_blobs[i].size &&
		    b < start + size)
			return true;
	}
	return false;
}

/* why a recorded pool cannot be carved as it was, or NULL */
static const char * __init pcarve_in_pool_bad(const struct pcarve_kho_header *h,
					      const struct pcarve_kho_pool *p)
{
	const struct pcarve_kho_range *r = pcarve_in_table(h, h->ranges_off);
	u64 sum = 0;
	u32 i;

	if (p->nid >= MAX_NUMNODES || !node_online(p->nid))
		return "its node is not online in this kernel";
	if (p->mode > PCARVE_MAP || (p->granule != SZ_2M && p->granule != SZ_1G))
		return "its mode or granule is not valid";
	if (!p->nr_ranges || p->nr_ranges > PCARVE_MAX_EXTENTS ||
	    p->first_range > h->nr_ranges ||
	    p->nr_ranges > h->nr_ranges - p->first_range)
		return "its ranges are not in the record";
	for (i = 0; i < p->nr_ranges; i++) {
		const struct pcarve_kho_range *e = &r[p->first_range + i];

		if (!e->size || !IS_ALIGNED(e->start | e->size, p->granule) ||
		    e->start + e->size < e->start)
			return "a range is not aligned to its granule";
		if (pcarve_in_over_blob(e->start, e->size))
			return "a range lies over the handover record itself";
		sum += e->size;
	}
	if (sum != p->size)
		return "its ranges do not add up to its size";
	return NULL;
}

/*
 * Carve one recorded pool; quarantined with @why if not NULL.  A range
 * that cannot be carved as recorded is kept reserved for good.
 */
static void __init pcarve_in_pool(const struct pcarve_kho_header *h,
				  const struct pcarve_kho_pool *rp,
				  const char *why)
{
	const struct pcarve_kho_range *r = pcarve_in_table(h, h->ranges_off);
	struct pcarve_place *p = &pcarve_in_place;
	enum pcarve_mode mode = rp->mode;
	const char *bad = pcarve_in_pool_bad(h, rp);
	struct pcarve_pool *pool;
	u32 i, nr;
	int ret = 0;

	if (bad) {
		pr_err("handover: a recorded pool of node %u cannot be carved again: %s\n",
		       rp->nid, bad);
		/* what can be read of its ranges stays out of the page allocator */
		nr = rp->first_range < h->nr_ranges ?
		     min(rp->nr_ranges, h->nr_ranges - rp->first_range) : 0;
		for (i = 0; i < nr; i++) {
			const struct pcarve_kho_range *e = &r[rp->first_range + i];

			if (e->size && e->start + e->size > e->start)
				memblock_reserve(e->start, e->size);
		}
		return;
	}
	if (mode == PCARVE_HVO && !IS_ENABLED(CONFIG_PCARVE_HVO)) {
		pr_info("node%d: handover: the pool was hvo, but this kernel has no HVO before memmap init (CONFIG_PCARVE_HVO); it runs as map\n",
			rp->nid);
		mode = PCARVE_MAP;
	}
	pcarve_place_init(p, rp->nid, mode, rp->granule, 0);
	if (pcarve_pools[rp->nid])
		ret = -EEXIST;	/* two records for one node */
	for (i = 0; i < rp->nr_ranges && !ret; i++) {
		const struct pcarve_kho_range *e = &r[rp->first_range + i];

		ret = pcarve_place_exact(p, e->start, e->size);
	}
	if (ret) {
		pr_err("handover: node%u: a recorded range cannot be carved again (%pe); the pool's memory is kept reserved for good\n",
		       rp->nid, ERR_PTR(ret));
		/* never to the page allocator: reserved where it is */
		pcarve_give_back(p);
		for (i = 0; i < rp->nr_ranges; i++)
			memblock_reserve(r[rp->first_range + i].start,
					 r[rp->first_range + i].size);
		return;
	}
	pool = pcarve_pool_create(p, rp->size);
	if (!pool) {
		pr_err("handover: node%u: no memory for the pool descriptor; its memory is kept reserved for good\n",
		       rp->nid);
		pcarve_give_back(p);
		for (i = 0; i < rp->nr_ranges; i++)
			memblock_reserve(r[rp->first_range + i].start,
					 r[rp->first_range + i].size);
		return;
	}
	pool->restored = true;
	pcarve_pools[rp->nid] = pool;
	pr_info("node%u: %llu MiB %s pool, granule %s, %u extent%s, from the handover\n",
		rp->nid, pool->size >> 20, pcarve_mode_name(pool->mode),
		rp->granule == SZ_1G ? "1G" : "2M", pool->nr_extents,
		pool->nr_extents == 1 ? "" : "s");
	if (!why && (rp->flags & PCARVE_KHO_POOL_QUARANTINED))
		why = "it was quarantined in the previous kernel";
	if (why)
		pcarve_quarantine(pool, why);
}

static const struct pcarve_kho_header * __init pcarve_in_get(const char *name,
							     const char *compat,
							     const char **why,
							     int slot)
{
	const struct pcarve_kho_header *h;
	phys_addr_t phys;
	size_t size;

	if (kho_retrieve_subtree(name, &phys, &size)) {
		*why = "missing";
		return NULL;
	}
	/* what kho_alloc_preserve() gives: whole pages of memory, 4 MiB at most */
	if (!PAGE_ALIGNED(phys) || !size ||
	    size > (PAGE_SIZE << MAX_PAGE_ORDER) ||
	    !memblock_is_region_memory(phys, size)) {
		*why = "corrupted (KHO names a place that cannot hold it)";
		return NULL;
	}
	pcarve_in_blobs[slot].phys = phys;
	pcarve_in_blobs[slot].size = size;
	h = phys_to_virt(phys);
	*why = pcarve_in_check(h, size, compat);
	pcarve_in_blobs[slot].valid = !*why;
	return *why ? NULL : h;
}

/**
 * pcarve_handover_reserve() - carve the pools the previous kernel handed over
 *
 * Called from mm_core_init_early() before kho_memory_init_early(), on
 * every boot; does nothing unless this is a kexec handover boot.
 *
 * Context: early boot, memblock only.
 */
void __init pcarve_handover_reserve(void)
{
	const struct pcarve_kho_header *h, *safe;
	const struct pcarve_kho_pool *pools;
	phys_addr_t end = memblock_end_of_DRAM();
	const char *why, *safe_why;
	u64 t0 = local_clock();
	u32 i;

	if (!is_kho_boot() || is_kdump_kernel())
		return;
	/* read first: where it is, and freed once the boot is done */
	safe = pcarve_in_get(PCARVE_KHO_RANGES_NODE,
			     PCARVE_KHO_RANGES_COMPATIBLE, &safe_why, 1);
	h = pcarve_in_get(PCARVE_KHO_NODE, PCARVE_KHO_COMPATIBLE, &why, 0);
	if (h) {
		pr_info("handover: a %llu-byte record: %u pools, %u ranges, %u chunks, %llu bytes of pcarvefs\n",
			h->size, h->nr_pools, h->nr_ranges, h->nr_chunks,
			h->fs_size);
		pools = pcarve_in_table(h, h->pools_off);
		for (i = 0; i < h->nr_pools; i++)
			pcarve_in_pool(h, &pools[i], NULL);
		pcarve_in = h;
		pcarve_trim_max_pfn(end);
		pcarve_boot_ns[PCARVE_BOOT_CARVE] += local_clock() - t0;
		return;
	}

	if (!safe) {
		if (strcmp(why, "missing") || strcmp(safe_why, "missing"))
			pr_crit("handover: the pcarve record is %s and its range record is %s: the previous kernel's pools are not known, and their memory may be used by this kernel\n",
				why, safe_why);
		return;
	}
	pr_err("handover: the pcarve record is %s: the %u pools it would name are carved quarantined, with their data; release them through /sys/kernel/mm/pcarve/node<N>/release\n",
	       why, safe->nr_pools);
	pools = pcarve_in_table(safe, safe->pools_off);
	for (i = 0; i < safe->nr_pools; i++) {
		const char *reason;

		if (!strcmp(why, "missing"))
			reason = "handover record missing";
		else if (!strncmp(why, "truncated", 9))
			reason = "handover record truncated";
		else if (!strncmp(why, "corrupted", 9))
			reason = "handover record corrupted";
		else
			reason = "handover record of an unknown version";
		pcarve_in_pool(safe, &pools[i], reason);
	}
	pcarve_trim_max_pfn(end);
	pcarve_boot_ns[PCARVE_BOOT_CARVE] += local_clock() - t0;
}

/**
 * pcarve_handover_check() - is the record still there?
 *
 * KHO may give up after the pools were carved (kho_memory_init_early() or
 * kho_mem_retrieve() failing): the record's pages then went to the page
 * allocator, and who owns what in the pools is not known any more.
 * Called once the page allocator runs, before anything reads the record.
 */
void __init pcarve_handover_check(void)
{
	if (pcarve_in && !is_kho_boot()) {
		pr_err("handover: KHO gave up after the pools were carved: the record is lost, the pools are quarantined\n");
		pcarve_in = NULL;
	}
}

/* the chunk table, once it is known that the record is sound */
static const struct pcarve_kho_chunk *pcarve_in_chunks(u32 *nr)
{
	if (!pcarve_in) {
		*nr = 0;
		return NULL;
	}
	*nr = pcarve_in->nr_chunks;
	return pcarve_in_table(pcarve_in, pcarve_in->chunks_off);
}

/**
 * pcarve_handover_claim() - give a restored pool its handed-over chunks
 * @pool: a pool carved from the record, with its free map
 *
 * A chunk the record names that is not free memory of the pool means the
 * record cannot be trusted: the pool is quarantined.
 *
 * Context: boot, from the allocator's initcall.
 */
void __init pcarve_handover_claim(struct pcarve_pool *pool)
{
	const struct pcarve_kho_chunk *c;
	u64 bytes = 0;
	u32 nr, i, got = 0;
	int ret;

	if (!pool->restored || pool->state != PCARVE_POOL_ACTIVE)
		return;
	if (!pcarve_in) {
		pcarve_quarantine(pool, "handover record lost by KHO");
		return;
	}
	c = pcarve_in_chunks(&nr);
	for (i = 0; i < nr; i++) {
		if (c[i].nid != pool->nid)
			continue;
		ret = pcarve_pool_claim(pool, c[i].addr, c[i].size, c[i].owner,
					c[i].flags);
		if (ret) {
			pr_err("node%d: handover: chunk [mem %#llx] +%#llx cannot be claimed (%pe)\n",
			       pool->nid, c[i].addr, c[i].size, ERR_PTR(ret));
			/* none handed out, so that the pool can be released */
			pcarve_pool_unclaim_all(pool);
			pcarve_quarantine(pool,
					  "the handover record names a chunk that is not free memory of the pool");
			return;
		}
		got++;
		bytes += c[i].size;
	}
	pr_info("node%d: handover: %u chunks (%llu MiB) back with their owners\n",
		pool->nid, got, bytes >> 20);
}

/**
 * pcarve_handover_fs_data() - the pcarvefs part of the handover
 * @size: where its size is stored
 *
 * Return: the part, which stays readable, or NULL if there is none.
 */
const void *pcarve_handover_fs_data(size_t *size)
{
	if (!pcarve_in || !is_kho_boot() || !pcarve_in->fs_size) {
		*size = 0;
		return NULL;
	}
	*size = pcarve_in->fs_size;
	return pcarve_in_table(pcarve_in, pcarve_in->fs_off);
}

/*
 * After pcarvefs has rebuilt its trees (fs_initcall): the records' pages
 * go back to the page allocator.
 */
static int __init pcarve_handover_done(void)
{
	int i;

	if (!is_kho_boot())
		return 0;
	pcarve_in = NULL;
	for (i = 0; i < ARRAY_SIZE(pcarve_in_blobs); i++)
		if (pcarve_in_blobs[i].valid)
			kho_restore_free(phys_to_virt(pcarve_in_blobs[i].phys));
	return 0;
}
late_initcall(pcarve_handover_done);
