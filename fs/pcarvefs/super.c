// SPDX-License-Identifier: GPL-2.0
/*
 * pcarvefs: mounting, the superblock and statfs.
 *
 *	mount -t pcarvefs -o node=N[,tenant=NAME][,size=BYTES][,uid=,gid=,mode=] none DIR
 *
 * One superblock per (node, tenant): every mount of the same node and
 * tenant shows the same tree; tenants of one node see different trees and
 * share the pool as tenant.c says.  The tree lives as long as one of its
 * mounts does, as tmpfs's does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/init.h>
#include <linux/kdev_t.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include <uapi/linux/pcarvefs.h>

#include "internal.h"

/* mount options, as given: what was set, and to what */
enum {
	OPT_NODE,
	OPT_TENANT,
	OPT_SIZE,
	OPT_UID,
	OPT_GID,
	OPT_MODE,
};

/**
 * struct pcarvefs_fs_context - the options of one mount or remount
 * @set: BIT(OPT_*) of the options given
 * @nid: node=
 * @tenant: tenant=
 * @size: size=, in bytes
 * @uid: uid=
 * @gid: gid=
 * @mode: mode=
 */
struct pcarvefs_fs_context {
	unsigned int set;
	int nid;
	char tenant[PCARVEFS_TENANT_MAX + 1];
	u64 size;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
};

static const struct fs_parameter_spec pcarvefs_fs_parameters[] = {
	fsparam_u32("node", OPT_NODE),
	fsparam_string("tenant", OPT_TENANT),
	fsparam_string("size", OPT_SIZE),
	fsparam_uid("uid", OPT_UID),
	fsparam_gid("gid", OPT_GID),
	fsparam_u32oct("mode", OPT_MODE),
	{}
};

/* serialises finding or creating a superblock with its tenant checks */
static DEFINE_MUTEX(pcarvefs_mount_lock);

static bool pcarvefs_valid_tenant(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > PCARVEFS_TENANT_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum(s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

static int pcarvefs_parse_param(struct fs_context *fc,
				struct fs_parameter *param)
{
	struct pcarvefs_fs_context *ctx = fc->fs_private;
	struct fs_parse_result result;
	char *end;
	int opt;

	opt = fs_parse(fc, pcarvefs_fs_parameters, param, &result);
	if (opt == -ENOPARAM) {
		opt = vfs_parse_fs_param_source(fc, param);
		if (opt != -ENOPARAM)
			return opt;
		return invalfc(fc, "unknown option \"%s\"", param->key);
	}
	if (opt < 0)
		return opt;

	switch (opt) {
	case OPT_NODE:
		if (result.uint_32 >= MAX_NUMNODES ||
		    !node_online(result.uint_32))
			return invalfc(fc, "node=%u: no such online node",
				       result.uint_32);
		ctx->nid = result.uint_32;
		break;
	case OPT_TENANT:
		if (!pcarvefs_valid_tenant(param->string))
			return invalfc(fc, "tenant=%s: 1 to %d letters, digits, '-' or '_'",
				       param->string, PCARVEFS_TENANT_MAX);
		strscpy(ctx->tenant, param->string);
		break;
	case OPT_SIZE:
		ctx->size = memparse(param->string, &end);
		if (*end || end == param->string)
			return invalfc(fc, "size=%s: not a size (bytes, or with K, M, G, T)",
				       param->string);
		if (ctx->size < SZ_2M)
			return invalfc(fc, "size=%s: less than one 2 MiB chunk",
				       param->string);
		break;
	case OPT_UID:
		ctx->uid = result.uid;
		break;
	case OPT_GID:
		ctx->gid = result.gid;
		break;
	case OPT_MODE:
		ctx->mode = result.uint_32 & S_IALLUGO;
		break;
	}
	ctx->set |= BIT(opt);
	return 0;
}

/* a mount of an existing tree: its options must say what the tree is */
static int pcarvefs_check_same(struct fs_context *fc,
			       struct pcarvefs_sb_info *sbi)
{
	struct pcarvefs_fs_context *ctx = fc->fs_private;
	const char *name = sbi->tenant[0] ? sbi->tenant : "(default)";

	if ((ctx->set & BIT(OPT_SIZE)) && ctx->size != sbi->cap) {
		errorfc(fc, "size=%llu: tenant %s of node %d is mounted with size=%llu",
			ctx->size, name, sbi->nid, sbi->cap);
		return -EBUSY;
	}
	if (((ctx->set & BIT(OPT_UID)) && !uid_eq(ctx->uid, sbi->uid)) ||
	    ((ctx->set & BIT(OPT_GID)) && !gid_eq(ctx->gid, sbi->gid)) ||
	    ((ctx->set & BIT(OPT_MODE)) && ctx->mode != sbi->mode)) {
		errorfc(fc, "uid=, gid=, mode=: node %d tenant %s is mounted with other values",
			sbi->nid, name);
		return -EBUSY;
	}
	return 0;
}

static int pcarvefs_test_super(struct super_block *sb, struct fs_context *fc)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(sb);
	struct pcarvefs_fs_context *ctx = fc->fs_private;

	return sbi->nid == ctx->nid && !strcmp(sbi->tenant, ctx->tenant);
}

static int pcarvefs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(dentry->d_sb);
	struct pcarve_pool_info info;
	u64 total;

	if (pcarve_pool_info(sbi->nid, &info))
		return -EIO;
	total = sbi->cap ? sbi->cap : info.size;
	buf->f_type = PCARVEFS_MAGIC;
	buf->f_bsize = sbi->granule;
	buf->f_frsize = sbi->granule;
	buf->f_blocks = total / sbi->granule;
	buf->f_bfree = pcarvefs_available(sbi) / sbi->granule;
	buf->f_bavail = buf->f_bfree;
	buf->f_namelen = NAME_MAX;
	buf->f_fsid = u64_to_fsid(huge_encode_dev(dentry->d_sb->s_dev));
	return 0;
}

static int pcarvefs_show_options(struct seq_file *m, struct dentry *root)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(root->d_sb);

	seq_printf(m, ",node=%d", sbi->nid);
	if (sbi->tenant[0])
		seq_printf(m, ",tenant=%s", sbi->tenant);
	if (sbi->cap)
		seq_printf(m, ",size=%llu", sbi->cap);
	if (!uid_eq(sbi->uid, GLOBAL_ROOT_UID))
		seq_printf(m, ",uid=%u",
			   from_kuid_munged(&init_user_ns, sbi->uid));
	if (!gid_eq(sbi->gid, GLOBAL_ROOT_GID))
		seq_printf(m, ",gid=%u",
			   from_kgid_munged(&init_user_ns, sbi->gid));
	seq_printf(m, ",mode=%o", sbi->mode);
	return 0;
}

static const struct super_operations pcarvefs_super_ops = {
	.alloc_inode	= pcarvefs_alloc_inode,
	.free_inode	= pcarvefs_free_inode,
	.evict_inode	= pcarvefs_evict_inode,
	.drop_inode	= inode_just_drop,
	.statfs		= pcarvefs_statfs,
	.show_options	= pcarvefs_show_options,
};

static int pcarvefs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct pcarvefs_fs_context *ctx = fc->fs_private;
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(sb);
	struct inode *root;
	int ret, t;

	/* a tree the previous kernel handed over: its number, cap, inodes */
	t = pcarvefs_restore_find(sbi->nid, sbi->tenant);
	if (t >= 0) {
		pcarvefs_restore_sbi(t, sbi);
		if (ctx->set & BIT(OPT_SIZE))
			sbi->cap = ctx->size;
	}
	sbi->sb = sb;
	ret = pcarvefs_tenant_add(sbi, fc);
	if (ret)
		return ret;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = PCARVEFS_MAGIC;
	sb->s_op = &pcarvefs_super_ops;
	sb->s_d_flags = DCACHE_DONTCACHE;
	sb->s_time_gran = 1;
	root = pcarvefs_get_inode(sb, NULL, S_IFDIR | sbi->mode);
	if (IS_ERR(root))
		return PTR_ERR(root);
	root->i_uid = sbi->uid;
	root->i_gid = sbi->gid;
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		return -ENOMEM;
	if (t < 0)
		return 0;
	/* what could be rebuilt stays, even short of memory: never dropped */
	ret = pcarvefs_restore_tree(sb, t);
	if (ret)
		pr_err("handover: node%d tenant '%s': the tree is restored only in part (%pe)\n",
		       sbi->nid, sbi->tenant, ERR_PTR(ret));
	/* the root's owner and mode are the recorded ones */
	sbi->uid = root->i_uid;
	sbi->gid = root->i_gid;
	sbi->mode = root->i_mode & S_IALLUGO;
	return 0;
}

/* a size= that the pool of node @nid (@info) could never hold */
static int pcarvefs_check_size(struct fs_context *fc, int nid,
			       const struct pcarve_pool_info *info)
{
	struct pcarvefs_fs_context *ctx = fc->fs_private;

	if (ctx->size > info->size)
		return invalfc(fc, "size=%llu: larger than node %d's pool (%llu bytes)",
			       ctx->size, nid, info->size);
	return 0;
}

static int pcarvefs_get_tree(struct fs_context *fc)
{
	struct pcarvefs_fs_context *ctx = fc->fs_private;
	struct pcarvefs_sb_info *sbi;
	struct pcarve_pool_info info;
	struct super_block *sb;
	int ret;

	if (!(ctx->set & BIT(OPT_NODE)))
		return invalfc(fc, "node= is missing: the NUMA node whose pool the files use");
	if (pcarve_pool_info(ctx->nid, &info)) {
		errorfc(fc, "node=%d: no pcarve pool on that node (pmem=)",
			ctx->nid);
		return -ENODEV;
	}
	if (!info.usable) {
		errorfc(fc, "node=%d: the pool is quarantined (see /sys/kernel/mm/pcarve/node%d/)",
			ctx->nid, ctx->nid);
		return -EIO;
	}
	ret = pcarvefs_check_size(fc, ctx->nid, &info);
	if (ret)
		return ret;

	sbi = kzalloc_obj(*sbi);
	if (!sbi)
		return -ENOMEM;
	INIT_LIST_HEAD(&sbi->node);
	sbi->nid = ctx->nid;
	strscpy(sbi->tenant, ctx->tenant);
	sbi->cap = ctx->size;
	sbi->uid = ctx->uid;
	sbi->gid = ctx->gid;
	sbi->mode = ctx->mode;
	sbi->pool_mode = info.mode;
	sbi->granule = info.granule;
	atomic64_set(&sbi->next_ino, 1);
	fc->s_fs_info = sbi;

	mutex_lock(&pcarvefs_mount_lock);
	sb = sget_fc(fc, pcarvefs_test_super, set_anon_super_fc);
	if (IS_ERR(sb)) {
		ret = PTR_ERR(sb);
		goto out;
	}
	if (sb->s_root) {
		ret = pcarvefs_check_same(fc, PCARVEFS_SB(sb));
		if (ret) {
			deactivate_locked_super(sb);
			goto out;
		}
		/* user space takes over a tree restored at boot */
		pcarvefs_unpin(PCARVEFS_SB(sb));
	} else {
		ret = pcarvefs_fill_super(sb, fc);
		if (ret) {
			deactivate_locked_super(sb);
			goto out;
		}
		sb->s_flags |= SB_ACTIVE;
	}
	fc->root = dget(sb->s_root);
	ret = 0;
out:
	mutex_unlock(&pcarvefs_mount_lock);
	return ret;
}

static int pcarvefs_reconfigure(struct fs_context *fc)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(fc->root->d_sb);
	struct pcarvefs_fs_context *ctx = fc->fs_private;
	struct pcarve_pool_info info;
	int ret;

	if (((ctx->set & BIT(OPT_NODE)) && ctx->nid != sbi->nid) ||
	    ((ctx->set & BIT(OPT_TENANT)) && strcmp(ctx->tenant, sbi->tenant)))
		return invalfc(fc, "node=, tenant=: a remount cannot change them");
	if (((ctx->set & BIT(OPT_UID)) && !uid_eq(ctx->uid, sbi->uid)) ||
	    ((ctx->set & BIT(OPT_GID)) && !gid_eq(ctx->gid, sbi->gid)) ||
	    ((ctx->set & BIT(OPT_MODE)) && ctx->mode != sbi->mode))
		return invalfc(fc, "uid=, gid=, mode=: a remount cannot change them");
	if (!(ctx->set & BIT(OPT_SIZE)))
		return 0;
	if (pcarve_pool_info(sbi->nid, &info))
		return -ENODEV;
	ret = pcarvefs_check_size(fc, sbi->nid, &info);
	if (ret)
		return ret;
	return pcarvefs_tenant_set_cap(sbi, ctx->size, fc);
}

static void pcarvefs_free_fc(struct fs_context *fc)
{
	kfree(fc->s_fs_info);
	kfree(fc->fs_private);
}

static const struct fs_context_operations pcarvefs_context_ops = {
	.free		= pcarvefs_free_fc,
	.parse_param	= pcarvefs_parse_param,
	.get_tree	= pcarvefs_get_tree,
	.reconfigure	= pcarvefs_reconfigure,
};

static int pcarvefs_init_fs_context(struct fs_context *fc)
{
	struct pcarvefs_fs_context *ctx;

	ctx = kzalloc_obj(*ctx);
	if (!ctx)
		return -ENOMEM;
	ctx->nid = NUMA_NO_NODE;
	ctx->uid = current_fsuid();
	ctx->gid = current_fsgid();
	ctx->mode = 0755;
	fc->fs_private = ctx;
	fc->ops = &pcarvefs_context_ops;
	return 0;
}

static void pcarvefs_kill_sb(struct super_block *sb)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(sb);

	/* its cap stops counting before a new mount of it can look */
	if (sbi)
		pcarvefs_tenant_del(sbi);
	/* evicts every inode, which gives its chunks back */
	kill_anon_super(sb);
	if (sbi) {
		WARN_ON_ONCE(sbi->used || sbi->committed);
		kfree(sbi);
	}
}

struct file_system_type pcarvefs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "pcarvefs",
	.init_fs_context	= pcarvefs_init_fs_context,
	.parameters		= pcarvefs_fs_parameters,
	.kill_sb		= pcarvefs_kill_sb,
};

static int __init pcarvefs_init(void)
{
	int ret;

	pcarvefs_tenant_init();
	ret = pcarvefs_inode_cache_init();
	if (ret)
		return ret;
	ret = register_filesystem(&pcarvefs_fs_type);
	if (ret) {
		pcarvefs_inode_cache_exit();
		return ret;
	}
	return pcarvefs_handover_init();
}
fs_initcall(pcarvefs_init);
