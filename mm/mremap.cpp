// mremap (Linux's mm/mremap.c): shrink a mapping, grow it in place when the
// space above is free, or move it — the PTEs move, the pages stay put.
#include <keel/mm.h>
#include <keel/sched.h>
#include <mm/internal.h>
#include <uapi/asm/mman.h>

namespace {

Result<vm_area_struct*> vma_to_resize(mm_struct* mm, unsigned long addr, unsigned long old_len,
                                      unsigned long new_len) {
    vm_area_struct* vma = vma_lookup(mm, addr);
    if (!vma) return Error{EFAULT};
    // old_len 0 duplicates a shared mapping in Linux; Keel does not (yet).
    if (!old_len) return Error{EINVAL};
    if (old_len > vma->vm_end - addr) return Error{EFAULT};
    if (new_len > old_len && (vma->vm_flags & VM_DONTEXPAND)) return Error{EFAULT};
    return vma;
}

bool vma_expandable(mm_struct* mm, vm_area_struct* vma, unsigned long delta) {
    unsigned long end = vma->vm_end + delta;
    if (end < vma->vm_end || end > mm->task_size) return false;
    vm_area_struct* next = vma_next(vma);
    return !next || next->vm_start >= end;
}

long move_vma(mm_struct* mm, vm_area_struct* vma, unsigned long old_addr, unsigned long old_len,
              unsigned long new_len, unsigned long new_addr) {
    // Splitting the old VMA at both ends may need two more.
    if (mm->map_count >= sysctl_max_map_count - 3) return -ENOMEM;
    if (vma->vm_start < old_addr) {
        int err = split_vma(mm, vma, old_addr, true);
        if (err) return err;
    }
    if (vma->vm_end > old_addr + old_len) {
        int err = split_vma(mm, vma, old_addr + old_len, false);
        if (err) return err;
    }
    vm_area_struct* new_vma = vm_area_dup(vma);
    if (!new_vma) return -ENOMEM;
    new_vma->vm_start = new_addr;
    new_vma->vm_end = new_addr + new_len;
    if (!new_vma->vm_shared && !new_vma->vm_special && !new_vma->vm_file) new_vma->vm_pgoff = new_addr >> PAGE_SHIFT;
    if (move_page_tables(vma, old_addr, new_vma, new_addr, old_len).is_error()) {
        vm_area_free(new_vma);
        return -ENOMEM;
    }
    vma_link(mm, new_vma);
    mm->total_vm += (new_len - old_len) >> PAGE_SHIFT;
    remove_vma(mm, vma);  // its PTEs are gone: moved, not zapped
    vma_merge_neighbours(mm, new_vma);
    return long(new_addr);
}

long mremap_to(mm_struct* mm, unsigned long addr, unsigned long old_len, unsigned long new_addr,
               unsigned long new_len) {
    if (new_addr & (PAGE_SIZE - 1)) return -EINVAL;
    if (new_len > mm->task_size || new_addr > mm->task_size - new_len) return -EINVAL;
    if (addr + old_len > new_addr && new_addr + new_len > addr) return -EINVAL;  // overlap
    if (new_addr < mmap_min_addr) return -EPERM;
    long ret = do_munmap(mm, new_addr, new_len);
    if (ret) return ret;
    if (old_len > new_len) {
        ret = do_munmap(mm, addr + new_len, old_len - new_len);
        if (ret) return ret;
        old_len = new_len;
    }
    auto vma = vma_to_resize(mm, addr, old_len, new_len);
    if (vma.is_error()) return -vma.error();
    return move_vma(mm, vma.value(), addr, old_len, new_len, new_addr);
}

long mremap_locked(mm_struct* mm, unsigned long addr, unsigned long old_len, unsigned long new_len,
                   unsigned long flags, unsigned long new_addr) {
    if (flags & MREMAP_FIXED) return mremap_to(mm, addr, old_len, new_addr, new_len);
    if (old_len >= new_len) {
        if (old_len > new_len) {
            long ret = do_munmap(mm, addr + new_len, old_len - new_len);
            if (ret) return ret;
        }
        return long(addr);
    }
    auto found = vma_to_resize(mm, addr, old_len, new_len);
    if (found.is_error()) return -found.error();
    vm_area_struct* vma = found.value();
    if (vma->vm_end == addr + old_len && vma_expandable(mm, vma, new_len - old_len)) {
        vma->vm_end = addr + new_len;
        mm->total_vm += (new_len - old_len) >> PAGE_SHIFT;
        vma_merge_neighbours(mm, vma);
        return long(addr);
    }
    if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
    long to = get_unmapped_area(mm, 0, new_len, vma->vm_flags & VM_SHARED ? MAP_SHARED : MAP_PRIVATE);
    if (to < 0) return to;
    return move_vma(mm, vma, addr, old_len, new_len, (unsigned long)to);
}

}  // namespace

long do_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
               unsigned long new_addr) {
    // MREMAP_DONTUNMAP (keep the old range, empty) is not supported yet.
    if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE)) return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) return -EINVAL;
    if (addr & (PAGE_SIZE - 1)) return -EINVAL;
    old_len = (old_len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    new_len = (new_len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (!new_len) return -EINVAL;
    mm_struct* mm = current->mm;
    down_write(&mm->mmap_lock);
    long ret = mremap_locked(mm, addr, old_len, new_len, flags, new_addr);
    up_write(&mm->mmap_lock);
    return ret;
}
