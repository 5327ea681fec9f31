// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping pool folios to user space at a huge fault.
 *
 * A folio of a pool is mapped only whole, by one PMD (2 MiB) or PUD
 * (1 GiB, where the architecture has transparent PUD pages: x86_64) entry
 * through the rmap, so that GUP and pinning work on it.  Never by PTEs:
 * the tail struct pages of an hvo folio are shared and read-only, and a
 * PTE mapping would write their mapcount.
 *
 * A consumer's mmap handler calls pcarve_mmap_vma() with a function that
 * finds the chunk under an offset of the mapping.  The VMA then has
 * pcarve_vm_ops, which vma_is_pcarve() recognises: like a DAX VMA, it gets
 * PUD-order faults (mm/huge_memory.c, patch 0008), since its folios are
 * never split and never in a page cache.  It is neither a pfn nor a mixed
 * map, so that zapping and fork treat its entries as the folio mappings
 * they are.  It cannot be split where that would cut a folio mapping.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>

#include "internal.h"

static vm_fault_t pcarve_vm_fault(struct vm_fault *vmf)
{
	/* never by PTEs */
	return VM_FAULT_SIGBUS;
}

static vm_fault_t pcarve_vm_huge_fault(struct vm_fault *vmf,
				       unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	const struct pcarve_vma_ops *ops = vma->vm_private_data;
	unsigned long addr = ALIGN_DOWN(vmf->address, PAGE_SIZE << order);
	struct pcarve_chunk *chunk;
	u64 off;

	if (addr < vma->vm_start || addr + (PAGE_SIZE << order) > vma->vm_end)
		return VM_FAULT_FALLBACK;
	chunk = ops->chunk_at(vma, ((u64)vma->vm_pgoff << PAGE_SHIFT) +
			      (addr - vma->vm_start), &off);
	if (!chunk)
		return VM_FAULT_SIGBUS;
	return pcarve_chunk_fault(vmf, order, chunk, off);
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

/**
 * pcarve_mmap_vma() - make a VMA map pool folios
 * @vma: a MAP_SHARED VMA being set up by an mmap handler
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
 * vma_is_pcarve() - does a VMA map pcarve folios?
 * @vma: the VMA
 *
 * Return: true for a VMA set up by pcarve_mmap_vma().
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
