// mprotect (Linux's mm/mprotect.c): new rights for a range, splitting the VMAs
// at its ends and merging what became alike, then rewriting the present PTEs.
#include <keel/mm.h>
#include <keel/sched.h>
#include <mm/internal.h>
#include <uapi/asm/mman.h>

namespace {

// Gives [start, end) of *pvma the flags newflags; *pvma becomes the VMA now
// covering the range (after a merge, a neighbour).
int mprotect_fixup(mm_struct* mm, vm_area_struct** pvma, unsigned long start, unsigned long end,
                   unsigned long newflags) {
    vm_area_struct* vma = *pvma;
    if (newflags == vma->vm_flags) return 0;
    if (start != vma->vm_start) {
        int err = split_vma(mm, vma, start, true);
        if (err) return err;
    }
    if (end != vma->vm_end) {
        int err = split_vma(mm, vma, end, false);
        if (err) return err;
    }
    vma->vm_flags = newflags;
    vma->vm_page_prot = vm_get_page_prot(newflags);
    change_protection(vma, start, end);
    *pvma = vma_merge_neighbours(mm, vma);
    return 0;
}

}  // namespace

long do_mprotect(unsigned long start, size_t len, unsigned long prot) {
    unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    prot &= ~grows;
    if (grows == (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
    if (start & (PAGE_SIZE - 1)) return -EINVAL;
    if (!len) return 0;
    len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    unsigned long end = start + len;
    if (end <= start) return -ENOMEM;
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) return -EINVAL;
    unsigned long vm_prot = (prot & PROT_READ ? VM_READ : VM_NONE) | (prot & PROT_WRITE ? VM_WRITE : VM_NONE) |
                            (prot & PROT_EXEC ? VM_EXEC : VM_NONE);

    mm_struct* mm = current->mm;
    down_write(&mm->mmap_lock);
    long error = -ENOMEM;
    vm_area_struct* vma = find_vma(mm, start);
    if (!vma) goto out;
    if (grows & PROT_GROWSDOWN) {
        if (vma->vm_start >= end) goto out;
        start = vma->vm_start;
        error = -EINVAL;
        if (!(vma->vm_flags & VM_GROWSDOWN)) goto out;
    } else {
        if (vma->vm_start > start) goto out;
        if (grows & PROT_GROWSUP) {  // no VMA grows up on x86
            error = -EINVAL;
            goto out;
        }
    }
    // Like Linux, VMAs before a failure keep their new rights.
    for (unsigned long nstart = start;;) {
        unsigned long newflags = vm_prot | (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC));
        // VM_MAY* sit four bits above the rights they allow.
        if ((newflags & ~(newflags >> 4)) & (VM_READ | VM_WRITE | VM_EXEC)) {
            error = -EACCES;
            break;
        }
        unsigned long tmp = vma->vm_end < end ? vma->vm_end : end;
        error = mprotect_fixup(mm, &vma, nstart, tmp, newflags);
        if (error) break;
        nstart = tmp;
        if (nstart >= end) break;
        if (vma->vm_end > nstart) continue;  // merged with the next VMA: it covers nstart
        vma = vma_next(vma);
        if (!vma || vma->vm_start != nstart) {
            error = -ENOMEM;
            break;
        }
    }
out:
    up_write(&mm->mmap_lock);
    return error;
}
