/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcarvefs internals shared by the files of fs/pcarvefs/.
 */
#ifndef _FS_PCARVEFS_INTERNAL_H
#define _FS_PCARVEFS_INTERNAL_H

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/pcarve.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

/* longest tenant= name */
#define PCARVEFS_TENANT_MAX	32

/*
 * Owner tag of a file's chunks in the allocator: bit 63 says pcarvefs,
 * bits 40-62 the tenant's number, bits 0-39 the inode number.
 */
#define PCARVEFS_OWNER_BIT	BIT_ULL(63)
#define PCARVEFS_INO_BITS	40
#define PCARVEFS_INO_MAX	(BIT_ULL(PCARVEFS_INO_BITS) - 1)
#define PCARVEFS_TENANT_ID_MAX	((1U << 23) - 1)

/**
 * struct pcarvefs_sb_info - one tenant of one node: a superblock
 * @nid: the node, whose pool every file takes its chunks from
 * @tenant: its name ("" for the node's default tenant)
 * @id: its number in the owner tags of its chunks
 * @cap: most bytes its files may hold (size=), 0 for no cap (changed under
 *	 pcarvefs_acct_lock)
 * @used: bytes its files hold or are taking now (under pcarvefs_acct_lock)
 * @committed: bytes of the pool it has committed (pcarve_commit()): the
 *	       larger of @cap and @used while it is a tenant, less what a
 *	       restored tree could not commit, never more (under
 *	       pcarvefs_acct_lock)
 * @uid: owner of the root directory
 * @gid: group of the root directory
 * @mode: permissions of the root directory
 * @next_ino: the last inode number handed out
 * @node: in the list of the node's tenants
 * @pool_mode: the pool's mode
 * @granule: the pool's granule
 * @sb: the superblock
 * @pin: the kernel's own mount of a tree restored at boot, until user
 *	 space mounts it (handover.c)
 */
struct pcarvefs_sb_info {
	int nid;
	char tenant[PCARVEFS_TENANT_MAX + 1];
	u32 id;
	u64 cap;
	u64 used;
	u64 committed;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	atomic64_t next_ino;
	struct list_head node;
	enum pcarve_mode pool_mode;
	u64 granule;
	struct super_block *sb;
	struct vfsmount *pin;
};

static inline struct pcarvefs_sb_info *PCARVEFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/**
 * struct pcarvefs_inode - a pcarvefs inode
 * @chunks: the chunks backing the file, by file offset in 2 MiB units,
 *	    each at the index of its first unit; they cover [0, @backed)
 *	    without a hole, 1 GiB chunks at 1 GiB-aligned offsets
 * @backed: bytes of the file backed by chunks (a file has no holes)
 * @nr_1g: 1 GiB chunks in @chunks
 * @nr_2m: 2 MiB chunks in @chunks
 * @flags: PCARVEFS_UNMAPPED, PCARVEFS_HANDOVER
 * @vfs_inode: the VFS inode
 *
 * @backed and the counts change under the inode lock and the mapping's
 * invalidate lock, both held exclusively; either lock, shared, keeps them
 * stable.  @chunks past @backed are only touched under the inode lock.
 */
struct pcarvefs_inode {
	struct xarray chunks;
	u64 backed;
	u64 nr_1g;
	u64 nr_2m;
	unsigned int flags;
	struct inode vfs_inode;
};

static inline struct pcarvefs_inode *PCARVEFS_I(struct inode *inode)
{
	return container_of(inode, struct pcarvefs_inode, vfs_inode);
}

extern const struct inode_operations pcarvefs_file_inode_operations;
extern const struct file_operations pcarvefs_file_operations;

/* super.c */
extern struct file_system_type pcarvefs_fs_type;

/* tenant.c: accounting of the node's pool between its tenants */
void pcarvefs_tenant_init(void);
int pcarvefs_tenant_add(struct pcarvefs_sb_info *sbi, struct fs_context *fc);
void pcarvefs_tenant_del(struct pcarvefs_sb_info *sbi);
int pcarvefs_tenant_set_cap(struct pcarvefs_sb_info *sbi, u64 cap,
			    struct fs_context *fc);
int pcarvefs_charge(struct pcarvefs_sb_info *sbi, u64 bytes);
void pcarvefs_charged(struct pcarvefs_sb_info *sbi, u64 bytes);
void pcarvefs_uncharge(struct pcarvefs_sb_info *sbi, u64 bytes);
u64 pcarvefs_available(struct pcarvefs_sb_info *sbi);
void pcarvefs_tenant_adopt(struct pcarvefs_sb_info *sbi, u64 bytes);
void pcarvefs_tenant_reserve_id(u32 id);
unsigned int pcarvefs_tenant_grab(struct super_block **sbs, unsigned int max);

/* inode.c */
struct inode *pcarvefs_get_inode(struct super_block *sb,
				 const struct inode *dir, umode_t mode);
struct inode *pcarvefs_new_inode(struct super_block *sb,
				 const struct inode *dir, umode_t mode, u64 ino);
struct inode *pcarvefs_alloc_inode(struct super_block *sb);
void pcarvefs_free_inode(struct inode *inode);
void pcarvefs_evict_inode(struct inode *inode);
int pcarvefs_inode_cache_init(void);
void pcarvefs_inode_cache_exit(void);

/* chunks.c: the chunks of a file */
bool pcarvefs_is_pfnmap(struct inode *inode);
struct pcarve_chunk *pcarvefs_chunk_at(struct pcarvefs_inode *pi, u64 off,
				       u64 *chunk_off);
int pcarvefs_grow(struct inode *inode, u64 end);
void pcarvefs_shrink(struct inode *inode, u64 size);
int pcarvefs_zero_range(struct inode *inode, u64 start, u64 end);
u64 pcarvefs_owner(struct inode *inode);
int pcarvefs_adopt(struct inode *inode, struct pcarve_chunk **chunks, u32 nr,
		   u64 *backed);
void pcarvefs_detach(struct inode *inode);

/* handover.c: the trees across kexec */
#ifdef CONFIG_PCARVEFS_HANDOVER
int pcarvefs_handover_init(void);
int pcarvefs_restore_find(int nid, const char *tenant);
void pcarvefs_restore_sbi(int t, struct pcarvefs_sb_info *sbi);
int pcarvefs_restore_tree(struct super_block *sb, int t);
void pcarvefs_unpin(struct pcarvefs_sb_info *sbi);
#else
static inline int pcarvefs_handover_init(void)
{
	return 0;
}

static inline int pcarvefs_restore_find(int nid, const char *tenant)
{
	return -1;
}

static inline void pcarvefs_restore_sbi(int t, struct pcarvefs_sb_info *sbi) { }

static inline int pcarvefs_restore_tree(struct super_block *sb, int t)
{
	return 0;
}

static inline void pcarvefs_unpin(struct pcarvefs_sb_info *sbi) { }
#endif

#endif /* _FS_PCARVEFS_INTERNAL_H */
