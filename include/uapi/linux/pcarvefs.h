/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pcarvefs: files backed by the per-node memory pools of pcarve.
 *
 * See Documentation/filesystems/pcarvefs.rst.
 */
#ifndef _UAPI_LINUX_PCARVEFS_H
#define _UAPI_LINUX_PCARVEFS_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* f_type of statfs(2) */
#define PCARVEFS_MAGIC		0x70637276	/* "pcrv" */

/*
 * What a file is made of (struct pcarvefs_attr.flags), chosen while it is
 * still empty.
 *
 * PCARVEFS_UNMAPPED: its chunks stay out of the kernel direct map.  Always
 *	so on a nomap pool.  Such a file is mapped by pfn: GUP (O_DIRECT,
 *	process_vm_readv(), VFIO) cannot reach it, nor can read(2)/write(2).
 * PCARVEFS_HANDOVER: its chunks and metadata are to be handed to the next
 *	kernel across kexec (with KHO and the pool's handover switch on).
 *	Default.
 */
#define PCARVEFS_UNMAPPED	(1U << 0)
#define PCARVEFS_HANDOVER	(1U << 1)
#define PCARVEFS_FLAGS		(PCARVEFS_UNMAPPED | PCARVEFS_HANDOVER)

/* how the pool of a file's node is kept (struct pcarvefs_attr.pool_mode) */
#define PCARVEFS_POOL_NOMAP	0	/* no struct pages, no direct map */
#define PCARVEFS_POOL_HVO	1	/* HVO-trimmed struct pages */
#define PCARVEFS_POOL_MAP	2	/* direct-mapped, full struct pages */

/**
 * struct pcarvefs_attr - the characteristics of a file
 * @flags: PCARVEFS_* above; the only field PCARVEFS_IOC_SET_ATTR reads
 * @pool_mode: PCARVEFS_POOL_* of the file's pool
 * @nid: the NUMA node of the file's pool
 * @reserved: must be zero
 * @granule: the pool's granule in bytes (2 MiB or 1 GiB)
 * @allocated: bytes of chunks that back the file
 * @nr_1g: 1 GiB chunks among them
 * @nr_2m: 2 MiB chunks among them
 */
struct pcarvefs_attr {
	__u32 flags;
	__u32 pool_mode;
	__u32 nid;
	__u32 reserved;
	__u64 granule;
	__u64 allocated;
	__u64 nr_1g;
	__u64 nr_2m;
};

/* read a file's characteristics */
#define PCARVEFS_IOC_GET_ATTR	_IOR(0xBB, 1, struct pcarvefs_attr)
/*
 * choose them: only while the file has no chunks (EBUSY otherwise), on an
 * fd open for writing, by the file's owner or CAP_FOWNER
 */
#define PCARVEFS_IOC_SET_ATTR	_IOW(0xBB, 2, struct pcarvefs_attr)

#endif /* _UAPI_LINUX_PCARVEFS_H */
