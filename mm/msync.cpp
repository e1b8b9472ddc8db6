// msync (Linux's mm/msync.c). Anonymous memory has no file to write back, so
// only the checks remain: the flags, and that the range is mapped.
#include <keel/mm.h>
#include <keel/sched.h>
#include <mm/internal.h>
#include <uapi/asm/mman.h>

long do_msync(unsigned long start, size_t len, int flags) {
    if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return -EINVAL;
    if (start & (PAGE_SIZE - 1)) return -EINVAL;
    if ((flags & MS_ASYNC) && (flags & MS_SYNC)) return -EINVAL;
    len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    unsigned long end = start + len;
    if (end < start) return -ENOMEM;
    if (end == start) return 0;

    mm_struct* mm = current->mm;
    down_read(&mm->mmap_lock);
    long ret = 0;
    bool unmapped = false;
    vm_area_struct* vma = find_vma(mm, start);
    for (;;) {
        if (!vma) {
            ret = -ENOMEM;
            break;
        }
        if (start < vma->vm_start) {
            if (vma->vm_start >= end) {
                ret = -ENOMEM;
                break;
            }
            start = vma->vm_start;
            unmapped = true;  // Linux finishes the range, then reports the hole
        }
        if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
            ret = -EBUSY;
            break;
        }
        start = vma->vm_end;
        if (start >= end) {
            if (unmapped) ret = -ENOMEM;
            break;
        }
        vma = vma_next(vma);
    }
    up_read(&mm->mmap_lock);
    return ret;
}
