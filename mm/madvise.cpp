// madvise (Linux's mm/madvise.c). Without swap or readahead the access-pattern
// hints have nothing to tune and are accepted; MADV_DONTNEED (and MADV_FREE,
// which may legally behave the same) drops the pages, so the next touch of a
// private page reads zeros and of a shared one reads the shared object again.
#include <keel/mm.h>
#include <keel/sched.h>
#include <mm/internal.h>
#include <uapi/asm/mman.h>

namespace {

bool madvise_behavior_valid(int behavior) {
    switch (behavior) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
    case MADV_DONTNEED:
    case MADV_FREE:
        return true;
    default:
        return false;
    }
}

}  // namespace

long do_madvise(unsigned long start, size_t len_in, int behavior) {
    if (!madvise_behavior_valid(behavior)) return -EINVAL;
    if (start & (PAGE_SIZE - 1)) return -EINVAL;
    size_t len = (len_in + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (len_in && !len) return -EINVAL;
    unsigned long end = start + len;
    if (end < start) return -EINVAL;
    if (end == start) return 0;

    mm_struct* mm = current->mm;
    bool zap = behavior == MADV_DONTNEED || behavior == MADV_FREE;
    // Dropping pages races only with faults, which also hold the lock for reading.
    down_read(&mm->mmap_lock);
    long ret = 0;
    unsigned long addr = start;
    for (vm_area_struct* vma = find_vma(mm, start); addr < end; vma = vma_next(vma)) {
        if (!vma) {
            ret = -ENOMEM;
            break;
        }
        if (vma->vm_start >= end) {
            ret = -ENOMEM;  // the rest is a hole
            break;
        }
        if (vma->vm_start > addr) ret = -ENOMEM;  // a hole: reported, the rest still done
        unsigned long from = vma->vm_start > addr ? vma->vm_start : addr;
        unsigned long to = vma->vm_end < end ? vma->vm_end : end;
        if (zap) {
            // MADV_FREE is for anonymous memory only (Linux's vma_is_anonymous: no vm_ops).
            if ((vma->vm_flags & VM_LOCKED) || (behavior == MADV_FREE && (vma->vm_shared || vma->vm_ops))) {
                ret = -EINVAL;
                break;
            }
            zap_page_range(vma, from, to);
        }
        addr = to;
    }
    up_read(&mm->mmap_lock);
    return ret;
}
