// /proc/meminfo (Linux's fs/proc/meminfo.c): "Name:   N kB" lines in
// Linux's order and layout, for the counters Keel keeps. Keel reclaims
// nothing (no page-cache writeback, no shrinkers, no LRU aging), so
// MemAvailable is the free memory above the allocator's reserves, all slab
// memory is unreclaimable and every user page counts as active (ramfs pages
// as unevictable, as in Linux). Keel keeps
// no global counts of mapped pages: AnonPages, Mapped, PageTables and
// Committed_AS add up every process's page tables and mappings (a page
// shared copy-on-write after fork counts once per process). The lines Keel
// has nothing behind (huge pages, vmalloc use, ...) are left out: docs/procfs.md.
#include "internal.h"
#include <asm/page_types.h>
#include <keel/init.h>
#include <mm/gfp.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <keel/mm.h>
#include <keel/mm_types.h>
#include <keel/rwsem.h>
#include <keel/vmstat.h>

namespace {

void show_val_kb(seq_file* m, const char* name, unsigned long pages) {
    seq_printf(m, "%-16s%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

// Pages the allocator keeps back from ordinary allocations (Linux's
// totalreserve_pages): each zone's high watermark plus its largest lowmem reserve.
unsigned long totalreserve_pages() {
    unsigned long reserve = 0;
    for_each_zone(z) {
        if (!populated_zone(z)) continue;
        long max = 0;
        for (long r : z->lowmem_reserve)
            if (r > max) max = r;
        unsigned long zone_reserve = (unsigned long)max + high_wmark_pages(z);
        reserve += zone_reserve < z->managed_pages ? zone_reserve : z->managed_pages;
    }
    return reserve;
}

unsigned long nr_tasks() {
    unsigned long n = 0;
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) n++;
    return n;
}

struct process_totals {
    unsigned long anon, mapped, ptes, committed;
};

// Linux's accountable mappings: private and writable (heap, stack, data, anonymous).
unsigned long committed_pages(mm_struct* mm) {
    unsigned long pages = 0;
    down_read(&mm->mmap_lock);
    for (rb_node* node = rb_first(&mm->mm_rb); node; node = rb_next(node)) {
        vm_area_struct* vma = rb_entry(node, vm_area_struct, vm_rb);
        if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE) pages += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
    }
    up_read(&mm->mmap_lock);
    return pages;
}

process_totals sum_processes() {
    process_totals t{};
    for (int tgid = 1;; tgid++) {
        task_struct* task = next_process(tgid);
        if (!task) break;
        tgid = task->tgid;
        mm_struct* mm = get_task_mm(task);
        put_task_struct(task);
        if (!mm) continue;
        task_mem_counts c;
        task_mem(mm, &c);
        t.anon += c.anon;
        t.mapped += c.file;
        t.ptes += c.ptes;
        t.committed += committed_pages(mm);
        mmput(mm);
    }
    return t;
}

// Linux's vm_commit_limit with overcommit_ratio 50 and no swap or huge pages.
unsigned long vm_commit_limit() { return totalram_pages() * 50 / 100; }

int meminfo_proc_show(seq_file* m, void*) {
    unsigned long free = nr_free_pages();
    unsigned long reserve = totalreserve_pages();
    unsigned long slab = slab_total_pages();
    unsigned long cached = global_node_page_state(NR_FILE_PAGES);
    unsigned long shmem = global_node_page_state(NR_SHMEM);
    process_totals procs = sum_processes();
    show_val_kb(m, "MemTotal:", totalram_pages());
    show_val_kb(m, "MemFree:", free);
    show_val_kb(m, "MemAvailable:", free > reserve ? free - reserve : 0);
    show_val_kb(m, "Buffers:", 0);  // no block devices
    show_val_kb(m, "Cached:", cached);
    show_val_kb(m, "SwapCached:", 0);  // no swap
    // Linux's LRU lists: anonymous and tmpfs pages are "anon", ramfs pages
    // are unevictable; with no aging, nothing is inactive.
    show_val_kb(m, "Active:", procs.anon + shmem);
    show_val_kb(m, "Inactive:", 0);
    show_val_kb(m, "Active(anon):", procs.anon + shmem);
    show_val_kb(m, "Inactive(anon):", 0);
    show_val_kb(m, "Active(file):", 0);
    show_val_kb(m, "Inactive(file):", 0);
    show_val_kb(m, "Unevictable:", cached - (shmem < cached ? shmem : cached));
    show_val_kb(m, "SwapTotal:", 0);
    show_val_kb(m, "SwapFree:", 0);
    show_val_kb(m, "Dirty:", 0);  // nothing is ever written back
    show_val_kb(m, "Writeback:", 0);
    show_val_kb(m, "AnonPages:", procs.anon);
    show_val_kb(m, "Mapped:", procs.mapped);
    show_val_kb(m, "Shmem:", shmem);
    show_val_kb(m, "KReclaimable:", 0);  // no shrinkers
    show_val_kb(m, "Slab:", slab);
    show_val_kb(m, "SReclaimable:", 0);
    show_val_kb(m, "SUnreclaim:", slab);
    seq_printf(m, "%-16s%8lu kB\n", "KernelStack:", nr_tasks() * (THREAD_SIZE >> 10));
    show_val_kb(m, "PageTables:", procs.ptes);
    show_val_kb(m, "CommitLimit:", vm_commit_limit());
    show_val_kb(m, "Committed_AS:", procs.committed);
    seq_printf(m, "%-16s%8lu kB\n", "VmallocTotal:", (VMALLOC_END - VMALLOC_START) >> 10);
    return 0;
}

int proc_meminfo_init() {
    proc_create_single("meminfo", 0, nullptr, meminfo_proc_show);
    return 0;
}
fs_initcall(proc_meminfo_init);

}  // namespace
