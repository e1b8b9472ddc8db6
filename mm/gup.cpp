// Reaching user pages from the kernel without running in their mm (Linux's
// mm/gup.c): MAP_POPULATE's prefault and access_remote_vm.
#include <keel/mm.h>
#include <lib/string.h>
#include <mm/internal.h>

void mm_populate(mm_struct* mm, unsigned long start, unsigned long len) {
    unsigned long end = start + len;
    down_read(&mm->mmap_lock);
    for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
        vm_area_struct* vma = find_vma(mm, addr);
        if (!vma || vma->vm_start >= end) break;
        if (addr < vma->vm_start) addr = vma->vm_start;
        if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
            addr = vma->vm_end - PAGE_SIZE;
            continue;
        }
        // Like Linux, writable private pages are written for: no CoW left behind.
        if (handle_mm_fault(vma, addr, vma->vm_flags & VM_WRITE ? unsigned(FAULT_FLAG_WRITE) : 0u) != VM_FAULT_OK) break;
    }
    up_read(&mm->mmap_lock);
}

long access_remote_vm(mm_struct* mm, unsigned long addr, void* buf, size_t len, bool write) {
    auto* cursor = static_cast<char*>(buf);
    long done = 0;
    down_read(&mm->mmap_lock);
    while (len) {
        vm_area_struct* vma = find_vma(mm, addr);
        if (!vma) break;
        if (vma->vm_start > addr && (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(vma, addr))) break;
        // No FOLL_FORCE: the mapping's own rights apply (ptrace will need more).
        if (!(vma->vm_flags & (write ? (unsigned long)VM_WRITE : VM_READ | VM_WRITE | VM_EXEC))) break;
        if (handle_mm_fault(vma, addr, write ? unsigned(FAULT_FLAG_WRITE) : 0u) != VM_FAULT_OK) break;
        page* p = nullptr;
        {
            Guard<NoIrqSave> guard(mm->page_table_lock);
            unsigned long next;
            pteval_t* pte = pte_lookup(mm->pgd, addr, &next);
            if (pte && (*pte & _PAGE_PRESENT) && (!write || (*pte & _PAGE_RW))) {
                p = phys_to_page(*pte & PTE_PFN_MASK);
                get_page(p);  // the copy below runs outside the lock
            }
        }
        if (!p) break;
        size_t offset = addr & (PAGE_SIZE - 1);
        size_t n = len < PAGE_SIZE - offset ? len : PAGE_SIZE - offset;
        char* kaddr = static_cast<char*>(page_address(p)) + offset;
        if (write) memcpy(kaddr, cursor, n);
        else memcpy(cursor, kaddr, n);
        put_page(p);
        cursor += n;
        addr += n;
        len -= n;
        done += long(n);
    }
    up_read(&mm->mmap_lock);
    return done;
}
