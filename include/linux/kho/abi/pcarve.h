/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcarve's kexec handover ABI.
 */
#ifndef _LINUX_KHO_ABI_PCARVE_H
#define _LINUX_KHO_ABI_PCARVE_H

#include <linux/bits.h>
#include <linux/types.h>

/**
 * DOC: pcarve kexec handover ABI
 *
 * pcarve hands its pools, the chunks allocated from them and the pcarvefs
 * trees to the next kernel in two KHO subtrees:
 *
 * ``pcarve`` (PCARVE_KHO_NODE) holds everything: a struct pcarve_kho_header
 * followed by tables, each at the offset the header gives, every offset a
 * multiple of 8 inside the blob.  It is written at the last moment, from
 * the reboot notifier of a kexec, after pcarvefs is frozen.
 *
 * ``pcarve-ranges`` (PCARVE_KHO_RANGES_NODE) holds only the pools and their
 * ranges, in the same formats: the memory the next kernel must keep out of
 * its page allocator even if ``pcarve`` is missing or damaged.
 *
 * Both start with a compatible string; a kernel that does not know it, or
 * finds a blob whose size or checksum does not match, keeps every recorded
 * range reserved and quarantined.  Any change to a structure below is a new
 * compatible string.  All fields are native-endian fixed-width integers,
 * as kexec hands over to a kernel of the same architecture.
 *
 * The checksum is crc32_le(~0, blob, size) with @crc read as zero.
 */

#define PCARVE_KHO_NODE			"pcarve"
#define PCARVE_KHO_COMPATIBLE		"pcarve-v1"
#define PCARVE_KHO_RANGES_NODE		"pcarve-ranges"
#define PCARVE_KHO_RANGES_COMPATIBLE	"pcarve-ranges-v1"
#define PCARVE_KHO_COMPAT_LEN		24

/**
 * struct pcarve_kho_header - the start of both blobs
 * @compatible: PCARVE_KHO_COMPATIBLE or PCARVE_KHO_RANGES_COMPATIBLE,
 *		NUL-padded
 * @size: bytes of the blob, this header included
 * @crc: checksum of the blob, see above
 * @nr_pools: entries of the pool table
 * @pools_off: offset of the pool table (struct pcarve_kho_pool)
 * @nr_ranges: entries of the range table
 * @ranges_off: offset of the range table (struct pcarve_kho_range)
 * @nr_chunks: entries of the chunk table (0 in ``pcarve-ranges``)
 * @chunks_off: offset of the chunk table (struct pcarve_kho_chunk)
 * @fs_off: offset of the pcarvefs part (struct pcarvefs_kho_header), 0 if
 *	    none
 * @fs_size: bytes of the pcarvefs part
 */
struct pcarve_kho_header {
	char compatible[PCARVE_KHO_COMPAT_LEN];
	u64 size;
	u32 crc;
	u32 nr_pools;
	u64 pools_off;
	u32 nr_ranges;
	u32 nr_chunks;
	u64 ranges_off;
	u64 chunks_off;
	u64 fs_off;
	u64 fs_size;
} __packed;

/* struct pcarve_kho_pool.flags */
#define PCARVE_KHO_POOL_QUARANTINED	BIT(0)

/**
 * struct pcarve_kho_pool - one pool
 * @nid: its node
 * @mode: enum pcarve_mode: 0 nomap, 1 hvo, 2 map
 * @granule: 2 MiB or 1 GiB
 * @size: bytes in its ranges
 * @first_range: index of its first range in the range table
 * @nr_ranges: its ranges, consecutive in the table, at most 64
 * @flags: PCARVE_KHO_POOL_*: QUARANTINED if the previous kernel had
 *	   quarantined it (it stays quarantined)
 * @reserved: zero
 */
struct pcarve_kho_pool {
	u32 nid;
	u32 mode;
	u64 granule;
	u64 size;
	u32 first_range;
	u32 nr_ranges;
	u32 flags;
	u32 reserved;
} __packed;

/**
 * struct pcarve_kho_range - memory of a pool
 * @start: first byte, aligned to the pool's granule
 * @size: bytes, a multiple of the granule
 */
struct pcarve_kho_range {
	u64 start;
	u64 size;
} __packed;

/**
 * struct pcarve_kho_chunk - a chunk handed over (PCARVE_ALLOC_HANDOVER)
 * @addr: first byte
 * @size: 2 MiB or 1 GiB, naturally aligned, inside one range of its pool
 * @owner: the owner tag its allocator gave it
 * @nid: the node of its pool
 * @flags: the PCARVE_ALLOC_* flags it was allocated with
 */
struct pcarve_kho_chunk {
	u64 addr;
	u64 size;
	u64 owner;
	u32 nid;
	u32 flags;
} __packed;

/**
 * struct pcarvefs_kho_header - the pcarvefs part of ``pcarve``
 * @nr_tenants: entries of the tenant table: mounted (node, tenant) trees
 * @tenants_off: offset of the tenant table (struct pcarvefs_kho_tenant),
 *		 from the start of this header, as every offset below
 * @nr_inodes: entries of the inode table
 * @inodes_off: offset of the inode table (struct pcarvefs_kho_inode)
 * @nr_dirents: entries of the directory entry table
 * @reserved: zero
 * @dirents_off: offset of the directory entry table
 *		 (struct pcarvefs_kho_dirent)
 * @nr_fmap: entries of the file map: the chunk addresses of each file
 * @fmap_off: offset of the file map (u64 each)
 * @names_size: bytes of the name area (names are not NUL-terminated)
 * @names_off: offset of the name area
 */
struct pcarvefs_kho_header {
	u32 nr_tenants;
	u32 nr_inodes;
	u64 tenants_off;
	u64 inodes_off;
	u32 nr_dirents;
	u32 reserved;
	u64 dirents_off;
	u64 nr_fmap;
	u64 fmap_off;
	u64 names_size;
	u64 names_off;
} __packed;

/**
 * struct pcarvefs_kho_tenant - one superblock: a tenant of a node
 * @nid: the node
 * @id: its number in the owner tags of its chunks
 * @cap: size= (0: none)
 * @next_ino: the last inode number it handed out
 * @root_ino: the inode number of its root directory
 * @name_off: its name (tenant=) in the name area; "" is the default tenant
 * @name_len: length of the name
 */
struct pcarvefs_kho_tenant {
	u32 nid;
	u32 id;
	u64 cap;
	u64 next_ino;
	u64 root_ino;
	u32 name_off;
	u32 name_len;
} __packed;

/**
 * struct pcarvefs_kho_inode - a file or directory
 * @ino: its inode number
 * @tenant: index of its tenant in the tenant table
 * @mode: type and permissions (S_IFREG or S_IFDIR)
 * @uid: owner, in the initial user namespace
 * @gid: group, in the initial user namespace
 * @flags: PCARVEFS_UNMAPPED, PCARVEFS_HANDOVER (uapi pcarvefs.h)
 * @reserved: zero
 * @size: i_size
 * @atime_sec: access time
 * @mtime_sec: modification time
 * @ctime_sec: change time
 * @atime_nsec: access time, nanoseconds
 * @mtime_nsec: modification time, nanoseconds
 * @ctime_nsec: change time, nanoseconds
 * @nr_fmap: its chunks in file order, from offset 0 without a hole
 * @first_fmap: index of the first in the file map
 */
struct pcarvefs_kho_inode {
	u64 ino;
	u32 tenant;
	u32 mode;
	u32 uid;
	u32 gid;
	u32 flags;
	u32 reserved;
	u64 size;
	s64 atime_sec;
	s64 mtime_sec;
	s64 ctime_sec;
	u32 atime_nsec;
	u32 mtime_nsec;
	u32 ctime_nsec;
	u32 nr_fmap;
	u64 first_fmap;
} __packed;

/**
 * struct pcarvefs_kho_dirent - a name in a directory
 * @parent: inode number of the directory
 * @ino: inode number it names (an inode may have several names)
 * @name_off: the name in the name area
 * @tenant: index of the tenant in the tenant table
 * @name_len: length of the name, 1 to 255
 * @depth: directories between it and the root (1 for a name in the root);
 *	   the table is sorted by it, so parents come before children
 */
struct pcarvefs_kho_dirent {
	u64 parent;
	u64 ino;
	u64 name_off;
	u32 tenant;
	u16 name_len;
	u16 depth;
} __packed;

#endif /* _LINUX_KHO_ABI_PCARVE_H */
