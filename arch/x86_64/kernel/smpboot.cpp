// Starting the application processors (Linux's arch/x86/kernel/smpboot.c).
// One at a time: the boot CPU writes the new CPU's stack and per-CPU base where
// the trampoline will find them, sends INIT-SIPI-SIPI (Intel SDM vol. 3
// §8.4.4.1), and waits until the CPU has marked itself online. A CPU that does
// not within the timeout is reported, put back into INIT (so it cannot start
// later on the next CPU's stack) and skipped.
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/page_types.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/tsc.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <uapi/asm/errno.h>

// Read by secondary_startup_64 (trampoline_64.S).
extern "C" {
unsigned long initial_cr3, initial_stack, initial_gs;
extern char trampoline_start[], trampoline_end[], trampoline_cr3[], trampoline_efer[], trampoline_target[];
extern char secondary_startup_64[];
[[noreturn]] void start_secondary();
}

namespace {

// The trampoline page and its three page tables, in the low 1 MiB that
// setup_arch keeps out of the allocators.
constexpr phys_addr_t TRAMPOLINE_BASE = 0x8000;
constexpr phys_addr_t TRAMPOLINE_PGD = TRAMPOLINE_BASE + 0x1000;
constexpr phys_addr_t TRAMPOLINE_PUD = TRAMPOLINE_BASE + 0x2000;
constexpr phys_addr_t TRAMPOLINE_PMD = TRAMPOLINE_BASE + 0x3000;
constexpr u64 CPU_START_TIMEOUT_NS = 5'000'000'000ull;

struct [[gnu::packed]] desc_ptr {
    u16 size;
    u64 address;
};
desc_ptr boot_idt;
u64 boot_cr4;

template <typename T> T* trampoline_field(const char* sym) {
    return static_cast<T*>(__va(TRAMPOLINE_BASE + (sym - trampoline_start)));
}

void setup_trampoline() {
    memcpy(__va(TRAMPOLINE_BASE), trampoline_start, size_t(trampoline_end - trampoline_start));
    auto* pgd = static_cast<u64*>(__va(TRAMPOLINE_PGD));
    auto* pud = static_cast<u64*>(__va(TRAMPOLINE_PUD));
    auto* pmd = static_cast<u64*>(__va(TRAMPOLINE_PMD));
    memset(pgd, 0, PAGE_SIZE);
    memset(pud, 0, PAGE_SIZE);
    memset(pmd, 0, PAGE_SIZE);
    // Identity map of the first 2 MiB, executable: the blob runs there while
    // paging comes on. The kernel's half (256-511) is shared with init_top_pgt.
    pgd[0] = TRAMPOLINE_PUD | _PAGE_PRESENT | _PAGE_RW;
    pud[0] = TRAMPOLINE_PMD | _PAGE_PRESENT | _PAGE_RW;
    pmd[0] = 0 | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
    for (unsigned i = 256; i < 512; i++) pgd[i] = init_top_pgt[i].val;
    *trampoline_field<u32>(trampoline_cr3) = u32(TRAMPOLINE_PGD);
    // LMA is set by the CPU, never written; NXE must match the kernel's tables.
    *trampoline_field<u64>(trampoline_efer) = (rdmsr(MSR_EFER) & EFER_NX) | EFER_LME;
    *trampoline_field<u64>(trampoline_target) = reinterpret_cast<u64>(secondary_startup_64);
    initial_cr3 = __pa(init_top_pgt);
}

void wakeup_secondary_cpu_via_init(u32 apicid, phys_addr_t start_eip) {
    apic_write(APIC_ESR, 0);
    apic_icr_write(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT, apicid);
    apic_wait_icr_idle();
    mdelay(10);
    apic_icr_write(APIC_INT_LEVELTRIG | APIC_DM_INIT, apicid);
    apic_wait_icr_idle();
    // Two STARTUPs, as the MP specification asks: a CPU may miss the first.
    for (int j = 0; j < 2; j++) {
        apic_write(APIC_ESR, 0);
        apic_icr_write(APIC_DM_STARTUP | u32(start_eip >> 12), apicid);
        udelay(300);
        apic_wait_icr_idle();
        udelay(200);
    }
}

// ".... node  #0, CPUs:      #1 #2 #3", built as Linux's announce_cpu does.
void announce_cpu(unsigned cpu) {
    unsigned width = 2;  // digits of the CPU count, plus one
    for (unsigned n = nr_cpu_ids; n >= 10; n /= 10) width++;
    unsigned digits = 1;
    for (unsigned n = cpu; n >= 10; n /= 10) digits++;
    if (cpu == 1) {
        printk(KERN_INFO "x86: Booting SMP configuration:\n");
        printk(KERN_INFO ".... node  #0, CPUs:  %*s", int(width + 1), " ");
    }
    printk(KERN_CONT "%*s#%u", int(width - digits), " ", cpu);
}

}  // namespace

void native_smp_prepare_cpus() {
    asm volatile("sidt %0" : "=m"(boot_idt));
    boot_cr4 = read_cr4();
    setup_trampoline();
}

int native_cpu_up(unsigned cpu) {
    u32 apicid = x86_cpu_to_apicid[cpu];
    if (apicid == BAD_APICID) return -ENODEV;
    task_struct* idle = fork_idle(int(cpu));
    if (!idle) {
        printk(KERN_ERR "smpboot: failed fork for CPU %u\n", cpu);
        return -ENOMEM;
    }
    announce_cpu(cpu);
    initial_stack = reinterpret_cast<unsigned long>(idle->stack) + THREAD_SIZE;
    initial_gs = __per_cpu_offset[cpu];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wakeup_secondary_cpu_via_init(apicid, TRAMPOLINE_BASE);
    u64 deadline = sched_clock() + CPU_START_TIMEOUT_NS;
    while (!cpu_online(cpu)) {
        if (sched_clock() > deadline) {
            apic_icr_write(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT, apicid);
            printk(KERN_CONT "\n");
            printk(KERN_ERR "smpboot: do_boot_cpu failed(-1) to wakeup CPU#%u\n", cpu);
            return -EIO;
        }
        cpu_relax();
    }
    return 0;
}

// The first C code on an AP: GS already points at its per-CPU area and the
// stack is its idle task's. Give it the boot CPU's descriptor tables, control
// bits and FPU setup, its local APIC, then go online and idle.
void start_secondary() {
    cpu_init();
    asm volatile("lidt %0" ::"m"(boot_idt));
    constexpr u64 copied = X86_CR4_PGE | X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_UMIP | X86_CR4_FSGSBASE;
    write_cr4(read_cr4() | (boot_cr4 & copied));
    write_cr0(read_cr0() | X86_CR0_WP);
    fpu__init_cpu();
    setup_local_APIC();
    setup_secondary_APIC_clock();  // this CPU's own tick
    unsigned cpu = smp_processor_id();
    cpumask_set_cpu(cpu, cpu_active_mask);
    cpumask_set_cpu(cpu, cpu_online_mask);  // the boot CPU waits for this
    cpu_startup_entry();
}
