// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pool allocator (mm/pcarve/alloc.c, chunkmap.c), run
 * on pools of made-up addresses: no memory is touched, so sizes can be
 * anything up to a TiB.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/hashtable.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "../internal.h"

/* far above any RAM these tests run on; never touched anyway */
#define BASE	BIT_ULL(44)

/* distinct from anything a real consumer would use */
#define OWNER(n)	(0xfeedc0de00000000ULL | (n))

static struct pcarve_pool *make_pool(struct kunit *test, u64 granule,
				     const struct pcarve_extent *ext,
				     unsigned int nr)
{
	struct pcarve_pool *pool;
	unsigned int i;

	pool = kunit_kzalloc(test, struct_size(pool, extents_storage, nr),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->nid = 0;
	pool->mode = PCARVE_MAP;
	pool->granule = granule;
	pool->nr_extents = nr;
	pool->extents = pool->extents_storage;
	for (i = 0; i < nr; i++) {
		pool->extents[i] = ext[i];
		pool->size += ext[i].size;
	}
	pool->state = PCARVE_POOL_ACTIVE;
	spin_lock_init(&pool->lock);
	KUNIT_ASSERT_EQ(test, pcarve_pool_init_alloc(pool, NULL), 0);
	return pool;
}

static void drop_pool(struct pcarve_pool *pool)
{
	pcarve_pool_exit_alloc(pool);
}

/* the invariants every pool keeps between calls */
static void check_pool(struct kunit *test, struct pcarve_pool *pool)
{
	struct pcarve_stats st;

	pcarve_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, pool->map.present, pool->size);
	KUNIT_EXPECT_EQ(test, pool->map.free + pool->used + pool->restoring +
			pool->lost, pool->size);
	KUNIT_EXPECT_GE(test, st.alloc, st.free);
	KUNIT_EXPECT_GE(test, st.split, st.merge);
}

/* can a 1 GiB chunk be had right now?  Given back at once if so. */
static bool can_get_1g(struct pcarve_pool *pool, u64 owner)
{
	struct pcarve_chunk *c = pcarve_pool_alloc(pool, SZ_1G, owner, 0);

	if (IS_ERR(c))
		return false;
	pcarve_free(c);
	return true;
}

static void alloc_1g(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, 4ULL * SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	struct pcarve_chunk *c[5];
	struct pcarve_stats st;
	int i, j;

	for (i = 0; i < 4; i++) {
		c[i] = pcarve_pool_alloc(pool, SZ_1G, OWNER(1), 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(c[i]));
		KUNIT_EXPECT_EQ(test, pcarve_chunk_size(c[i]), (u64)SZ_1G);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(pcarve_chunk_phys(c[i]),
						   SZ_1G));
		KUNIT_EXPECT_GE(test, pcarve_chunk_phys(c[i]), BASE);
		KUNIT_EXPECT_LT(test, pcarve_chunk_phys(c[i]),
				BASE + 4ULL * SZ_1G);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, pcarve_chunk_phys(c[i]),
					pcarve_chunk_phys(c[j]));
	}
	c[4] = pcarve_pool_alloc(pool, SZ_1G, OWNER(1), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(c[4]), -ENOMEM);
	KUNIT_EXPECT_EQ(test, pcarve_pool_free(pool), 0ULL);
	KUNIT_EXPECT_EQ(test, pcarve_pool_used(pool), 4ULL * SZ_1G);
	check_pool(test, pool);
	for (i = 0; i < 4; i++)
		pcarve_free(c[i]);
	KUNIT_EXPECT_EQ(test, pcarve_pool_free(pool), 4ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, pcarve_pool_used(pool), 0ULL);
	pcarve_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.alloc, 4ULL);
	KUNIT_EXPECT_EQ(test, st.free, 4ULL);
	KUNIT_EXPECT_EQ(test, st.fail, 1ULL);
	KUNIT_EXPECT_EQ(test, st.split, 0ULL);
	check_pool(test, pool);
	drop_pool(pool);
}

static void split_merge(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	struct pcarve_chunk **c, *big;
	struct pcarve_stats st;
	int i;

	c = kunit_kcalloc(test, PCARVE_UNITS_PER_BLOCK, sizeof(*c),
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < PCARVE_UNITS_PER_BLOCK; i++) {
		c[i] = pcarve_pool_alloc(pool, SZ_2M, OWNER(2), 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(c[i]));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(pcarve_chunk_phys(c[i]),
						   SZ_2M));
		if (!i) {
			/* the block is split: no 1 GiB chunk any more */
			big = pcarve_pool_alloc(pool, SZ_1G, OWNER(2), 0);
			KUNIT_EXPECT_EQ(test, PTR_ERR(big), -ENOMEM);
		}
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(pcarve_pool_alloc(pool, SZ_2M,
							OWNER(2), 0)),
			-ENOMEM);
	pcarve_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.split, 1ULL);
	KUNIT_EXPECT_EQ(test, st.merge, 0ULL);
	check_pool(test, pool);

	/* all but one back: still split */
	for (i = 1; i < PCARVE_UNITS_PER_BLOCK; i++)
		pcarve_free(c[i]);
	big = pcarve_pool_alloc(pool, SZ_1G, OWNER(2), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(big), -ENOMEM);
	/* the last one merges it */
	pcarve_free(c[0]);
	pcarve_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.merge, 1ULL);
	big = pcarve_pool_alloc(pool, SZ_1G, OWNER(2), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(big));
	KUNIT_EXPECT_EQ(test, pcarve_chunk_phys(big), BASE);
	pcarve_free(big);
	check_pool(test, pool);
	drop_pool(pool);
}

/* 2 MiB units are taken from a split block before another is split */
static void split_prefers_part(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, 2ULL * SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	struct pcarve_chunk *a, *b, *big;
	struct pcarve_stats st;

	a = pcarve_pool_alloc(pool, SZ_2M, OWNER(3), 0);
	b = pcarve_pool_alloc(pool, SZ_2M, OWNER(3), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_EQ(test, ALIGN_DOWN(pcarve_chunk_phys(a), SZ_1G),
			ALIGN_DOWN(pcarve_chunk_phys(b), SZ_1G));
	pcarve_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.split, 1ULL);
	/* the other block is still whole */
	big = pcarve_pool_alloc(pool, SZ_1G, OWNER(3), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(big));
	pcarve_free(big);
	pcarve_free(a);
	pcarve_free(b);
	check_pool(test, pool);
	drop_pool(pool);
}

/* a 2 MiB pool gives 1 GiB only from 512 aligned free units of its own */
static void pool_2m(struct kunit *test)
{
	/* 512 units, but straddling two blocks: no 1 GiB chunk */
	struct pcarve_extent ext[] = {
		{ BASE + 2ULL * SZ_1G + SZ_2M, SZ_1G },
		{ BASE, SZ_1G },
	};
	struct pcarve_pool *pool = make_pool(test, SZ_2M, ext, 1);
	struct pcarve_chunk *c, *big;

	KUNIT_EXPECT_EQ(test, pool->map.nr_blocks, 2UL);
	big = pcarve_pool_alloc(pool, SZ_1G, OWNER(4), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(big), -ENOMEM);
	c = pcarve_pool_alloc(pool, SZ_2M, OWNER(4), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	pcarve_free(c);
	check_pool(test, pool);
	drop_pool(pool);

	/* the aligned extent makes one whole block */
	pool = make_pool(test, SZ_2M, ext, 2);
	big = pcarve_pool_alloc(pool, SZ_1G, OWNER(4), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(big));
	KUNIT_EXPECT_EQ(test, pcarve_chunk_phys(big), BASE);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pcarve_pool_alloc(pool, SZ_1G,
							OWNER(4), 0)),
			-ENOMEM);
	pcarve_free(big);
	/* 2 MiB comes from the blocks that can never be whole */
	c = pcarve_pool_alloc(pool, SZ_2M, OWNER(4), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_GE(test, pcarve_chunk_phys(c), BASE + 2ULL * SZ_1G);
	KUNIT_EXPECT_TRUE(test, can_get_1g(pool, OWNER(4)));
	pcarve_free(c);
	check_pool(test, pool);
	drop_pool(pool);

	/* one unit taken from the only whole block: no 1 GiB any more */
	pool = make_pool(test, SZ_2M, &ext[1], 1);
	c = pcarve_pool_alloc(pool, SZ_2M, OWNER(4), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_FALSE(test, can_get_1g(pool, OWNER(4)));
	pcarve_free(c);
	KUNIT_EXPECT_TRUE(test, can_get_1g(pool, OWNER(4)));
	check_pool(test, pool);
	drop_pool(pool);
}

static void bad_requests(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	static const u64 sizes[] = { 0, SZ_4K, SZ_1M, SZ_4M, SZ_512M,
				     2ULL * SZ_1G, U64_MAX };
	struct pcarve_stats st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		KUNIT_EXPECT_EQ(test, PTR_ERR(pcarve_pool_alloc(pool, sizes[i],
								OWNER(5), 0)),
				-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pcarve_pool_alloc(pool, SZ_2M, OWNER(5),
							1U << 31)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pcarve_pool_alloc(pool, SZ_2M, OWNER(5),
							PCARVE_ALLOC_FLAGS + 1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pcarve_pool_free(pool), (u64)SZ_1G);
	pcarve_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.alloc, 0ULL);
	KUNIT_EXPECT_EQ(test, st.fail, (u64)ARRAY_SIZE(sizes) + 2);

	/* a quarantined pool hands nothing out */
	pool->state = PCARVE_POOL_QUARANTINED;
	KUNIT_EXPECT_EQ(test, PTR_ERR(pcarve_pool_alloc(pool, SZ_2M, OWNER(5),
							0)),
			-EIO);
	KUNIT_EXPECT_EQ(test, pcarve_pool_free(pool), 0ULL);
	pool->state = PCARVE_POOL_ACTIVE;
	check_pool(test, pool);
	drop_pool(pool);
}

static void flags_kept(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	unsigned int f;

	for (f = 0; f <= PCARVE_ALLOC_FLAGS; f++) {
		struct pcarve_chunk *c = pcarve_pool_alloc(pool, SZ_2M,
							   OWNER(6), f);

		KUNIT_ASSERT_FALSE(test, IS_ERR(c));
		KUNIT_EXPECT_EQ(test, pcarve_chunk_flags(c), f);
		KUNIT_EXPECT_EQ(test, pcarve_chunk_owner(c), OWNER(6));
		KUNIT_EXPECT_EQ(test, pcarve_chunk_nid(c), 0);
		/* a pool of made-up addresses has no folios */
		KUNIT_EXPECT_NULL(test, pcarve_chunk_folio(c));
		pcarve_free(c);
	}
	check_pool(test, pool);
	drop_pool(pool);
}

struct owned {
	unsigned int nr;
	u64 bytes;
	u64 owner;
	bool wrong;
};

static int count_owned(struct pcarve_chunk *chunk, void *arg)
{
	struct owned *o = arg;

	o->nr++;
	o->bytes += pcarve_chunk_size(chunk);
	if (pcarve_chunk_owner(chunk) != o->owner)
		o->wrong = true;
	return 0;
}

static int stop_at_first(struct pcarve_chunk *chunk, void *arg)
{
	return 7;
}

static void owners(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, 4ULL * SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	struct pcarve_chunk *c[40];
	u64 other = OWNER(8);
	struct owned o;
	int i;

	/* an owner in the same hash bucket as OWNER(7) */
	while (hash_min(other, PCARVE_OWNER_HASH_BITS) !=
	       hash_min(OWNER(7), PCARVE_OWNER_HASH_BITS))
		other++;
	for (i = 0; i < 40; i++) {
		u64 owner = i % 2 ? OWNER(7) : other;

		c[i] = pcarve_pool_alloc(pool, i < 2 ? SZ_1G : SZ_2M, owner,
					 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(c[i]));
	}
	o = (struct owned){ .owner = OWNER(7) };
	KUNIT_EXPECT_EQ(test, pcarve_walk_owned(OWNER(7), count_owned, &o),
			0);
	KUNIT_EXPECT_EQ(test, o.nr, 20U);
	KUNIT_EXPECT_EQ(test, o.bytes, (u64)SZ_1G + 19 * SZ_2M);
	KUNIT_EXPECT_FALSE(test, o.wrong);
	KUNIT_EXPECT_EQ(test, pcarve_walk_owned(OWNER(7), stop_at_first, NULL),
			7);
	for (i = 1; i < 40; i += 2)
		pcarve_free(c[i]);
	o = (struct owned){ .owner = OWNER(7) };
	pcarve_walk_owned(OWNER(7), count_owned, &o);
	KUNIT_EXPECT_EQ(test, o.nr, 0U);
	o = (struct owned){ .owner = other };
	pcarve_walk_owned(other, count_owned, &o);
	KUNIT_EXPECT_EQ(test, o.nr, 20U);
	KUNIT_EXPECT_FALSE(test, o.wrong);
	for (i = 0; i < 40; i += 2)
		pcarve_free(c[i]);
	check_pool(test, pool);
	drop_pool(pool);
}

/* the free state of a 1 TiB pool fits in 128 KiB */
static void metadata_1t(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, SZ_1T } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	size_t bytes = pcarve_chunkmap_bytes(&pool->map);
	struct pcarve_chunk *c;

	kunit_info(test, "free map of a 1 TiB pool: %zu bytes (%lu blocks)\n",
		   bytes, pool->map.nr_blocks);
	KUNIT_EXPECT_EQ(test, pool->map.nr_blocks, 1024UL);
	KUNIT_EXPECT_LE(test, bytes, (size_t)SZ_128K);
	/* an allocation does not grow the map */
	c = pcarve_pool_alloc(pool, SZ_2M, OWNER(8), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_EQ(test, pcarve_chunkmap_bytes(&pool->map), bytes);
	pcarve_free(c);
	drop_pool(pool);
}

/* removing units: only free ones, all or nothing */
static void remove_units(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, 2ULL * SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	struct pcarve_chunk *c;

	c = pcarve_pool_alloc(pool, SZ_2M, OWNER(9), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	spin_lock(&pool->lock);
	KUNIT_EXPECT_EQ(test,
			pcarve_chunkmap_remove(&pool->map,
					       ALIGN_DOWN(pcarve_chunk_phys(c),
							  SZ_1G), SZ_1G),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, pool->map.present, 2ULL * SZ_1G);
	spin_unlock(&pool->lock);
	pcarve_free(c);
	spin_lock(&pool->lock);
	KUNIT_EXPECT_EQ(test, pcarve_chunkmap_remove(&pool->map, BASE, SZ_1G),
			0);
	KUNIT_EXPECT_EQ(test, pool->map.present, (u64)SZ_1G);
	KUNIT_EXPECT_EQ(test, pool->map.free, (u64)SZ_1G);
	spin_unlock(&pool->lock);
	pcarve_chunkmap_trim(&pool->map);
	KUNIT_EXPECT_EQ(test, pool->map.nr_blocks, 1UL);
	c = pcarve_pool_alloc(pool, SZ_1G, OWNER(9), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_EQ(test, pcarve_chunk_phys(c), BASE + SZ_1G);
	pcarve_free(c);
	drop_pool(pool);
}

static int first_owned(struct pcarve_chunk *chunk, void *arg)
{
	*(struct pcarve_chunk **)arg = chunk;
	return 1;
}

#define STRESS_THREADS	16
#define STRESS_HELD	64
#define STRESS_SECONDS	10

struct stress {
	struct pcarve_pool *pool;
	struct completion done;
	unsigned long ops;
	unsigned long allocs;
	unsigned long frees;
	unsigned long enomem;
	unsigned long bad;
	unsigned int id;
};

static int stress_fn(void *arg)
{
	struct stress *s = arg;
	struct pcarve_chunk *held[STRESS_HELD] = { };
	unsigned long end = jiffies + STRESS_SECONDS * HZ;
	unsigned int i;

	while (time_before(jiffies, end)) {
		i = get_random_u32_below(STRESS_HELD);
		if (held[i]) {
			if (pcarve_chunk_owner(held[i]) != OWNER(100 + s->id))
				s->bad++;
			pcarve_free(held[i]);
			held[i] = NULL;
			s->frees++;
		} else {
			u64 size = get_random_u32_below(8) ? SZ_2M : SZ_1G;

			held[i] = pcarve_pool_alloc(s->pool, size,
						    OWNER(100 + s->id), 0);
			if (IS_ERR(held[i])) {
				if (PTR_ERR(held[i]) != -ENOMEM)
					s->bad++;
				s->enomem++;
				held[i] = NULL;
			} else {
				s->allocs++;
			}
		}
		s->ops++;
		cond_resched();
	}
	for (i = 0; i < STRESS_HELD; i++) {
		if (held[i]) {
			pcarve_free(held[i]);
			s->frees++;
		}
	}
	complete(&s->done);
	return 0;
}

/*
 * Commitments never add up to more than the pool less what it has lost,
 * and asking for nothing is always granted, even once what the pool lost
 * has eaten into what is committed.
 */
static void commitments(struct kunit *test)
{
	struct pcarve_extent ext[] = { { BASE, 4ULL * SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);

	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, 3ULL * SZ_1G), 0);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, 2ULL * SZ_1G), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pool->committed, 3ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, SZ_1G), 0);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, U64_MAX), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pool->committed, 4ULL * SZ_1G);

	/* as if 2 GiB of chunks could not be mapped again after a free */
	spin_lock(&pool->lock);
	pool->lost = 2ULL * SZ_1G;
	spin_unlock(&pool->lock);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, 0), 0);
	pcarve_pool_uncommit(pool, 3ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, SZ_1G), 0);
	KUNIT_EXPECT_EQ(test, pcarve_pool_commit(pool, 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pool->committed, 2ULL * SZ_1G);

	spin_lock(&pool->lock);
	pool->lost = 0;
	spin_unlock(&pool->lock);
	pcarve_pool_uncommit(pool, 2ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, pool->committed, 0ULL);
	check_pool(test, pool);
	drop_pool(pool);
}

static void stress(struct kunit *test)
{
	/* small enough that threads run out and hit -ENOMEM */
	struct pcarve_extent ext[] = { { BASE, 16ULL * SZ_1G } };
	struct pcarve_pool *pool = make_pool(test, SZ_1G, ext, 1);
	struct stress *s;
	unsigned long ops = 0, enomem = 0, allocs = 0, frees = 0;
	struct pcarve_stats st;
	int i;

	s = kunit_kcalloc(test, STRESS_THREADS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < STRESS_THREADS; i++) {
		struct task_struct *t;

		s[i].pool = pool;
		s[i].id = i;
		init_completion(&s[i].done);
		t = kthread_run(stress_fn, &s[i], "pcarve-kunit/%d", i);
		if (IS_ERR(t)) {
			/* the threads already running still end below */
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
			complete(&s[i].done);
		}
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		wait_for_completion(&s[i].done);
		ops += s[i].ops;
		enomem += s[i].enomem;
		allocs += s[i].allocs;
		frees += s[i].frees;
		KUNIT_EXPECT_EQ(test, s[i].bad, 0UL);
	}
	pcarve_pool_stats(pool, &st);
	kunit_info(test, "%d threads, %ds: %lu operations, %lu -ENOMEM, %llu splits, %llu merges\n",
		   STRESS_THREADS, STRESS_SECONDS, ops, enomem, st.split,
		   st.merge);
	KUNIT_EXPECT_GT(test, enomem, 0UL);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.alloc, (u64)allocs);
	KUNIT_EXPECT_EQ(test, st.free, (u64)frees);
	KUNIT_EXPECT_EQ(test, st.fail, (u64)enomem);
	KUNIT_EXPECT_EQ(test, st.split, st.merge);
	KUNIT_EXPECT_EQ(test, pcarve_pool_free(pool), 16ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, pcarve_pool_used(pool), 0ULL);
	/* whole again: every block gives 1 GiB */
	for (i = 0; i < 16; i++) {
		struct pcarve_chunk *c = pcarve_pool_alloc(pool, SZ_1G,
							   OWNER(99), 0);

		KUNIT_EXPECT_FALSE(test, IS_ERR(c));
	}
	KUNIT_EXPECT_EQ(test, pcarve_pool_free(pool), 0ULL);
	check_pool(test, pool);
	/* give them back through the owner index */
	while (pcarve_pool_used(pool)) {
		struct pcarve_chunk *c = NULL;

		pcarve_walk_owned(OWNER(99), first_owned, &c);
		KUNIT_ASSERT_NOT_NULL(test, c);
		pcarve_free(c);
	}
	drop_pool(pool);
}

static struct kunit_case pcarve_alloc_cases[] = {
	KUNIT_CASE(alloc_1g),
	KUNIT_CASE(split_merge),
	KUNIT_CASE(split_prefers_part),
	KUNIT_CASE(pool_2m),
	KUNIT_CASE(bad_requests),
	KUNIT_CASE(flags_kept),
	KUNIT_CASE(owners),
	KUNIT_CASE(metadata_1t),
	KUNIT_CASE(remove_units),
	KUNIT_CASE(commitments),
	KUNIT_CASE_SLOW(stress),
	{}
};

static struct kunit_suite pcarve_alloc_suite = {
	.name = "pcarve-alloc",
	.test_cases = pcarve_alloc_cases,
};

kunit_test_suite(pcarve_alloc_suite);
