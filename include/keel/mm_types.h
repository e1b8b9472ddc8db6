// A process's address space (Linux's include/linux/mm_types.h): mm_struct owns
// the page tables and the set of vm_area_structs (VMAs), each a range of
// virtual addresses with one protection and one backing. Threads (CLONE_VM)
// share one mm_struct; fork gives the child a copy whose private pages are
// shared copy-on-write.
#pragma once
#include <asm/pgtable.h>
#include <keel/atomic.h>
#include <keel/rwsem.h>
#include <keel/spinlock.h>
#include <keel/types.h>
#include <lib/list.h>
#include <lib/rbtree.h>

// vm_flags: the VM_READ..VM_SHARED bits have Linux's values (mm.h).
enum : unsigned long {
    VM_NONE = 0,
    VM_READ = 0x00000001,
    VM_WRITE = 0x00000002,
    VM_EXEC = 0x00000004,
    VM_SHARED = 0x00000008,
    VM_MAYREAD = 0x00000010,  // what mprotect may later turn on
    VM_MAYWRITE = 0x00000020,
    VM_MAYEXEC = 0x00000040,
    VM_MAYSHARE = 0x00000080,
    VM_GROWSDOWN = 0x00000100,  // the stack: grows down on faults below it
    VM_LOCKED = 0x00002000,
    VM_DONTEXPAND = 0x00040000,
    VM_ACCOUNT = 0x00100000,
};

struct mm_struct;
struct vm_area_struct;
struct file;
struct page;
enum vm_fault_t : unsigned;  // keel/mm.h

// One page fault on a VMA with operations (Linux's struct vm_fault): the
// handler finds the page at pgoff and returns it in `page` with a reference.
struct vm_fault {
    vm_area_struct* vma;
    unsigned long address;  // page-aligned
    unsigned long pgoff;    // in the backing object
    unsigned flags;         // FAULT_FLAG_*
    struct page* page;
};

// What a mapping's backing does on faults (Linux's vm_operations_struct).
// A file's f_op->mmap sets vma->vm_ops; anonymous VMAs have none.
struct vm_operations_struct {
    // A new VMA with these operations (split, fork, mremap copied one) and
    // one going away; either may be nullptr.
    void (*open)(vm_area_struct* vma);
    void (*close)(vm_area_struct* vma);
    // VM_FAULT_OK with vmf->page set, or VM_FAULT_SIGBUS/OOM.
    vm_fault_t (*fault)(vm_fault* vmf);
};

struct vm_area_struct {
    unsigned long vm_start;  // first byte
    unsigned long vm_end;    // first byte after
    mm_struct* vm_mm;
    unsigned long vm_flags;  // VM_*
    pgprot_t vm_page_prot;   // what its present PTEs carry
    rb_node vm_rb;           // in mm->mm_rb, ordered by address
    unsigned long vm_pgoff;  // offset in the backing, in pages
    // Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): the object every
    // sharer's VMA points at, holding the pages by offset. nullptr for private.
    struct shmem_object* vm_shared;
    // Kernel-provided pages (the vDSO and its data page): faults map
    // vm_special->pages[vm_pgoff + index] instead of anonymous memory.
    const struct vm_special_mapping* vm_special;
    // File mappings: the file (with a reference of the VMA's own, dropped when
    // the VMA goes) and its fault handler; vm_pgoff is the offset in the file.
    file* vm_file;
    const vm_operations_struct* vm_ops;
    // On vm_file's address_space->i_mmap while it maps the file's pages (a
    // file mapping with vm_ops); unlinked (empty) otherwise.
    list_head shared;
};

struct mm_struct {
    rb_root mm_rb;            // VMAs by address (a balanced tree: lookups are O(log n))
    unsigned map_count;       // number of VMAs
    pgd_t* pgd;               // top-level page table: user half private, kernel half shared
    Atomic<int> mm_users{1};  // tasks using it (threads); at 0 the mappings go
    Atomic<int> mm_count{1};  // references to the struct itself (mm_users counts as one)
    rw_semaphore mmap_lock{"mm_struct.mmap_lock"};  // VMA tree and layout fields
    spinlock_t page_table_lock{"mm_struct.page_table_lock"};  // user PTEs (faults hold mmap_lock only for reading)

    unsigned long mmap_base;  // top-down mmap allocation starts below this (ASLR'd)
    unsigned long task_size;  // end of the user address space
    unsigned long start_code, end_code, start_data, end_data;
    unsigned long start_brk, brk;  // heap
    unsigned long start_stack;
    unsigned long arg_start, arg_end, env_start, env_end;
    unsigned long total_vm;   // pages mapped
    unsigned long stack_vm;
    unsigned long saved_auxv[2 * 24];  // for /proc/pid/auxv later
    void* vdso;  // the vDSO's ELF header in this address space (AT_SYSINFO_EHDR); nullptr if none
    file* exe_file;  // the executable exec loaded (/proc/PID/exe), with a reference; set_mm_exe_file
};
