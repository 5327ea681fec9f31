// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pcarve/: what the allocator holds, and a probe.
 *
 * node<N>/chunks (root only: physical addresses): one line per chunk
 * handed out, "<address> <size> <owner> <flags> <mapped|unmapped>
 * <pages|nopages> <state>",
 * state "allocated", or "restoring" for a freed chunk that is being mapped
 * again before it can be reused.  node<N>/stats: the allocator counters
 * (alloc, free, fail, split, merge) and byte counts, including the memory
 * the free map itself takes.
 *
 * probe: is a physical address in the direct map?
 *
 * Write a physical address (any base kstrtoull() takes), then read back
 * "<addr> mapped" or "<addr> fault".  The read goes through
 * copy_from_kernel_nofault(), so an unmapped address is reported, not
 * crashed on.  Tests use it to prove that a nomap pool left the direct map
 * while the memory around it did not.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "internal.h"

static DEFINE_MUTEX(pcarve_probe_lock);
static phys_addr_t pcarve_probe_addr;
static bool pcarve_probe_set;

static int pcarve_probe_show(struct seq_file *m, void *v)
{
	phys_addr_t addr;
	char byte;
	bool set;

	scoped_guard(mutex, &pcarve_probe_lock) {
		addr = pcarve_probe_addr;
		set = pcarve_probe_set;
	}
	if (!set)
		return -ENODATA;
	if (copy_from_kernel_nofault(&byte, __va(addr), 1))
		seq_printf(m, "%pa fault\n", &addr);
	else
		seq_printf(m, "%pa mapped\n", &addr);
	return 0;
}

static ssize_t pcarve_probe_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	u64 addr;
	int ret;

	ret = kstrtoull_from_user(ubuf, count, 0, &addr);
	if (ret)
		return ret;
	/*
	 * only addresses the direct map may cover: RAM below max_pfn, or a
	 * pool (a nomap pool at the top of memory is above max_pfn)
	 */
	if (addr >= PFN_PHYS((u64)max_pfn) && !pcarve_pool_contains(addr))
		return -EINVAL;

	guard(mutex)(&pcarve_probe_lock);
	pcarve_probe_addr = addr;
	pcarve_probe_set = true;
	return count;
}

DEFINE_SHOW_STORE_ATTRIBUTE(pcarve_probe);

static void pcarve_show_flags(struct seq_file *m, unsigned int flags)
{
	static const char * const names[] = { "unmapped", "zero", "handover" };
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (flags & (1U << i)) {
			seq_printf(m, "%s%s", sep, names[i]);
			sep = ",";
		}
	}
	if (!*sep)
		seq_puts(m, "-");
}

static void pcarve_show_chunk(struct seq_file *m,
			      const struct pcarve_chunk *c, const char *state)
{
	seq_printf(m, "%#018llx %10llu %#018llx ", (u64)c->addr, c->size,
		   c->owner);
	pcarve_show_flags(m, c->flags);
	seq_printf(m, " %s %s %s\n",
		   pcarve_chunk_direct_mapped(c) ? "mapped" : "unmapped",
		   pcarve_chunk_has_pages(c) ? "pages" : "nopages", state);
}

/* one line per chunk handed out, by address, then those being restored */
static int pcarve_chunks_show(struct seq_file *m, void *v)
{
	struct pcarve_pool *pool = m->private;
	const struct pcarve_chunk *c;
	struct rb_node *n;

	seq_puts(m, "# address size owner flags direct-map struct-pages state\n");
	spin_lock(&pool->lock);
	for (n = rb_first(&pool->chunks); n; n = rb_next(n))
		pcarve_show_chunk(m, rb_entry(n, struct pcarve_chunk, node),
				  "allocated");
	list_for_each_entry(c, &pool->restore, work_node)
		pcarve_show_chunk(m, c, "restoring");
	spin_unlock(&pool->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcarve_chunks);

static int pcarve_stats_show(struct seq_file *m, void *v)
{
	struct pcarve_pool *pool = m->private;
	struct pcarve_stats st;
	u64 free, used, restoring, lost;
	size_t map_bytes;

	spin_lock(&pool->lock);
	st = pool->stats;
	free = pool->map.free;
	used = pool->used;
	restoring = pool->restoring;
	lost = pool->lost;
	map_bytes = pcarve_chunkmap_bytes(&pool->map);
	spin_unlock(&pool->lock);
	seq_printf(m, "alloc %llu\nfree %llu\nfail %llu\nsplit %llu\nmerge %llu\n",
		   st.alloc, st.free, st.fail, st.split, st.merge);
	seq_printf(m, "free_bytes %llu\nused_bytes %llu\nrestoring_bytes %llu\nlost_bytes %llu\nfree_map_bytes %zu\n",
		   free, used, restoring, lost, map_bytes);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcarve_stats);

struct dentry *pcarve_debugfs_root;

static int __init pcarve_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("pcarve", NULL);
	int nid;

	pcarve_debugfs_root = dir;
	debugfs_create_file("probe", 0600, dir, NULL, &pcarve_probe_fops);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];
		struct dentry *node;
		char name[16];

		if (!pool)
			continue;
		snprintf(name, sizeof(name), "node%d", nid);
		node = debugfs_create_dir(name, dir);
		debugfs_create_file("chunks", 0400, node, pool,
				    &pcarve_chunks_fops);
		debugfs_create_file("stats", 0444, node, pool,
				    &pcarve_stats_fops);
	}
	return 0;
}
late_initcall(pcarve_debugfs_init);
