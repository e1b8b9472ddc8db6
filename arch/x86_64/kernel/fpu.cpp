// FPU state handling. XSAVE covers x87, SSE and AVX (the features XCR0 enables)
// in one area whose size CPUID leaf 0xd reports; older CPUs get FXSAVE's fixed
// 512-byte area. New tasks start from an image saved right after FNINIT.
#define pr_fmt(fmt) "x86/fpu: " fmt
#include <asm/fpu.h>
#include <asm/processor.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <lib/string.h>
#include <mm/slab.h>

unsigned fpu_state_size = 512;

namespace {

constexpr u64 XFEATURE_MASK_FP = 1 << 0, XFEATURE_MASK_SSE = 1 << 1, XFEATURE_MASK_YMM = 1 << 2;
constexpr u64 X86_CR4_OSXSAVE = 1ull << 18;
bool use_xsave;
u64 xfeatures;
kmem_cache* fpu_cache;
alignas(64) u8 init_fpstate[4096];

void xsetbv(u32 index, u64 value) {
    asm volatile("xsetbv" ::"c"(index), "a"(u32(value)), "d"(u32(value >> 32)));
}

void save_state(void* area) {
    if (use_xsave)
        asm volatile("xsave64 (%0)" ::"r"(area), "a"(u32(xfeatures)), "d"(u32(xfeatures >> 32)) : "memory");
    else
        asm volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

void restore_state(const void* area) {
    if (use_xsave)
        asm volatile("xrstor64 (%0)" ::"r"(area), "a"(u32(xfeatures)), "d"(u32(xfeatures >> 32)) : "memory");
    else
        asm volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

}  // namespace

void fpu__init_cpu() {
    u64 cr0 = read_cr0();
    cr0 &= ~(1ull << 2 | 1ull << 3);  // EM off (FPU present), TS off (no lazy switching)
    write_cr0(cr0 | X86_CR0_MP | X86_CR0_NE);
    u64 cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    write_cr4(use_xsave ? cr4 | X86_CR4_OSXSAVE : cr4);
    if (use_xsave) xsetbv(0, xfeatures);
}

void fpu__init_system() {
    use_xsave = cpuid(1).ecx & (1u << 26);
    if (use_xsave) {
        cpuid_regs r = cpuid_count(0xd, 0);
        u64 supported = r.eax | (u64(r.edx) << 32);
        xfeatures = supported & (XFEATURE_MASK_FP | XFEATURE_MASK_SSE | XFEATURE_MASK_YMM);
    }
    fpu__init_cpu();
    if (use_xsave) fpu_state_size = cpuid_count(0xd, 0).ebx;  // for the features XCR0 now enables
    asm volatile("fninit");
    u32 mxcsr = 0x1f80;  // all SIMD exceptions masked, round to nearest
    asm volatile("ldmxcsr %0" ::"m"(mxcsr));
    save_state(init_fpstate);
    fpu_cache = kmem_cache_create("fpu_state", fpu_state_size, 64, SLAB_PANIC, nullptr);
    if (use_xsave)
        pr_info("Enabled xstate features 0x%lx, context size is %u bytes, using 'standard' format.\n",
                (unsigned long)xfeatures, fpu_state_size);
    else
        pr_info("Using FXSAVE, context size is %u bytes\n", fpu_state_size);
}

bool fpu_alloc_state(task_struct* p) {
    p->thread.fpu_state = kmem_cache_alloc(fpu_cache, GFP_KERNEL);
    if (!p->thread.fpu_state) return false;
    memcpy(p->thread.fpu_state, init_fpstate, fpu_state_size);
    return true;
}

void fpu_free_state(task_struct* p) {
    if (p->thread.fpu_state) kmem_cache_free(fpu_cache, p->thread.fpu_state);
    p->thread.fpu_state = nullptr;
}

// The live registers are current's true state (its saved area is stale until
// it switches out): save them straight into the child's area.
void fpu_clone(task_struct* p) { save_state(p->thread.fpu_state); }

void switch_fpu(task_struct* prev, task_struct* next) {
    if (prev->thread.fpu_state) save_state(prev->thread.fpu_state);
    if (next->thread.fpu_state) restore_state(next->thread.fpu_state);
}
