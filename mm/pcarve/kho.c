// SPDX-License-Identifier: GPL-2.0
/*
 * Handing pools, chunks and the pcarvefs trees to the next kernel.
 *
 * With kho=on, pcarve publishes two KHO subtrees (ABI in
 * include/linux/kho/abi/pcarve.h).  "pcarve-ranges", the memory of every
 * pool whose handover switch is on, is allocated at boot and filled at the
 * kexec; "pcarve", the whole state, is written then too, from the reboot
 * notifier, after pcarvefs is frozen: kexec_file_load() only records where
 * KHO's root tree is, so what is added up to the last moment is handed
 * over, and nobody has to ask for it.
 *
 * Pool memory itself is not preserved with kho_preserve_*(): it has no
 * struct pages in a nomap pool, and preserving it would cost the next
 * kernel time in proportion to its size.  The next kernel reserves the
 * recorded ranges itself before anything can allocate there (kho_in.c).
 *
 * See Documentation/mm/pcarve.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/crc32.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/pcarve.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "internal.h"

static const struct pcarve_handover_fs *pcarve_fs_ops;
static DEFINE_MUTEX(pcarve_kho_lock);
static struct pcarve_kho_header *pcarve_kho_ranges;
static size_t pcarve_kho_ranges_size;

/* what the test control asks to break in the next handover; see testctl.c */
u32 pcarve_kho_break;

/**
 * pcarve_handover_register_fs() - the file system whose trees are handed over
 * @ops: its hooks
 *
 * pcarvefs calls this at boot; there is one such file system.
 */
void pcarve_handover_register_fs(const struct pcarve_handover_fs *ops)
{
	guard(mutex)(&pcarve_kho_lock);
	pcarve_fs_ops = ops;
}

/* a pool released to the page allocator has no memory left to record */
static bool pcarve_kho_pool_recorded(struct pcarve_pool *pool)
{
	return pool && READ_ONCE(pool->handover) && READ_ONCE(pool->size);
}

static void *pcarve_kho_table(struct pcarve_kho_header *h, u64 off)
{
	return (void *)h + off;
}

struct pcarve_kho_fill {
	struct pcarve_kho_header *h;
	struct pcarve_kho_range *ranges;
	u32 nr;
	u32 max;
};

static int pcarve_kho_add_range(phys_addr_t start, phys_addr_t size,
				void *arg)
{
	struct pcarve_kho_fill *f = arg;

	if (f->nr == f->max)
		return -E2BIG;
	f->ranges[f->nr].start = start;
	f->ranges[f->nr].size = size;
	f->nr++;
	return 0;
}

/*
 * The pools and their ranges, at most PCARVE_MAX_EXTENTS each, into @h,
 * whose tables are laid out for @max_pools pools.
 */
static int pcarve_kho_fill_pools(struct pcarve_kho_header *h, u32 max_pools)
{
	struct pcarve_kho_pool *pools = pcarve_kho_table(h, h->pools_off);
	struct pcarve_kho_fill f = {
		.h = h,
		.ranges = pcarve_kho_table(h, h->ranges_off),
		.max = max_pools * PCARVE_MAX_EXTENTS,
	};
	int nid, ret;
	u32 i;

	h->nr_pools = 0;
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];
		struct pcarve_kho_pool *p = &pools[h->nr_pools];
		u32 first = f.nr;

		if (!pcarve_kho_pool_recorded(pool))
			continue;
		if (WARN_ON_ONCE(h->nr_pools == max_pools))
			return -E2BIG;
		p->flags = 0;
		ret = pcarve_walk_ranges(pool, pcarve_kho_add_range, &f);
		if (ret < 0)
			return ret;
		if (f.nr - first > PCARVE_MAX_EXTENTS)
			pr_err("node%d: handover: %u ranges, more than %d: the next kernel cannot carve the pool again and keeps its memory reserved for good\n",
			       nid, f.nr - first, PCARVE_MAX_EXTENTS);
		p->nid = nid;
		p->mode = pool->mode;
		p->granule = pool->granule;
		/* what the ranges add up to, read with them */
		p->size = 0;
		for (i = first; i < f.nr; i++)
			p->size += f.ranges[i].size;
		p->first_range = first;
		p->nr_ranges = f.nr - first;
		if (READ_ONCE(pool->state) != PCARVE_POOL_ACTIVE)
			p->flags |= PCARVE_KHO_POOL_QUARANTINED;
		h->nr_pools++;
	}
	h->nr_ranges = f.nr;
	return 0;
}

static u32 pcarve_kho_nr_pools(void)
{
	u32 nr = 0;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		nr += !!pcarve_pools[nid];
	return nr;
}

/* the layout of a blob for @pools pools, @chunks chunks, @fs bytes of fs */
static size_t pcarve_kho_layout(struct pcarve_kho_header *h, u32 pools,
				u32 chunks, size_t fs)
{
	u64 off = sizeof(*h);

	off = ALIGN(off, 8);
	h->pools_off = off;
	off += (u64)pools * sizeof(struct pcarve_kho_pool);
	off = ALIGN(off, 8);
	h->ranges_off = off;
	off += (u64)pools * PCARVE_MAX_EXTENTS * sizeof(struct pcarve_kho_range);
	off = ALIGN(off, 8);
	h->chunks_off = off;
	off += (u64)chunks * sizeof(struct pcarve_kho_chunk);
	off = ALIGN(off, 8);
	if (fs) {
		h->fs_off = off;
		h->fs_size = fs;
		off += fs;
	}
	return off;
}

static void pcarve_kho_seal(struct pcarve_kho_header *h, const char *compat,
			    size_t size)
{
	strscpy_pad(h->compatible, compat);
	h->size = size;
	h->crc = 0;
	h->crc = crc32_le(~0, (void *)h, size);
}

/*
 * The chunks of the file system's that its part of the record maps: the
 * others (files unlinked but still open, say) are not handed over.
 */
struct pcarve_kho_fs_chunks {
	u64 owner_bit;
	u64 *addrs;	/* sorted */
	u64 nr;
};

static int pcarve_kho_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static bool pcarve_kho_chunk_wanted(const struct pcarve_chunk *c,
				    const struct pcarve_kho_fs_chunks *fs)
{
	if (!(c->flags & PCARVE_ALLOC_HANDOVER))
		return false;
	if (!fs || !(c->owner & fs->owner_bit))
		return true;
	return fs->addrs && fs->nr && bsearch(&c->addr, fs->addrs, fs->nr,
				    sizeof(*fs->addrs), pcarve_kho_cmp_u64);
}

/* the chunks marked for handover in the recorded pools */
static u32 pcarve_kho_fill_chunks(struct pcarve_kho_chunk *out, u32 max,
				  const struct pcarve_kho_fs_chunks *fs)
{
	u32 nr = 0;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];
		struct rb_node *n;

		if (!pcarve_kho_pool_recorded(pool))
			continue;
		spin_lock(&pool->lock);
		for (n = rb_first(&pool->chunks); n; n = rb_next(n)) {
			struct pcarve_chunk *c = rb_entry(n, struct pcarve_chunk,
							  node);

			if (!pcarve_kho_chunk_wanted(c, fs))
				continue;
			if (out && nr < max) {
				out[nr].addr = c->addr;
				out[nr].size = c->size;
				out[nr].owner = c->owner;
				out[nr].nid = nid;
				out[nr].flags = c->flags;
			}
			nr++;
		}
		spin_unlock(&pool->lock);
	}
	return nr;
}

/* "pcarve-ranges": enough room for every pool there is, from boot on */
static int __init pcarve_kho_ranges_init(void)
{
	struct pcarve_kho_header layout = {};
	u32 pools = pcarve_kho_nr_pools();
	int ret;

	if (!kho_is_enabled() || !pools)
		return 0;
	pcarve_kho_ranges_size = pcarve_kho_layout(&layout, pools, 0, 0);
	pcarve_kho_ranges = kho_alloc_preserve(pcarve_kho_ranges_size);
	if (IS_ERR(pcarve_kho_ranges)) {
		ret = PTR_ERR(pcarve_kho_ranges);
		pcarve_kho_ranges = NULL;
		pr_err("handover: no memory for the range record (%pe): nothing will be handed over\n",
		       ERR_PTR(ret));
		return ret;
	}
	*pcarve_kho_ranges = layout;
	ret = pcarve_kho_fill_pools(pcarve_kho_ranges, pools);
	if (!ret) {
		pcarve_kho_seal(pcarve_kho_ranges, PCARVE_KHO_RANGES_COMPATIBLE,
				pcarve_kho_ranges_size);
		ret = kho_add_subtree(PCARVE_KHO_RANGES_NODE, pcarve_kho_ranges,
				      pcarve_kho_ranges_size);
	}
	if (ret) {
		pr_err("handover: cannot publish the range record (%pe): nothing will be handed over\n",
		       ERR_PTR(ret));
		kho_unpreserve_free(pcarve_kho_ranges);
		pcarve_kho_ranges = NULL;
	}
	return ret;
}

/*
 * The test control's damage (CONFIG_PCARVE_TEST_CONTROL): false if the
 * record is to be left out.
 */
static bool pcarve_kho_damage(struct pcarve_kho_header *h, size_t *size)
{
	u32 what = READ_ONCE(pcarve_kho_break);

	if (!IS_ENABLED(CONFIG_PCARVE_TEST_CONTROL) || !what)
		return true;
	pr_warn("handover: the record is damaged on purpose (test control: %u)\n",
		what);
	switch (what) {
	case PCARVE_KHO_BREAK_MISSING:
		return false;
	case PCARVE_KHO_BREAK_TRUNCATED:
		*size = sizeof(*h) / 2;
		break;
	case PCARVE_KHO_BREAK_CORRUPT:
		/* a flipped bit the checksum must catch */
		((u8 *)h)[*size - 1] ^= 0x10;
		break;
	case PCARVE_KHO_BREAK_VERSION:
		strscpy_pad(h->compatible, "pcarve-v0");
		h->crc = 0;
		h->crc = crc32_le(~0, (void *)h, *size);
		break;
	}
	return true;
}

/* the addresses the file system's part maps, sorted */
static void pcarve_kho_fs_map(const struct pcarve_handover_fs *fs,
			      const void *part, struct pcarve_kho_fs_chunks *c)
{
	const struct pcarvefs_kho_header *fh = part;

	c->nr = fh->nr_fmap;
	if (!c->nr)
		return;
	c->addrs = kvmalloc_array(c->nr, sizeof(*c->addrs), GFP_KERNEL);
	if (!c->addrs)
		return;
	memcpy(c->addrs, part + fh->fmap_off, c->nr * sizeof(*c->addrs));
	sort(c->addrs, c->nr, sizeof(*c->addrs), pcarve_kho_cmp_u64, NULL);
}

static int pcarve_kho_write(void)
{
	const struct pcarve_handover_fs *fs = pcarve_fs_ops;
	struct pcarve_kho_header layout = {}, *h;
	struct pcarve_kho_fs_chunks fsc = {};
	u32 pools = pcarve_kho_nr_pools(), chunks;
	size_t fs_size = 0, size;
	int ret;

	if (fs) {
		/* with no part of its own, none of its chunks is handed over */
		fsc.owner_bit = fs->owner_bit;
		ret = fs->seal();
		if (ret)
			pr_err("handover: pcarvefs could not be frozen (%pe): its trees are not handed over\n",
			       ERR_PTR(ret));
		else
			fs_size = fs->size();
	}
	/* room for a few chunks allocated between the count and the copy */
	chunks = pcarve_kho_fill_chunks(NULL, 0, NULL) + 64;
	size = pcarve_kho_layout(&layout, pools, chunks, fs_size);
	h = kho_alloc_preserve(size);
	if (IS_ERR(h)) {
		pr_err("handover: no memory for a %zu-byte record (%pe): the next kernel quarantines the pools\n",
		       size, h);
		return PTR_ERR(h);
	}
	*h = layout;
	ret = pcarve_kho_fill_pools(h, pools);
	if (ret)
		goto free;
	if (fs_size) {
		ret = fs->write(pcarve_kho_table(h, h->fs_off), fs_size);
		if (ret)
			goto free;
		pcarve_kho_fs_map(fs, pcarve_kho_table(h, h->fs_off), &fsc);
		if (fsc.nr && !fsc.addrs) {
			ret = -ENOMEM;
			goto free;
		}
	}
	h->nr_chunks = pcarve_kho_fill_chunks(pcarve_kho_table(h, h->chunks_off),
					      chunks, fs ? &fsc : NULL);
	kvfree(fsc.addrs);
	if (h->nr_chunks > chunks) {
		pr_err("handover: %u chunks, room for %u: the next kernel quarantines the pools\n",
		       h->nr_chunks, chunks);
		ret = -E2BIG;
		goto free;
	}
	pcarve_kho_seal(h, PCARVE_KHO_COMPATIBLE, size);
	if (!pcarve_kho_damage(h, &size)) {
		kho_unpreserve_free(h);
		return 0;
	}
	ret = kho_add_subtree(PCARVE_KHO_NODE, h, size);
	if (ret)
		goto free;
	pr_info("handover: %u pools, %u ranges, %u chunks, %zu bytes of pcarvefs: %zu bytes recorded\n",
		h->nr_pools, h->nr_ranges, h->nr_chunks, fs_size, size);
	return 0;
free:
	pr_err("handover: the record could not be written (%pe): the next kernel quarantines the pools\n",
	       ERR_PTR(ret));
	kho_unpreserve_free(h);
	return ret;
}

/* no resize, release or switch change from now on: see resize.c */
static void pcarve_kho_seal_pools(void)
{
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];

		if (!pool)
			continue;
		mutex_lock(&pool->resize_lock);
		pool->sealed = true;
		mutex_unlock(&pool->resize_lock);
	}
}

/*
 * The last moment the state can be recorded: tasks still run, but the
 * kexec is decided (kexec_in_progress) and cannot be vetoed.
 */
static int pcarve_kho_reboot(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct pcarve_kho_header *copy;

	if (!kexec_in_progress || !pcarve_kho_ranges)
		return NOTIFY_DONE;
	guard(mutex)(&pcarve_kho_lock);
	pcarve_kho_seal_pools();
	/* the range record changes only if it can be written whole */
	copy = kmemdup(pcarve_kho_ranges, pcarve_kho_ranges_size, GFP_KERNEL);
	if (copy && !pcarve_kho_fill_pools(copy, pcarve_kho_nr_pools())) {
		pcarve_kho_seal(copy, PCARVE_KHO_RANGES_COMPATIBLE,
				pcarve_kho_ranges_size);
		memcpy(pcarve_kho_ranges, copy, pcarve_kho_ranges_size);
	} else {
		pr_err("handover: the range record could not be brought up to date; it names the pools as they were at boot\n");
	}
	kfree(copy);
	pcarve_kho_write();
	return NOTIFY_DONE;
}

static struct notifier_block pcarve_kho_nb = {
	.notifier_call = pcarve_kho_reboot,
};

static int __init pcarve_kho_init(void)
{
	int ret = pcarve_kho_ranges_init();

	if (ret || !pcarve_kho_ranges)
		return ret;
	return register_reboot_notifier(&pcarve_kho_nb);
}

/* after fs_initcall(kho_init), which sets up KHO's root tree */
late_initcall(pcarve_kho_init);
