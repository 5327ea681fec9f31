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

#include <linux/crc32.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/pcarve.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/slab.h>
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
EXPORT_SYMBOL_GPL(pcarve_handover_register_fs);

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
		if (f.nr - first > PCARVE_MAX_EXTENTS) {
			pr_err("node%d: handover: %u ranges, more than %d: the pool is handed over quarantined\n",
			       nid, f.nr - first, PCARVE_MAX_EXTENTS);
			p->flags |= PCARVE_KHO_POOL_QUARANTINED;
		}
		p->nid = nid;
		p->mode = pool->mode;
		p->granule = pool->granule;
		p->size = READ_ONCE(pool->size);
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

/* the chunks marked for handover in the recorded pools */
static u32 pcarve_kho_fill_chunks(struct pcarve_kho_chunk *out, u32 max)
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

			if (!(c->flags & PCARVE_ALLOC_HANDOVER))
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

/* make the test control's damage; see PCARVE_KHO_BREAK_* */
static bool pcarve_kho_damage(struct pcarve_kho_header *h, size_t *size)
{
	switch (READ_ONCE(pcarve_kho_break)) {
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
	if (pcarve_kho_break)
		pr_warn("handover: the record is damaged on purpose (test control: %u)\n",
			pcarve_kho_break);
	return true;
}

static int pcarve_kho_write(void)
{
	const struct pcarve_handover_fs *fs = pcarve_fs_ops;
	struct pcarve_kho_header layout = {}, *h;
	u32 pools = pcarve_kho_nr_pools(), chunks;
	size_t fs_size = 0, size;
	int ret;

	if (fs) {
		ret = fs->seal();
		if (ret)
			pr_err("handover: pcarvefs could not be frozen (%pe): its trees may change after they are recorded\n",
			       ERR_PTR(ret));
		fs_size = fs->size();
	}
	/* room for a few chunks allocated between the count and the copy */
	chunks = pcarve_kho_fill_chunks(NULL, 0) + 64;
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
	h->nr_chunks = pcarve_kho_fill_chunks(pcarve_kho_table(h, h->chunks_off),
					      chunks);
	if (h->nr_chunks > chunks) {
		pr_err("handover: %u chunks, room for %u: the next kernel quarantines the pools\n",
		       h->nr_chunks, chunks);
		ret = -E2BIG;
		goto free;
	}
	if (fs_size) {
		ret = fs->write(pcarve_kho_table(h, h->fs_off), fs_size);
		if (ret)
			goto free;
	}
	pcarve_kho_seal(h, PCARVE_KHO_COMPATIBLE, size);
	if (!pcarve_kho_damage(h, &size))
		return 0;
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

/*
 * The last moment the state can be recorded: tasks still run, but the
 * kexec is decided (kexec_in_progress) and cannot be vetoed.
 */
static int pcarve_kho_reboot(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (!kexec_in_progress || !pcarve_kho_ranges)
		return NOTIFY_DONE;
	guard(mutex)(&pcarve_kho_lock);
	if (pcarve_kho_fill_pools(pcarve_kho_ranges, pcarve_kho_nr_pools()))
		pr_err("handover: the range record could not be brought up to date; it names the pools as they were at boot\n");
	pcarve_kho_seal(pcarve_kho_ranges, PCARVE_KHO_RANGES_COMPATIBLE,
			pcarve_kho_ranges_size);
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
