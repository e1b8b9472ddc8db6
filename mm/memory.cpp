// The page tables of user mappings (Linux's mm/memory.c): demand-zero faults,
// copy on write, unmapping, fork's copy, mremap's move.
//
// Every PTE that maps a page holds one reference on it (page->_refcount), so a
// private page shared by a forked parent and child has a count of 2. A write
// fault on a read-only PTE of a writable private VMA copies the page unless the
// count says the faulting mm is its only user, in which case the PTE is simply
// made writable. PTEs change under mm->page_table_lock; mmap_lock (read) keeps
// the VMAs still meanwhile.
//
// File mappings find their pages through vma->vm_ops->fault (the page cache).
// A shared one maps the file's page itself, so stores reach the file; a
// private one maps it read-only and the first write copies it into an
// anonymous page of the mm's own (Linux's do_read_fault/do_cow_fault/do_shared_fault).
#include <asm/tlbflush.h>
#include <keel/mm.h>
#include <keel/sched.h>
#include <keel/signal_fault.h>
#include <lib/string.h>
#include <mm/internal.h>

namespace {

page* pte_page(pteval_t pte) { return phys_to_page(pte & PTE_PFN_MASK); }
pteval_t mk_pte(page* p, pteval_t prot) { return page_to_phys(p) | (prot & __supported_pte_mask); }

// Pages taken out of the page tables are freed only after the TLBs forget them:
// until then another CPU running this mm may still write to them (Linux's
// mmu_gather, without its batching of table pages).
class mmu_gather {
public:
    explicit mmu_gather(mm_struct* mm) : mm_(mm) {}
    ~mmu_gather() { flush(); }
    void remove_page(page* p, unsigned long addr) {
        if (addr < start_) start_ = addr;
        if (addr + PAGE_SIZE > end_) end_ = addr + PAGE_SIZE;
        pages_[nr_++] = p;
        if (nr_ == MAX) flush();
    }
    void flush() {
        if (start_ < end_) flush_tlb_mm_range(mm_, start_, end_);
        for (unsigned i = 0; i < nr_; i++) put_page(pages_[i]);
        nr_ = 0;
        start_ = ~0ul;
        end_ = 0;
    }

private:
    static constexpr unsigned MAX = 64;
    mm_struct* mm_;
    unsigned long start_ = ~0ul, end_ = 0;
    unsigned nr_ = 0;
    page* pages_[MAX];
};

unsigned long linear_page_index(const vm_area_struct* vma, unsigned long address) {
    return vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT);
}

// A write to a present, read-only PTE of a writable private VMA.
vm_fault_t do_wp_page(vm_area_struct* vma, unsigned long address, pteval_t* pte) {
    pteval_t prot = vma->vm_page_prot.val | _PAGE_RW | _PAGE_DIRTY;
    page* old = pte_page(*pte);
    // Nobody else maps it: take it as it is. A file's page is never taken
    // over: the page cache holds a reference of its own, so its count is 2 or more.
    if (page_count(old) == 1) {
        *pte = mk_pte(old, prot);
        flush_tlb_one_kernel(address);  // widening rights needs no remote flush
        return VM_FAULT_OK;
    }
    page* copy = alloc_page(GFP_KERNEL);
    if (!copy) return VM_FAULT_OOM;
    memcpy(page_address(copy), page_address(old), PAGE_SIZE);
    *pte = mk_pte(copy, prot);
    flush_tlb_mm_range(vma->vm_mm, address, address + PAGE_SIZE);
    put_page(old);
    return VM_FAULT_OK;
}

// A missing PTE of a file mapping. The backing is asked outside
// page_table_lock (it may allocate); a thread that filled the PTE meanwhile wins.
vm_fault_t do_fault(vm_area_struct* vma, unsigned long address, unsigned flags) {
    vm_fault vmf{vma, address, linear_page_index(vma, address), flags, nullptr};
    vm_fault_t ret = vma->vm_ops->fault(&vmf);
    if (ret != VM_FAULT_OK) return ret;
    page* p = vmf.page;
    pteval_t prot = vma->vm_page_prot.val;
    if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED)) {  // do_cow_fault
        page* copy = alloc_page(GFP_KERNEL);
        if (!copy) {
            put_page(p);
            return VM_FAULT_OOM;
        }
        memcpy(page_address(copy), page_address(p), PAGE_SIZE);
        put_page(p);
        p = copy;
        prot |= _PAGE_RW | _PAGE_DIRTY;
    } else if (flags & FAULT_FLAG_WRITE) {
        prot |= _PAGE_DIRTY;
    }
    mm_struct* mm = vma->vm_mm;
    Guard<NoIrqSave> guard(mm->page_table_lock);
    auto slot = pte_alloc(mm->pgd, address);
    if (slot.is_error()) {
        put_page(p);
        return VM_FAULT_OOM;
    }
    if (pte_mapped(*slot.value())) {
        put_page(p);
        return VM_FAULT_OK;
    }
    *slot.value() = mk_pte(p, prot);
    return VM_FAULT_OK;
}

}  // namespace

vm_fault_t handle_mm_fault(vm_area_struct* vma, unsigned long address, unsigned flags) {
    mm_struct* mm = vma->vm_mm;
    address &= ~(PAGE_SIZE - 1);
    bool file_backed = vma->vm_ops && vma->vm_ops->fault;
    if (file_backed) {
        bool missing;
        {
            unsigned long next;
            Guard<NoIrqSave> guard(mm->page_table_lock);
            pteval_t* pte = pte_lookup(mm->pgd, address, &next);
            missing = !pte || !pte_mapped(*pte);
        }
        if (missing) return do_fault(vma, address, flags);
    }
    Guard<NoIrqSave> guard(mm->page_table_lock);
    auto slot = pte_alloc(mm->pgd, address);
    if (slot.is_error()) return VM_FAULT_OOM;
    pteval_t* pte = slot.value();
    if (!pte_mapped(*pte)) {
        // Zapped since the look above (MADV_DONTNEED): the retry finds it missing.
        if (file_backed) return VM_FAULT_OK;
        pteval_t prot = vma->vm_page_prot.val;
        page* p;
        if (vma->vm_special) {
            // The kernel's own page, shared by every process and never
            // writable through this PTE: a write (after mprotect) copies it.
            p = special_mapping_page(vma, address);
            if (!p) return VM_FAULT_SIGBUS;
        } else if (vma->vm_shared) {
            vm_fault_t fault = VM_FAULT_OK;
            p = shmem_get_page(vma->vm_shared, linear_page_index(vma, address), &fault);
            if (!p) return fault;
        } else {
            // A fresh private page belongs to this mm alone: writable at once
            // if the VMA is (Linux maps the shared zero page for reads; Keel
            // does not have one yet).
            p = alloc_page(GFP_KERNEL | __GFP_ZERO);
            if (!p) return VM_FAULT_OOM;
            if (vma->vm_flags & VM_WRITE) prot |= _PAGE_RW | _PAGE_DIRTY;
        }
        *pte = mk_pte(p, prot);
        return VM_FAULT_OK;
    }
    if ((flags & FAULT_FLAG_WRITE) && (*pte & _PAGE_PRESENT) && !(*pte & _PAGE_RW))
        return do_wp_page(vma, address, pte);
    // Resolved meanwhile by another thread, or a stale TLB entry.
    flush_tlb_one_kernel(address);
    return VM_FAULT_OK;
}

vm_fault_t handle_user_fault(unsigned long address, unsigned flags, int* si_code) {
    mm_struct* mm = current->mm;
    *si_code = SEGV_MAPERR;
    if (!mm) return VM_FAULT_SIGSEGV;
    vm_area_struct* vma = find_vma(mm, address);
    if (!vma) return VM_FAULT_SIGSEGV;
    if (vma->vm_start > address && (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(vma, address)))
        return VM_FAULT_SIGSEGV;
    *si_code = SEGV_ACCERR;
    unsigned long need = (flags & FAULT_FLAG_WRITE)         ? VM_WRITE
                         : (flags & FAULT_FLAG_INSTRUCTION) ? VM_EXEC
                                                            : VM_READ | VM_WRITE | VM_EXEC;  // x86 reads any
    if (!(vma->vm_flags & need)) return VM_FAULT_SIGSEGV;
    return handle_mm_fault(vma, address, flags);
}

void zap_page_range(vm_area_struct* vma, unsigned long start, unsigned long end) {
    mm_struct* mm = vma->vm_mm;
    mmu_gather tlb(mm);
    Guard<NoIrqSave> guard(mm->page_table_lock);
    for (unsigned long addr = start, next; addr < end; addr = next) {
        pteval_t* pte = pte_lookup(mm->pgd, addr, &next);
        if (!pte || !pte_mapped(*pte)) continue;
        page* p = pte_page(*pte);
        *pte = 0;
        tlb.remove_page(p, addr);
    }
    tlb.flush();
}

void change_protection(vm_area_struct* vma, unsigned long start, unsigned long end) {
    mm_struct* mm = vma->vm_mm;
    Guard<NoIrqSave> guard(mm->page_table_lock);
    for (unsigned long addr = start, next; addr < end; addr = next) {
        pteval_t* pte = pte_lookup(mm->pgd, addr, &next);
        if (pte && pte_mapped(*pte)) *pte = mk_pte(pte_page(*pte), vma->vm_page_prot.val);
    }
    flush_tlb_mm_range(mm, start, end);
}

Result<void> move_page_tables(vm_area_struct* vma, unsigned long old_addr, vm_area_struct*,
                              unsigned long new_addr, unsigned long len) {
    mm_struct* mm = vma->vm_mm;
    Guard<NoIrqSave> guard(mm->page_table_lock);
    // Tables first, so that running out of memory leaves every PTE in place.
    for (unsigned long addr = old_addr, next; addr < old_addr + len; addr = next) {
        pteval_t* pte = pte_lookup(mm->pgd, addr, &next);
        if (pte && pte_mapped(*pte)) TRY(pte_alloc(mm->pgd, new_addr + (addr - old_addr)));
    }
    for (unsigned long addr = old_addr, next; addr < old_addr + len; addr = next) {
        pteval_t* pte = pte_lookup(mm->pgd, addr, &next);
        if (!pte || !pte_mapped(*pte)) continue;
        pteval_t* dst = pte_alloc(mm->pgd, new_addr + (addr - old_addr)).value();
        *dst = *pte;
        *pte = 0;
    }
    flush_tlb_mm_range(mm, old_addr, old_addr + len);
    return {};
}

Result<void> copy_page_range(mm_struct* dst, mm_struct* src, vm_area_struct* vma) {
    // Linux's is_cow_mapping: private and possibly writable.
    bool cow = (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
    Guard<NoIrqSave> guard(src->page_table_lock);
    Result<void> ret;
    for (unsigned long addr = vma->vm_start, next; addr < vma->vm_end; addr = next) {
        pteval_t* pte = pte_lookup(src->pgd, addr, &next);
        if (!pte || !pte_mapped(*pte)) continue;
        auto slot = pte_alloc(dst->pgd, addr);
        if (slot.is_error()) {
            ret = Error{ENOMEM};
            break;
        }
        if (cow) *pte &= ~pteval_t(_PAGE_RW);  // both copies now fault on write
        get_page(pte_page(*pte));
        *slot.value() = *pte;
    }
    if (cow) flush_tlb_mm_range(src, vma->vm_start, vma->vm_end);
    return ret;
}
