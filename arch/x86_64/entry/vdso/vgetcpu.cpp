// getcpu without entering the kernel (Linux's arch/x86/entry/vdso/vgetcpu.c).
// Every CPU's GDT has a user-readable segment whose limit is
// (node << 12) | cpu (setup_getcpu in arch/x86_64/kernel/gdt.cpp); LSL reads
// that limit in one instruction. Linux switches to RDPID through alternatives
// where the CPU has it; the vDSO is not patched here, so LSL serves everywhere.
#include <asm/segment.h>

namespace {

constexpr unsigned VDSO_CPUNODE_BITS = 12;
constexpr unsigned VDSO_CPUNODE_MASK = 0xfff;

}  // namespace

extern "C" {

// The third argument (Linux's struct getcpu_cache) has been unused since 2.6.24.
long __vdso_getcpu(unsigned* cpu, unsigned* node, void*) {
    unsigned p;
    asm volatile("lsl %1, %0" : "=r"(p) : "r"(__CPUNODE_SEG));
    if (cpu) *cpu = p & VDSO_CPUNODE_MASK;
    if (node) *node = p >> VDSO_CPUNODE_BITS;
    return 0;
}

long getcpu(unsigned*, unsigned*, void*) __attribute__((weak, alias("__vdso_getcpu")));

}  // extern "C"
