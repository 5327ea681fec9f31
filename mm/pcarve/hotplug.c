// SPDX-License-Identifier: GPL-2.0
/*
 * Giving memory a nomap pool carved at boot back to the kernel.
 *
 * Such memory left memblock.memory before the memmap was built, so it has
 * no struct pages and cannot simply be freed.  Memory hotplug is how the
 * kernel takes new memory: whole memory blocks of it are added to the
 * pool's node with __add_memory(), which builds their memmap, direct map
 * and "System RAM" resource, and then onlined to ZONE_NORMAL.
 *
 * The "pcarve" iomem resource of the range goes first (add_memory() would
 * find it busy), and the arch prepares its direct map (arch_pcarve_
 * prepare_hotplug()).  If the add fails, both are put back and the memory
 * stays in the pool.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * pcarve_hotplug_unit() - the smallest piece of boot nomap memory that can
 * be given back
 * @granule: the pool's granule
 *
 * Return: a whole number of memory blocks and of granules, or 0 where the
 * kernel has no memory hotplug.
 */
u64 pcarve_hotplug_unit(u64 granule)
{
	if (!IS_ENABLED(CONFIG_MEMORY_HOTPLUG))
		return 0;
	return max_t(u64, granule, memory_block_size_bytes());
}

#ifdef CONFIG_MEMORY_HOTPLUG
static int pcarve_count_res(struct resource *res, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int pcarve_online_block(struct memory_block *mem, void *arg)
{
	int ret;

	mem->online_type = MMOP_ONLINE_KERNEL;
	ret = device_online(&mem->dev);
	return ret < 0 ? ret : 0;
}

/**
 * pcarve_hotplug_give() - add boot nomap memory to its node and online it
 * @nid: the node
 * @start: first byte, aligned to pcarve_hotplug_unit()
 * @size: a multiple of pcarve_hotplug_unit()
 *
 * Context: process context; takes the device hotplug lock.
 * Return: 0 once the memory is the kernel's (even if onlining failed: it is
 * then offline memory the operator can online), or a negative errno with
 * the memory still the pool's.
 */
int pcarve_hotplug_give(int nid, phys_addr_t start, u64 size)
{
	phys_addr_t last = start + size - 1;
	struct resource *res;
	int ret, nr_res = 0;
	u64 off;

	/* one "pcarve" resource over the range, which can be cut */
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM | IORESOURCE_BUSY,
			    start, last, &nr_res, pcarve_count_res);
	if (nr_res != 1) {
		pr_warn("node%d: [mem %pa-%pa] is in %d iomem resources, not one: it stays in the pool\n",
			nid, &start, &last, nr_res);
		return -EBUSY;
	}
	res = kzalloc_obj(*res);
	if (!res)
		return -ENOMEM;
	ret = try_release_mem_region_adjustable(start, size);
	if (ret)
		goto free;
	for (off = 0; off < size && !ret; off += SZ_1G)
		ret = arch_pcarve_prepare_hotplug(start + off,
						  min_t(u64, size - off, SZ_1G));
	if (ret) {
		/* what was mapped again for the add leaves the direct map */
		pr_err("node%d: [mem %pa-%pa] could not be prepared for memory hotplug (%d): it stays in the pool\n",
		       nid, &start, &last, ret);
		goto unmap;
	}

	lock_device_hotplug();
	ret = __add_memory(nid, start, size, MHP_NONE);
	if (!ret && walk_memory_blocks(start, size, NULL, pcarve_online_block))
		pr_warn("node%d: [mem %pa-%pa] was added but not all of it could be onlined: see /sys/devices/system/memory\n",
			nid, &start, &last);
	unlock_device_hotplug();
	if (!ret) {
		kfree(res);
		return 0;
	}
	pr_err("node%d: adding [mem %pa-%pa] to the node failed (%d): it stays in the pool\n",
	       nid, &start, &last, ret);
unmap:
	if (pcarve_set_direct(start, size, false))
		pr_err("node%d: [mem %pa-%pa] could not leave the direct map again\n",
		       nid, &start, &last);
	res->name = "pcarve";
	res->start = start;
	res->end = last;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY | IORESOURCE_EXCLUSIVE;
	if (insert_resource(&iomem_resource, res))
		pr_err("node%d: [mem %pa-%pa] is no longer shown in /proc/iomem\n",
		       nid, &start, &last);
	else
		res = NULL;
free:
	kfree(res);
	return ret;
}
#else
int pcarve_hotplug_give(int nid, phys_addr_t start, u64 size)
{
	return -EOPNOTSUPP;
}
#endif
