/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcarve: per-NUMA-node memory pools carved out at boot.
 *
 * See Documentation/admin-guide/mm/pcarve.rst.
 */
#ifndef _LINUX_PCARVE_H
#define _LINUX_PCARVE_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/types.h>

/**
 * enum pcarve_mode - how a pool is kept away from the rest of the kernel
 * @PCARVE_NOMAP: no struct pages, not in the direct map, not System RAM
 * @PCARVE_HVO: struct pages as HVO-trimmed compound folios, direct-mapped
 * @PCARVE_MAP: direct-mapped, full struct pages
 */
enum pcarve_mode {
	PCARVE_NOMAP,
	PCARVE_HVO,
	PCARVE_MAP,
};

/*
 * Flags of pcarve_alloc(), the characteristics a caller asks for.
 *
 * PCARVE_ALLOC_UNMAPPED: keep the chunk out of the kernel direct map while
 *	it is allocated (chunks of a nomap pool always are).  Refused with
 *	-EOPNOTSUPP where the kernel cannot change its direct map.
 * PCARVE_ALLOC_ZERO: zero the chunk before handing it out.
 * PCARVE_ALLOC_HANDOVER: hand the chunk to the next kernel across kexec
 *	(with KHO), if its pool's handover switch is on.
 */
#define PCARVE_ALLOC_UNMAPPED	BIT(0)
#define PCARVE_ALLOC_ZERO	BIT(1)
#define PCARVE_ALLOC_HANDOVER	BIT(2)
#define PCARVE_ALLOC_FLAGS	(PCARVE_ALLOC_UNMAPPED | PCARVE_ALLOC_ZERO | \
				 PCARVE_ALLOC_HANDOVER)

struct folio;
struct iov_iter;
struct pcarve_chunk;
struct vm_area_desc;
struct vm_area_struct;

/**
 * struct pcarve_pool_info - what a consumer may know of a node's pool
 * @mode: how it is kept
 * @granule: its extents' alignment: SZ_2M or SZ_1G
 * @size: bytes it has
 * @free: bytes that can be handed out now
 * @restoring: bytes freed that become free once they are in the direct map
 *	       again (pcarve_alloc() waits for them when it must)
 * @committed: bytes promised to consumers with pcarve_commit()
 * @usable: it hands out chunks (it is not quarantined)
 * @can_unmap: PCARVE_ALLOC_UNMAPPED can be honoured on this kernel
 * @handover: its handover switch is on: what is marked for handover goes
 *	      to the next kernel at a kexec
 */
struct pcarve_pool_info {
	enum pcarve_mode mode;
	u64 granule;
	u64 size;
	u64 free;
	u64 restoring;
	u64 committed;
	bool usable;
	bool can_unmap;
	bool handover;
};

/**
 * struct pcarve_vma_ops - what a consumer's mapping of chunks needs
 * @chunk_at: the chunk under byte @off of the mapped file, and where in
 *	      the chunk that byte is (@chunk_off); NULL for a hole.  Called
 *	      under the file's invalidate lock, shared.
 */
struct pcarve_vma_ops {
	struct pcarve_chunk *(*chunk_at)(struct vm_area_struct *vma, u64 off,
					 u64 *chunk_off);
};

/* called on each chunk of an owner; a non-zero return stops the walk */
typedef int (*pcarve_owned_fn)(struct pcarve_chunk *chunk, void *arg);

/**
 * struct pcarve_handover_fs - the file system pcarve hands over with its pools
 * @seal: called at a kexec, from the reboot notifier: stop every change to
 *	  the trees (they are never thawed); return 0 or a negative errno
 * @size: then, the bytes of its part of the record
 * @write: then, write that part (struct pcarvefs_kho_header and its tables,
 *	   include/linux/kho/abi/pcarve.h) into @buf of @size bytes, zeroed;
 *	   return 0 or a negative errno
 * @owner_bit: the bit its owner tags have: of its chunks, only those its
 *	       part maps are handed over
 */
struct pcarve_handover_fs {
	int (*seal)(void);
	size_t (*size)(void);
	int (*write)(void *buf, size_t size);
	u64 owner_bit;
};

#ifdef CONFIG_PCARVE
struct pcarve_chunk *pcarve_alloc(int nid, u64 size, u64 owner,
				  unsigned int flags);
void pcarve_free(struct pcarve_chunk *chunk);
phys_addr_t pcarve_chunk_phys(const struct pcarve_chunk *chunk);
u64 pcarve_chunk_size(const struct pcarve_chunk *chunk);
int pcarve_chunk_nid(const struct pcarve_chunk *chunk);
u64 pcarve_chunk_owner(const struct pcarve_chunk *chunk);
unsigned int pcarve_chunk_flags(const struct pcarve_chunk *chunk);
bool pcarve_chunk_has_pages(const struct pcarve_chunk *chunk);
bool pcarve_chunk_direct_mapped(const struct pcarve_chunk *chunk);
struct folio *pcarve_chunk_folio(const struct pcarve_chunk *chunk);
int pcarve_walk_owned(u64 owner, pcarve_owned_fn fn, void *arg);
int pcarve_pool_info(int nid, struct pcarve_pool_info *info);
int pcarve_commit(int nid, u64 bytes);
void pcarve_uncommit(int nid, u64 bytes);
int pcarve_mmap_prepare(struct vm_area_desc *desc,
			const struct pcarve_vma_ops *ops, bool pfnmap);
int pcarve_chunk_zero(const struct pcarve_chunk *chunk, u64 off, u64 len);
ssize_t pcarve_chunk_copy(const struct pcarve_chunk *chunk, u64 off,
			  size_t len, struct iov_iter *iter, bool to_chunk);
void pcarve_reserve(void);
void pcarve_hold_kho_room(void);
void pcarve_release_kho_room(void);
#else
/* consumers that query chunks depend on PCARVE: there are none without it */
static inline struct pcarve_chunk *pcarve_alloc(int nid, u64 size, u64 owner,
						unsigned int flags)
{
	return ERR_PTR(-ENODEV);
}

static inline void pcarve_free(struct pcarve_chunk *chunk) { }

static inline int pcarve_walk_owned(u64 owner, pcarve_owned_fn fn, void *arg)
{
	return 0;
}

static inline int pcarve_pool_info(int nid, struct pcarve_pool_info *info)
{
	return -ENODEV;
}

static inline int pcarve_commit(int nid, u64 bytes)
{
	return -ENODEV;
}

static inline void pcarve_uncommit(int nid, u64 bytes) { }

static inline void pcarve_reserve(void) { }
static inline void pcarve_hold_kho_room(void) { }
static inline void pcarve_release_kho_room(void) { }
#endif

#ifdef CONFIG_PCARVE_HANDOVER
void pcarve_handover_register_fs(const struct pcarve_handover_fs *ops);
const void *pcarve_handover_fs_data(size_t *size);
void pcarve_handover_reserve(void);
#else
static inline void
pcarve_handover_register_fs(const struct pcarve_handover_fs *ops) { }
static inline const void *pcarve_handover_fs_data(size_t *size)
{
	*size = 0;
	return NULL;
}

static inline void pcarve_handover_reserve(void) { }
#endif

#if defined(CONFIG_PCARVE) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
bool vma_is_pcarve(const struct vm_area_struct *vma);
#else
static inline bool vma_is_pcarve(const struct vm_area_struct *vma)
{
	return false;
}
#endif

#ifdef CONFIG_PCARVE_HVO
void pcarve_vmemmap_init_early(int nid, unsigned long pnum_begin,
			       unsigned long pnum_end);
void pcarve_struct_page_init(void);
#else
static inline void pcarve_vmemmap_init_early(int nid,
					     unsigned long pnum_begin,
					     unsigned long pnum_end) { }
static inline void pcarve_struct_page_init(void) { }
#endif

/*
 * Arch interface: remove a page-aligned range of at most 1 GiB from, or give
 * it back to, the kernel direct map.  The range has no struct pages when
 * its pool is nomap.  Only called where can_set_direct_map() holds.
 * Return 0 or a negative errno.
 */
int arch_pcarve_unmap_direct(phys_addr_t start, phys_addr_t size);
int arch_pcarve_remap_direct(phys_addr_t start, phys_addr_t size);

/*
 * Arch interface: make the direct map of a range (at most 1 GiB) a nomap
 * pool carved at boot ready for memory hotplug to map it as new memory.
 * Return 0 or a negative errno.
 */
int arch_pcarve_prepare_hotplug(phys_addr_t start, phys_addr_t size);

/*
 * Arch interface: make user mappings by pfn of a nomap range (not System
 * RAM, no struct pages) write-back, as the memory is.  Called once per
 * extent when its pool is isolated.  Return 0 or a negative errno.
 */
int arch_pcarve_nomap_memtype(phys_addr_t start, phys_addr_t size);

#endif /* _LINUX_PCARVE_H */
