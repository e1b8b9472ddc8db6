// The address-space half of fork (Linux keeps it in kernel/fork.c): making,
// copying and dropping mm_structs. Apart from fork.cpp so that the process half
// and the memory half can change independently.
//
// Two counts, as in Linux: mm_users counts the tasks using the address space
// (the last mmput tears the mappings down); mm_count counts references to the
// structure and its pgd (all users together hold one), which must outlive the
// mappings while, say, a CPU still has the pgd loaded.
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <keel/fs.h>
#include <keel/mm.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <lib/string.h>
#include <mm/internal.h>
#include <mm/slab.h>
#include <new>

mm_struct init_mm{.mm_rb = RB_ROOT, .map_count = 0, .pgd = init_top_pgt};

mm_struct* mm_alloc() {
    void* mem = kzalloc(sizeof(mm_struct), GFP_KERNEL);
    if (!mem) return nullptr;
    auto* mm = new (mem) mm_struct{};
    mm->pgd = reinterpret_cast<pgd_t*>(get_zeroed_page(GFP_KERNEL));
    if (!mm->pgd) {
        kfree(mm);
        return nullptr;
    }
    // The kernel half is shared: its top-level entries never change after boot
    // (preallocate_vmalloc_pages), so a copy stays right.
    memcpy(mm->pgd + USER_PTRS_PER_PGD, init_top_pgt + USER_PTRS_PER_PGD,
           (512 - USER_PTRS_PER_PGD) * sizeof(pgd_t));
    mm->mm_rb = RB_ROOT;
    mm->task_size = TASK_SIZE_MAX;
    // Linux's mmap_base without randomisation: below a 128 MiB gap for the stack
    // (the minimum gap; RLIMIT_STACK plus guard is smaller). exec may move it.
    mm->mmap_base = (mm->task_size - (128ul << 20)) & ~(PAGE_SIZE - 1);
    return mm;
}

void mmgrab(mm_struct* mm) { mm->mm_count.fetch_add(1, memory_order::relaxed); }

void mmdrop(mm_struct* mm) {
    BUG_ON(mm == &init_mm);
    if (mm->mm_count.fetch_sub(1, memory_order::acq_rel) != 1) return;
    // The CPU must not keep walking a freed pgd. Other CPUs are the caller's
    // concern until the scheduler tracks lazy mms (see docs/mm.md).
    if ((read_cr3() & PTE_PFN_MASK) == __pa(mm->pgd)) switch_mm(mm, &init_mm, current);
    free_user_pgtables(mm->pgd);
    free_page(reinterpret_cast<unsigned long>(mm->pgd));
    mm->~mm_struct();
    kfree(mm);
}

void mmput(mm_struct* mm) {
    if (mm->mm_users.fetch_sub(1, memory_order::acq_rel) != 1) return;
    down_write(&mm->mmap_lock);
    exit_mmap(mm);
    up_write(&mm->mmap_lock);
    set_mm_exe_file(mm, nullptr);
    mmdrop(mm);
}

// exe_file changes only at exec and the last mmput, but /proc/PID/exe reads it
// from other tasks: page_table_lock keeps the swap and the reference-taking
// apart (Linux uses RCU). The old file is dropped outside the lock.
void set_mm_exe_file(mm_struct* mm, file* f) {
    if (f) get_file(f);
    file* old;
    {
        Guard<NoIrqSave> guard(mm->page_table_lock);
        old = mm->exe_file;
        mm->exe_file = f;
    }
    if (old) fput(old);
}

file* get_mm_exe_file(mm_struct* mm) {
    Guard<NoIrqSave> guard(mm->page_table_lock);
    return mm->exe_file ? get_file(mm->exe_file) : nullptr;
}

mm_struct* dup_mm(mm_struct* oldmm) {
    mm_struct* mm = mm_alloc();
    if (!mm) return nullptr;
    down_write(&oldmm->mmap_lock);
    mm->mmap_base = oldmm->mmap_base;
    mm->task_size = oldmm->task_size;
    mm->start_code = oldmm->start_code;
    mm->end_code = oldmm->end_code;
    mm->start_data = oldmm->start_data;
    mm->end_data = oldmm->end_data;
    mm->start_brk = oldmm->start_brk;
    mm->brk = oldmm->brk;
    mm->start_stack = oldmm->start_stack;
    mm->arg_start = oldmm->arg_start;
    mm->arg_end = oldmm->arg_end;
    mm->env_start = oldmm->env_start;
    mm->env_end = oldmm->env_end;
    mm->total_vm = oldmm->total_vm;
    mm->stack_vm = oldmm->stack_vm;
    memcpy(mm->saved_auxv, oldmm->saved_auxv, sizeof(mm->saved_auxv));
    mm->vdso = oldmm->vdso;
    mm->exe_file = get_mm_exe_file(oldmm);
    bool ok = true;
    for (rb_node* node = rb_first(&oldmm->mm_rb); node && ok; node = rb_next(node)) {
        vm_area_struct* vma = rb_entry(node, vm_area_struct, vm_rb);
        vm_area_struct* copy = vm_area_dup(vma);
        if (!copy) {
            ok = false;
            break;
        }
        vma_link(mm, copy);
        ok = !copy_page_range(mm, oldmm, vma).is_error();
    }
    up_write(&oldmm->mmap_lock);
    if (!ok) {
        mmput(mm);  // takes down whatever was copied
        return nullptr;
    }
    return mm;
}
