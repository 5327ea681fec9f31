// SPDX-License-Identifier: GPL-2.0
/*
 * The chunks of a pcarvefs file.
 *
 * A file is backed from offset 0 to its end by chunks of its node's pool,
 * without holes, so that every page of a mapping can be faulted in: 1 GiB
 * chunks for each whole, 1 GiB-aligned GiB of the file, 2 MiB chunks for
 * the rest.  A file mapped through its folios (hvo and map pools, unless
 * it keeps out of the direct map) on a pool of 1 GiB granule takes 1 GiB
 * chunks only, since a folio is mapped only whole.  Where the pool has no
 * free 1 GiB chunk, a GiB of a file that may take 2 MiB chunks is made of
 * 512 of them (mapped by PMDs).  Growing is all or nothing.
 *
 * Every chunk is zeroed by the allocator before the file gets it, and the
 * part of a chunk past the end of a file that is made longer again is
 * zeroed when it comes back inside it: no data crosses files or tenants.
 *
 * The chunks of the backed part change under the inode lock and the
 * invalidate lock held exclusively; faults look them up under the
 * invalidate lock, read and write under the inode lock, shared.  Chunks
 * being allocated are stored past the backed part, where nobody looks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk_types.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <uapi/linux/pcarvefs.h>

#include "internal.h"

#define PCARVEFS_UNIT_SHIFT	21

static unsigned long pcarvefs_index(u64 off)
{
	return off >> PCARVEFS_UNIT_SHIFT;
}

/**
 * pcarvefs_is_pfnmap() - is a file mapped by pfn rather than by folio?
 * @inode: a regular file
 *
 * Return: true for files of nomap pools and files that keep out of the
 * direct map: no GUP may reach their memory.
 */
bool pcarvefs_is_pfnmap(struct inode *inode)
{
	return PCARVEFS_SB(inode->i_sb)->pool_mode == PCARVE_NOMAP ||
	       (READ_ONCE(PCARVEFS_I(inode)->flags) & PCARVEFS_UNMAPPED);
}

/* the chunk size below which a file takes no chunk */
static u64 pcarvefs_min_chunk(struct inode *inode)
{
	if (!pcarvefs_is_pfnmap(inode) &&
	    PCARVEFS_SB(inode->i_sb)->granule == SZ_1G)
		return SZ_1G;
	return SZ_2M;
}

/**
 * pcarvefs_chunk_at() - the chunk backing a byte of a file
 * @pi: the file
 * @off: the byte's offset
 * @chunk_off: where to store its offset in the chunk
 *
 * Return: the chunk, or NULL past the backed part of the file.
 */
struct pcarve_chunk *pcarvefs_chunk_at(struct pcarvefs_inode *pi, u64 off,
				       u64 *chunk_off)
{
	struct pcarve_chunk *chunk;

	if (off >= pi->backed)
		return NULL;
	chunk = xa_load(&pi->chunks, pcarvefs_index(ALIGN_DOWN(off, SZ_1G)));
	if (chunk && pcarve_chunk_size(chunk) == SZ_1G) {
		*chunk_off = off & (SZ_1G - 1);
		return chunk;
	}
	chunk = xa_load(&pi->chunks, pcarvefs_index(off));
	if (chunk)
		*chunk_off = off & (SZ_2M - 1);
	return chunk;
}

/**
 * pcarvefs_owner() - the owner tag of a file's chunks
 * @inode: the file
 *
 * Return: the tag.
 */
u64 pcarvefs_owner(struct inode *inode)
{
	return PCARVEFS_OWNER_BIT |
	       ((u64)PCARVEFS_SB(inode->i_sb)->id << PCARVEFS_INO_BITS) |
	       inode->i_ino;
}

static unsigned int pcarvefs_alloc_flags(struct inode *inode)
{
	unsigned int fl = PCARVEFS_I(inode)->flags;
	unsigned int flags = PCARVE_ALLOC_ZERO;

	if (fl & PCARVEFS_UNMAPPED)
		flags |= PCARVE_ALLOC_UNMAPPED;
	if (fl & PCARVEFS_HANDOVER)
		flags |= PCARVE_ALLOC_HANDOVER;
	return flags;
}

/* allocate a chunk for file offset @pos, not yet inside the backed part */
static int pcarvefs_take(struct inode *inode, u64 pos, u64 size)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	struct pcarve_chunk *chunk;
	int ret;

	chunk = pcarve_alloc(PCARVEFS_SB(inode->i_sb)->nid, size,
			     pcarvefs_owner(inode), pcarvefs_alloc_flags(inode));
	if (IS_ERR(chunk))
		return PTR_ERR(chunk);
	ret = xa_err(xa_store(&pi->chunks, pcarvefs_index(pos), chunk,
			      GFP_KERNEL));
	if (ret)
		pcarve_free(chunk);
	return ret;
}

/*
 * Free the chunks at or after file offset @from (2 MiB aligned) and return
 * their bytes; @counted: they were in the backed part and its counts.
 */
static u64 pcarvefs_free_from(struct inode *inode, u64 from, bool counted)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	struct pcarve_chunk *chunk;
	unsigned long index;
	u64 freed = 0;

	xa_for_each_start(&pi->chunks, index, chunk, pcarvefs_index(from)) {
		xa_erase(&pi->chunks, index);
		if (counted && pcarve_chunk_size(chunk) == SZ_1G)
			pi->nr_1g--;
		else if (counted)
			pi->nr_2m--;
		freed += pcarve_chunk_size(chunk);
		pcarve_free(chunk);
	}
	return freed;
}

/**
 * pcarvefs_grow() - back a file with chunks up to @end
 * @inode: a regular file, locked (not its invalidate lock)
 * @end: the offset the file must be backed up to
 *
 * Takes 1 GiB chunks for the whole, aligned GiBs, 2 MiB chunks for the
 * rest (or 1 GiB chunks where the file must take those only), charging
 * them to the tenant first.  All or nothing.  The chunks are allocated
 * (and zeroed) where faults cannot see them, and become part of the file
 * at once under the invalidate lock, so that faults on the file never
 * wait for the zeroing.
 *
 * Return: 0; -ENOSPC if the pool, or what the tenant may take of it, is
 * too small; -EIO for a quarantined pool; -EOPNOTSUPP if the file asks
 * for something the kernel cannot do; -EFBIG; -ENOMEM.
 */
int pcarvefs_grow(struct inode *inode, u64 end)
{
	struct pcarvefs_sb_info *sbi = PCARVEFS_SB(inode->i_sb);
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	u64 min = pcarvefs_min_chunk(inode);
	u64 start = pi->backed, pos = start, target, need;
	u64 nr_1g = 0, nr_2m = 0;
	unsigned int i;
	int ret;

	if (end <= start)
		return 0;
	target = round_up(end, min);
	if (target < end || target > inode->i_sb->s_maxbytes)
		return -EFBIG;
	need = target - start;
	ret = pcarvefs_charge(sbi, need);
	if (ret)
		return ret;

	while (pos < target && !ret) {
		if (IS_ALIGNED(pos, SZ_1G) && (target - pos >= SZ_1G ||
					       min == SZ_1G)) {
			ret = pcarvefs_take(inode, pos, SZ_1G);
			if (!ret) {
				pos += SZ_1G;
				nr_1g++;
				continue;
			}
			if (ret != -ENOMEM || min == SZ_1G)
				break;
			/* no free GiB: 512 chunks of 2 MiB */
			ret = 0;
			for (i = 0; i < SZ_1G / SZ_2M && !ret; i++) {
				ret = pcarvefs_take(inode, pos, SZ_2M);
				if (!ret) {
					pos += SZ_2M;
					nr_2m++;
				}
			}
		} else {
			ret = pcarvefs_take(inode, pos, SZ_2M);
			if (!ret) {
				pos += SZ_2M;
				nr_2m++;
			}
		}
	}

	if (ret) {
		pcarvefs_free_from(inode, start, false);
		pcarvefs_uncharge(sbi, need);
		/* the allocator's "none free" is the filesystem's "full" */
		if (ret == -ENOMEM)
			ret = -ENOSPC;
	} else {
		filemap_invalidate_lock(inode->i_mapping);
		pi->backed = target;
		pi->nr_1g += nr_1g;
		pi->nr_2m += nr_2m;
		filemap_invalidate_unlock(inode->i_mapping);
		inode->i_blocks = target >> SECTOR_SHIFT;
	}
	pcarvefs_charged(sbi, need);
	return ret;
}

/**
 * pcarvefs_shrink() - give back the chunks a file no longer needs
 * @inode: a regular file, locked, with its invalidate lock held (or being
 *	   evicted)
 * @size: its new size
 *
 * User mappings past the new end are zapped (whole entries: a PUD or PMD
 * entry that reaches past it goes, and comes back at the next fault), and
 * the chunks that hold no byte of the file any more are freed.  A chunk
 * that still holds one stays whole.
 */
void pcarvefs_shrink(struct inode *inode, u64 size)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	struct pcarve_chunk *chunk;
	u64 keep = 0, off, freed;

	if (round_up(size, SZ_2M) < pi->backed)
		unmap_mapping_range(inode->i_mapping, round_up(size, SZ_2M),
				    0, 1);
	if (size) {
		/* the end of the chunk that holds the last byte */
		chunk = pcarvefs_chunk_at(pi, size - 1, &off);
		keep = chunk ? size - 1 - off + pcarve_chunk_size(chunk) :
			       pi->backed;
	}
	if (keep >= pi->backed)
		return;
	freed = pcarvefs_free_from(inode, keep, true);
	pi->backed = keep;
	pcarvefs_uncharge(PCARVEFS_SB(inode->i_sb), freed);
	inode->i_blocks = pi->backed >> SECTOR_SHIFT;
}

/**
 * pcarvefs_zero_range() - zero the backed bytes of [@start, @end)
 * @inode: a regular file, locked
 * @start: first byte
 * @end: byte after the last; clamped to the backed part
 *
 * Return: 0, or -ENOMEM if a chunk could not be reached.
 */
int pcarvefs_zero_range(struct inode *inode, u64 start, u64 end)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	struct pcarve_chunk *chunk;
	u64 off, len;
	int ret;

	end = min(end, pi->backed);
	while (start < end) {
		chunk = pcarvefs_chunk_at(pi, start, &off);
		if (WARN_ON_ONCE(!chunk))
			return -EIO;
		len = min(end - start, pcarve_chunk_size(chunk) - off);
		ret = pcarve_chunk_zero(chunk, off, len);
		if (ret)
			return ret;
		start += len;
	}
	return 0;
}

/**
 * pcarvefs_adopt() - give a new file the chunks it had before a kexec
 * @inode: the file, with no chunk yet
 * @chunks: its chunks in file order, from offset 0
 * @nr: how many
 * @backed: where the bytes they back are stored
 *
 * A chunk that cannot sit at its offset (a 1 GiB chunk off a 1 GiB
 * boundary) ends the file there; the chunks after it stay with their
 * owner tag, unused.
 *
 * Return: 0, or -ENOMEM.
 */
int pcarvefs_adopt(struct inode *inode, struct pcarve_chunk **chunks, u32 nr,
		   u64 *backed)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	u64 off = 0, size;
	int ret = 0;
	u32 i;

	for (i = 0; i < nr; i++) {
		size = pcarve_chunk_size(chunks[i]);
		if (!IS_ALIGNED(off, size)) {
			pr_err("handover: inode %llu: a %llu-byte chunk at offset %llu: the file ends there\n",
			       inode->i_ino, size, off);
			break;
		}
		ret = xa_err(xa_store(&pi->chunks, pcarvefs_index(off),
				      chunks[i], GFP_KERNEL));
		if (ret)
			break;
		if (size == SZ_1G)
			pi->nr_1g++;
		else
			pi->nr_2m++;
		off += size;
	}
	pi->backed = off;
	*backed = off;
	pcarvefs_tenant_adopt(PCARVEFS_SB(inode->i_sb), off);
	return ret;
}

/**
 * pcarvefs_detach() - let go of a file's chunks without freeing them
 * @inode: a file being dropped before it could be restored whole
 *
 * The chunks stay allocated to the file's owner tag, with their data: a
 * lack of memory during a restore must not lose any.
 */
void pcarvefs_detach(struct inode *inode)
{
	struct pcarvefs_inode *pi = PCARVEFS_I(inode);
	struct pcarve_chunk *chunk;
	unsigned long idx;

	xa_for_each(&pi->chunks, idx, chunk)
		xa_erase(&pi->chunks, idx);
	pcarvefs_uncharge(PCARVEFS_SB(inode->i_sb), pi->backed);
	pi->backed = 0;
	pi->nr_1g = 0;
	pi->nr_2m = 0;
	i_size_write(inode, 0);
}
