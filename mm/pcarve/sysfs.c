// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/mm/pcarve/: totals, and one node<N>/ directory per pool, which
 * also appears as /sys/devices/system/node/node<N>/pcarve.
 *
 * One value per file, sizes in bytes.  Physical addresses (extents) are
 * readable by root only.  Every file is in
 * Documentation/ABI/testing/sysfs-kernel-mm-pcarve.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/node.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/sysfs.h>

#include "internal.h"

struct pcarve_pool_kobj {
	struct kobject kobj;
	struct pcarve_pool *pool;
};

static struct kobject *pcarve_kobj;

static struct pcarve_pool *kobj_to_pool(struct kobject *kobj)
{
	return container_of(kobj, struct pcarve_pool_kobj, kobj)->pool;
}

/* per-pool files */

static ssize_t size_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(kobj_to_pool(kobj)->size));
}

/*
 * Resize like nr_hugepages: the size wanted, in bytes.  The pool reaches
 * it or nothing changes; reading back gives what the pool has.
 */
static ssize_t size_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct pcarve_pool *pool = kobj_to_pool(kobj);
	u64 size;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = kstrtoull(buf, 0, &size);
	if (ret) {
		pr_warn("node%d: size: '%.*s' is not a size in bytes\n",
			pool->nid, (int)min(strcspn(buf, "\n"), 32UL), buf);
		return -EINVAL;
	}
	if (!IS_ALIGNED(size, pool->granule)) {
		pr_warn("node%d: size: %llu is not a multiple of the pool's granule (%llu)\n",
			pool->nid, size, pool->granule);
		return -EINVAL;
	}
	ret = pcarve_pool_resize(pool, size);
	if (ret == -EIO)
		pr_warn("node%d: size: %llu: the pool is quarantined and cannot be resized\n",
			pool->nid, size);
	return ret ?: count;
}

static struct kobj_attribute size_attr = __ATTR_RW(size);

static ssize_t handover_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(kobj_to_pool(kobj)->handover));
}

static ssize_t handover_store(struct kobject *kobj,
			      struct kobj_attribute *attr, const char *buf,
			      size_t count)
{
	struct pcarve_pool *pool = kobj_to_pool(kobj);
	bool on;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (kstrtobool(buf, &on)) {
		pr_warn("node%d: handover: '%.*s' is not 0 or 1\n", pool->nid,
			(int)min(strcspn(buf, "\n"), 32UL), buf);
		return -EINVAL;
	}
	ret = pcarve_set_handover(pool, on);
	return ret ?: count;
}

static struct kobj_attribute handover_attr = __ATTR_RW(handover);

static ssize_t origin_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", kobj_to_pool(kobj)->restored ?
			  "handover" : "boot");
}

static struct kobj_attribute origin_attr = __ATTR_RO(origin);

/* "1": give a quarantined handed-over pool, and its data, to the kernel */
static ssize_t release_store(struct kobject *kobj,
			     struct kobj_attribute *attr, const char *buf,
			     size_t count)
{
	struct pcarve_pool *pool = kobj_to_pool(kobj);
	bool yes;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (kstrtobool(buf, &yes) || !yes) {
		pr_warn("node%d: release: '%.*s' is not 1\n", pool->nid,
			(int)min(strcspn(buf, "\n"), 32UL), buf);
		return -EINVAL;
	}
	ret = pcarve_pool_release(pool);
	if (ret == -EPERM)
		pr_warn("node%d: release: only a pool quarantined after a handover can be released\n",
			pool->nid);
	else if (ret == -EOPNOTSUPP)
		pr_warn("node%d: release: an hvo pool's trimmed memmap cannot serve the page allocator; it stays reserved\n",
			pool->nid);
	else if (ret)
		pr_warn("node%d: release failed (%pe); %llu MiB stay reserved\n",
			pool->nid, ERR_PTR(ret), READ_ONCE(pool->size) >> 20);
	else
		pr_info("node%d: released by the operator: the handed-over data is given up\n",
			pool->nid);
	return ret ?: count;
}

static struct kobj_attribute release_attr = __ATTR_WO(release);

static ssize_t used_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", pcarve_pool_used(kobj_to_pool(kobj)));
}

static struct kobj_attribute used_attr = __ATTR_RO(used);

static ssize_t free_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", pcarve_pool_free(kobj_to_pool(kobj)));
}

static struct kobj_attribute free_attr = __ATTR_RO(free);

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", pcarve_mode_name(kobj_to_pool(kobj)->mode));
}

static struct kobj_attribute mode_attr = __ATTR_RO(mode);

/* what the kernel did, not what was asked: removal can fail or be refused */
static ssize_t direct_map_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", kobj_to_pool(kobj)->unmapped ?
			  "unmapped" : "mapped");
}

static struct kobj_attribute direct_map_attr = __ATTR_RO(direct_map);

static ssize_t granule_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%llu\n", kobj_to_pool(kobj)->granule);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct pcarve_pool *pool = kobj_to_pool(kobj);
	bool q;

	spin_lock(&pool->lock);
	q = pool->state == PCARVE_POOL_QUARANTINED;
	spin_unlock(&pool->lock);
	return sysfs_emit(buf, "%s\n", q ? "quarantined" : "active");
}

static struct kobj_attribute state_attr = __ATTR_RO(state);

static ssize_t reason_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct pcarve_pool *pool = kobj_to_pool(kobj);
	const char *reason;

	spin_lock(&pool->lock);
	reason = pool->reason;
	spin_unlock(&pool->lock);
	return sysfs_emit(buf, "%s\n", reason ?: "");
}

static struct kobj_attribute reason_attr = __ATTR_RO(reason);

static struct kobj_attribute granule_attr = __ATTR_RO(granule);

static int pcarve_count_range(phys_addr_t start, phys_addr_t size,
			      void *arg)
{
	return 0;
}

/* the ranges the pool has now: boot extents less what went back, grown */
static ssize_t nr_extents_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  pcarve_walk_ranges(kobj_to_pool(kobj),
					     pcarve_count_range, NULL));
}

static struct kobj_attribute nr_extents_attr = __ATTR_RO(nr_extents);

struct pcarve_emit {
	char *buf;
	int len;
};

static int pcarve_emit_range(phys_addr_t start, phys_addr_t size, void *arg)
{
	struct pcarve_emit *e = arg;

	/* a page holds 100 lines; nr_extents has the count */
	if (e->len + 40 > PAGE_SIZE)
		return 1;
	e->len += sysfs_emit_at(e->buf, e->len, "0x%llx-0x%llx\n", (u64)start,
				(u64)(start + size - 1));
	return 0;
}

static ssize_t extents_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct pcarve_emit e = { .buf = buf };

	pcarve_walk_ranges(kobj_to_pool(kobj), pcarve_emit_range, &e);
	return e.len;
}

static struct kobj_attribute extents_attr = __ATTR_RO_MODE(extents, 0400);

static struct attribute *pcarve_pool_attrs[] = {
	&size_attr.attr,
	&free_attr.attr,
	&used_attr.attr,
	&mode_attr.attr,
	&direct_map_attr.attr,
	&state_attr.attr,
	&reason_attr.attr,
	&origin_attr.attr,
	&release_attr.attr,
	&granule_attr.attr,
	&nr_extents_attr.attr,
	&extents_attr.attr,
	&handover_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pcarve_pool);

static void pcarve_pool_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct pcarve_pool_kobj, kobj));
}

static const struct kobj_type pcarve_pool_ktype = {
	.release = pcarve_pool_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = pcarve_pool_groups,
};

/* totals */

enum pcarve_total { PCARVE_TOTAL_SIZE, PCARVE_TOTAL_USED, PCARVE_TOTAL_FREE };

static u64 pcarve_total(enum pcarve_total what)
{
	u64 sum = 0;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pcarve_pool *pool = pcarve_pools[nid];

		if (!pool)
			continue;
		sum += what == PCARVE_TOTAL_SIZE ? pool->size :
		       what == PCARVE_TOTAL_USED ? pcarve_pool_used(pool) :
		       pcarve_pool_free(pool);
	}
	return sum;
}

static ssize_t total_size_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", pcarve_total(PCARVE_TOTAL_SIZE));
}

static ssize_t total_used_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", pcarve_total(PCARVE_TOTAL_USED));
}

static ssize_t total_free_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", pcarve_total(PCARVE_TOTAL_FREE));
}

static ssize_t nr_pools_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	int nid, nr = 0;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		nr += pcarve_pool_exists(nid);
	return sysfs_emit(buf, "%d\n", nr);
}

static struct kobj_attribute total_size_attr = __ATTR(size, 0444, total_size_show, NULL);
static struct kobj_attribute total_used_attr = __ATTR(used, 0444, total_used_show, NULL);
static struct kobj_attribute total_free_attr = __ATTR(free, 0444, total_free_show, NULL);
static struct kobj_attribute nr_pools_attr = __ATTR_RO(nr_pools);

static struct attribute *pcarve_total_attrs[] = {
	&total_size_attr.attr,
	&total_free_attr.attr,
	&total_used_attr.attr,
	&nr_pools_attr.attr,
	NULL,
};

static const struct attribute_group pcarve_total_group = {
	.attrs = pcarve_total_attrs,
};

static int __init pcarve_sysfs_add_pool(struct pcarve_pool *pool)
{
	struct pcarve_pool_kobj *pk;
	struct node *node;
	int ret;

	pk = kzalloc_obj(*pk);
	if (!pk)
		return -ENOMEM;
	pk->pool = pool;
	ret = kobject_init_and_add(&pk->kobj, &pcarve_pool_ktype, pcarve_kobj,
				   "node%d", pool->nid);
	if (ret) {
		kobject_put(&pk->kobj);
		return ret;
	}

	/* the per-node view is the same directory, not a copy of it */
	node = node_devices[pool->nid];
	if (node) {
		ret = sysfs_create_link(&node->dev.kobj, &pk->kobj, "pcarve");
		if (ret)
			pr_warn("node%d: no per-node sysfs view (%pe)\n",
				pool->nid, ERR_PTR(ret));
	}
	return 0;
}

static int __init pcarve_sysfs_init(void)
{
	int nid, ret;

	pcarve_kobj = kobject_create_and_add("pcarve", mm_kobj);
	if (!pcarve_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(pcarve_kobj, &pcarve_total_group);
	if (ret)
		goto put_root;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!pcarve_pool_exists(nid))
			continue;
		ret = pcarve_sysfs_add_pool(pcarve_pools[nid]);
		if (ret)
			pr_warn("node%d: pool not shown in sysfs (%pe)\n",
				nid, ERR_PTR(ret));
	}
	return 0;

put_root:
	kobject_put(pcarve_kobj);
	return ret;
}
subsys_initcall(pcarve_sysfs_init);
