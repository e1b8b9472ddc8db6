// clone flags and struct clone_args (Linux's include/uapi/linux/sched.h).
#pragma once
#include <keel/types.h>

enum : unsigned long long {
    CSIGNAL = 0x000000ff,  // the signal sent to the parent at exit
    CLONE_VM = 0x00000100,
    CLONE_FS = 0x00000200,
    CLONE_FILES = 0x00000400,
    CLONE_SIGHAND = 0x00000800,
    CLONE_PIDFD = 0x00001000,
    CLONE_PTRACE = 0x00002000,
    CLONE_VFORK = 0x00004000,
    CLONE_PARENT = 0x00008000,
    CLONE_THREAD = 0x00010000,
    CLONE_NEWNS = 0x00020000,
    CLONE_SYSVSEM = 0x00040000,
    CLONE_SETTLS = 0x00080000,
    CLONE_PARENT_SETTID = 0x00100000,
    CLONE_CHILD_CLEARTID = 0x00200000,
    CLONE_DETACHED = 0x00400000,
    CLONE_UNTRACED = 0x00800000,
    CLONE_CHILD_SETTID = 0x01000000,
    CLONE_NEWCGROUP = 0x02000000,
    CLONE_NEWUTS = 0x04000000,
    CLONE_NEWIPC = 0x08000000,
    CLONE_NEWUSER = 0x10000000,
    CLONE_NEWPID = 0x20000000,
    CLONE_NEWNET = 0x40000000,
    CLONE_IO = 0x80000000,
    CLONE_CLEAR_SIGHAND = 0x100000000ull,
    CLONE_INTO_CGROUP = 0x200000000ull,
    CLONE_NEWTIME = 0x00000080,
};

struct clone_args {
    u64 flags;
    u64 pidfd;
    u64 child_tid;
    u64 parent_tid;
    u64 exit_signal;
    u64 stack;
    u64 stack_size;
    u64 tls;
    u64 set_tid;
    u64 set_tid_size;
    u64 cgroup;
};
constexpr unsigned long CLONE_ARGS_SIZE_VER0 = 64;  // the first published layout
constexpr unsigned long CLONE_ARGS_SIZE_VER2 = 88;
static_assert(sizeof(clone_args) == CLONE_ARGS_SIZE_VER2);
