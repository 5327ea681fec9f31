/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcarve internals shared by the files of mm/pcarve/.
 */
#ifndef _MM_PCARVE_INTERNAL_H
#define _MM_PCARVE_INTERNAL_H

#include <linux/maple_tree.h>
#include <linux/mm_types.h>
#include <linux/memblock.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/pcarve.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "parse.h"

/* at most one pool per node, so never more specs than nodes */
#define PCARVE_MAX_SPECS	MAX_NUMNODES

/**
 * struct pcarve_extent - one physically contiguous, granule-aligned range
 * @start: first byte
 * @size: length in bytes, a multiple of the pool's granule
 * @hvo_start: first byte of its part whose vmemmap is trimmed (hvo pools)
 * @hvo_end: end of that part; equal to @hvo_start if there is none
 */
struct pcarve_extent {
	phys_addr_t start;
	phys_addr_t size;
	phys_addr_t hvo_start;
	phys_addr_t hvo_end;
};

/*
 * Most extents one pool may have: 64 ranges of at most 38 characters keep
 * the extents file in one page.
 */
#define PCARVE_MAX_EXTENTS	64

/**
 * struct pcarve_boot_extent - an extent while its pool is carved
 * @start: first byte
 * @size: length in bytes
 * @flags: the memblock.memory flags of the region it came from, restored
 *	   if the pool is given back
 */
struct pcarve_boot_extent {
	phys_addr_t start;
	phys_addr_t size;
	enum memblock_flags flags;
};

/**
 * struct pcarve_place - placing one pool; see place.c
 * @nid: its node
 * @mode: its mode
 * @granule: its granule
 * @avoid: memblock.memory flags of regions it must not use
 * @low_limit: end of low memory (ARCH_LOW_ADDRESS_LIMIT + 1)
 * @low_free: free memory below @low_limit, on every node
 * @low_keep: how much of @low_free must stay free
 * @has_high: the node has free memory above @low_limit
 * @nr: extents taken so far
 * @ext: the extents, highest address first
 */
struct pcarve_place {
	int nid;
	enum pcarve_mode mode;
	u64 granule;
	enum memblock_flags avoid;
	phys_addr_t low_limit;
	u64 low_free;
	u64 low_keep;
	bool has_high;
	unsigned int nr;
	struct pcarve_boot_extent ext[PCARVE_MAX_EXTENTS];
};

bool pcarve_place_init(struct pcarve_place *p, int nid, enum pcarve_mode mode,
		       u64 granule, u64 low_keep);
void pcarve_capacity(const struct pcarve_place *p, u64 *free, u64 *aligned);
int pcarve_place_pool(struct pcarve_place *p, u64 size);
void pcarve_give_back(struct pcarve_place *p);
int pcarve_place_exact(struct pcarve_place *p, phys_addr_t start, u64 size);

/* the allocation unit, and the block a 1 GiB chunk is */
#define PCARVE_UNIT_SHIFT	21
#define PCARVE_UNIT		BIT_ULL(PCARVE_UNIT_SHIFT)
#define PCARVE_BLOCK_SHIFT	30
#define PCARVE_BLOCK		BIT_ULL(PCARVE_BLOCK_SHIFT)
#define PCARVE_UNITS_PER_BLOCK	(1U << (PCARVE_BLOCK_SHIFT - PCARVE_UNIT_SHIFT))

/**
 * struct pcarve_block - the free state of one aligned 1 GiB block; see chunkmap.c
 * @free: one bit per 2 MiB unit, set if the unit is in the pool and free
 * @nr_free: bits set in @free
 * @nr_present: units of the block that belong to the pool
 */
struct pcarve_block {
	DECLARE_BITMAP(free, PCARVE_UNITS_PER_BLOCK);
	u16 nr_free;
	u16 nr_present;
};

/**
 * struct pcarve_chunkmap - the free state of a pool; see chunkmap.c
 * @blocks: struct pcarve_block by block number, marked whole or part
 * @nr_blocks: entries in @blocks
 * @present: bytes in the map
 * @free: bytes of it that are free
 */
struct pcarve_chunkmap {
	struct xarray blocks;
	unsigned long nr_blocks;
	u64 present;
	u64 free;
};

/* a return of pcarve_pool_ops.release */
#define PCARVE_RESTORE	1

/* positive returns of pcarve_chunkmap_alloc() and pcarve_chunkmap_free() */
#define PCARVE_SPLIT	1
#define PCARVE_MERGED	1

int pcarve_chunkmap_cache_init(void);
void pcarve_chunkmap_init(struct pcarve_chunkmap *m);
int pcarve_chunkmap_prepare(struct pcarve_chunkmap *m, phys_addr_t start,
			    u64 size);
void pcarve_chunkmap_add(struct pcarve_chunkmap *m, phys_addr_t start,
			 u64 size);
int pcarve_chunkmap_remove(struct pcarve_chunkmap *m, phys_addr_t start,
			   u64 size);
void pcarve_chunkmap_trim(struct pcarve_chunkmap *m);
int pcarve_chunkmap_alloc(struct pcarve_chunkmap *m, u64 size,
			  phys_addr_t *addr);
int pcarve_chunkmap_free(struct pcarve_chunkmap *m, phys_addr_t addr,
			 u64 size);
int pcarve_chunkmap_claim(struct pcarve_chunkmap *m, phys_addr_t addr,
			  u64 size);
size_t pcarve_chunkmap_bytes(struct pcarve_chunkmap *m);
void pcarve_chunkmap_destroy(struct pcarve_chunkmap *m);

struct pcarve_pool;

/**
 * struct pcarve_chunk - one allocation; see alloc.c
 * @node: in its pool's @chunks, by address
 * @owner_node: in the owner index, by @owner
 * @work_node: on its pool's @restore list once freed, until reusable
 * @pool: the pool it came from
 * @addr: first byte
 * @size: SZ_2M or SZ_1G
 * @owner: the tag its allocator gave it
 * @flags: PCARVE_ALLOC_* as asked
 * @unmapped: the allocator removed it from the direct map
 */
struct pcarve_chunk {
	struct rb_node node;
	struct hlist_node owner_node;
	struct list_head work_node;
	struct pcarve_pool *pool;
	phys_addr_t addr;
	u64 size;
	u64 owner;
	unsigned int flags;
	bool unmapped;
};

/**
 * struct pcarve_pool_ops - what an allocation does to real memory; see mem.c
 * @prepare: make a chunk what its flags ask (zero it, unmap it); may
 *	     sleep; on failure leave it as it was
 * @release: undo what can be undone without sleeping when it is freed;
 *	     return 0, PCARVE_RESTORE if @restore must run before it can be
 *	     reused, or -EBUSY if someone still holds its memory (it is then
 *	     never reused)
 * @restore: finish a release; may sleep; on failure the chunk is never
 *	     reused
 */
struct pcarve_pool_ops {
	int (*prepare)(struct pcarve_pool *pool, struct pcarve_chunk *chunk);
	int (*release)(struct pcarve_pool *pool, struct pcarve_chunk *chunk);
	int (*restore)(struct pcarve_pool *pool, struct pcarve_chunk *chunk);
};

/**
 * struct pcarve_stats - allocator counters of a pool
 * @alloc: chunks handed out
 * @free: chunks given back
 * @fail: requests that failed
 * @split: 2 MiB chunks that split a whole 1 GiB block
 * @merge: 2 MiB chunks whose return made their block whole again
 */
struct pcarve_stats {
	u64 alloc;
	u64 free;
	u64 fail;
	u64 split;
	u64 merge;
};

/**
 * enum pcarve_pool_state - whether a pool can be used
 * @PCARVE_POOL_ACTIVE: carved and isolated as its mode says
 * @PCARVE_POOL_QUARANTINED: carved, but something after the carve failed:
 *	its memory stays out of the page allocator and is never handed out
 */
enum pcarve_pool_state {
	PCARVE_POOL_ACTIVE,
	PCARVE_POOL_QUARANTINED,
};

/**
 * struct pcarve_pool - the pool of one node
 * @nid: its node
 * @mode: how it is kept
 * @granule: alignment of every extent, and the allocation unit
 * @size: total bytes in @extents
 * @nr_extents: number of entries in @extents
 * @extents: the ranges, highest address first
 * @lock: protects @map, @chunks, @stats, @used, @restoring, @lost,
 *	  @committed, @shrinking, @restore, the writes of @size, @state and
 *	  @reason; never held across anything that sleeps
 * @map: which 2 MiB units are free
 * @chunks: the chunks handed out, by address
 * @stats: allocator counters
 * @used: bytes handed out to owners
 * @restoring: bytes freed by their owners but not yet reusable
 * @lost: bytes that could not be made reusable again, kept out for good
 * @committed: bytes promised to consumers (pcarve_commit())
 * @shrinking: bytes a shrink under way has yet to take off @size
 * @restore: chunks waiting for @restore_work
 * @restore_work: runs @ops->restore on @restore, then frees them
 * @ops: what allocations do to memory; NULL for a pool of made-up
 *	 addresses (KUnit)
 * @ranges: the memory the pool has now, in 2 MiB units: boot extents
 *	    (PCARVE_RANGE_BOOT) and blocks grown at run time
 *	    (PCARVE_RANGE_GROWN, which have struct pages even in a nomap
 *	    pool); written under @resize_lock, read under RCU
 * @resize_lock: serialises changes of the pool's memory: resize, and the
 *		 creation and destruction of @map blocks
 * @handover: the handover switch: chunks may be handed to the next kernel
 * @restored: carved from the previous kernel's handover record
 * @formed: its boot memory is folios (pcarve_form_folios())
 * @sealed: recorded for a kexec: its memory may not change any more
 * @unmapped: the direct map of every extent has been removed
 * @state: whether it can be used
 * @reason: why it is quarantined (a static string), or NULL
 * @extents_storage: where @extents live
 */
struct pcarve_pool {
	int nid;
	enum pcarve_mode mode;
	u64 granule;
	u64 size;
	unsigned int nr_extents;
	struct pcarve_extent *extents;
	spinlock_t lock;		/* see above */
	struct pcarve_chunkmap map;
	struct rb_root chunks;
	struct pcarve_stats stats;
	u64 used;
	u64 restoring;
	u64 lost;
	u64 committed;
	u64 shrinking;
	struct list_head restore;
	struct work_struct restore_work;
	const struct pcarve_pool_ops *ops;
	struct maple_tree ranges;
	struct mutex resize_lock;	/* see above */
	bool handover;
	bool restored;
	bool formed;
	bool sealed;
	bool unmapped;
	enum pcarve_pool_state state;
	const char *reason;
	struct pcarve_extent extents_storage[];
};

extern struct pcarve_pool *pcarve_pools[MAX_NUMNODES];

static inline bool pcarve_pool_exists(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && pcarve_pools[nid];
}

/* buckets of the owner index: 1024 */
#define PCARVE_OWNER_HASH_BITS	10

/* kinds of @ranges entries */
#define PCARVE_RANGE_BOOT	1
#define PCARVE_RANGE_GROWN	2

int pcarve_range_kind(struct pcarve_pool *pool, phys_addr_t addr);
typedef int (*pcarve_range_fn)(phys_addr_t start, phys_addr_t size,
			       void *arg);
int pcarve_store_range(struct pcarve_pool *pool, phys_addr_t start, u64 size,
		       int kind);
int pcarve_walk_ranges(struct pcarve_pool *pool, pcarve_range_fn fn, void *arg);
int __pcarve_walk_ranges(struct pcarve_pool *pool, pcarve_range_fn fn,
			 void *arg);
int pcarve_pool_resize(struct pcarve_pool *pool, u64 size);
int pcarve_set_handover(struct pcarve_pool *pool, bool on);

int pcarve_pool_init_alloc(struct pcarve_pool *pool,
			   const struct pcarve_pool_ops *ops);
void pcarve_pool_exit_alloc(struct pcarve_pool *pool);
struct pcarve_chunk *pcarve_pool_alloc(struct pcarve_pool *pool, u64 size,
				       u64 owner, unsigned int flags);
void pcarve_pool_stats(struct pcarve_pool *pool, struct pcarve_stats *stats);
int pcarve_pool_commit(struct pcarve_pool *pool, u64 bytes);
void pcarve_pool_uncommit(struct pcarve_pool *pool, u64 bytes);
extern const struct pcarve_pool_ops pcarve_mem_ops;
extern struct dentry *pcarve_debugfs_root;
void pcarve_form_folios(struct pcarve_pool *pool);
bool pcarve_pool_movable(struct pcarve_pool *pool);
struct folio *pcarve_folio_take(int nid, u64 granule);
bool pcarve_folio_busy(struct folio *folio);
bool pcarve_folio_freeze(struct folio *folio);
void pcarve_folio_unfreeze(struct folio *folio);
void pcarve_folio_free(struct folio *folio, bool grown);
#ifdef CONFIG_PCARVE_HVO
bool pcarve_is_hvo(const struct pcarve_pool *pool, phys_addr_t addr);
#else
static inline bool pcarve_is_hvo(const struct pcarve_pool *pool,
				 phys_addr_t addr)
{
	return false;
}
#endif

void pcarve_mmap_vma(struct vm_area_struct *vma,
		     const struct pcarve_vma_ops *ops);
vm_fault_t pcarve_chunk_fault(struct vm_fault *vmf, unsigned int order,
			      const struct pcarve_chunk *chunk, u64 off);

int pcarve_set_direct(phys_addr_t start, phys_addr_t size, bool mapped);
u64 pcarve_hotplug_unit(u64 granule);
int pcarve_hotplug_give(int nid, phys_addr_t start, u64 size);
int pcarve_chunk_access(const struct pcarve_chunk *chunk,
			int (*fn)(void *va, u64 off, u64 len, void *arg),
			void *arg);

u64 pcarve_pool_used(struct pcarve_pool *pool);
u64 pcarve_pool_free(struct pcarve_pool *pool);
void pcarve_quarantine(struct pcarve_pool *pool, const char *reason);
bool pcarve_pool_contains(phys_addr_t addr);
struct pcarve_pool *pcarve_pool_create(const struct pcarve_place *p, u64 size);
void pcarve_trim_max_pfn(phys_addr_t old_end);
int pcarve_pool_claim(struct pcarve_pool *pool, phys_addr_t addr, u64 size,
		      u64 owner, unsigned int flags);
int pcarve_pool_release(struct pcarve_pool *pool);
void pcarve_pool_unclaim_all(struct pcarve_pool *pool);

/*
 * The time pcarve's own boot work takes, by step (local_clock(), ns):
 * carving (and carving again after a handover), isolation, the allocator
 * (free maps, folios, claimed chunks).  Printed once the allocator runs.
 */
enum pcarve_boot_step {
	PCARVE_BOOT_CARVE,
	PCARVE_BOOT_ISOLATE,
	PCARVE_BOOT_ALLOC,
	PCARVE_BOOT_STEPS,
};

extern u64 pcarve_boot_ns[PCARVE_BOOT_STEPS];

/* handover: kho.c, kho_in.c */

/* what the test control breaks in the next handover record */
enum pcarve_kho_break_kind {
	PCARVE_KHO_BREAK_NONE,
	PCARVE_KHO_BREAK_MISSING,
	PCARVE_KHO_BREAK_TRUNCATED,
	PCARVE_KHO_BREAK_CORRUPT,
	PCARVE_KHO_BREAK_VERSION,
};

extern u32 pcarve_kho_break;

#ifdef CONFIG_PCARVE_HANDOVER
void pcarve_handover_check(void);
void pcarve_handover_claim(struct pcarve_pool *pool);
#else
static inline void pcarve_handover_check(void) { }
static inline void pcarve_handover_claim(struct pcarve_pool *pool) { }
#endif

#endif /* _MM_PCARVE_INTERNAL_H */
