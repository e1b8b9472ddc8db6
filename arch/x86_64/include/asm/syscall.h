// The system-call table and its calling convention (Linux's asm/syscall.h and
// syscall_wrapper.h). User space passes the number in %rax and up to six
// arguments in %rdi, %rsi, %rdx, %r10, %r8, %r9; entry_SYSCALL_64 saves them
// in pt_regs and every table slot takes that pt_regs. A handler is written
// with its natural C++ signature and __x64_sys<handler> unpacks the registers
// into it, so the prototype is written once.
#pragma once
#include <asm/ptrace.h>
#include <type_traits>
#include <uapi/asm/unistd_64.h>
#include <utility>

using sys_call_ptr_t = long (*)(const pt_regs*);
struct syscall_table_t {
    sys_call_ptr_t entry[__NR_syscalls];  // nullptr: not implemented
};
extern const syscall_table_t sys_call_table;

namespace syscall_detail {
// A register becomes the parameter's type as the C ABI would have it: pointers
// as addresses, integers truncated to their width (an `int fd` ignores the
// upper half of %rdi, as in Linux).
template <typename T> T reg_to(unsigned long v) {
    if constexpr (std::is_pointer_v<T>) return reinterpret_cast<T>(v);
    else return static_cast<T>(v);
}
template <typename R, typename... A> long call(R (*fn)(A...), const pt_regs* r) {
    static_assert(sizeof...(A) <= 6, "x86_64 system calls take at most six arguments");
    const unsigned long regs[6] = {r->di, r->si, r->dx, r->r10, r->r8, r->r9};
    return [&]<size_t... I>(std::index_sequence<I...>) {
        return long(fn(reg_to<A>(regs[I])...));
    }(std::make_index_sequence<sizeof...(A)>{});
}
}  // namespace syscall_detail

template <auto Fn> long __x64_sys(const pt_regs* regs) { return syscall_detail::call(Fn, regs); }

// Sets up SYSCALL on this CPU (STAR, LSTAR, SYSCALL_MASK, EFER.SCE).
void syscall_init();
// The user registers of a task: saved at the very top of its kernel stack.
struct task_struct;
pt_regs* task_pt_regs(task_struct* task);
// Sets up regs to start a new program at ip with stack sp (exec).
void start_thread(pt_regs* regs, unsigned long ip, unsigned long sp);
