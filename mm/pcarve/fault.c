// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping pool chunks to user space at a fault.
 *
 * A consumer's mmap handler calls pcarve_mmap_prepare() (or, for an
 * ->mmap handler, pcarve_mmap_vma()) with a function that finds the chunk
 * under an offset of the mapped file.  The function runs under the file's
 * invalidate lock, shared, so a consumer that takes it exclusively around
 * unmap_mapping_range() and the freeing of chunks (truncate) can never
 * have a chunk mapped after it was freed.
 *
 * Chunks with struct pages are mapped as folios: a folio of a pool is
 * mapped only whole, by one PMD (2 MiB) or PUD (1 GiB, where the
 * architecture has transparent PUD pages: x86_64) entry through the rmap,
 * so that GUP and pinning work on it.  Never by PTEs: the tail struct
 * pages of an hvo folio are shared and read-only, and a PTE mapping would
 * write their mapcount.  Such a VMA has pcarve_vm_ops, which
 * vma_is_pcarve() recognises: like a DAX VMA, it gets PUD-order faults
 * (mm/huge_memory.c), since its folios are never split and
 * never in a page cache.  It is neither a pfn nor a mixed map, so that
 * zapping and fork treat its entries as the folio mappings they are.  It
 * cannot be split where that would cut a folio mapping.
 *
 * Chunks of nomap pools (no struct pages, or pages that are out of the
 * direct map for good) are mapped by pfn in a VM_PFNMAP VMA, by PUD, PMD or
 * PTE as the alignment of address, offset and chunk allows.  The cache mode
 * is write-back: on x86 the arch reserves that memtype for nomap ranges,
 * which are not System RAM (see arch_pcarve_nomap_memtype()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "internal.h"

/* the chunk under the (order-aligned) fault address, under the lock */
static struct pcarve_chunk *pcarve_fault_chunk(struct vm_fault *vmf,
					       unsigned int order, u64 *off)
{
	struct vm_area_struct *vma = vmf->vma;
	const struct pcarve_vma_ops *ops = vma->vm_private_data;
	unsigned long addr = ALIGN_DOWN(vmf->address, PAGE_SIZE << order);

	if (addr < vma->vm_start || addr + (PAGE_SIZE << order) > vma->vm_end)
		return NULL;
	return ops->chunk_at(vma, ((u64)vma->vm_pgoff << PAGE_SHIFT) +
			     (addr - vma->vm_start), off);
}

static vm_fault_t pcarve_vm_fault(struct vm_fault *vmf)
{
	/* never by PTEs */
	return VM_FAULT_SIGBUS;
}

static vm_fault_t pcarve_vm_huge_fault(struct vm_fault *vmf,
				       unsigned int order)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	unsigned long addr = ALIGN_DOWN(vmf->address, PAGE_SIZE << order);
	struct pcarve_chunk *chunk;
	vm_fault_t ret;
	u64 off;

	if (addr < vmf->vma->vm_start ||
	    addr + (PAGE_SIZE << order) > vmf->vma->vm_end)
		return VM_FAULT_FALLBACK;
	filemap_invalidate_lock_shared(mapping);
	chunk = pcarve_fault_chunk(vmf, order, &off);
	ret = chunk ? pcarve_chunk_fault(vmf, order, chunk, off) :
		      VM_FAULT_SIGBUS;
	filemap_invalidate_unlock_shared(mapping);
	return ret;
}

/* a split inside a PUD- or PMD-mapped folio would leave half a mapping */
static int pcarve_vm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long align = IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD) ?
			      PUD_SIZE : PMD_SIZE;

	return IS_ALIGNED(addr, align) ? 0 : -EINVAL;
}

static const struct vm_operations_struct pcarve_vm_ops = {
	.fault		= pcarve_vm_fault,
	.huge_fault	= pcarve_vm_huge_fault,
	.may_split	= pcarve_vm_may_split,
};

/* map by pfn: PUD or PMD if the chunk holds that much, aligned, here */
static vm_fault_t pcarve_pfn_insert(struct vm_fault *vmf, unsigned int order)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	struct pcarve_chunk *chunk;
	unsigned long pfn;
	vm_fault_t ret;
	u64 off;

	filemap_invalidate_lock_shared(mapping);
	chunk = pcarve_fault_chunk(vmf, order, &off);
	if (!chunk) {
		ret = order ? VM_FAULT_FALLBACK : VM_FAULT_SIGBUS;
		goto out;
	}
	/* the whole entry must lie in this one chunk */
	if (!IS_ALIGNED(off, PAGE_SIZE << order) ||
	    off + (PAGE_SIZE << order) > chunk->size) {
		ret = VM_FAULT_FALLBACK;
		goto out;
	}
	pfn = PHYS_PFN(chunk->addr + off);
	if (order == 0)
		ret = vmf_insert_pfn(vmf->vma, ALIGN_DOWN(vmf->address,
							  PAGE_SIZE), pfn);
	else if (order == PMD_ORDER)
		ret = vmf_insert_pfn_pmd(vmf, pfn, write);
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	else if (order == PUD_ORDER)
		ret = vmf_insert_pfn_pud(vmf, pfn, write);
#endif
	else
		ret = VM_FAULT_FALLBACK;
out:
	filemap_invalidate_unlock_shared(mapping);
	return ret;
}

static vm_fault_t pcarve_pfn_fault(struct vm_fault *vmf)
{
	return pcarve_pfn_insert(vmf, 0);
}

static vm_fault_t pcarve_pfn_huge_fault(struct vm_fault *vmf,
					unsigned int order)
{
	/* a hole, or an offset the chunk does not cover: let PTEs try */
	vm_fault_t ret = pcarve_pfn_insert(vmf, order);

	return ret == VM_FAULT_SIGBUS ? VM_FAULT_FALLBACK : ret;
}

static const struct vm_operations_struct pcarve_pfn_vm_ops = {
	.fault		= pcarve_pfn_fault,
	.huge_fault	= pcarve_pfn_huge_fault,
};

/**
 * pcarve_mmap_vma() - make a VMA map pool folios
 * @vma: a MAP_SHARED VMA being set up by an ->mmap handler
 * @ops: finds the chunk under an offset of the mapping; must live as long
 *	 as the VMA
 */
void pcarve_mmap_vma(struct vm_area_struct *vma,
		     const struct pcarve_vma_ops *ops)
{
	vma->vm_private_data = (void *)ops;
	vma->vm_ops = &pcarve_vm_ops;
	vm_flags_set(vma, VM_HUGEPAGE | VM_DONTEXPAND | VM_DONTDUMP);
}

/**
 * pcarve_mmap_prepare() - set up a mapping of a file made of pool chunks
 * @desc: the mapping being set up by an ->mmap_prepare handler; shared
 * @ops: finds the chunk under an offset of the file; must live as long as
 *	 the mapping
 * @pfnmap: map by pfn (chunks of nomap pools) instead of by folio
 *
 * Chunks with struct pages are mapped whole by PMD or PUD through their
 * folios, so a consumer must hand such a mapping only chunks made of
 * whole folios (of the pool's granule) at offsets aligned to their size.
 * Chunks of nomap pools are mapped by pfn, write-back, by the largest
 * entry their alignment allows.
 *
 * Return: 0, or -EINVAL for a private mapping.
 */
int pcarve_mmap_prepare(struct vm_area_desc *desc,
			const struct pcarve_vma_ops *ops, bool pfnmap)
{
	if (!vma_desc_test_any(desc, VMA_MAYSHARE_BIT))
		return -EINVAL;
	desc->private_data = (void *)ops;
	vma_desc_set_flags(desc, VMA_HUGEPAGE_BIT, VMA_DONTEXPAND_BIT,
			   VMA_DONTDUMP_BIT);
	if (pfnmap) {
		vma_desc_set_flags(desc, VMA_PFNMAP_BIT);
		desc->vm_ops = &pcarve_pfn_vm_ops;
	} else {
		desc->vm_ops = &pcarve_vm_ops;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(pcarve_mmap_prepare);

/**
 * vma_is_pcarve() - does a VMA map pcarve folios?
 * @vma: the VMA
 *
 * Return: true for a VMA that maps pool folios (not a pfn map of a nomap
 * pool), set up by pcarve_mmap_vma() or pcarve_mmap_prepare().
 */
bool vma_is_pcarve(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &pcarve_vm_ops;
}

/**
 * pcarve_chunk_fault() - map the folio of a chunk under a huge fault
 * @vmf: the fault, at an address aligned to @order
 * @order: PMD_ORDER or PUD_ORDER, from ->huge_fault()
 * @chunk: the chunk
 * @off: offset in @chunk of the folio to map
 *
 * Return: the fault result; VM_FAULT_FALLBACK when the folio at @off is
 * not exactly of @order (the caller must then not map it by PTEs), and
 * VM_FAULT_SIGBUS for a chunk without struct pages.
 */
vm_fault_t pcarve_chunk_fault(struct vm_fault *vmf, unsigned int order,
			      const struct pcarve_chunk *chunk, u64 off)
{
	unsigned long pfn = PHYS_PFN(chunk->addr + off);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	struct folio *folio;

	if (!pcarve_chunk_has_pages(chunk) || off >= chunk->size)
		return VM_FAULT_SIGBUS;
	folio = page_folio(pfn_to_page(pfn));
	if (folio_order(folio) != order || folio_pfn(folio) != pfn)
		return VM_FAULT_FALLBACK;
	if (order == PMD_ORDER)
		return vmf_insert_folio_pmd(vmf, folio, write);
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	if (order == PUD_ORDER)
		return vmf_insert_folio_pud(vmf, folio, write);
#endif
	return VM_FAULT_FALLBACK;
}
