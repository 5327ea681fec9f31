// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pcarve/probe: is a physical address in the direct map?
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

static int pcarve_probe_open(struct inode *inode, struct file *file)
{
	return single_open(file, pcarve_probe_show, NULL);
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

static const struct file_operations pcarve_probe_fops = {
	.owner		= THIS_MODULE,
	.open		= pcarve_probe_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= pcarve_probe_write,
};

static int __init pcarve_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("pcarve", NULL);

	debugfs_create_file("probe", 0600, dir, NULL, &pcarve_probe_fops);
	return 0;
}
late_initcall(pcarve_debugfs_init);
