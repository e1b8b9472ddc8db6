// A process's memory as /proc shows it (Linux's fs/proc/task_mmu.c): the
// maps file, one line per VMA, and the counts behind status, statm and stat.
// Keel keeps no resident-page counters in the mm, so the counts come from a
// walk of the page tables (as Linux's smaps does): each present PTE of a
// VMA is one resident page, file-backed if it is the file's page-cache page
// at that offset, anonymous otherwise (copy-on-write copies of file pages).
#include "internal.h"
#include <asm/page_types.h>
#include <keel/mm.h>
#include <keel/mm_types.h>
#include <keel/rwsem.h>
#include <mm/page.h>

namespace {

unsigned long vma_page_count(const vm_area_struct* vma) { return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT; }

// Resident pages of vma: anonymous, file and shared-anonymous.
void count_resident(mm_struct* mm, vm_area_struct* vma, task_mem_counts* c) {
    for (unsigned long addr = vma->vm_start, next; addr < vma->vm_end; addr = next) {
        page* p = nullptr;
        {
            Guard<NoIrqSave> guard(mm->page_table_lock);
            pteval_t* pte = pte_lookup(mm->pgd, addr, &next);
            if (!pte || !(*pte & _PAGE_PRESENT)) continue;
            p = phys_to_page(*pte & PTE_PFN_MASK);
            get_page(p);
        }
        c->rss++;
        if (vma->vm_file) {
            unsigned long index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
            page* cached = find_get_page(vma->vm_file->f_mapping, index);
            if (cached == p) c->file++;
            else c->anon++;
            if (cached) put_page(cached);
        } else if (vma->vm_shared) {
            c->shared++;
        } else if (vma->vm_special) {
            c->file++;  // the vDSO's pages are the kernel image's, as Linux counts them
        } else {
            c->anon++;
        }
        put_page(p);
    }
}

// Page-table pages below the pgd (Linux's mm_pgtables_bytes).
unsigned long count_page_tables(mm_struct* mm) {
    Guard<NoIrqSave> guard(mm->page_table_lock);
    unsigned long n = 0;
    const pteval_t* pgd = &mm->pgd->val;
    for (unsigned i = 0; i < USER_PTRS_PER_PGD; i++) {
        if (!(pgd[i] & _PAGE_PRESENT)) continue;
        n++;
        auto* pud = static_cast<const pteval_t*>(__va(pgd[i] & PTE_PFN_MASK));
        for (unsigned j = 0; j < 512; j++) {
            if (!(pud[j] & _PAGE_PRESENT) || (pud[j] & _PAGE_PSE)) continue;
            n++;
            auto* pmd = static_cast<const pteval_t*>(__va(pud[j] & PTE_PFN_MASK));
            for (unsigned k = 0; k < 512; k++)
                if ((pmd[k] & _PAGE_PRESENT) && !(pmd[k] & _PAGE_PSE)) n++;
        }
    }
    return n;
}

// ---- /proc/PID/maps ----

struct proc_maps_private {
    int pid;
    mm_struct* mm;
};

void* m_start(seq_file* m, loff_t* ppos) {
    auto* priv = static_cast<proc_maps_private*>(m->private_data);
    if (!priv->mm) return nullptr;
    down_read(&priv->mm->mmap_lock);
    rb_node* node = rb_first(&priv->mm->mm_rb);
    for (loff_t pos = *ppos; node && pos > 0; pos--) node = rb_next(node);
    return node ? rb_entry(node, vm_area_struct, vm_rb) : nullptr;
}

void* m_next(seq_file*, void* v, loff_t* ppos) {
    ++*ppos;
    rb_node* node = rb_next(&static_cast<vm_area_struct*>(v)->vm_rb);
    return node ? rb_entry(node, vm_area_struct, vm_rb) : nullptr;
}

void m_stop(seq_file* m, void*) {
    auto* priv = static_cast<proc_maps_private*>(m->private_data);
    if (priv->mm) up_read(&priv->mm->mmap_lock);
}

// "start-end perms offset major:minor inode" and, from column 73, the name.
int show_map(seq_file* m, void* v) {
    auto* vma = static_cast<vm_area_struct*>(v);
    mm_struct* mm = vma->vm_mm;
    unsigned long flags = vma->vm_flags;
    unsigned long long pgoff = 0;
    dev_t dev = 0;
    unsigned long ino = 0;
    if (file* f = vma->vm_file) {
        inode* i = file_inode(f);
        dev = i->i_sb->s_dev;
        ino = i->i_ino;
        pgoff = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
    }
    seq_setwidth(m, 25 + sizeof(void*) * 6 - 1);
    seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
               flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
               flags & VM_MAYSHARE ? 's' : 'p', pgoff, MAJOR(dev), MINOR(dev), ino);
    const char* name = nullptr;
    if (vma->vm_file) {
        seq_pad(m, ' ');
        seq_path(m, &vma->vm_file->f_path, "\n");
    } else if (vma->vm_special) {
        name = vma->vm_special->name;
    } else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk) {
        name = "[heap]";
    } else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack) {
        name = "[stack]";
    }
    if (name) {
        seq_pad(m, ' ');
        seq_puts(m, name);
    }
    seq_putc(m, '\n');
    return 0;
}

const seq_operations proc_pid_maps_op = {
    .start = m_start,
    .stop = m_stop,
    .next = m_next,
    .show = show_map,
};

int pid_maps_open(inode* i, file* f) {
    task_struct* task = get_proc_task(i);
    if (!task) return -ESRCH;
    auto* priv = static_cast<proc_maps_private*>(__seq_open_private(f, &proc_pid_maps_op, sizeof(proc_maps_private)));
    if (!priv) {
        put_task_struct(task);
        return -ENOMEM;
    }
    priv->pid = task->pid;
    // The mm is pinned for the life of the open file, as Linux's proc_mem_open.
    priv->mm = get_task_mm(task);
    put_task_struct(task);
    return 0;
}

int proc_map_release(inode* i, file* f) {
    auto* priv = static_cast<proc_maps_private*>(static_cast<seq_file*>(f->private_data)->private_data);
    if (priv->mm) mmput(priv->mm);
    return seq_release_private(i, f);
}

}  // namespace

const file_operations proc_pid_maps_operations = {
    .llseek = seq_lseek,
    .read_iter = seq_read_iter,
    .open = pid_maps_open,
    .release = proc_map_release,
};

void task_mem(mm_struct* mm, task_mem_counts* c) {
    *c = {};
    down_read(&mm->mmap_lock);
    for (rb_node* node = rb_first(&mm->mm_rb); node; node = rb_next(node)) {
        vm_area_struct* vma = rb_entry(node, vm_area_struct, vm_rb);
        unsigned long pages = vma_page_count(vma);
        c->total_vm += pages;
        unsigned long flags = vma->vm_flags;
        // Linux's vm_stat_account classes: stack, executable, private writable data.
        if (flags & VM_GROWSDOWN) c->stack += pages;
        else if ((flags & (VM_EXEC | VM_WRITE)) == VM_EXEC) c->exec_vm += pages;
        else if ((flags & (VM_WRITE | VM_SHARED)) == VM_WRITE) c->data += pages;
        if (flags & VM_LOCKED) c->locked += pages;
        count_resident(mm, vma, c);
    }
    c->text = ((mm->end_code + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) - (mm->start_code & ~(PAGE_SIZE - 1));
    c->text >>= PAGE_SHIFT;
    c->lib = c->exec_vm > c->text ? c->exec_vm - c->text : 0;
    up_read(&mm->mmap_lock);
    c->ptes = count_page_tables(mm);
    c->hiwater_vm = c->total_vm;
}
