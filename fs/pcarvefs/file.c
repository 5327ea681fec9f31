// SPDX-License-Identifier: GPL-2.0
/*
 * pcarvefs regular files: size changes, read and write, mmap, ioctls.
 *
 * A file is used through mmap(MAP_SHARED); a private mapping is refused
 * with EINVAL, since a copy-on-write of guest memory is never what its
 * user wants.  Files of nomap pools, and files that keep out of the direct
 * map, are mapped by pfn: read(2) and write(2) fail on them with
 * EOPNOTSUPP (the kernel has no mapping of their memory to copy through),
 * and so does GUP.  Other files are mapped through their folios, whole,
 * by PMD and PUD entries, and read(2), write(2) and GUP work on them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <uapi/linux/pcarvefs.h>

#include "internal.h"

/*
 * Back a file up to @end; unless @keep_size, make it @end bytes long.  The
 * bytes that come back inside the file from the end of a chunk it kept
 * when it was shortened are zeroed (new chunks come zeroed).  Called with
 * the inode lock held exclusively.
 */
static int pcarvefs_extend(struct inode *inode, u64 end, bool keep_size)
{
	u64 old_size = i_size_read(inode), old_backed = PCARVEFS_I(inode)->backed;
	int ret;

	ret = pcarvefs_grow(inode, end);
	if (ret || keep_size || end <= old_size)
		return ret;
	ret = pcarvefs_zero_range(inode, old_size, min(end, old_backed));
	if (!ret)
		i_size_write(inode, end);
	return ret;
}

static int pcarvefs_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			    struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	ret = setattr_prepare(idmap, dentry, attr);
	if (ret)
		return ret;
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != i_size_read(inode)) {
		if (attr->ia_size > i_size_read(inode)) {
			ret = pcarvefs_extend(inode, attr->ia_size, false);
			if (ret)
				return ret;
		} else {
			filemap_invalidate_lock(inode->i_mapping);
			i_size_write(inode, attr->ia_size);
			pcarvefs_shrink(inode, attr->ia_size);
			filemap_invalidate_unlock(inode->i_mapping);
		}
		inode_set_mtime_to_ts(inode, inode_set_ctime_current(inode));
	}
	setattr_copy(idmap, inode, attr);
	mark_inode_dirty(inode);
	return 0;
}

static int pcarvefs_getattr(struct mnt_idmap *idmap, const struct path *path,
			    struct kstat *stat, u32 request_mask,
			    unsigned int query_flags)
{
	struct inode *inode = d_inode(path->dentry);

	generic_fillattr(idmap, request_mask, inode, stat);
	return 0;
}

const struct inode_operations pcarvefs_file_inode_operations = {
	.setattr	= pcarvefs_setattr,
	.getattr	= pcarvefs_getattr,
};

/* copy between a file and @iter, up to @limit; inode locked */
static ssize_t pcarvefs_copy(struct inode *inode, loff_t *ppos, u64 limit,
			     struct iov_iter *iter, bool to_file)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	struct pcarve_chunk *chunk;
	u64 pos = *ppos, off, len;
	ssize_t done = 0, n = 0;

	while (iov_iter_count(iter) && pos < limit) {
		chunk = pcarvefs_chunk_at(pi, pos, &off);
		if (WARN_ON_ONCE(!chunk)) {
			n = -EIO;
			break;
		}
		len = min3((u64)iov_iter_count(iter), limit - pos,
			   pcarve_chunk_size(chunk) - off);
		n = pcarve_chunk_copy(chunk, off, len, iter, to_file);
		if (n <= 0) {
			n = n ?: -EFAULT;
			break;
		}
		done += n;
		pos += n;
		cond_resched();
	}
	*ppos = pos;
	return done ?: min_t(ssize_t, n, 0);
}

static ssize_t pcarvefs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	if (pcarvefs_is_pfnmap(inode))
		return -EOPNOTSUPP;
	if (!iov_iter_count(to))
		return 0;
	inode_lock_shared(inode);
	ret = pcarvefs_copy(inode, &iocb->ki_pos, i_size_read(inode), to,
			    false);
	inode_unlock_shared(inode);
	if (ret > 0)
		file_accessed(iocb->ki_filp);
	return ret;
}

static ssize_t pcarvefs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	u64 old_size, old_backed, pos;
	ssize_t ret;

	if (pcarvefs_is_pfnmap(inode))
		return -EOPNOTSUPP;
	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret <= 0)
		goto out;
	ret = file_modified(file);
	if (ret)
		goto out;
	pos = iocb->ki_pos;
	old_size = i_size_read(inode);
	old_backed = PCARVEFS_I(inode)->backed;
	/* back the file first; it grows by what is written, no more */
	ret = pcarvefs_grow(inode, pos + iov_iter_count(from));
	if (!ret && pos > old_size)
		ret = pcarvefs_zero_range(inode, old_size,
					  min(pos, old_backed));
	if (ret)
		goto out;
	ret = pcarvefs_copy(inode, &iocb->ki_pos, PCARVEFS_I(inode)->backed,
			    from, true);
	if (iocb->ki_pos > old_size)
		i_size_write(inode, iocb->ki_pos);
out:
	inode_unlock(inode);
	return ret;
}

static struct pcarve_chunk *pcarvefs_vma_chunk_at(struct vm_area_struct *vma,
						  u64 off, u64 *chunk_off)
{
	struct inode *inode = file_inode(vma->vm_file);

	/* mapped while it was empty, then made something else: SIGBUS */
	if (vma_is_pcarve(vma) == pcarvefs_is_pfnmap(inode))
		return NULL;
	/* no entry starts past the end of the file */
	if (off >= i_size_read(inode))
		return NULL;
	return pcarvefs_chunk_at(PCARVEFS_I(inode), off, chunk_off);
}

static const struct pcarve_vma_ops pcarvefs_vma_ops = {
	.chunk_at	= pcarvefs_vma_chunk_at,
};

static int pcarvefs_mmap_prepare(struct vm_area_desc *desc)
{
	struct inode *inode = file_inode(desc->file);
	bool pfnmap = pcarvefs_is_pfnmap(inode);
	u64 off = (u64)desc->pgoff << PAGE_SHIFT;
	u64 align = PMD_SIZE;

	/*
	 * Folios are mapped whole: a mapping whose address and offset do not
	 * line up on them could never be faulted in.
	 */
	if (!pfnmap && PCARVEFS_SB(inode->i_sb)->granule > PMD_SIZE) {
		if (!IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD))
			return -EINVAL;
		align = PUD_SIZE;
	}
	if (!pfnmap && (!IS_ALIGNED(off, align) ||
			!IS_ALIGNED(desc->start - off, align)))
		return -EINVAL;
	file_accessed(desc->file);
	/* refuses a private mapping: a copy of guest memory is not wanted */
	return pcarve_mmap_prepare(desc, &pcarvefs_vma_ops, pfnmap);
}

/*
 * An address whose offset from the file offset is a multiple of @align,
 * so that PUD or PMD entries can map the file.  As the THP code does for
 * PMDs: ask for @align more than needed, then move into the padding.
 */
static unsigned long pcarvefs_aligned_area(struct file *file,
					   unsigned long addr,
					   unsigned long len, loff_t off,
					   unsigned long flags,
					   unsigned long align)
{
	unsigned long padded = len + align, ret;

	if (len < align || padded < len)
		return 0;
	ret = mm_get_unmapped_area(file, addr, padded, off >> PAGE_SHIFT,
				   flags);
	if (IS_ERR_VALUE(ret) || ret == addr)
		return IS_ERR_VALUE(ret) ? 0 : ret;
	return ret + ((off - ret) & (align - 1));
}

static unsigned long pcarvefs_get_unmapped_area(struct file *file,
						unsigned long addr,
						unsigned long len,
						unsigned long pgoff,
						unsigned long flags)
{
	loff_t off = (loff_t)pgoff << PAGE_SHIFT;
	unsigned long ret = 0;

	if (flags & MAP_FIXED)
		return mm_get_unmapped_area(file, addr, len, pgoff, flags);
	if (IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD))
		ret = pcarvefs_aligned_area(file, addr, len, off, flags,
					    PUD_SIZE);
	if (!ret)
		ret = pcarvefs_aligned_area(file, addr, len, off, flags,
					    PMD_SIZE);
	return ret ?: mm_get_unmapped_area(file, addr, len, pgoff, flags);
}

static long pcarvefs_fallocate(struct file *file, int mode, loff_t offset,
			       loff_t len)
{
	struct inode *inode = file_inode(file);
	loff_t end;
	int ret;

	/* no holes: punching, zeroing or collapsing a range is not offered */
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (check_add_overflow(offset, len, &end) ||
	    end > inode->i_sb->s_maxbytes)
		return -EFBIG;
	inode_lock(inode);
	ret = inode_newsize_ok(inode, end);
	if (!ret)
		ret = file_modified(file);
	if (!ret)
		ret = pcarvefs_extend(inode, end, mode & FALLOC_FL_KEEP_SIZE);
	inode_unlock(inode);
	return ret;
}

static void pcarvefs_attr_get(struct inode *inode, struct pcarvefs_attr *attr)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(inode->i_sb);
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	static const u32 modes[] = {
		[PCARVE_NOMAP]	= PCARVEFS_POOL_NOMAP,
		[PCARVE_HVO]	= PCARVEFS_POOL_HVO,
		[PCARVE_MAP]	= PCARVEFS_POOL_MAP,
	};

	memset(attr, 0, sizeof(*attr));
	inode_lock_shared(inode);
	attr->flags = pi->flags;
	attr->allocated = pi->backed;
	attr->nr_1g = pi->nr_1g;
	attr->nr_2m = pi->nr_2m;
	inode_unlock_shared(inode);
	attr->pool_mode = modes[sbi->pool_mode];
	attr->nid = sbi->nid;
	attr->granule = sbi->granule;
}

static int pcarvefs_attr_set(struct file *file,
			     const struct pcarvefs_attr *attr)
{
	struct inode *inode = file_inode(file);
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(inode->i_sb);
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	unsigned int flags = attr->flags;
	struct pcarve_pool_info info;
	int ret = 0;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!inode_owner_or_capable(file_mnt_idmap(file), inode))
		return -EPERM;
	if ((flags & ~PCARVEFS_FLAGS) || attr->reserved)
		return -EINVAL;
	/* a nomap pool has no direct map to be in */
	if (sbi->pool_mode == PCARVE_NOMAP)
		flags |= PCARVEFS_UNMAPPED;
	else if ((flags & PCARVEFS_UNMAPPED) &&
		 (pcarve_pool_info(sbi->nid, &info) || !info.can_unmap))
		return -EOPNOTSUPP;

	inode_lock(inode);
	filemap_invalidate_lock(inode->i_mapping);
	if (pi->backed) {
		ret = -EBUSY;
	} else {
		WRITE_ONCE(pi->flags, flags);
		inode_set_ctime_current(inode);
	}
	filemap_invalidate_unlock(inode->i_mapping);
	inode_unlock(inode);
	return ret;
}

static long pcarvefs_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct pcarvefs_attr attr;

	switch (cmd) {
	case PCARVEFS_IOC_GET_ATTR:
		pcarvefs_attr_get(file_inode(file), &attr);
		return copy_to_user(uarg, &attr, sizeof(attr)) ? -EFAULT : 0;
	case PCARVEFS_IOC_SET_ATTR:
		if (copy_from_user(&attr, uarg, sizeof(attr)))
			return -EFAULT;
		return pcarvefs_attr_set(file, &attr);
	}
	return -ENOTTY;
}

const struct file_operations pcarvefs_file_operations = {
	.open			= generic_file_open,
	.llseek			= generic_file_llseek,
	.read_iter		= pcarvefs_read_iter,
	.write_iter		= pcarvefs_write_iter,
	.mmap_prepare		= pcarvefs_mmap_prepare,
	.get_unmapped_area	= pcarvefs_get_unmapped_area,
	.fallocate		= pcarvefs_fallocate,
	.unlocked_ioctl		= pcarvefs_ioctl,
	.compat_ioctl		= compat_ptr_ioctl,
	.fsync			= noop_fsync,
};
