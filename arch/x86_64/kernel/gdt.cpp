// Each CPU's GDT and TSS. Segmentation is mostly off in long mode, but the CPU
// still takes privilege levels from the code segment and finds the stacks for
// ring transitions and IST exceptions through the TSS. The TSS (its sp0 and
// IST stacks) must be per CPU, and a TSS descriptor is marked busy when loaded,
// so every CPU has its own GDT too (Linux's per-CPU gdt_page and cpu_tss_rw).
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/syscall.h>
#include <keel/compiler.h>
#include <keel/percpu.h>
#include <keel/smp.h>

namespace {

struct gdt_page_t {
    alignas(16) u64 gdt[GDT_ENTRIES];
};
struct exception_stacks_t {
    alignas(16) char stack[N_EXCEPTION_STACKS][EXCEPTION_STKSZ];
};

}  // namespace

// Same layout and selectors as Linux (asm/segment.h); slots 8-9 take the TSS.
DEFINE_PER_CPU(gdt_page_t, gdt_page) = {{
    0,
    0x00cf9b000000ffff,  // __KERNEL32_CS
    0x00af9b000000ffff,  // __KERNEL_CS: L=1, 64-bit code, DPL 0
    0x00cf93000000ffff,  // __KERNEL_DS
    0x00cffb000000ffff,  // __USER32_CS: DPL 3
    0x00cff3000000ffff,  // __USER_DS
    0x00affb000000ffff,  // __USER_CS: L=1, DPL 3
}};
static_assert(GDT_ENTRY_KERNEL_CS == 2 && GDT_ENTRY_DEFAULT_USER_CS == 6);
DEFINE_PER_CPU(tss_struct, cpu_tss_rw);
DEFINE_PER_CPU(exception_stacks_t, exception_stacks);

namespace {

// A 64-bit TSS descriptor spans two GDT slots: base bits 0-39 and limit in the
// first, base bits 32-63 in the second; type 0x89 = present, available TSS.
void set_tss_desc(u64* gdt, unsigned entry, const tss_struct* tss) {
    auto base = reinterpret_cast<u64>(tss);
    u64 limit = sizeof(tss_struct) - 1;
    gdt[entry] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
                 (((base >> 24) & 0xff) << 56);
    gdt[entry + 1] = base >> 32;
}

// The vDSO's getcpu reads this CPU's (node << 12) | cpu without a system call:
// as the limit of GDT entry 15 (LSL works at CPL 3 on a DPL-3 segment), and
// from TSC_AUX for RDTSCP/RDPID where the CPU has them (Linux's setup_getcpu).
// Keel has no NUMA: the node is 0.
void setup_getcpu(u64* gdt, unsigned cpu) {
    u64 cpunode = cpu;
    if (cpuid(0x80000000).eax >= 0x80000001 && (cpuid(0x80000001).edx & (1u << 27)))  // RDTSCP
        wrmsr(MSR_TSC_AUX, cpunode);
    // Present, DPL 3, code/data, type 5 (read-only, expand-down, accessed), 32-bit, byte granular.
    gdt[GDT_ENTRY_CPUNODE] = (cpunode & 0xffff) | (0xf5ull << 40) | (((cpunode >> 16) & 0xf) << 48) | (1ull << 54);
}

struct [[gnu::packed]] desc_ptr {
    u16 size;
    u64 address;
};

}  // namespace

void cpu_init() {
    u64* gdt = this_cpu_ptr(&gdt_page)->gdt;
    tss_struct* tss = this_cpu_ptr(&cpu_tss_rw);
    auto* stacks = this_cpu_ptr(&exception_stacks);
    for (unsigned i = 0; i < N_EXCEPTION_STACKS; i++)
        tss->ist[i] = reinterpret_cast<u64>(stacks->stack[i] + EXCEPTION_STKSZ);
    tss->io_bitmap_base = sizeof(tss_struct);  // no I/O bitmap: user I/O ports all denied
    set_tss_desc(gdt, GDT_ENTRY_TSS, tss);
    setup_getcpu(gdt, smp_processor_id());

    desc_ptr gdtr{sizeof(gdt_page_t::gdt) - 1, reinterpret_cast<u64>(gdt)};
    asm volatile("lgdt %0" ::"m"(gdtr));
    // Reload CS with a far return, then the data segments, then the task register.
    // %gs is not reloaded: that would clear the GS base the per-CPU data hangs on.
    asm volatile(
        "pushq %[cs]\n"
        "leaq 1f(%%rip), %%rax\n"
        "pushq %%rax\n"
        "lretq\n"
        "1:\n"
        "movl %[ds], %%eax\n"
        "movl %%eax, %%ds\n"
        "movl %%eax, %%es\n"
        "movl %%eax, %%ss\n"
        "ltr %w[tss]\n"
        :
        : [cs] "i"(__KERNEL_CS), [ds] "i"(__KERNEL_DS), [tss] "r"(GDT_ENTRY_TSS_SEL)
        : "rax", "memory");
    syscall_init();
}
