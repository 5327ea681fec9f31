// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pcarve/test: drive the allocator from a test.
 *
 * Write one command, then read its result (one line):
 *
 *   alloc <nid> <size> <owner> [unmapped] [zero] [handover]
 *				-> "<address>" of the new chunk
 *   free <address>		-> "freed"
 *   fill <address> <byte>	-> "filled": every byte of the chunk set
 *   check <address> <byte>	-> "same", or "differs at <offset>"
 *   zerotest <nid> <size>	-> a chunk is filled, freed and taken again
 *				   with PCARVE_ALLOC_ZERO: "addr=.. reused=..
 *				   zeroed=.. ns=.. mib_per_s=.."
 *   owned <owner>		-> "n=<chunks> bytes=<bytes>" that
 *				   pcarve_walk_owned() finds
 *   adopt <owner>		-> "n=<chunks> first=<address>": take up to 16 chunks of
 *				   the owner that are not here yet (chunks a
 *				   kexec handed over) so that they can be
 *				   checked, filled and freed here
 *   bench <nid> <size> <n>	-> mean ns of n pcarve_alloc()+pcarve_free()
 *				   and of n alloc_contig_pages()+
 *				   free_contig_range() on the same node
 *
 *   pin <user address>	-> pin_user_pages_fast() on a mapping of this
 *				   file: "chunk=<address> order=<n>
 *				   pinned_ref=<n> dma_pinned=<0|1>
 *				   unpinned_ref=<n>"
 *
 * mmap() of the file at the offset of a chunk's address, MAP_SHARED and of
 * the chunk's size, maps the chunk's folio whole (PMD or PUD) where the
 * chunk is one folio.
 *
 * A failing command reads back "error <errno>".  Only chunks allocated
 * here can be freed, filled, checked or mapped here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

#define PCARVE_TEST_OWNER	0x7e57000000000000ULL
#define PCARVE_TEST_RESULT	160

struct pcarve_test_chunk {
	struct list_head node;
	struct pcarve_chunk *chunk;
};

static DEFINE_MUTEX(pcarve_test_lock);
/* changed under both locks, read under either */
static DEFINE_SPINLOCK(pcarve_test_list_lock);
static LIST_HEAD(pcarve_test_chunks);
static char pcarve_test_result[PCARVE_TEST_RESULT];

/* the chunk that holds @addr; under either list lock */
static struct pcarve_test_chunk *pcarve_test_find(phys_addr_t addr)
{
	struct pcarve_test_chunk *t;

	list_for_each_entry(t, &pcarve_test_chunks, node)
		if (addr - pcarve_chunk_phys(t->chunk) <
		    pcarve_chunk_size(t->chunk))
			return t;
	return NULL;
}

static int pcarve_test_alloc(int nid, u64 size, u64 owner,
			     unsigned int flags)
{
	struct pcarve_test_chunk *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct pcarve_chunk *chunk;

	if (!t)
		return -ENOMEM;
	chunk = pcarve_alloc(nid, size, owner, flags);
	if (IS_ERR(chunk)) {
		kfree(t);
		return PTR_ERR(chunk);
	}
	t->chunk = chunk;
	spin_lock(&pcarve_test_list_lock);
	list_add(&t->node, &pcarve_test_chunks);
	spin_unlock(&pcarve_test_list_lock);
	snprintf(pcarve_test_result, PCARVE_TEST_RESULT, "%#llx",
		 (u64)pcarve_chunk_phys(chunk));
	return 0;
}

static void pcarve_test_free(struct pcarve_test_chunk *t)
{
	spin_lock(&pcarve_test_list_lock);
	list_del(&t->node);
	spin_unlock(&pcarve_test_list_lock);
	pcarve_free(t->chunk);
	kfree(t);
}

struct pcarve_test_bytes {
	int byte;
	bool check;
	u64 bad;	/* offset of the first byte that differs */
};

static int pcarve_test_piece(void *va, u64 off, u64 len, void *arg)
{
	struct pcarve_test_bytes *t = arg;
	void *bad;

	if (!t->check) {
		memset(va, t->byte, len);
		return 0;
	}
	bad = memchr_inv(va, t->byte, len);
	if (!bad)
		return 0;
	t->bad = off + (bad - va);
	return 1;
}

/* fill (@check false) or compare with (@check true) one byte value */
static int pcarve_test_bytes(struct pcarve_chunk *chunk, int byte,
			     bool check, u64 *offset)
{
	struct pcarve_test_bytes t = { .byte = byte, .check = check,
				       .bad = pcarve_chunk_size(chunk) };
	int ret = pcarve_chunk_access(chunk, pcarve_test_piece, &t);

	*offset = t.bad;
	return ret < 0 ? ret : 0;
}

static int pcarve_test_zerotest(int nid, u64 size)
{
	struct pcarve_chunk *chunk, *again;
	phys_addr_t addr;
	u64 off, ns;
	ktime_t t0;
	int ret;

	chunk = pcarve_alloc(nid, size, PCARVE_TEST_OWNER, 0);
	if (IS_ERR(chunk))
		return PTR_ERR(chunk);
	ret = pcarve_test_bytes(chunk, 0xa5, false, &off);
	addr = pcarve_chunk_phys(chunk);
	pcarve_free(chunk);
	if (ret)
		return ret;

	t0 = ktime_get();
	again = pcarve_alloc(nid, size, PCARVE_TEST_OWNER, PCARVE_ALLOC_ZERO);
	ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	if (IS_ERR(again))
		return PTR_ERR(again);
	ret = pcarve_test_bytes(again, 0, true, &off);
	snprintf(pcarve_test_result, PCARVE_TEST_RESULT,
		 "addr=%#llx reused=%d zeroed=%d ns=%llu mib_per_s=%llu",
		 (u64)pcarve_chunk_phys(again),
		 pcarve_chunk_phys(again) == addr, !ret && off == size, ns,
		 div64_u64(size * NSEC_PER_SEC, max(ns, 1ULL)) >> 20);
	pcarve_free(again);
	return ret;
}

static int pcarve_test_bench(int nid, u64 size, unsigned int n)
{
	unsigned long nr = size >> PAGE_SHIFT;
	u64 pc_ns, ct_ns;
	unsigned int i, ct_fail = 0;
	ktime_t t0;

	if (!n || n > 100000)
		return -EINVAL;
	t0 = ktime_get();
	for (i = 0; i < n; i++) {
		struct pcarve_chunk *c = pcarve_alloc(nid, size,
						      PCARVE_TEST_OWNER, 0);

		if (IS_ERR(c))
			return PTR_ERR(c);
		pcarve_free(c);
	}
	pc_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));

	t0 = ktime_get();
	for (i = 0; i < n; i++) {
		struct page *page;

		page = alloc_contig_pages(nr, GFP_KERNEL | __GFP_THISNODE |
					  __GFP_NOWARN, nid, NULL);
		if (!page) {
			ct_fail++;
			continue;
		}
		free_contig_range(page_to_pfn(page), nr);
		cond_resched();
	}
	ct_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	snprintf(pcarve_test_result, PCARVE_TEST_RESULT,
		 "size=%llu n=%u pcarve_ns=%llu contig_ns=%llu contig_failed=%u",
		 size, n, div_u64(pc_ns, n),
		 n > ct_fail ? div_u64(ct_ns, n - ct_fail) : 0, ct_fail);
	return 0;
}

struct pcarve_test_owned {
	u64 owner;
	unsigned int nr;
	u64 bytes;
	bool wrong;
};

static int pcarve_test_count(struct pcarve_chunk *chunk, void *arg)
{
	struct pcarve_test_owned *o = arg;

	o->nr++;
	o->bytes += pcarve_chunk_size(chunk);
	o->wrong |= pcarve_chunk_owner(chunk) != o->owner;
	return 0;
}

#define PCARVE_TEST_ADOPT	16

struct pcarve_test_adopt {
	struct pcarve_chunk *chunk[PCARVE_TEST_ADOPT];
	unsigned int nr;
};

/* under the owner lock: never sleeps */
static int pcarve_test_pick(struct pcarve_chunk *chunk, void *arg)
{
	struct pcarve_test_adopt *a = arg;
	struct pcarve_test_chunk *t;
	bool here = false;

	spin_lock(&pcarve_test_list_lock);
	list_for_each_entry(t, &pcarve_test_chunks, node)
		here |= t->chunk == chunk;
	spin_unlock(&pcarve_test_list_lock);
	if (!here)
		a->chunk[a->nr++] = chunk;
	return a->nr == PCARVE_TEST_ADOPT;
}

static int pcarve_test_adopt(u64 owner)
{
	struct pcarve_test_adopt a = {};
	unsigned int i;

	/*
	 * Tags with bit 63 are pcarvefs's (PCARVEFS_OWNER_BIT): the chunks
	 * of live files, which a later "free" would take from under them.
	 */
	if (owner & BIT_ULL(63))
		return -EPERM;
	pcarve_walk_owned(owner, pcarve_test_pick, &a);
	for (i = 0; i < a.nr; i++) {
		struct pcarve_test_chunk *t = kzalloc_obj(*t);

		if (!t)
			return -ENOMEM;
		t->chunk = a.chunk[i];
		spin_lock(&pcarve_test_list_lock);
		list_add(&t->node, &pcarve_test_chunks);
		spin_unlock(&pcarve_test_list_lock);
	}
	snprintf(pcarve_test_result, PCARVE_TEST_RESULT, "n=%u first=%#llx",
		 a.nr, a.nr ? (u64)pcarve_chunk_phys(a.chunk[0]) : 0);
	return 0;
}

/* called with pcarve_test_lock held, which it drops for GUP */
static int pcarve_test_pin(unsigned long uaddr)
	__must_hold(&pcarve_test_lock)
{
	struct pcarve_test_chunk *t, *found = NULL;
	int pinned_ref, unpinned_ref, ret;
	struct folio *folio;
	struct page *page;
	bool dma;

	/*
	 * GUP takes mmap_lock, under which ->mmap takes pcarve_test_lock:
	 * pin without it (lockdep found the inversion in the debug kernel).
	 * The chunk is looked up again under the lock afterwards.
	 */
	mutex_unlock(&pcarve_test_lock);
	ret = pin_user_pages_fast(uaddr, 1, FOLL_WRITE | FOLL_LONGTERM, &page);
	mutex_lock(&pcarve_test_lock);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;
	folio = page_folio(page);
	t = pcarve_test_find(page_to_phys(page));
	/* the pinned page must be in the chunk's own folio */
	if (t && pcarve_chunk_folio(t->chunk) == folio)
		found = t;
	pinned_ref = folio_ref_count(folio);
	dma = folio_maybe_dma_pinned(folio);
	unpin_user_page(page);
	unpinned_ref = folio_ref_count(folio);
	if (!found)
		return -ENOENT;
	snprintf(pcarve_test_result, PCARVE_TEST_RESULT,
		 "chunk=%#llx order=%u pinned_ref=%d dma_pinned=%d unpinned_ref=%d",
		 (u64)pcarve_chunk_phys(found->chunk), folio_order(folio),
		 pinned_ref, dma, unpinned_ref);
	return 0;
}

static unsigned int pcarve_test_flags(char *words)
{
	unsigned int flags = 0;
	char *w;

	while ((w = strsep(&words, " ")) != NULL) {
		if (!*w)
			continue;
		if (!strcmp(w, "unmapped"))
			flags |= PCARVE_ALLOC_UNMAPPED;
		else if (!strcmp(w, "zero"))
			flags |= PCARVE_ALLOC_ZERO;
		else if (!strcmp(w, "handover"))
			flags |= PCARVE_ALLOC_HANDOVER;
		else
			return UINT_MAX;
	}
	return flags;
}

static int pcarve_test_run(char *cmd)
{
	struct pcarve_test_chunk *t;
	char words[40] = "";
	unsigned int n;
	u64 a, b, c;
	int nid, byte, ret;

	if (sscanf(cmd, "alloc %d %llu %llu %39[^\n]", &nid, &a, &b,
		   words) >= 3) {
		unsigned int flags = pcarve_test_flags(words);

		if (flags == UINT_MAX)
			return -EINVAL;
		return pcarve_test_alloc(nid, a, b, flags);
	}
	if (sscanf(cmd, "free %llx", &a) == 1) {
		t = pcarve_test_find(a);
		if (!t)
			return -ENOENT;
		pcarve_test_free(t);
		strscpy(pcarve_test_result, "freed");
		return 0;
	}
	if (sscanf(cmd, "fill %llx %i", &a, &byte) == 2 ||
	    sscanf(cmd, "check %llx %i", &a, &byte) == 2) {
		bool check = cmd[0] == 'c';

		t = pcarve_test_find(a);
		if (!t)
			return -ENOENT;
		ret = pcarve_test_bytes(t->chunk, byte & 0xff, check, &c);
		if (ret)
			return ret;
		if (!check)
			strscpy(pcarve_test_result, "filled");
		else if (c == pcarve_chunk_size(t->chunk))
			strscpy(pcarve_test_result, "same");
		else
			snprintf(pcarve_test_result, PCARVE_TEST_RESULT,
				 "differs at %llu", c);
		return 0;
	}
	if (sscanf(cmd, "owned %llu", &a) == 1) {
		struct pcarve_test_owned o = { .owner = a };

		pcarve_walk_owned(a, pcarve_test_count, &o);
		if (o.wrong)
			return -EUCLEAN;
		snprintf(pcarve_test_result, PCARVE_TEST_RESULT,
			 "n=%u bytes=%llu", o.nr, o.bytes);
		return 0;
	}
	if (sscanf(cmd, "adopt %llu", &a) == 1)
		return pcarve_test_adopt(a);
	if (sscanf(cmd, "pin %llx", &a) == 1)
		return pcarve_test_pin(a);
	if (sscanf(cmd, "zerotest %d %llu", &nid, &a) == 2)
		return pcarve_test_zerotest(nid, a);
	if (sscanf(cmd, "bench %d %llu %u", &nid, &a, &n) == 3)
		return pcarve_test_bench(nid, a, n);
	return -EINVAL;
}

static ssize_t pcarve_test_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char *cmd;
	int ret;

	if (count > 128)
		return -EINVAL;
	cmd = memdup_user_nul(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	strim(cmd);

	mutex_lock(&pcarve_test_lock);
	ret = pcarve_test_run(cmd);
	if (ret)
		snprintf(pcarve_test_result, PCARVE_TEST_RESULT, "error %d",
			 ret);
	mutex_unlock(&pcarve_test_lock);
	kfree(cmd);
	return count;
}

static int pcarve_test_show(struct seq_file *m, void *v)
{
	guard(mutex)(&pcarve_test_lock);
	seq_printf(m, "%s\n", pcarve_test_result);
	return 0;
}

static int pcarve_test_open(struct inode *inode, struct file *file)
{
	return single_open(file, pcarve_test_show, NULL);
}

/* the test file maps one chunk, at the offset of its address */
static struct pcarve_chunk *pcarve_test_chunk_at(struct vm_area_struct *vma,
						 u64 off, u64 *chunk_off)
{
	struct pcarve_test_chunk *t;

	/* not the command mutex: "pin" holds it and may fault */
	guard(spinlock)(&pcarve_test_list_lock);
	t = pcarve_test_find(off);
	if (!t)
		return NULL;
	*chunk_off = off - pcarve_chunk_phys(t->chunk);
	return t->chunk;
}

static const struct pcarve_vma_ops pcarve_test_vma_ops = {
	.chunk_at	= pcarve_test_chunk_at,
};

static int pcarve_test_mmap(struct file *file, struct vm_area_struct *vma)
{
	phys_addr_t addr = (phys_addr_t)vma->vm_pgoff << PAGE_SHIFT;
	struct pcarve_test_chunk *t;
	struct folio *folio;

	guard(mutex)(&pcarve_test_lock);
	t = pcarve_test_find(addr);
	if (!t)
		return -ENOENT;
	folio = pcarve_chunk_folio(t->chunk);
	if (!(vma->vm_flags & VM_SHARED) || !folio ||
	    folio_size(folio) != pcarve_chunk_size(t->chunk) ||
	    vma->vm_end - vma->vm_start != pcarve_chunk_size(t->chunk))
		return -EINVAL;
	pcarve_mmap_vma(vma, &pcarve_test_vma_ops);
	return 0;
}

static const struct file_operations pcarve_test_fops = {
	.owner		= THIS_MODULE,
	.open		= pcarve_test_open,
	.read		= seq_read,
	.write		= pcarve_test_write,
	.llseek		= seq_lseek,
	.release	= single_release,
	.mmap		= pcarve_test_mmap,
};

static int __init pcarve_test_init(void)
{
	/* not proxied: the proxy has no mmap, and the file never goes away */
	debugfs_create_file_unsafe("test", 0600, pcarve_debugfs_root, NULL,
				   &pcarve_test_fops);
	/* 1 missing, 2 truncated, 3 corrupted, 4 wrong version: kho.c */
	if (IS_ENABLED(CONFIG_PCARVE_HANDOVER))
		debugfs_create_u32("kho_break", 0600, pcarve_debugfs_root,
				   &pcarve_kho_break);
	return 0;
}

/* after debugfs.c's late_initcall (link order) */
late_initcall(pcarve_test_init);
