// The memory system calls' entry points (sys_mmap is in Linux's
// arch/x86/kernel/sys_x86_64.c; the others in mm/). Each checks what only the
// system call can (arguments as user space passed them) and hands over to the
// address-space workers of include/keel/mm.h, which do Linux's checks and take
// mmap_lock.
#include <asm/page_types.h>
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/mm.h>
#include <keel/syscalls.h>
#include <uapi/asm/mman.h>

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long fd,
              unsigned long off) {
    if (off & (PAGE_SIZE - 1)) return -EINVAL;
    // Linux's ksys_mmap_pgoff: anonymous mappings ignore fd.
    file* f = nullptr;
    if (!(flags & MAP_ANONYMOUS)) {
        f = fget(unsigned(fd));
        if (!f) return -EBADF;
    }
    long ret = vm_mmap_pgoff(f, addr, len, prot, flags, off >> PAGE_SHIFT);
    if (f) fput(f);
    return ret;
}

long sys_munmap(unsigned long addr, size_t len) { return vm_munmap(addr, len); }
long sys_mprotect(unsigned long start, size_t len, unsigned long prot) { return do_mprotect(start, len, prot); }
long sys_brk(unsigned long brk) { return do_brk(brk); }
long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
                unsigned long new_addr) {
    return do_mremap(addr, old_len, new_len, flags, new_addr);
}
long sys_madvise(unsigned long start, size_t len, int behavior) { return do_madvise(start, len, behavior); }
long sys_msync(unsigned long start, size_t len, int flags) { return do_msync(start, len, flags); }
