// The user-memory copies of asm/uaccess.h. Each user access is a `rep movsb` or
// `rep stosb` (or a single byte load for strings) bracketed by STAC/CLAC and
// covered by an exception-table entry: on a fault the fixup jumps past the
// instruction and %rcx still holds the bytes that were left, which is exactly
// Linux's "bytes not copied" result.
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/uaccess.h>
#include <uapi/asm/errno.h>

namespace {

// STAC/CLAC exist only on CPUs with SMAP (they raise #UD elsewhere); without
// SMAP, user pages are reachable from ring 0 anyway.
inline void stac() {
    if (boot_cpu_data.smap) asm volatile("stac" ::: "memory", "cc");
}
inline void clac() {
    if (boot_cpu_data.smap) asm volatile("clac" ::: "memory", "cc");
}

unsigned long raw_copy(void* to, const void* from, unsigned long n) {
    stac();
    asm volatile(
        "1: rep movsb\n"
        "2:\n" _ASM_EXTABLE(1b, 2b)
        : "+D"(to), "+S"(from), "+c"(n)
        :
        : "memory");
    clac();
    return n;
}

}  // namespace

unsigned long copy_from_user(void* to, const void __user* from, unsigned long n) {
    if (!access_ok(from, n)) return n;
    return raw_copy(to, from, n);
}

unsigned long copy_to_user(void __user* to, const void* from, unsigned long n) {
    if (!access_ok(to, n)) return n;
    return raw_copy(to, from, n);
}

unsigned long clear_user(void __user* to, unsigned long n) {
    if (!access_ok(to, n)) return n;
    stac();
    asm volatile(
        "1: rep stosb\n"
        "2:\n" _ASM_EXTABLE(1b, 2b)
        : "+D"(to), "+c"(n)
        : "a"(0)
        : "memory");
    clac();
    return n;
}

long strncpy_from_user(char* dst, const char __user* src, long count) {
    auto addr = reinterpret_cast<unsigned long>(src);
    if (count <= 0) return 0;
    if (addr >= TASK_SIZE_MAX) return -EFAULT;
    // Only the part below TASK_SIZE_MAX may be read; running into the end is a fault.
    unsigned long limit = TASK_SIZE_MAX - addr;
    long res = 0;
    stac();
    for (; res < count; res++) {
        if ((unsigned long)res >= limit) {
            res = -EFAULT;
            break;
        }
        int c;
        asm volatile(
            "1: movzbl (%[p]), %[c]\n"
            "2:\n"
            ".pushsection .fixup, \"ax\"\n"
            "3: movl $-1, %[c]\n"
            "   jmp 2b\n"
            ".popsection\n" _ASM_EXTABLE(1b, 3b)
            : [c] "=r"(c)
            : [p] "r"(src + res)
            : "memory");
        if (c < 0) {
            res = -EFAULT;
            break;
        }
        dst[res] = char(c);
        if (c == 0) break;
    }
    clac();
    return res;
}
