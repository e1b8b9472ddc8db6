// The address-space API (Linux's include/linux/mm.h and mman.h paths) used by
// exec, fork, the page-fault handler and the memory system calls.
#pragma once
#include <keel/mm_types.h>
#include <keel/result.h>

struct address_space;
struct file;
struct inode;
struct pt_regs;
struct task_struct;

constexpr unsigned long TASK_SIZE_MAX = (1ul << 47) - 4096;  // 47-bit user space minus the guard page

// ---- mm_struct lifetime (kernel/fork.cpp in Linux) -----------------------------
// The kernel's own address space: init_top_pgt and no VMAs. switch_mm(…, &init_mm, …)
// leaves every user mapping behind (before the last mmput of the loaded mm).
extern mm_struct init_mm;
mm_struct* mm_alloc();                  // empty: no VMAs, fresh pgd with the kernel half
void mmput(mm_struct* mm);              // drops a user; the last one unmaps everything
void mmgrab(mm_struct* mm);             // mm_count++
void mmdrop(mm_struct* mm);             // mm_count--; frees the struct and pgd at zero
mm_struct* dup_mm(mm_struct* oldmm);    // fork without CLONE_VM: copy VMAs, private pages CoW
void switch_mm(mm_struct* prev, mm_struct* next, task_struct* tsk);  // loads next->pgd (CR3)
// The executable behind /proc/PID/exe: exec sets it (taking a reference on
// f, dropping the old one; nullptr clears). get_mm_exe_file returns it with a
// reference, or nullptr.
void set_mm_exe_file(mm_struct* mm, file* f);
file* get_mm_exe_file(mm_struct* mm);

// ---- VMAs (mm/mmap.c) ----------------------------------------------------------
vm_area_struct* find_vma(mm_struct* mm, unsigned long addr);  // first VMA with vm_end > addr
vm_area_struct* vma_lookup(mm_struct* mm, unsigned long addr);  // the VMA containing addr

// The system-call workers; each takes mmap_lock itself and returns the result
// the system call returns (an address, 0, or -errno), with Linux's checks.
// mmap(2) of a file (f, with the caller's reference) or, for f == nullptr,
// anonymous memory; pgoff is the offset in pages (Linux's vm_mmap_pgoff).
long vm_mmap_pgoff(file* f, unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
                   unsigned long pgoff);
// Anonymous memory: vm_mmap_pgoff(nullptr, ...).
long vm_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
             unsigned long pgoff);
long vm_munmap(unsigned long addr, size_t len);
long do_mprotect(unsigned long addr, size_t len, unsigned long prot);
long do_brk(unsigned long brk);  // sys_brk semantics: returns the new (or old) break
long do_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
               unsigned long new_addr);
long do_madvise(unsigned long start, size_t len, int behavior);
long do_msync(unsigned long start, size_t len, int flags);
// Makes [addr, addr+len) an anonymous, private, fixed mapping (exec's segments,
// bss and stack); the caller holds no locks.
// vm_flags may add VM_EXEC (as in Linux) and VM_GROWSDOWN (exec's stack) to the
// read-write default; anything else is EINVAL. Returns 0 or -errno.
long vm_brk_flags(unsigned long addr, unsigned long len, unsigned long vm_flags);

// With mm->mmap_lock held for writing (mm/mmap.c): a free range of len bytes
// (MAP_FIXED: exactly addr; else addr as a hint, then top-down below
// mmap_base), and unmapping. Return an address / 0 or -errno.
long get_unmapped_area(mm_struct* mm, unsigned long addr, unsigned long len, unsigned long flags);
long do_munmap(mm_struct* mm, unsigned long start, size_t len);

// ---- special mappings (mm/special_mapping.cpp; Linux keeps them in mm/mmap.c) ----
// Pages the kernel owns, shown to user space as they are: the vDSO's code and
// its data page. Each mapping holds no reference of its own on the pages; they
// must live as long as the kernel does.
struct page;
struct vm_special_mapping {
    const char* name;  // "[vdso]", "[vvar]"
    page** pages;
    unsigned long nr_pages;
};
// Adds [addr, addr+len) mapping spec's pages from the first, faulted in on
// demand. vm_flags are VM_READ/VM_EXEC and their VM_MAY* bits; the mapping
// never grows (VM_DONTEXPAND). The caller holds mm->mmap_lock for writing and
// has found the range free. Returns the VMA or ENOMEM.
Result<vm_area_struct*> install_special_mapping(mm_struct* mm, unsigned long addr, unsigned long len,
                                                unsigned long vm_flags, const vm_special_mapping* spec);

// ---- file mappings (mm/filemap.c, mm/shmem.c) ----------------------------------
// f_op->mmap of files whose pages live in their address_space (tmpfs, memfd):
// faults map the page cache (filemap_fault), past EOF they are SIGBUS.
int generic_file_mmap(file* f, vm_area_struct* vma);  // declared in keel/fs.h too
extern const vm_operations_struct generic_file_vm_ops;
vm_fault_t filemap_fault(vm_fault* vmf);
// Truncation (mm/truncate.c): takes the pages of [holebegin, holebegin+holelen)
// (holelen 0: to the end) out of every mapping of the file, private copies
// included; truncate_pagecache does that for the pages past newsize and drops
// them from the cache. File systems' setattr calls it when a file shrinks.
// (Offsets are loff_t: keel/fs.h's alias clashes with the C library's in host tests.)
void unmap_mapping_range(address_space* mapping, long long holebegin, long long holelen);
void truncate_pagecache(inode* i, long long newsize);
// Makes vma shared anonymous memory: a new object as large as the VMA, at
// offset 0 (MAP_SHARED|MAP_ANONYMOUS, and a shared mapping of /dev/zero, whose
// file the VMA then no longer holds). 0 or -ENOMEM.
int shmem_zero_setup(vm_area_struct* vma);
// A private mapping of a file that is anonymous memory all the same (/dev/zero).
static inline void vma_set_anonymous(vm_area_struct* vma) { vma->vm_ops = nullptr; }

// ---- faults (mm/memory.c) -------------------------------------------------------
enum : unsigned {
    FAULT_FLAG_WRITE = 0x01,
    FAULT_FLAG_USER = 0x04,     // from user mode (else a uaccess from the kernel)
    FAULT_FLAG_INSTRUCTION = 0x100,
};
enum vm_fault_t : unsigned {
    VM_FAULT_OK = 0,
    VM_FAULT_OOM = 0x0001,
    VM_FAULT_SIGBUS = 0x0002,
    VM_FAULT_SIGSEGV = 0x0040,
};
// Resolves a fault at `address` in `current->mm`: demand-zero pages, copy on
// write, stack growth. Returns VM_FAULT_OK when the access can be retried.
// On VM_FAULT_SIGSEGV, *si_code is SEGV_MAPERR (no VMA) or SEGV_ACCERR
// (VMA without the access right). The caller holds current->mm->mmap_lock for reading.
vm_fault_t handle_user_fault(unsigned long address, unsigned flags, int* si_code);

// Copies between the kernel and another mm's memory (for exec building the new
// stack before switching to it, and later ptrace/proc): faults pages in.
long access_remote_vm(mm_struct* mm, unsigned long addr, void* buf, size_t len, bool write);
