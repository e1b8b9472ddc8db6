// CPU control: CPUID, MSRs, control registers, TSC, halting.
#pragma once
#include <keel/types.h>

struct cpuid_regs {
    u32 eax, ebx, ecx, edx;
};

static inline cpuid_regs cpuid_count(u32 leaf, u32 subleaf) {
    cpuid_regs r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}
static inline cpuid_regs cpuid(u32 leaf) { return cpuid_count(leaf, 0); }

static inline u64 rdmsr(u32 msr) {
    u32 lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (u64(hi) << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v) {
    asm volatile("wrmsr" ::"c"(msr), "a"(u32(v)), "d"(u32(v >> 32)) : "memory");
}

#define DEFINE_CR(n)                                                                  \
    static inline u64 read_cr##n() { u64 v; asm volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
    static inline void write_cr##n(u64 v) { asm volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline u64 rdtsc() {
    u32 lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (u64(hi) << 32) | lo;
}
static inline void cpu_relax() { asm volatile("pause" ::: "memory"); }
static inline void halt() { asm volatile("hlt" ::: "memory"); }
static inline void native_irq_disable_halt_forever [[noreturn]] () {
    for (;;) asm volatile("cli; hlt" ::: "memory");
}

enum : u64 {
    X86_CR0_PE = 1ull << 0, X86_CR0_MP = 1ull << 1, X86_CR0_NE = 1ull << 5,
    X86_CR0_WP = 1ull << 16, X86_CR0_PG = 1ull << 31,
    X86_CR4_PAE = 1ull << 5, X86_CR4_PGE = 1ull << 7, X86_CR4_OSFXSR = 1ull << 9,
    X86_CR4_OSXMMEXCPT = 1ull << 10, X86_CR4_UMIP = 1ull << 11, X86_CR4_FSGSBASE = 1ull << 16,
    X86_CR4_SMEP = 1ull << 20, X86_CR4_SMAP = 1ull << 21,
};
enum : u32 {
    MSR_EFER = 0xc0000080, MSR_FS_BASE = 0xc0000100, MSR_GS_BASE = 0xc0000101,
    MSR_KERNEL_GS_BASE = 0xc0000102, MSR_TSC_AUX = 0xc0000103,
};
enum : u64 { EFER_SCE = 1 << 0, EFER_LME = 1 << 8, EFER_NX = 1 << 11 };
