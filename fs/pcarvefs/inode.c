// SPDX-License-Identifier: GPL-2.0
/*
 * pcarvefs inodes and directories.
 *
 * The tree lives in the dcache, as ramfs's does: directories are dentries
 * made persistent, so it needs no index of its own.  Every inode has a
 * number of its own in its superblock (never reused while it is mounted),
 * and everything about a file is plain data (its chunks are found by
 * offset, and each chunk records its owner tag, tenant and inode
 * number), so that the tree can be written out for the next kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/log2.h>
#include <linux/pagemap.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <uapi/linux/pcarvefs.h>

#include "internal.h"

static struct kmem_cache *pcarvefs_inode_cachep;
static const struct inode_operations pcarvefs_dir_inode_operations;

struct inode *pcarvefs_alloc_inode(struct super_block *sb)
{
	struct pcarvefs_inode *pi;

	pi = alloc_inode_sb(sb, pcarvefs_inode_cachep, GFP_KERNEL);
	if (!pi)
		return NULL;
	xa_init(&pi->chunks);
	pi->backed = 0;
	pi->nr_1g = 0;
	pi->nr_2m = 0;
	pi->flags = 0;
	return &pi->vfs_inode;
}

void pcarvefs_free_inode(struct inode *inode)
{
	kmem_cache_free(pcarvefs_inode_cachep, PCARVEFS_I(inode));
}

/* the last reference of an unlinked file, or unmount: give chunks back */
void pcarvefs_evict_inode(struct inode *inode)
{
	truncate_inode_pages_final(&inode->i_data);
	if (S_ISREG(inode->i_mode))
		pcarvefs_shrink(inode, 0);
	clear_inode(inode);
}

static void pcarvefs_inode_once(void *p)
{
	struct pcarvefs_inode *pi = p;

	inode_init_once(&pi->vfs_inode);
}

int __init pcarvefs_inode_cache_init(void)
{
	pcarvefs_inode_cachep = kmem_cache_create("pcarvefs_inode_cache",
						  sizeof(struct pcarvefs_inode),
						  0, SLAB_ACCOUNT,
						  pcarvefs_inode_once);
	return pcarvefs_inode_cachep ? 0 : -ENOMEM;
}

void __init pcarvefs_inode_cache_exit(void)
{
	kmem_cache_destroy(pcarvefs_inode_cachep);
}

/**
 * pcarvefs_get_inode() - a new inode of a superblock
 * @sb: the superblock
 * @dir: the directory it is created in, or NULL for the root
 * @mode: S_IFREG or S_IFDIR and the permissions
 *
 * Return: the inode, or ERR_PTR(-ENOMEM), or ERR_PTR(-ENOSPC) when the
 * inode numbers ran out.
 */
struct inode *pcarvefs_get_inode(struct super_block *sb,
				 const struct inode *dir, umode_t mode)
{
	u64 ino = atomic64_inc_return(&PCARVEFS_SB(sb)->next_ino);

	if (ino > PCARVEFS_INO_MAX)
		return ERR_PTR(-ENOSPC);
	return pcarvefs_new_inode(sb, dir, mode, ino);
}

/**
 * pcarvefs_new_inode() - a new inode of a given number
 * @sb: the superblock
 * @dir: the directory it is created in, or NULL
 * @mode: S_IFREG or S_IFDIR and the permissions
 * @ino: its number, at most PCARVEFS_INO_MAX
 *
 * Return: the inode, or ERR_PTR(-ENOMEM) or ERR_PTR(-EINVAL).
 */
struct inode *pcarvefs_new_inode(struct super_block *sb,
				 const struct inode *dir, umode_t mode, u64 ino)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(sb);
	struct inode *inode;

	if (!ino || ino > PCARVEFS_INO_MAX)
		return ERR_PTR(-EINVAL);
	inode = new_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_ino = ino;
	inode_init_owner(&nop_mnt_idmap, inode, dir, mode);
	simple_inode_init_ts(inode);
	mapping_set_unevictable(inode->i_mapping);
	inode->i_blkbits = ilog2(sbi->granule);
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &pcarvefs_file_inode_operations;
		inode->i_fop = &pcarvefs_file_operations;
		PCARVEFS_I(inode)->flags = PCARVEFS_HANDOVER;
		if (sbi->pool_mode == PCARVE_NOMAP)
			PCARVEFS_I(inode)->flags |= PCARVEFS_UNMAPPED;
		break;
	case S_IFDIR:
		inode->i_op = &pcarvefs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		/* "." */
		inc_nlink(inode);
		break;
	}
	return inode;
}

static int pcarvefs_mknod(struct inode *dir, struct dentry *dentry,
			  umode_t mode)
{
	struct inode *inode = pcarvefs_get_inode(dir->i_sb, dir, mode);
	int ret;

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = security_inode_init_security(inode, dir, &dentry->d_name, NULL,
					   NULL);
	if (ret) {
		iput(inode);
		return ret;
	}
	d_make_persistent(dentry, inode);
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
	return 0;
}

static int pcarvefs_create(struct mnt_idmap *idmap, struct inode *dir,
			   struct dentry *dentry, umode_t mode)
{
	return pcarvefs_mknod(dir, dentry, (mode & S_IALLUGO) | S_IFREG);
}

static struct dentry *pcarvefs_mkdir(struct mnt_idmap *idmap,
				     struct inode *dir, struct dentry *dentry,
				     umode_t mode)
{
	int ret = pcarvefs_mknod(dir, dentry, (mode & S_IALLUGO) | S_IFDIR);

	if (!ret)
		inc_nlink(dir);
	return ERR_PTR(ret);
}

static const struct inode_operations pcarvefs_dir_inode_operations = {
	.create		= pcarvefs_create,
	.lookup		= simple_lookup,
	.link		= simple_link,
	.unlink		= simple_unlink,
	.mkdir		= pcarvefs_mkdir,
	.rmdir		= simple_rmdir,
	.rename		= simple_rename,
	.setattr	= simple_setattr,
	.getattr	= simple_getattr,
};
