// /proc/cpuinfo (Linux's arch/x86/kernel/cpu/proc.c show_cpuinfo): one block
// per online CPU, from CPUID. The flags are the CPUID feature bits under
// Linux's names, in Linux's word order (leaf 1 EDX, 0x80000001 EDX, leaf 1
// ECX, 0x80000001 ECX, leaf 7 EBX); Linux's synthetic flags (rep_good,
// nopl, ...) describe its own choices and are not shown.
#include "internal.h"
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <keel/init.h>
#include <keel/jiffies.h>
#include <keel/smp.h>

namespace {

struct feature_word {
    u32 leaf;
    u32 cpuid_regs::*reg;
    const char* names[32];  // nullptr or "": not shown
};

const feature_word feature_words[] = {
    {1, &cpuid_regs::edx, {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", nullptr, "sep", "mtrr",
                           "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", nullptr, "dts", "acpi", "mmx", "fxsr",
                           "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"}},
    {0x80000001, &cpuid_regs::edx, {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                    nullptr, nullptr, "syscall", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                    nullptr, "mp", "nx", nullptr, "mmxext", nullptr, nullptr, "fxsr_opt", "pdpe1gb",
                                    "rdtscp", nullptr, "lm", "3dnowext", "3dnow"}},
    {1, &cpuid_regs::ecx, {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
                           "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", nullptr, "pcid", "dca", "sse4_1", "sse4_2",
                           "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", nullptr, "avx", "f16c",
                           "rdrand", "hypervisor"}},
    {0x80000001, &cpuid_regs::ecx, {"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a",
                                    "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", nullptr,
                                    "lwp", "fma4", "tce", nullptr, "nodeid_msr", nullptr, "tbm", "topoext",
                                    "perfctr_core", "perfctr_nb", nullptr, "bpext", "ptsc", "perfctr_llc", "mwaitx",
                                    nullptr, nullptr}},
    {7, &cpuid_regs::ebx, {"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", nullptr, "smep", "bmi2", "erms",
                           "invpcid", "rtm", "cqm", "mpx", nullptr, "rdt_a", "avx512f", "avx512dq", "rdseed", "adx",
                           "smap", "avx512ifma", nullptr, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er",
                           "avx512cd", "sha_ni", "avx512bw", "avx512vl"}},
};

void show_flags(seq_file* m) {
    u32 max_basic = cpuid(0).eax, max_ext = cpuid(0x80000000).eax;
    seq_puts(m, "flags\t\t:");
    for (const feature_word& w : feature_words) {
        if (w.leaf >= 0x80000000 ? w.leaf > max_ext : w.leaf > max_basic) continue;
        u32 bits = cpuid_count(w.leaf, 0).*w.reg;
        for (unsigned b = 0; b < 32; b++)
            if ((bits & (1u << b)) && w.names[b] && *w.names[b]) seq_printf(m, " %s", w.names[b]);
    }
    seq_putc(m, '\n');
}

int show_cpuinfo(seq_file* m, void*) {
    const cpuinfo_x86& c = boot_cpu_data;
    u32 max_ext = cpuid(0x80000000).eax;
    cpuid_regs leaf1 = cpuid(1);
    unsigned clflush = ((leaf1.ebx >> 8) & 0xff) * 8;
    // L2 size in KB (leaf 0x80000006 ECX[31:16]), as Linux's x86_cache_size on these CPUs.
    unsigned cache_kb = max_ext >= 0x80000006 ? cpuid(0x80000006).ecx >> 16 : 0;
    cpuid_regs sizes = max_ext >= 0x80000008 ? cpuid(0x80000008) : cpuid_regs{0x2028, 0, 0, 0};
    unsigned siblings = num_online_cpus();
    unsigned cpu;
    for_each_online_cpu(cpu) {
        seq_printf(m, "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\n",
                   cpu, c.vendor_id, c.family, c.model, c.model_id[0] ? c.model_id : "unknown");
        seq_printf(m, "stepping\t: %u\n", c.stepping);
        if (tsc_khz) seq_printf(m, "cpu MHz\t\t: %lu.%03lu\n", tsc_khz / 1000, tsc_khz % 1000);
        if (cache_kb) seq_printf(m, "cache size\t: %u KB\n", cache_kb);
        seq_printf(m, "physical id\t: 0\nsiblings\t: %u\ncore id\t\t: %u\ncpu cores\t: %u\n", siblings, cpu, siblings);
        seq_printf(m, "apicid\t\t: %u\ninitial apicid\t: %u\n", x86_cpu_to_apicid[cpu], x86_cpu_to_apicid[cpu]);
        seq_printf(m, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n", c.cpuid_level);
        show_flags(m);
        // BogoMIPS from the TSC-calibrated delay loop, as Linux: lpj = tsc_khz * 1000 / HZ.
        unsigned long lpj = tsc_khz * 1000 / HZ;
        seq_printf(m, "bogomips\t: %lu.%02lu\n", lpj / (500000 / HZ), (lpj / (5000 / HZ)) % 100);
        seq_printf(m, "clflush size\t: %u\ncache_alignment\t: %u\n", clflush, clflush);
        seq_printf(m, "address sizes\t: %u bits physical, %u bits virtual\n", sizes.eax & 0xff, (sizes.eax >> 8) & 0xff);
        seq_puts(m, "power management:\n\n");
    }
    return 0;
}

int proc_cpuinfo_init() {
    proc_create_single("cpuinfo", 0, nullptr, show_cpuinfo);
    return 0;
}
fs_initcall(proc_cpuinfo_init);

}  // namespace
