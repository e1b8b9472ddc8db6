// The signal state a task_struct embeds (Linux's include/linux/signal_types.h):
// kept apart from keel/signal.h so sched.h can hold these by value without
// pulling in the whole signal API. sched.h is also compiled into host tests,
// next to the C library's <signal.h>: hence kernel_sigset_t (keel/signal.h
// calls it sigset_t, as Linux) and `struct sigpending` (a libc function too).
#pragma once
#include <keel/types.h>
#include <lib/list.h>

// One bit per signal, bit (sig - 1); 64 signals fit one word on x86-64.
struct kernel_sigset_t {
    unsigned long sig = 0;
};

// Signals sent but not yet delivered: the bitmap says which, the list holds a
// siginfo for each (real-time signals may be queued more than once).
struct sigpending {
    list_head list;
    kernel_sigset_t signal;
};

// What a syscall interrupted with -ERESTART_RESTARTBLOCK resumes with
// (restart_syscall calls fn): the sleep's absolute end, so a restarted sleep
// does not start over.
struct restart_block {
    long (*fn)(restart_block*) = nullptr;
    struct {
        int clockid;
        void* rmtp;  // user pointer for the remaining time, or nullptr
        s64 expires; // absolute, in ns of clockid
    } nanosleep{};
};
