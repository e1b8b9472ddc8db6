// The VMA layer of a user address space (Linux's mm/mmap.c): the tree of
// vm_area_structs in mm->mm_rb, the search for free ranges, mmap, munmap, brk.
// Page tables are reached only through the few functions of mm/internal.h that
// memory.cpp implements, so this file also builds into the host tests.
#include <keel/fs.h>
#include <keel/mm.h>
#include <keel/mount.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <keel/resource.h>
#include <mm/internal.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/mman.h>

namespace {

vm_area_struct* vma_of(rb_node* node) { return node ? rb_entry(node, vm_area_struct, vm_rb) : nullptr; }

unsigned long calc_vm_prot_bits(unsigned long prot) {
    return (prot & PROT_READ ? VM_READ : VM_NONE) | (prot & PROT_WRITE ? VM_WRITE : VM_NONE) |
           (prot & PROT_EXEC ? VM_EXEC : VM_NONE);
}

// Two VMAs that touch (a below b) can become one: same rights and backing and,
// for files, shared memory and special mappings, consecutive offsets in the
// same object (a vDSO split by mprotect and put back together). Private
// anonymous memory has no offset that matters: its pages are found through the PTEs.
bool can_merge(const vm_area_struct* a, const vm_area_struct* b) {
    if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags || a->vm_shared != b->vm_shared ||
        a->vm_special != b->vm_special || a->vm_file != b->vm_file || a->vm_ops != b->vm_ops)
        return false;
    return !(a->vm_shared || a->vm_special || a->vm_file) || a->vm_pgoff + vma_pages(a) == b->vm_pgoff;
}

// Linux's file_mmap_ok: the mapping's last byte must be a representable file offset.
bool file_mmap_ok(const file* f, unsigned long pgoff, unsigned long len) {
    unsigned long maxsize = (unsigned long)f->f_inode->i_sb->s_maxbytes;
    if (len > maxsize) return false;
    return pgoff <= (maxsize - len) >> PAGE_SHIFT;
}

// The flags MAP_SHARED has always ignored when unknown; MAP_SHARED_VALIDATE
// refuses anything else (Linux's LEGACY_MAP_MASK; no file here supports MAP_SYNC).
constexpr unsigned long LEGACY_MAP_MASK = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE |
                                          MAP_EXECUTABLE | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE |
                                          MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | 0x4000000;

// The file half of do_mmap's checks (Linux's order and errnos): what the
// descriptor's open mode allows decides the VM_MAY* bits, so mprotect cannot
// later widen a mapping beyond it.
long check_file_mapping(file* f, unsigned long flags, unsigned long prot, unsigned long* vm_flags) {
    switch (flags & MAP_TYPE) {
    case MAP_SHARED:
    case MAP_SHARED_VALIDATE:
        if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK)) return -EOPNOTSUPP;
        if ((prot & PROT_WRITE) && !(f->f_mode & FMODE_WRITE)) return -EACCES;
        *vm_flags |= VM_SHARED | VM_MAYSHARE;
        if (!(f->f_mode & FMODE_WRITE)) *vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
        [[fallthrough]];
    case MAP_PRIVATE:
        if (!(f->f_mode & FMODE_READ)) return -EACCES;
        // A file on a noexec mount never runs, not even mapped (Linux's path_noexec).
        if ((f->f_path.mnt && (f->f_path.mnt->mnt_flags & MNT_NOEXEC)) || (f->f_inode->i_sb->s_flags & SB_NOEXEC)) {
            if (*vm_flags & VM_EXEC) return -EPERM;
            *vm_flags &= ~VM_MAYEXEC;
        }
        if (!f->f_op || !f->f_op->mmap) return -ENODEV;
        if (*vm_flags & VM_GROWSDOWN) return -EINVAL;
        return 0;
    default:
        return -EINVAL;
    }
}

// The top-down search: the highest gap below mmap_base that holds len bytes,
// keeping stacks' guard gaps. Walks the VMAs from the top: O(number of VMAs);
// Linux keeps the largest gap of each subtree in the tree to make it O(log n).
long unmapped_area_topdown(mm_struct* mm, unsigned long len) {
    unsigned long low = mmap_min_addr;
    unsigned long gap_end = mm->mmap_base;
    for (vm_area_struct* vma = vma_of(rb_last(&mm->mm_rb)); vma; vma = vma_prev(vma)) {
        unsigned long gap_start = vma->vm_end > low ? vma->vm_end : low;
        if (gap_end > gap_start && gap_end - gap_start >= len) return long(gap_end - len);
        unsigned long below = vm_start_gap(vma);
        if (below < gap_end) gap_end = below;
        if (gap_end < low + len) return -ENOMEM;
    }
    return gap_end >= low + len ? long(gap_end - len) : -ENOMEM;
}

// Does [addr, addr+len) fit between the VMAs, guard gaps included?
bool range_is_free(mm_struct* mm, unsigned long addr, unsigned long len) {
    vm_area_struct* next = find_vma(mm, addr);
    if (next && addr + len > vm_start_gap(next)) return false;
    vm_area_struct* prev = next ? vma_prev(next) : vma_of(rb_last(&mm->mm_rb));
    return !prev || prev->vm_end <= addr;
}

// Puts vma on (or takes it off) its file's i_mmap list, which truncation walks.
void vma_link_file(vm_area_struct* vma) {
    address_space* mapping = vma->vm_file->f_mapping;
    Guard<NoIrqSave> guard(mapping->i_mmap_lock);
    list_add_tail(&vma->shared, &mapping->i_mmap);
}
void vma_unlink_file(vm_area_struct* vma) {
    if (list_empty(&vma->shared)) return;
    address_space* mapping = vma->vm_file->f_mapping;
    Guard<NoIrqSave> guard(mapping->i_mmap_lock);
    list_del_init(&vma->shared);
}

long mmap_region(mm_struct* mm, file* f, unsigned long addr, unsigned long len, unsigned long vm_flags,
                 unsigned long pgoff) {
    vm_area_struct* vma = vm_area_alloc(mm);
    if (!vma) return -ENOMEM;
    vma->vm_start = addr;
    vma->vm_end = addr + len;
    vma->vm_flags = vm_flags;
    vma->vm_page_prot = vm_get_page_prot(vm_flags);
    vma->vm_pgoff = pgoff;
    int err = 0;
    if (f) {
        // The file decides how its pages are found (vm_ops) or turns the
        // mapping into something else (/dev/zero: anonymous memory).
        vma->vm_file = get_file(f);
        err = f->f_op->mmap(f, vma);
    } else if (vm_flags & VM_SHARED) {
        err = shmem_zero_setup(vma);
    }
    if (err) {
        vm_area_free(vma);
        return err;
    }
    if (vma->vm_file && vma->vm_ops) vma_link_file(vma);  // its pages are the file's
    vma_link(mm, vma);
    // A shared anonymous object is the mapping's own: a merge could only join
    // it to another object.
    if (!vma->vm_shared) vma_merge_neighbours(mm, vma);
    mm->total_vm += len >> PAGE_SHIFT;
    if (vm_flags & VM_GROWSDOWN) mm->stack_vm += len >> PAGE_SHIFT;
    return long(addr);
}

// Adds [addr, addr+len) as private anonymous memory; the range is free.
long do_brk_flags(mm_struct* mm, unsigned long addr, unsigned long len, unsigned long flags) {
    if (mm->map_count > sysctl_max_map_count) return -ENOMEM;
    unsigned long vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | flags;
    return mmap_region(mm, nullptr, addr, len, vm_flags, addr >> PAGE_SHIFT) < 0 ? -ENOMEM : 0;
}

}  // namespace

pgprot_t vm_get_page_prot(unsigned long vm_flags) {
    if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) return {_PAGE_PROTNONE | _PAGE_USER | _PAGE_ACCESSED};
    pteval_t prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
    if ((vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED)) prot |= _PAGE_RW;
    if (!(vm_flags & VM_EXEC)) prot |= _PAGE_NX;
    return {prot};
}

vm_area_struct* vm_area_alloc(mm_struct* mm) {
    void* mem = kzalloc(sizeof(vm_area_struct), GFP_KERNEL);
    if (!mem) return nullptr;
    auto* vma = new (mem) vm_area_struct{};
    vma->vm_mm = mm;
    RB_CLEAR_NODE(&vma->vm_rb);
    return vma;
}

void vm_area_free(vm_area_struct* vma) {
    if (vma->vm_ops && vma->vm_ops->close) vma->vm_ops->close(vma);
    if (vma->vm_file) vma_unlink_file(vma);
    if (vma->vm_shared) shmem_object_put(vma->vm_shared);
    if (vma->vm_file) fput(vma->vm_file);
    kfree(vma);
}

vm_area_struct* vma_next(vm_area_struct* vma) { return vma_of(rb_next(&vma->vm_rb)); }
vm_area_struct* vma_prev(vm_area_struct* vma) { return vma_of(rb_prev(&vma->vm_rb)); }

vm_area_struct* find_vma(mm_struct* mm, unsigned long addr) {
    vm_area_struct* found = nullptr;
    for (rb_node* node = mm->mm_rb.rb_node; node;) {
        vm_area_struct* vma = vma_of(node);
        if (vma->vm_end > addr) {
            found = vma;
            if (vma->vm_start <= addr) break;
            node = node->rb_left;
        } else {
            node = node->rb_right;
        }
    }
    return found;
}

vm_area_struct* vma_lookup(mm_struct* mm, unsigned long addr) {
    vm_area_struct* vma = find_vma(mm, addr);
    return vma && vma->vm_start <= addr ? vma : nullptr;
}

void vma_link(mm_struct* mm, vm_area_struct* vma) {
    vma->vm_mm = mm;
    rb_add(&vma->vm_rb, &mm->mm_rb,
           [](rb_node* a, rb_node* b) { return vma_of(a)->vm_start < vma_of(b)->vm_start; });
    mm->map_count++;
}

void remove_vma(mm_struct* mm, vm_area_struct* vma) {
    rb_erase(&vma->vm_rb, &mm->mm_rb);
    mm->map_count--;
    vm_area_free(vma);
}

vm_area_struct* vm_area_dup(vm_area_struct* orig) {
    vm_area_struct* vma = vm_area_alloc(orig->vm_mm);
    if (!vma) return nullptr;
    *vma = *orig;
    RB_CLEAR_NODE(&vma->vm_rb);
    INIT_LIST_HEAD(&vma->shared);
    if (vma->vm_shared) shmem_object_get(vma->vm_shared);
    if (vma->vm_file) get_file(vma->vm_file);
    if (!list_empty(&orig->shared)) vma_link_file(vma);
    if (vma->vm_ops && vma->vm_ops->open) vma->vm_ops->open(vma);
    return vma;
}

int split_vma(mm_struct* mm, vm_area_struct* vma, unsigned long addr, bool new_below) {
    if (mm->map_count >= sysctl_max_map_count) return -ENOMEM;
    vm_area_struct* split = vm_area_dup(vma);
    if (!split) return -ENOMEM;
    unsigned long offset = (addr - vma->vm_start) >> PAGE_SHIFT;
    if (new_below) {
        split->vm_end = addr;
        vma->vm_start = addr;
        vma->vm_pgoff += offset;
    } else {
        split->vm_start = addr;
        split->vm_pgoff += offset;
        vma->vm_end = addr;
    }
    vma_link(mm, split);  // vma was shrunk first: the two never overlap in the tree
    return 0;
}

vm_area_struct* vma_merge_neighbours(mm_struct* mm, vm_area_struct* vma) {
    vm_area_struct* prev = vma_prev(vma);
    if (prev && can_merge(prev, vma)) {
        prev->vm_end = vma->vm_end;
        remove_vma(mm, vma);
        vma = prev;
    }
    vm_area_struct* next = vma_next(vma);
    if (next && can_merge(vma, next)) {
        vma->vm_end = next->vm_end;
        remove_vma(mm, next);
    }
    return vma;
}

long get_unmapped_area(mm_struct* mm, unsigned long addr, unsigned long len, unsigned long flags) {
    if (len > mm->task_size - mmap_min_addr) return -ENOMEM;
    if (flags & MAP_FIXED) {
        if (addr > mm->task_size - len) return -ENOMEM;
        if (addr & (PAGE_SIZE - 1)) return -EINVAL;
        if (addr < mmap_min_addr) return -EPERM;  // Linux's security_mmap_addr
        return long(addr);
    }
    if (addr) {  // a hint: taken when it is free
        addr = (addr + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        if (addr >= mmap_min_addr && addr <= mm->task_size - len && range_is_free(mm, addr, len))
            return long(addr);
    }
    return unmapped_area_topdown(mm, len);
}

long do_mmap(mm_struct* mm, file* f, unsigned long addr, unsigned long len, unsigned long prot,
             unsigned long flags, unsigned long pgoff, unsigned long* populate) {
    *populate = 0;
    if (!len) return -EINVAL;
    if (!(flags & MAP_FIXED) && addr && addr < mmap_min_addr) addr = mmap_min_addr;  // round_hint_to_min
    unsigned long aligned = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (!aligned) return -ENOMEM;
    len = aligned;
    if (pgoff + (len >> PAGE_SHIFT) < pgoff) return -EOVERFLOW;
    if (mm->map_count > sysctl_max_map_count) return -ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
    long start = get_unmapped_area(mm, addr, len, flags);
    if (start < 0) return start;
    addr = (unsigned long)start;
    if (flags & MAP_FIXED_NOREPLACE) {
        vm_area_struct* vma = find_vma(mm, addr);
        if (vma && vma->vm_start < addr + len) return -EEXIST;
    }
    unsigned long vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    if (flags & MAP_GROWSDOWN) vm_flags |= VM_GROWSDOWN;
    if (flags & MAP_LOCKED) vm_flags |= VM_LOCKED;
    if (f) {
        if (!file_mmap_ok(f, pgoff, len)) return -EOVERFLOW;
        long err = check_file_mapping(f, flags, prot, &vm_flags);
        if (err) return err;
    } else {
        switch (flags & MAP_TYPE) {
        case MAP_SHARED:
            if (vm_flags & VM_GROWSDOWN) return -EINVAL;
            vm_flags |= VM_SHARED | VM_MAYSHARE;
            pgoff = 0;  // the offset in the mapping's own object
            break;
        case MAP_PRIVATE:
            pgoff = addr >> PAGE_SHIFT;
            break;
        default:  // MAP_SHARED_VALIDATE included: Linux takes it for files only
            return -EINVAL;
        }
    }
    // The old mappings go only once the new one is known to be allowed.
    if ((flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE)) {
        long err = do_munmap(mm, addr, len);
        if (err) return err;
    }
    long ret = mmap_region(mm, f, addr, len, vm_flags, pgoff);
    if (ret >= 0 && ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
        *populate = len;
    return ret;
}

long do_munmap(mm_struct* mm, unsigned long start, size_t len) {
    if ((start & (PAGE_SIZE - 1)) || start > mm->task_size || len > mm->task_size - start) return -EINVAL;
    len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (!len) return -EINVAL;
    unsigned long end = start + len;
    vm_area_struct* vma = find_vma(mm, start);
    if (!vma || vma->vm_start >= end) return 0;
    if (vma->vm_start < start) {
        // Cutting a hole in the middle needs two new VMAs.
        if (end < vma->vm_end && mm->map_count + 1 >= sysctl_max_map_count) return -ENOMEM;
        int err = split_vma(mm, vma, start, true);
        if (err) return err;
    }
    vm_area_struct* last = find_vma(mm, end);
    if (last && last->vm_start < end) {
        int err = split_vma(mm, last, end, true);
        if (err) return err;
    }
    for (vma = find_vma(mm, start); vma && vma->vm_start < end;) {
        vm_area_struct* next = vma_next(vma);
        zap_page_range(vma, vma->vm_start, vma->vm_end);
        mm->total_vm -= vma_pages(vma);
        if (vma->vm_flags & VM_GROWSDOWN) mm->stack_vm -= vma_pages(vma);
        remove_vma(mm, vma);
        vma = next;
    }
    return 0;
}

int expand_stack(vm_area_struct* vma, unsigned long address) {
    mm_struct* mm = vma->vm_mm;
    address &= ~(PAGE_SIZE - 1);
    if (address < mmap_min_addr) return -EPERM;
    vm_area_struct* prev = vma_prev(vma);
    if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) &&
        address - prev->vm_end < stack_guard_gap)
        return -ENOMEM;
    if (prev && address < prev->vm_end) return -ENOMEM;
    if (vma->vm_end - address > task_rlimit(current, RLIMIT_STACK)) return -ENOMEM;  // Linux's acct_stack_growth
    // Faults hold mmap_lock only for reading: two threads may grow the stack at once.
    Guard<NoIrqSave> guard(mm->page_table_lock);
    if (address < vma->vm_start) {
        unsigned long grow = (vma->vm_start - address) >> PAGE_SHIFT;
        vma->vm_start = address;
        vma->vm_pgoff -= grow;
        mm->total_vm += grow;
        mm->stack_vm += grow;
    }
    return 0;
}

void exit_mmap(mm_struct* mm) {
    while (vm_area_struct* vma = vma_of(rb_first(&mm->mm_rb))) {
        zap_page_range(vma, vma->vm_start, vma->vm_end);
        remove_vma(mm, vma);
    }
    mm->total_vm = mm->stack_vm = 0;
}

// ---- the system-call workers -----------------------------------------------------

long vm_mmap_pgoff(file* f, unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
                   unsigned long pgoff) {
    mm_struct* mm = current->mm;
    if (!mm) return -ENOMEM;
    unsigned long populate;
    down_write(&mm->mmap_lock);
    long ret = do_mmap(mm, f, addr, len, prot, flags, pgoff, &populate);
    up_write(&mm->mmap_lock);
    if (populate) mm_populate(mm, (unsigned long)ret, populate);
    return ret;
}

long vm_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
             unsigned long pgoff) {
    return vm_mmap_pgoff(nullptr, addr, len, prot, flags, pgoff);
}

long vm_munmap(unsigned long addr, size_t len) {
    mm_struct* mm = current->mm;
    if (!mm) return -EINVAL;
    down_write(&mm->mmap_lock);
    long ret = do_munmap(mm, addr, len);
    up_write(&mm->mmap_lock);
    return ret;
}

long vm_brk_flags(unsigned long addr, unsigned long request, unsigned long flags) {
    mm_struct* mm = current->mm;
    unsigned long len = (request + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (len < request) return -ENOMEM;
    if (!len) return 0;
    if (flags & ~(VM_EXEC | VM_GROWSDOWN)) return -EINVAL;
    down_write(&mm->mmap_lock);
    long ret = get_unmapped_area(mm, addr, len, MAP_FIXED);
    if (ret >= 0) ret = do_munmap(mm, addr, len);
    if (ret >= 0) ret = do_brk_flags(mm, addr, len, flags);
    up_write(&mm->mmap_lock);
    return ret;
}

long do_brk(unsigned long brk) {
    mm_struct* mm = current->mm;
    down_write(&mm->mmap_lock);
    unsigned long origbrk = mm->brk;
    unsigned long newbrk = (brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    unsigned long oldbrk = (mm->brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    long ret = long(origbrk);  // any failure answers with the old break, as Linux does
    if (brk < mm->start_brk || brk > mm->task_size) goto out;
    if (oldbrk == newbrk) {
        mm->brk = brk;
    } else if (brk <= mm->brk) {
        mm->brk = brk;
        if (do_munmap(mm, newbrk, oldbrk - newbrk)) mm->brk = origbrk;
    } else {
        vm_area_struct* next = find_vma(mm, oldbrk);
        if (next && newbrk + PAGE_SIZE > vm_start_gap(next)) goto out;
        if (do_brk_flags(mm, oldbrk, newbrk - oldbrk, 0)) goto out;
        mm->brk = brk;
    }
    ret = long(mm->brk);
out:
    up_write(&mm->mmap_lock);
    return ret;
}
