// The user-memory copies of asm/uaccess.h. Copies move 8 bytes at a time
// (`rep movsq`/`rep stosq`; QEMU's TCG emulates `rep movsb` a byte at a time,
// so this is several times faster there) and finish with `rep movsb`/`stosb`,
// bracketed by STAC/CLAC and covered by exception-table entries: on a fault
// the fixup jumps past the instruction with %rcx counting what was left. A
// fault in the quadword pass leaves the registers at the faulting quadword,
// so the byte pass resumes there and stops at the exact faulting byte, and
// %rcx is Linux's "bytes not copied" result.
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
    unsigned long qwords = n / 8;
    stac();
    asm volatile(
        "1: rep movsq\n"
        "2:\n" _ASM_EXTABLE(1b, 2b)
        : "+D"(to), "+S"(from), "+c"(qwords)
        :
        : "memory");
    n = qwords * 8 + n % 8;
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
    unsigned long qwords = n / 8;
    stac();
    asm volatile(
        "1: rep stosq\n"
        "2:\n" _ASM_EXTABLE(1b, 2b)
        : "+D"(to), "+c"(qwords)
        : "a"(0)
        : "memory");
    n = qwords * 8 + n % 8;
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
