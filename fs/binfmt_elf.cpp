// ELF64 executables (Linux's fs/binfmt_elf.c, static programs only so far):
// check the headers, replace the address space, map each PT_LOAD segment
// (a private mapping of the file's page cache; copied into anonymous memory
// instead when its first page is the previous segment's too), zero the bss, place the break, and build the initial stack
// the System V ABI describes: argc, argv[], NULL, envp[], NULL, auxv pairs,
// then the strings they point to.
//
// Static PIE (ET_DYN without PT_INTERP) is loaded at a random base near
// Linux's ELF_ET_DYN_BASE. A program with PT_INTERP (dynamically linked) is
// refused with ENOEXEC (ENOENT if its interpreter is missing, as Linux says)
// until the loader can map the interpreter too.
#include <asm/page_types.h>
#include <asm/processor.h>
#include <asm/syscall.h>
#include <asm/uaccess.h>
#include <asm/vdso.h>
#include <keel/binfmts.h>
#include <keel/mm.h>
#include <keel/namei.h>
#include <keel/printk.h>
#include <keel/random.h>
#include <keel/sched.h>
#include <keel/resource.h>
#include <keel/signal_fault.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <uapi/asm/mman.h>
#include <uapi/linux/uio.h>
#include <uapi/linux/auxvec.h>
#include <uapi/linux/elf.h>

namespace {

constexpr unsigned long STACK_TOP = TASK_SIZE_MAX;           // Linux's STACK_TOP for 64-bit tasks
constexpr unsigned long STACK_RND_PAGES = 1ul << 22;         // 16 GiB of stack randomisation
constexpr unsigned long MMAP_RND_PAGES = 1ul << 28;          // mmap_rnd_bits = 28
constexpr unsigned long BRK_RND = 32ul << 20;                // arch_randomize_brk: up to 32 MiB
constexpr unsigned long ELF_ET_DYN_BASE = (TASK_SIZE_MAX / 3 * 2) & ~(PAGE_SIZE - 1);
constexpr unsigned long STACK_GUARD_GAP = 256ul << PAGE_SHIFT;  // stack_guard_gap
constexpr unsigned long MIN_GAP = 128ul << 20;               // mmap_base's distance from STACK_TOP: at least,
constexpr unsigned long MAX_GAP = TASK_SIZE_MAX / 6 * 5;     // and at most
constexpr unsigned long STACK_INITIAL = 128ul << 10;         // mapped up front; the rest grows on faults

unsigned long page_down(unsigned long a) { return a & ~(PAGE_SIZE - 1); }
unsigned long page_up(unsigned long a) { return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }
unsigned long random_pages(unsigned long range) { return (get_random_u64() & (range - 1)) << PAGE_SHIFT; }

// Linux's mmap_base gap: room below STACK_TOP for the largest stack
// RLIMIT_STACK allows, its randomisation and its guard gap.
unsigned long mmap_gap() {
    unsigned long gap = task_rlimit(current, RLIMIT_STACK);
    unsigned long pad = (STACK_RND_PAGES << PAGE_SHIFT) + STACK_GUARD_GAP;
    if (gap + pad > gap) gap += pad;  // an unlimited stack gets MAX_GAP
    return gap < MIN_GAP ? MIN_GAP : gap > MAX_GAP ? MAX_GAP : gap;
}

unsigned long prot_of(u32 p_flags) {
    return ((p_flags & PF_R) ? PROT_READ : 0) | ((p_flags & PF_W) ? PROT_WRITE : 0) |
           ((p_flags & PF_X) ? PROT_EXEC : 0);
}

int check_header(const linux_binprm* bprm, Elf64_Ehdr* eh) {
    loff_t size = bprm->file_size;
    if (size < loff_t(sizeof(*eh))) return -ENOEXEC;
    memcpy(eh, bprm->buf, sizeof(*eh));
    if (memcmp(eh->e_ident, ELFMAG, sizeof(ELFMAG)) != 0) return -ENOEXEC;
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB) return -ENOEXEC;
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) return -ENOEXEC;
    if (eh->e_machine != EM_X86_64) return -ENOEXEC;
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 65536 / sizeof(Elf64_Phdr))
        return -ENOEXEC;
    if (eh->e_phoff > u64(size) || u64(size) - eh->e_phoff < size_t(eh->e_phnum) * sizeof(Elf64_Phdr)) return -ENOEXEC;
    return 0;
}

int check_segments(loff_t file_size, const Elf64_Phdr* ph, unsigned n, unsigned long* max_align) {
    u64 size = u64(file_size);
    *max_align = PAGE_SIZE;
    bool any = false;
    for (unsigned i = 0; i < n; i++) {
        if (ph[i].p_type != PT_LOAD) continue;
        any = true;
        const Elf64_Phdr& p = ph[i];
        if (p.p_filesz > p.p_memsz || p.p_offset > size || size - p.p_offset < p.p_filesz) return -ENOEXEC;
        if ((p.p_vaddr - p.p_offset) & (PAGE_SIZE - 1)) return -EINVAL;
        if (p.p_vaddr >= TASK_SIZE_MAX || p.p_memsz > TASK_SIZE_MAX - p.p_vaddr) return -EINVAL;
        if (p.p_align > *max_align && !(p.p_align & (p.p_align - 1))) *max_align = p.p_align;
    }
    return any ? 0 : -ENOEXEC;
}

// A dynamically linked program: Linux would map its interpreter (ld.so).
int refuse_interp(linux_binprm* bprm, const Elf64_Phdr& p) {
    char interp[BINPRM_BUF_SIZE];
    if (p.p_filesz < 2 || p.p_filesz > sizeof(interp) || p.p_offset > u64(bprm->file_size) ||
        u64(bprm->file_size) - p.p_offset < p.p_filesz)
        return -ENOEXEC;
    loff_t pos = loff_t(p.p_offset);
    if (kernel_read(bprm->file, interp, p.p_filesz, &pos) != ssize_t(p.p_filesz)) return -EIO;
    interp[p.p_filesz - 1] = '\0';
    struct path found;
    if (kern_path(interp, LOOKUP_FOLLOW, &found)) return -ENOENT;
    path_put(&found);
    printk(KERN_NOTICE "exec: %s: dynamically linked (interpreter %s); Keel runs static programs only so far\n",
           bprm->filename, interp);
    return -ENOEXEC;
}

// Reads len bytes of the file at offset into the new image at user address `to`.
int read_segment(file* f, unsigned long to, size_t len, loff_t offset) {
    while (len) {
        iovec iov = {reinterpret_cast<void*>(to), len};
        iov_iter iter;
        iov_iter_init(&iter, READ, &iov, 1, len);
        ssize_t n = vfs_iter_read(f, &iter, &offset);
        if (n <= 0) return n ? int(n) : -EIO;
        to += size_t(n);
        len -= size_t(n);
    }
    return 0;
}

// Pushes bytes onto the new stack (growing down); 0 or -EFAULT.
int push_bytes(unsigned long* p, const void* data, size_t len) {
    *p -= len;
    return copy_to_user(reinterpret_cast<void*>(*p), data, len) ? -EFAULT : 0;
}

struct elf_info {
    unsigned long entry, phdr_addr, phnum, load_bias;
};

int create_elf_tables(linux_binprm* bprm, const elf_info& info, unsigned long stack_top, unsigned long* sp_out) {
    mm_struct* mm = current->mm;
    unsigned long p = stack_top;
    // The strings: execfn at the very top, then argv and envp strings, then
    // the platform name and AT_RANDOM's bytes.
    if (push_bytes(&p, bprm->filename, strlen(bprm->filename) + 1)) return -EFAULT;
    unsigned long execfn = p;
    if (push_bytes(&p, bprm->strings, bprm->strings_len)) return -EFAULT;
    unsigned long strings = p;
    static const char platform[] = "x86_64";
    if (push_bytes(&p, platform, sizeof(platform))) return -EFAULT;
    unsigned long platform_addr = p;
    unsigned char rnd[16];
    get_random_bytes(rnd, sizeof(rnd));
    if (push_bytes(&p, rnd, sizeof(rnd))) return -EFAULT;
    unsigned long random_addr = p;

    unsigned long auxv[] = {
        // First, as Linux's ARCH_DLINFO puts it; AT_IGNORE when vdso=0 mapped none.
        mm->vdso ? AT_SYSINFO_EHDR : AT_IGNORE, reinterpret_cast<unsigned long>(mm->vdso),
        AT_HWCAP, cpuid(1).edx,
        AT_PAGESZ, PAGE_SIZE,
        AT_CLKTCK, 100,
        AT_PHDR, info.phdr_addr,
        AT_PHENT, sizeof(Elf64_Phdr),
        AT_PHNUM, info.phnum,
        AT_BASE, 0,  // no interpreter
        AT_FLAGS, 0,
        AT_ENTRY, info.entry,
        AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0,
        AT_SECURE, 0,
        AT_RANDOM, random_addr,
        AT_EXECFN, execfn,
        AT_PLATFORM, platform_addr,
        AT_NULL, 0,
    };
    static_assert(sizeof(auxv) / sizeof(auxv[0]) <= sizeof(mm->saved_auxv) / sizeof(mm->saved_auxv[0]));
    memcpy(mm->saved_auxv, auxv, sizeof(auxv));

    // argc, argv[] + NULL, envp[] + NULL, auxv: the ABI wants %rsp 16-byte
    // aligned at argc.
    size_t words = 1 + size_t(bprm->argc) + 1 + size_t(bprm->envc) + 1 + sizeof(auxv) / sizeof(auxv[0]);
    unsigned long sp = (p - words * 8) & ~15ul;
    auto* vec = static_cast<unsigned long*>(kmalloc(words * 8, GFP_KERNEL));
    if (!vec) return -ENOMEM;
    size_t w = 0;
    vec[w++] = unsigned(bprm->argc);
    // The strings lie in the same order as the pointers: argv's, then envp's.
    unsigned long s = strings;
    auto next_string = [&] {
        unsigned long at = s;
        s += strlen(bprm->strings + (s - strings)) + 1;
        return at;
    };
    mm->arg_start = s;
    for (int i = 0; i < bprm->argc; i++) vec[w++] = next_string();
    vec[w++] = 0;
    mm->arg_end = mm->env_start = s;
    for (int i = 0; i < bprm->envc; i++) vec[w++] = next_string();
    vec[w++] = 0;
    mm->env_end = s;
    memcpy(vec + w, auxv, sizeof(auxv));
    int ret = copy_to_user(reinterpret_cast<void*>(sp), vec, words * 8) ? -EFAULT : 0;
    kfree(vec);
    *sp_out = sp;
    return ret;
}

// Maps a segment the way Linux's elf_map does: its file bytes as a private
// mapping of the page cache (pages are shared until written), the rest of
// the last file page zeroed, and anonymous memory for the bss beyond it.
// Everything starts writable; load_image sets the segment's rights after.
int map_segment(file* f, const Elf64_Phdr& p, unsigned long start) {
    unsigned long map_start = page_down(start);
    unsigned long file_end = start + p.p_filesz, end = start + p.p_memsz;
    unsigned long pgoff = (p.p_offset - (start - map_start)) >> PAGE_SHIFT;
    long r = vm_mmap_pgoff(f, map_start, page_up(file_end) - map_start, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_FIXED, pgoff);
    if (r < 0) return int(r);
    if (p.p_memsz > p.p_filesz) {
        if (file_end & (PAGE_SIZE - 1)) {
            size_t tail = page_up(file_end) - file_end;
            if (clear_user(reinterpret_cast<void*>(file_end), tail)) return -EFAULT;
        }
        if (page_up(end) > page_up(file_end)) {
            r = vm_brk_flags(page_up(file_end), page_up(end) - page_up(file_end), 0);
            if (r < 0) return int(r);
        }
    }
    return 0;
}

// Everything after the point of no return; a failure here leaves a task
// without a usable image, so the caller kills it.
int load_image(linux_binprm* bprm, const Elf64_Ehdr& eh, const Elf64_Phdr* ph, unsigned long load_bias,
               pt_regs* regs) {
    mm_struct* mm = current->mm;
    unsigned long mapped_end = 0, prev_prot = 0, prev_last_page = ~0ul;
    unsigned long start_code = ~0ul, end_code = 0, start_data = 0, end_data = 0, elf_brk = 0;
    unsigned long phdr_addr = 0;
    // Map every segment writable and fill it; protections come after.
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        const Elf64_Phdr& p = ph[i];
        if (p.p_type != PT_LOAD) continue;
        unsigned long start = load_bias + p.p_vaddr, end = start + p.p_memsz;
        if (page_down(start) >= mapped_end && p.p_filesz) {
            if (int err = map_segment(bprm->file, p, start)) return err;
        } else {
            // The first page is the previous segment's too: fill it (and the
            // rest) by copying, so neither segment's bytes are lost.
            unsigned long map_start = page_down(start) < mapped_end ? mapped_end : page_down(start);
            if (map_start < page_up(end)) {
                long r = vm_brk_flags(map_start, page_up(end) - map_start, 0);
                if (r < 0) return int(r);
            }
            if (int err = read_segment(bprm->file, start, p.p_filesz, loff_t(p.p_offset))) return err;
        }
        if (page_up(end) > mapped_end) mapped_end = page_up(end);
        if (eh.e_phoff >= p.p_offset && eh.e_phoff - p.p_offset < p.p_filesz)
            phdr_addr = start + (eh.e_phoff - p.p_offset);
        if (p.p_flags & PF_X) {
            if (start < start_code) start_code = start;
            if (start + p.p_filesz > end_code) end_code = start + p.p_filesz;
        } else if (p.p_flags & PF_W) {
            if (!start_data) start_data = start;
            end_data = start + p.p_filesz;
        }
        if (end > elf_brk) elf_brk = end;
    }
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        const Elf64_Phdr& p = ph[i];
        if (p.p_type == PT_PHDR) phdr_addr = load_bias + p.p_vaddr;
        if (p.p_type != PT_LOAD) continue;
        unsigned long start = page_down(load_bias + p.p_vaddr), end = page_up(load_bias + p.p_vaddr + p.p_memsz);
        unsigned long prot = prot_of(p.p_flags);
        // A page shared with the previous segment keeps both segments' rights.
        unsigned long shared_prot = start == prev_last_page ? prot | prev_prot : prot;
        long r = do_mprotect(start, PAGE_SIZE, shared_prot);
        if (r >= 0 && end - start > PAGE_SIZE) r = do_mprotect(start + PAGE_SIZE, end - start - PAGE_SIZE, prot);
        if (r < 0) return int(r);
        prev_prot = prot;
        prev_last_page = end - PAGE_SIZE;
    }

    mm->start_code = start_code;
    mm->end_code = end_code;
    mm->start_data = start_data;
    mm->end_data = end_data;
    mm->start_brk = mm->brk = page_up(elf_brk) + random_pages(BRK_RND >> PAGE_SHIFT);

    // The stack, at a random distance below STACK_TOP, and mmap_base below it.
    unsigned long stack_top = STACK_TOP - random_pages(STACK_RND_PAGES);
    unsigned long stack_size = page_up(bprm->strings_len + BINPRM_BUF_SIZE + 4096) + STACK_INITIAL;
    long r = vm_brk_flags(stack_top - stack_size, stack_size, VM_GROWSDOWN);
    if (r < 0) return int(r);
    mm->start_stack = stack_top;
    mm->mmap_base = page_down(STACK_TOP - mmap_gap() - random_pages(MMAP_RND_PAGES));
    r = arch_setup_additional_pages(bprm, 0);  // the vDSO, below mmap_base
    if (r < 0) return int(r);
    // Linux's arch_align_stack: a random sub-page offset, 16-byte aligned.
    unsigned long sp_top = (stack_top - (get_random_u64() % 8192)) & ~15ul;

    elf_info info{load_bias + eh.e_entry, phdr_addr, eh.e_phnum, load_bias};
    unsigned long sp;
    int ret = create_elf_tables(bprm, info, sp_top, &sp);
    if (ret) return ret;
    start_thread(regs, info.entry, sp);
    return 0;
}

}  // namespace

int load_elf_binary(linux_binprm* bprm, pt_regs* regs) {
    Elf64_Ehdr eh;
    int ret = check_header(bprm, &eh);
    if (ret) return ret;
    size_t ph_size = size_t(eh.e_phnum) * sizeof(Elf64_Phdr);
    auto* ph = static_cast<Elf64_Phdr*>(kmalloc(ph_size, GFP_KERNEL));
    if (!ph) return -ENOMEM;
    loff_t pos = loff_t(eh.e_phoff);
    if (kernel_read(bprm->file, ph, ph_size, &pos) != ssize_t(ph_size)) ret = -EIO;
    unsigned long max_align;
    if (!ret) ret = check_segments(bprm->file_size, ph, eh.e_phnum, &max_align);
    for (unsigned i = 0; !ret && i < eh.e_phnum; i++)
        if (ph[i].p_type == PT_INTERP) ret = refuse_interp(bprm, ph[i]);
    unsigned long load_bias = 0;
    if (!ret && eh.e_type == ET_DYN) {
        unsigned long first = ~0ul, last = 0;
        for (unsigned i = 0; i < eh.e_phnum; i++) {
            if (ph[i].p_type != PT_LOAD) continue;
            if (ph[i].p_vaddr < first) first = ph[i].p_vaddr;
            if (ph[i].p_vaddr + ph[i].p_memsz > last) last = ph[i].p_vaddr + ph[i].p_memsz;
        }
        load_bias = (ELF_ET_DYN_BASE + random_pages(MMAP_RND_PAGES >> 8)) & ~(max_align - 1);
        load_bias -= page_down(first);
        if (last - page_down(first) > ELF_ET_DYN_BASE / 4) ret = -ENOMEM;
    }
    if (!ret) ret = begin_new_exec(bprm);  // the point of no return
    if (!ret) {
        ret = load_image(bprm, eh, ph, load_bias, regs);
        if (ret) {
            kfree(ph);
            printk(KERN_WARNING "exec: %s: loading failed (%d) after the old image was gone\n", bprm->filename, ret);
            do_exit_for_signal(SIGSEGV);
        }
    }
    kfree(ph);
    return ret;
}
