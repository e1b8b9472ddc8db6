// Special mappings (Linux's _install_special_mapping in mm/mmap.c): VMAs whose
// pages belong to the kernel rather than to the process, such as the vDSO and
// its data page. They are ordinary VMAs otherwise: fork copies them (the PTEs
// take a reference on the same pages), munmap and mprotect work, mremap can
// move but never grow them. Faults find the page in the mapping's array, so
// MADV_DONTNEED or a fresh fork simply fault the same pages back in.
#include <keel/mm.h>
#include <mm/internal.h>

Result<vm_area_struct*> install_special_mapping(mm_struct* mm, unsigned long addr, unsigned long len,
                                                unsigned long vm_flags, const vm_special_mapping* spec) {
    if (mm->map_count >= sysctl_max_map_count) return Error{ENOMEM};
    vm_area_struct* vma = vm_area_alloc(mm);
    if (!vma) return Error{ENOMEM};
    vma->vm_start = addr;
    vma->vm_end = addr + len;
    vma->vm_flags = vm_flags | VM_DONTEXPAND;
    vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
    vma->vm_pgoff = 0;  // index into spec->pages; split_vma and mremap keep it right
    vma->vm_special = spec;
    vma_link(mm, vma);
    mm->total_vm += len >> PAGE_SHIFT;
    return vma;
}

page* special_mapping_page(vm_area_struct* vma, unsigned long address) {
    unsigned long index = vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT);
    if (index >= vma->vm_special->nr_pages) return nullptr;
    page* p = vma->vm_special->pages[index];
    get_page(p);
    return p;
}
