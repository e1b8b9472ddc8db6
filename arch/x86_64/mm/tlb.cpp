// Address-space switches and user TLB flushes (Linux's arch/x86/mm/tlb.c).
// User PTEs are never global, so loading CR3 drops all of the previous mm's
// translations and none of the kernel's.
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/tlbflush.h>
#include <keel/mm.h>
#include <lib/cpumask.h>

namespace {
// Past this many pages one CR3 reload is cheaper than page-by-page invlpg
// (Linux's tlb_single_page_flush_ceiling).
constexpr unsigned long TLB_SINGLE_PAGE_FLUSH_CEILING = 33;
}  // namespace

void switch_mm(mm_struct*, mm_struct* next, task_struct*) {
    phys_addr_t pgd = __pa(next ? next->pgd : init_top_pgt);
    // A CR3 write costs the whole user TLB: skip it when the mm stays.
    if ((read_cr3() & PTE_PFN_MASK) == pgd) return;
    write_cr3(pgd);
}

void flush_tlb_mm_range(mm_struct*, unsigned long start, unsigned long end) {
    if (num_online_cpus() > 1) {
        flush_tlb_kernel_range(start, end);  // the shootdown IPI; it flushes here too
        return;
    }
    if ((end - start) / PAGE_SIZE > TLB_SINGLE_PAGE_FLUSH_CEILING) {
        write_cr3(read_cr3());
        return;
    }
    for (unsigned long va = start & ~(PAGE_SIZE - 1); va < end; va += PAGE_SIZE) flush_tlb_one_kernel(va);
}
