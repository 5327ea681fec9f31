// SPDX-License-Identifier: GPL-2.0
/*
 * The pool allocator: 2 MiB and 1 GiB chunks of one node's pool, each with
 * an owner tag and the characteristics its caller asked for.
 *
 * Every consumer (pcarvefs, the handover, drivers) goes through here.  A
 * request names an exact node and is served from that node's pool or fails:
 * -ENODEV (no pool there), -EIO (the pool is quarantined), -EINVAL (bad size
 * or flags), -ENOMEM (no free chunk of that size), -EOPNOTSUPP (the kernel
 * cannot take the chunk out of its direct map).
 *
 * Data structures:
 *  - the free state of a pool is its struct pcarve_chunkmap (chunkmap.c),
 *    O(log n) to find a chunk of either size;
 *  - each chunk handed out has a struct pcarve_chunk, in an rbtree of its
 *    pool by address and in a global hash table by owner tag, so owner
 *    records grow with allocations, never with the pool.
 *
 * Locking:
 *  - pool->lock (a spinlock) covers the pool's map, rbtree, counters and
 *    byte counts.  It is never held across anything that sleeps.
 *  - pcarve_owner_lock (a spinlock) covers the owner hash table; it nests
 *    inside no other lock, and only what a pcarve_walk_owned() callback
 *    takes nests inside it.
 *  - pcarve_alloc() runs in process context and may sleep: it allocates the
 *    record, and zeroing or unmapping a chunk (pool->ops->prepare) happens
 *    with no lock held, while its units are already off the free map.
 *  - pcarve_free() never sleeps and never allocates: it drops the record
 *    from both indices and gives the units back at once, unless the chunk
 *    was taken out of the direct map: restoring that may sleep, so the
 *    chunk is queued for the pool's restore work and becomes free once it
 *    is mapped again, never before.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/sched/clock.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "internal.h"

static DEFINE_HASHTABLE(pcarve_owner_hash, PCARVE_OWNER_HASH_BITS);
static DEFINE_SPINLOCK(pcarve_owner_lock);

static void pcarve_restore_work(struct work_struct *work);

/**
 * pcarve_pool_init_alloc() - put a pool's extents on its free map
 * @pool: a pool whose extents are set and that nobody can allocate from yet
 * @ops: what its allocations do to memory, or NULL for made-up addresses
 *
 * Return: 0, or -ENOMEM with the pool left without a map.
 */
int pcarve_pool_init_alloc(struct pcarve_pool *pool,
			   const struct pcarve_pool_ops *ops)
{
	unsigned int i;
	int ret;

	mutex_init(&pool->resize_lock);
	/* read under RCU by the chunk queries while a resize writes it */
	mt_init_flags(&pool->ranges, MT_FLAGS_USE_RCU);
	pcarve_chunkmap_init(&pool->map);
	ret = pcarve_chunkmap_cache_init();
	if (ret)
		return ret;
	pool->chunks = RB_ROOT;
	INIT_LIST_HEAD(&pool->restore);
	INIT_WORK(&pool->restore_work, pcarve_restore_work);
	memset(&pool->stats, 0, sizeof(pool->stats));
	pool->used = 0;
	pool->restoring = 0;
	pool->lost = 0;
	pool->ops = ops;
	pool->handover = kho_is_enabled();
	for (i = 0; i < pool->nr_extents; i++) {
		const struct pcarve_extent *e = &pool->extents[i];

		ret = pcarve_chunkmap_prepare(&pool->map, e->start, e->size);
		if (!ret)
			ret = pcarve_store_range(pool, e->start, e->size,
						 PCARVE_RANGE_BOOT);
		if (ret) {
			mtree_destroy(&pool->ranges);
			pcarve_chunkmap_destroy(&pool->map);
			return ret;
		}
		pcarve_chunkmap_add(&pool->map, e->start, e->size);
	}
	return 0;
}

/**
 * pcarve_store_range() - record a range of a pool, or forget it
 * @pool: the pool
 * @start: first byte, 2 MiB aligned
 * @size: length, a multiple of 2 MiB
 * @kind: PCARVE_RANGE_BOOT or PCARVE_RANGE_GROWN, or 0 to forget it
 *
 * Context: under @pool->resize_lock, or before the pool is used.
 * Return: 0 or -ENOMEM.
 */
int pcarve_store_range(struct pcarve_pool *pool, phys_addr_t start, u64 size,
		       int kind)
{
	return mtree_store_range(&pool->ranges, start >> PCARVE_UNIT_SHIFT,
				 (start + size - 1) >> PCARVE_UNIT_SHIFT,
				 kind ? xa_mk_value(kind) : NULL, GFP_KERNEL);
}

/**
 * pcarve_range_kind() - where a unit of a pool came from
 * @pool: the pool
 * @addr: a byte of it
 *
 * Return: PCARVE_RANGE_BOOT or PCARVE_RANGE_GROWN, or 0 if @addr is not
 * in the pool.
 */
int pcarve_range_kind(struct pcarve_pool *pool, phys_addr_t addr)
{
	void *entry = mtree_load(&pool->ranges, addr >> PCARVE_UNIT_SHIFT);

	return entry ? xa_to_value(entry) : 0;
}

/**
 * __pcarve_walk_ranges() - pcarve_walk_ranges() with resize_lock held
 * @pool: the pool
 * @fn: as for pcarve_walk_ranges()
 * @arg: passed to @fn
 *
 * Context: @pool->resize_lock held (a resize counting its own ranges).
 * Return: as pcarve_walk_ranges().
 */
int __pcarve_walk_ranges(struct pcarve_pool *pool, pcarve_range_fn fn,
			 void *arg)
{
	MA_STATE(mas, &pool->ranges, ULONG_MAX, ULONG_MAX);
	unsigned long first = 0, last = 0;
	bool have = false;
	int nr = 0, ret;
	void *entry;

	lockdep_assert_held(&pool->resize_lock);
	for (;;) {
		rcu_read_lock();
		entry = mas_find_rev(&mas, 0);
		mas_pause(&mas);
		rcu_read_unlock();
		if (entry && have && mas.last + 1 == first) {
			first = mas.index;
			continue;
		}
		if (have) {
			nr++;
			ret = fn((phys_addr_t)first << PCARVE_UNIT_SHIFT,
				 (phys_addr_t)(last - first + 1) <<
				 PCARVE_UNIT_SHIFT, arg);
			if (ret)
				return ret < 0 ? ret : nr;
		}
		if (!entry)
			return nr;
		first = mas.index;
		last = mas.last;
		have = true;
	}
}

/**
 * pcarve_walk_ranges() - walk the memory a pool has now
 * @pool: the pool
 * @fn: called with each range (touching ranges merged), highest first; a
 *	non-zero return stops the walk
 * @arg: passed to @fn
 *
 * Context: takes @pool->resize_lock, so @fn may sleep but must not resize.
 * Return: the number of ranges walked, or the first non-zero return of @fn
 * if it is negative.
 */
int pcarve_walk_ranges(struct pcarve_pool *pool, pcarve_range_fn fn, void *arg)
{
	guard(mutex)(&pool->resize_lock);
	return __pcarve_walk_ranges(pool, fn, arg);
}

/**
 * pcarve_pool_exit_alloc() - drop a pool's free map
 * @pool: a pool with no chunk handed out (KUnit pools)
 */
void pcarve_pool_exit_alloc(struct pcarve_pool *pool)
{
	flush_work(&pool->restore_work);
	WARN_ON(!RB_EMPTY_ROOT(&pool->chunks));
	mtree_destroy(&pool->ranges);
	pcarve_chunkmap_destroy(&pool->map);
}

static void pcarve_chunk_insert(struct pcarve_pool *pool,
				struct pcarve_chunk *chunk)
{
	struct rb_node **link = &pool->chunks.rb_node, *parent = NULL;

	while (*link) {
		struct pcarve_chunk *c = rb_entry(*link, struct pcarve_chunk,
						  node);

		parent = *link;
		link = chunk->addr < c->addr ? &parent->rb_left :
					       &parent->rb_right;
	}
	rb_link_node(&chunk->node, parent, link);
	rb_insert_color(&chunk->node, &pool->chunks);
}

static void pcarve_owner_add(struct pcarve_chunk *chunk)
{
	spin_lock(&pcarve_owner_lock);
	hash_add(pcarve_owner_hash, &chunk->owner_node, chunk->owner);
	spin_unlock(&pcarve_owner_lock);
}

static void pcarve_owner_del(struct pcarve_chunk *chunk)
{
	spin_lock(&pcarve_owner_lock);
	hash_del(&chunk->owner_node);
	spin_unlock(&pcarve_owner_lock);
}

/* give a chunk's units back to the free map; under pool->lock */
static void pcarve_chunk_put_units(struct pcarve_pool *pool,
				   struct pcarve_chunk *chunk)
{
	if (pcarve_chunkmap_free(&pool->map, chunk->addr, chunk->size) ==
	    PCARVE_MERGED)
		pool->stats.merge++;
}

/* what a chunk taken off the free map at @addr is */
static void pcarve_chunk_init(struct pcarve_chunk *chunk,
			      struct pcarve_pool *pool, phys_addr_t addr,
			      u64 size, u64 owner, unsigned int flags)
{
	chunk->pool = pool;
	chunk->addr = addr;
	chunk->size = size;
	chunk->owner = owner;
	chunk->flags = flags;
	INIT_LIST_HEAD(&chunk->work_node);
}

/* a chunk taken off the free map is ready: its owner may find it */
static void pcarve_chunk_publish(struct pcarve_pool *pool,
				 struct pcarve_chunk *chunk)
{
	spin_lock(&pool->lock);
	pcarve_chunk_insert(pool, chunk);
	pool->stats.alloc++;
	spin_unlock(&pool->lock);
	pcarve_owner_add(chunk);
}

/* a chunk taken off the free map could not be made ready: put it back */
static void pcarve_chunk_unclaim(struct pcarve_pool *pool,
				 struct pcarve_chunk *chunk)
{
	spin_lock(&pool->lock);
	pool->used -= chunk->size;
	pcarve_chunk_put_units(pool, chunk);
	spin_unlock(&pool->lock);
}

/**
 * pcarve_pool_alloc() - allocate a chunk from a given pool
 * @pool: the pool
 * @size: SZ_2M or SZ_1G
 * @owner: the caller's tag
 * @flags: PCARVE_ALLOC_*
 *
 * pcarve_alloc() without the node lookup; KUnit calls it on made-up pools.
 *
 * Return: the chunk, or an ERR_PTR() as pcarve_alloc() documents.
 */
struct pcarve_chunk *pcarve_pool_alloc(struct pcarve_pool *pool, u64 size,
				       u64 owner, unsigned int flags)
{
	struct pcarve_chunk *chunk;
	phys_addr_t addr;
	int ret;

	might_sleep();
	if ((size != SZ_2M && size != SZ_1G) || (flags & ~PCARVE_ALLOC_FLAGS)) {
		ret = -EINVAL;
		goto fail_count;
	}
	chunk = kzalloc(sizeof(*chunk), GFP_KERNEL);
	if (!chunk) {
		ret = -ENOMEM;
		goto fail_count;
	}

	spin_lock(&pool->lock);
	if (pool->state != PCARVE_POOL_ACTIVE) {
		spin_unlock(&pool->lock);
		ret = -EIO;
		goto free_chunk;
	}
	ret = pcarve_chunkmap_alloc(&pool->map, size, &addr);
	if (ret < 0) {
		spin_unlock(&pool->lock);
		goto free_chunk;
	}
	if (ret == PCARVE_SPLIT)
		pool->stats.split++;
	/* off the free map and not yet in the rbtree: counted as used */
	pool->used += size;
	spin_unlock(&pool->lock);

	pcarve_chunk_init(chunk, pool, addr, size, owner, flags);
	if (pool->ops) {
		ret = pool->ops->prepare(pool, chunk);
		if (ret)
			goto put_back;
	}

	pcarve_chunk_publish(pool, chunk);
	return chunk;

put_back:
	pcarve_chunk_unclaim(pool, chunk);
free_chunk:
	kfree(chunk);
fail_count:
	spin_lock(&pool->lock);
	pool->stats.fail++;
	spin_unlock(&pool->lock);
	return ERR_PTR(ret);
}

/**
 * pcarve_pool_claim() - take a given chunk for its owner
 * @pool: the pool
 * @addr: its first byte
 * @size: SZ_2M or SZ_1G
 * @owner: the owner's tag
 * @flags: PCARVE_ALLOC_* it was allocated with; it is not zeroed again
 *
 * For the chunks the previous kernel handed over: they hold their owners'
 * data.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL if it is not free memory of the pool, -ENOMEM, or
 * what making it unmapped again returned.
 */
int pcarve_pool_claim(struct pcarve_pool *pool, phys_addr_t addr, u64 size,
		      u64 owner, unsigned int flags)
{
	struct pcarve_chunk *chunk;
	int ret;

	if (flags & ~PCARVE_ALLOC_FLAGS)
		return -EINVAL;
	chunk = kzalloc_obj(*chunk);
	if (!chunk)
		return -ENOMEM;
	spin_lock(&pool->lock);
	ret = pcarve_chunkmap_claim(&pool->map, addr, size);
	if (ret >= 0) {
		if (ret == PCARVE_SPLIT)
			pool->stats.split++;
		pool->used += size;
	}
	spin_unlock(&pool->lock);
	if (ret < 0) {
		kfree(chunk);
		return ret;
	}
	pcarve_chunk_init(chunk, pool, addr, size, owner, flags);
	if (pool->ops) {
		/* unmapped again if it was; never zeroed */
		chunk->flags &= ~PCARVE_ALLOC_ZERO;
		ret = pool->ops->prepare(pool, chunk);
		chunk->flags = flags;
		if (ret) {
			pcarve_chunk_unclaim(pool, chunk);
			kfree(chunk);
			return ret;
		}
	}
	pcarve_chunk_publish(pool, chunk);
	return 0;
}

/**
 * pcarve_pool_unclaim_all() - free every chunk of a pool
 * @pool: a pool none of whose chunks has reached its owner yet
 *
 * Undoes pcarve_pool_claim() when a handover record turns out wrong.
 */
void pcarve_pool_unclaim_all(struct pcarve_pool *pool)
{
	struct pcarve_chunk *chunk;
	struct rb_node *n;

	for (;;) {
		spin_lock(&pool->lock);
		n = rb_first(&pool->chunks);
		chunk = n ? rb_entry(n, struct pcarve_chunk, node) : NULL;
		spin_unlock(&pool->lock);
		if (!chunk)
			break;
		pcarve_free(chunk);
	}
	/* those freed unmapped are free once mapped again */
	flush_work(&pool->restore_work);
}

/**
 * pcarve_alloc() - allocate one chunk of a node's pool
 * @nid: the node; the chunk comes from its pool or not at all
 * @size: SZ_2M or SZ_1G.  A 1 GiB pool splits a 1 GiB block for 2 MiB
 *	  chunks and makes it whole again when all 512 are free; a 2 MiB
 *	  pool gives 1 GiB only from 512 free, contiguous, aligned units.
 * @owner: a tag of the caller's choosing, to find the chunk again with
 *	   pcarve_walk_owned()
 * @flags: PCARVE_ALLOC_UNMAPPED, PCARVE_ALLOC_ZERO, PCARVE_ALLOC_HANDOVER
 *
 * Without PCARVE_ALLOC_ZERO the chunk holds whatever its last owner left
 * there; a caller that gives it to anyone else must ask for zeroing.
 *
 * A request that finds no free chunk while freed chunks are still being
 * mapped into the direct map again waits for them and tries once more.
 *
 * Context: process context; may sleep (zeroing a 1 GiB chunk takes time).
 * Return: the chunk, or ERR_PTR(-ENODEV) if @nid has no pool, -EIO if the
 * pool is quarantined, -EINVAL for a bad @size or @flags, -ENOMEM if no
 * chunk of @size is free, -EOPNOTSUPP if PCARVE_ALLOC_UNMAPPED cannot be
 * honoured on this kernel.
 */
struct pcarve_chunk *pcarve_alloc(int nid, u64 size, u64 owner,
				  unsigned int flags)
{
	struct pcarve_chunk *chunk;
	struct pcarve_pool *pool;

	if (!pcarve_pool_exists(nid))
		return ERR_PTR(-ENODEV);
	pool = pcarve_pools[nid];
	chunk = pcarve_pool_alloc(pool, size, owner, flags);
	/* chunks freed but still being mapped again count as free */
	if (PTR_ERR_OR_ZERO(chunk) == -ENOMEM && READ_ONCE(pool->restoring)) {
		flush_work(&pool->restore_work);
		chunk = pcarve_pool_alloc(pool, size, owner, flags);
	}
	return chunk;
}
EXPORT_SYMBOL_GPL(pcarve_alloc);

static void pcarve_restore_work(struct work_struct *work)
{
	struct pcarve_pool *pool = container_of(work, struct pcarve_pool,
						restore_work);
	struct pcarve_chunk *chunk, *next;
	LIST_HEAD(list);

	spin_lock(&pool->lock);
	list_splice_init(&pool->restore, &list);
	spin_unlock(&pool->lock);

	list_for_each_entry_safe(chunk, next, &list, work_node) {
		int ret = pool->ops->restore(pool, chunk);

		spin_lock(&pool->lock);
		pool->restoring -= chunk->size;
		if (ret)
			pool->lost += chunk->size;
		else
			pcarve_chunk_put_units(pool, chunk);
		spin_unlock(&pool->lock);
		if (ret)
			pr_err("node%d: chunk %pa+%llu could not be mapped again (%d): it is kept out of the pool\n",
			       pool->nid, &chunk->addr, chunk->size, ret);
		kfree(chunk);
	}
}

/**
 * pcarve_free() - give a chunk back to its pool
 * @chunk: a chunk from pcarve_alloc(); it must not be used afterwards
 *
 * A chunk that was taken out of the direct map becomes free only once it
 * is mapped again, which happens shortly after, in a work item.  A chunk
 * made of whole folios that are still mapped or pinned by someone is a bug
 * of its owner: it is reported and kept out of the pool for good, never
 * reused.  (A 2 MiB chunk of a 1 GiB folio cannot be mapped through the
 * folio: see pcarve_chunk_folio().)
 *
 * Context: process context, also under a spinlock (not from an interrupt:
 * the pool's locks are not IRQ-safe); never sleeps and never allocates
 * memory.  A NULL @chunk is ignored.
 */
void pcarve_free(struct pcarve_chunk *chunk)
{
	struct pcarve_pool *pool;
	int release = 0;

	if (!chunk)
		return;
	pool = chunk->pool;

	pcarve_owner_del(chunk);
	if (pool->ops)
		release = pool->ops->release(pool, chunk);

	spin_lock(&pool->lock);
	rb_erase(&chunk->node, &pool->chunks);
	pool->used -= chunk->size;
	pool->stats.free++;
	if (release == PCARVE_RESTORE) {
		pool->restoring += chunk->size;
		list_add_tail(&chunk->work_node, &pool->restore);
	} else if (release) {
		pool->lost += chunk->size;
	} else {
		pcarve_chunk_put_units(pool, chunk);
	}
	spin_unlock(&pool->lock);

	if (release == PCARVE_RESTORE) {
		queue_work(system_dfl_wq, &pool->restore_work);
		return;
	}
	if (release)
		pr_err_ratelimited("node%d: chunk %pa+%llu freed while still mapped or pinned: it is kept out of the pool\n",
				   pool->nid, &chunk->addr, chunk->size);
	kfree(chunk);
}
EXPORT_SYMBOL_GPL(pcarve_free);

/**
 * pcarve_chunk_phys() - physical address of a chunk
 * @chunk: the chunk
 *
 * Return: its first byte.
 */
phys_addr_t pcarve_chunk_phys(const struct pcarve_chunk *chunk)
{
	return chunk->addr;
}
EXPORT_SYMBOL_GPL(pcarve_chunk_phys);

/**
 * pcarve_chunk_size() - size of a chunk
 * @chunk: the chunk
 *
 * Return: SZ_2M or SZ_1G.
 */
u64 pcarve_chunk_size(const struct pcarve_chunk *chunk)
{
	return chunk->size;
}
EXPORT_SYMBOL_GPL(pcarve_chunk_size);

/**
 * pcarve_chunk_nid() - node of a chunk
 * @chunk: the chunk
 *
 * Return: the node whose pool it came from.
 */
int pcarve_chunk_nid(const struct pcarve_chunk *chunk)
{
	return chunk->pool->nid;
}
EXPORT_SYMBOL_GPL(pcarve_chunk_nid);

/**
 * pcarve_chunk_owner() - owner tag of a chunk
 * @chunk: the chunk
 *
 * Return: the tag given to pcarve_alloc().
 */
u64 pcarve_chunk_owner(const struct pcarve_chunk *chunk)
{
	return chunk->owner;
}
EXPORT_SYMBOL_GPL(pcarve_chunk_owner);

/**
 * pcarve_chunk_flags() - characteristics a chunk was allocated with
 * @chunk: the chunk
 *
 * Return: the PCARVE_ALLOC_* flags given to pcarve_alloc().
 */
unsigned int pcarve_chunk_flags(const struct pcarve_chunk *chunk)
{
	return chunk->flags;
}
EXPORT_SYMBOL_GPL(pcarve_chunk_flags);

/**
 * pcarve_chunk_has_pages() - does a chunk have struct pages?
 * @chunk: the chunk
 *
 * Return: false for a chunk of a nomap pool carved at boot, true otherwise
 * (a nomap pool grown at run time takes memory that has struct pages).
 */
bool pcarve_chunk_has_pages(const struct pcarve_chunk *chunk)
{
	return chunk->pool->mode != PCARVE_NOMAP ||
	       pcarve_range_kind(chunk->pool, chunk->addr) ==
	       PCARVE_RANGE_GROWN;
}
EXPORT_SYMBOL_GPL(pcarve_chunk_has_pages);

/**
 * pcarve_chunk_direct_mapped() - is a chunk in the kernel direct map?
 * @chunk: the chunk
 *
 * Return: false for chunks of a nomap pool (a block grown at run time
 * leaves the direct map when the pool takes it) and for chunks allocated
 * with PCARVE_ALLOC_UNMAPPED, true otherwise.
 */
bool pcarve_chunk_direct_mapped(const struct pcarve_chunk *chunk)
{
	return chunk->pool->mode != PCARVE_NOMAP && !chunk->unmapped;
}
EXPORT_SYMBOL_GPL(pcarve_chunk_direct_mapped);

/**
 * pcarve_chunk_folio() - the folio that holds a chunk
 * @chunk: the chunk
 *
 * Every granule of a pool with struct pages is one folio of the granule's
 * size, pinned by pcarve: a chunk of the pool's granule is exactly one
 * folio, a 2 MiB chunk of a 1 GiB pool is part of one, and a 1 GiB chunk
 * of a 2 MiB pool spans 512 (this returns the first).  Folios of hvo
 * pools share their tail struct pages: map them to user space only whole,
 * with a PMD or PUD.
 *
 * Return: for a chunk with struct pages, the folio its first byte is in;
 * NULL for a chunk without.
 */
struct folio *pcarve_chunk_folio(const struct pcarve_chunk *chunk)
{
	if (!pcarve_chunk_has_pages(chunk) || !chunk->pool->ops)
		return NULL;
	return page_folio(pfn_to_page(PHYS_PFN(chunk->addr)));
}
EXPORT_SYMBOL_GPL(pcarve_chunk_folio);

/**
 * pcarve_walk_owned() - call a function on every chunk of an owner
 * @owner: the tag
 * @fn: called on each chunk with @arg; a non-zero return stops the walk
 * @arg: passed to @fn
 *
 * This is how a consumer finds its memory again, e.g. after a kexec.
 *
 * Context: @fn runs under a spinlock: it must not sleep, nor allocate or
 * free a chunk.
 * Return: the first non-zero return of @fn, or 0.
 */
int pcarve_walk_owned(u64 owner, pcarve_owned_fn fn, void *arg)
{
	struct pcarve_chunk *chunk;
	int ret = 0;

	spin_lock(&pcarve_owner_lock);
	hash_for_each_possible(pcarve_owner_hash, chunk, owner_node, owner) {
		if (chunk->owner != owner)
			continue;
		ret = fn(chunk, arg);
		if (ret)
			break;
	}
	spin_unlock(&pcarve_owner_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(pcarve_walk_owned);

/**
 * pcarve_pool_info() - what a node's pool is, and how much of it is free
 * @nid: the node
 * @info: where to store it
 *
 * Return: 0, or -ENODEV if the node has no pool.
 */
int pcarve_pool_info(int nid, struct pcarve_pool_info *info)
{
	struct pcarve_pool *pool;

	if (!pcarve_pool_exists(nid))
		return -ENODEV;
	pool = pcarve_pools[nid];
	info->mode = pool->mode;
	info->granule = pool->granule;
	info->can_unmap = can_set_direct_map();
	info->handover = READ_ONCE(pool->handover);
	spin_lock(&pool->lock);
	info->size = pool->size;
	info->usable = pool->state == PCARVE_POOL_ACTIVE;
	info->free = info->usable ? pool->map.free : 0;
	info->restoring = info->usable ? pool->restoring : 0;
	info->committed = pool->committed;
	spin_unlock(&pool->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(pcarve_pool_info);

/**
 * pcarve_commit() - promise part of a node's pool to a consumer
 * @nid: the node
 * @bytes: how much the consumer may want later, whatever others take
 *
 * A commitment is what a consumer reserves before it allocates (pcarvefs'
 * size= caps).  Commitments never add up to more than the pool less what
 * it has lost, and a shrink never takes the pool below them
 * (pcarve_pool_resize() fails with -EBUSY).  pcarve_alloc() does not look
 * at them: a consumer shares its commitments out among its users itself,
 * and chunks taken outside any commitment are not counted, so consumers
 * that commit should be the only ones that allocate from the pool.
 *
 * Context: process context, also under a spinlock (not from an interrupt:
 * the pool's lock is not IRQ-safe).
 * Return: 0 (always for 0 @bytes on a pool), -ENODEV if the node has no
 * pool, -ENOSPC if what is committed already and @bytes add up to more
 * than the pool (less what it has lost and a shrink under way).
 */
int pcarve_commit(int nid, u64 bytes)
{
	if (!pcarve_pool_exists(nid))
		return -ENODEV;
	return pcarve_pool_commit(pcarve_pools[nid], bytes);
}
EXPORT_SYMBOL_GPL(pcarve_commit);

/* pcarve_commit() on a pool */
int pcarve_pool_commit(struct pcarve_pool *pool, u64 bytes)
{
	u64 room;
	int ret = 0;

	spin_lock(&pool->lock);
	/* size >= shrinking + lost, but lost may grow past the commitments */
	room = pool->size - pool->shrinking - pool->lost;
	/* nothing asked is always granted, even when lost has eaten the room */
	if (bytes && (pool->committed > room || bytes > room - pool->committed))
		ret = -ENOSPC;
	else
		pool->committed += bytes;
	spin_unlock(&pool->lock);
	return ret;
}

/**
 * pcarve_uncommit() - take back (part of) a commitment
 * @nid: the node
 * @bytes: what pcarve_commit() promised and is no longer wanted
 *
 * Context: as pcarve_commit().
 */
void pcarve_uncommit(int nid, u64 bytes)
{
	if (pcarve_pool_exists(nid))
		pcarve_pool_uncommit(pcarve_pools[nid], bytes);
}
EXPORT_SYMBOL_GPL(pcarve_uncommit);

/* pcarve_uncommit() on a pool */
void pcarve_pool_uncommit(struct pcarve_pool *pool, u64 bytes)
{
	spin_lock(&pool->lock);
	if (WARN_ON_ONCE(bytes > pool->committed))
		bytes = pool->committed;
	pool->committed -= bytes;
	spin_unlock(&pool->lock);
}

/**
 * pcarve_pool_stats() - a snapshot of a pool's counters
 * @pool: the pool
 * @stats: where to store them
 */
void pcarve_pool_stats(struct pcarve_pool *pool, struct pcarve_stats *stats)
{
	spin_lock(&pool->lock);
	*stats = pool->stats;
	spin_unlock(&pool->lock);
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

/**
 * pcarve_pool_free() - bytes of a pool that can be handed out now
 * @pool: the pool
 *
 * Return: a snapshot: 0 for a quarantined pool, which hands nothing out.
 */
u64 pcarve_pool_free(struct pcarve_pool *pool)
{
	u64 free;

	spin_lock(&pool->lock);
	free = pool->state == PCARVE_POOL_ACTIVE ? pool->map.free : 0;
	spin_unlock(&pool->lock);
	return free;
}

/*
 * After isolate.c's early_initcall and after page_alloc_init_late(), where
 * hvo folios get their struct pages: every pool gets its free map (a
 * quarantined one hands nothing out, but its ranges are known), and a map
 * pool its folios.  A pool whose map cannot be allocated is quarantined.
 */
static int __init pcarve_alloc_init(void)
{
	u64 t0 = local_clock(), *ns = pcarve_boot_ns;
	bool any = false;
	size_t bytes;
	int nid;

	pcarve_handover_check();
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];

		if (!pool)
			continue;
		if (pcarve_pool_init_alloc(pool, &pcarve_mem_ops)) {
			pcarve_quarantine(pool, "no memory for its free map");
			continue;
		}
		if (pool->mode != PCARVE_NOMAP &&
		    pool->state == PCARVE_POOL_ACTIVE &&
		    pcarve_pool_movable(pool))
			pcarve_quarantine(pool,
					  "it lies in ZONE_MOVABLE (kernelcore=, movablecore=, movable_node), where its pinned folios would block offlining");
		if (pool->mode != PCARVE_NOMAP &&
		    pool->state == PCARVE_POOL_ACTIVE)
			pcarve_form_folios(pool);
		pcarve_handover_claim(pool);
		bytes = pcarve_chunkmap_bytes(&pool->map);
		pr_info("node%d: allocator ready: %llu MiB in %lu blocks, free map %zu bytes\n",
			nid, pool->map.present >> 20, pool->map.nr_blocks,
			bytes);
		any = true;
	}
	ns[PCARVE_BOOT_ALLOC] = local_clock() - t0;
	if (any)
		pr_info("boot work: %llu us (carve %llu, isolate %llu, allocator %llu)\n",
			div_u64(ns[PCARVE_BOOT_CARVE] + ns[PCARVE_BOOT_ISOLATE] +
				ns[PCARVE_BOOT_ALLOC], NSEC_PER_USEC),
			div_u64(ns[PCARVE_BOOT_CARVE], NSEC_PER_USEC),
			div_u64(ns[PCARVE_BOOT_ISOLATE], NSEC_PER_USEC),
			div_u64(ns[PCARVE_BOOT_ALLOC], NSEC_PER_USEC));
	return 0;
}
core_initcall(pcarve_alloc_init);
