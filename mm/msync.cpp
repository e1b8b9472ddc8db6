// msync (Linux's mm/msync.c): the checks on the flags and that the range is
// mapped, and for MS_SYNC on a shared file mapping, fsync of the file (whose
// pages the mapping writes directly; MS_ASYNC has nothing to start).
#include <keel/fs.h>
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
        file* f = vma->vm_file;
        if ((flags & MS_SYNC) && f && (vma->vm_flags & VM_SHARED)) {
            // The file is synced without mmap_lock (fsync may sleep long);
            // the walk then resumes from a fresh lookup.
            get_file(f);
            up_read(&mm->mmap_lock);
            ret = vfs_fsync(f, 1);
            fput(f);
            if (ret || start >= end) return ret ? ret : unmapped ? -ENOMEM : 0;
            down_read(&mm->mmap_lock);
            vma = find_vma(mm, start);
            continue;
        }
        if (start >= end) {
            if (unmapped) ret = -ENOMEM;
            break;
        }
        vma = vma_next(vma);
    }
    up_read(&mm->mmap_lock);
    return ret;
}
