// The Linux Kernel Dump Test Module, in miniature: each type provokes one kind
// of failure from kernel_init, so the harness can check the report it produces
// (registers, symbolized backtrace, panic line, reboot) against what it expects.
#define pr_fmt(fmt) "lkdtm: " fmt
#include <drivers/misc/lkdtm.h>
#include <keel/compiler.h>
#include <keel/init.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <lib/string.h>

namespace {

const char* lkdtm_type;

int lkdtm_setup(const char* val) {
    if (!val || !*val) return -EINVAL;
    lkdtm_type = val;
    return 0;
}

const int rodata_value = 0x5a;
unsigned char data_area[16] = {0xc3};  // a `ret` that NX must refuse to run

__noinline void lkdtm_PANIC() { panic("dumptest"); }
__noinline void lkdtm_BUG() { BUG(); }
__noinline void lkdtm_WARNING() { WARN_ON(lkdtm_type != nullptr); }
__noinline void lkdtm_EXCEPTION() { *static_cast<volatile int*>(nullptr) = 0; }
__noinline void lkdtm_WRITE_RO() { *const_cast<volatile int*>(&rodata_value) = 0; }
__noinline void lkdtm_EXEC_DATA() { reinterpret_cast<void (*)()>(data_area)(); }
__noinline void lkdtm_GPF() { *reinterpret_cast<volatile long*>(0xdead000000000000ul) = 0; }
// In asm: the compiler rewrites 1/x into compares and would never divide.
__noinline void lkdtm_DIVIDE() { asm volatile("xorl %%ecx, %%ecx; movl $1, %%eax; cltd; idivl %%ecx" ::: "eax", "ecx", "edx"); }

// Recurses until the stack runs into the guard page below it: the fault cannot
// push its frame there, so it becomes a double fault on its own IST stack.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"  // that is the point
__noinline int lkdtm_recurse(int depth) {
    volatile char buf[512];
    buf[0] = char(depth);
    return lkdtm_recurse(depth + 1) + buf[0];
}
#pragma GCC diagnostic pop
__noinline void lkdtm_EXHAUST_STACK() { lkdtm_recurse(0); }

struct crashtype {
    const char* name;
    void (*func)();
};
const crashtype crashtypes[] = {
    {"PANIC", lkdtm_PANIC},         {"BUG", lkdtm_BUG},           {"WARNING", lkdtm_WARNING},
    {"EXCEPTION", lkdtm_EXCEPTION}, {"WRITE_RO", lkdtm_WRITE_RO}, {"EXEC_DATA", lkdtm_EXEC_DATA},
    {"GPF", lkdtm_GPF},             {"DIVIDE", lkdtm_DIVIDE},     {"EXHAUST_STACK", lkdtm_EXHAUST_STACK},
};

}  // namespace

__setup("lkdtm=", lkdtm_setup);

void lkdtm_run_requested() {
    if (!lkdtm_type) return;
    for (const crashtype& c : crashtypes) {
        if (strcmp(c.name, lkdtm_type) != 0) continue;
        pr_info("Performing direct entry %s\n", c.name);
        c.func();
        pr_info("%s returned\n", c.name);
        return;
    }
    pr_err("unknown crash type '%s'\n", lkdtm_type);
}
