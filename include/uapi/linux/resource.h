// Resource limits and usage (include/uapi/linux/resource.h, asm-generic/resource.h).
#pragma once
#include <stddef.h>
#include <uapi/linux/time_types.h>

enum : unsigned {
    RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
    RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
    RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
    RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIM_NLIMITS = 16,
};
constexpr unsigned long RLIM_INFINITY = ~0ul;

struct rlimit64 {
    unsigned long long rlim_cur;
    unsigned long long rlim_max;
};
static_assert(sizeof(rlimit64) == 16);

struct rlimit {
    unsigned long rlim_cur;
    unsigned long rlim_max;
};
static_assert(sizeof(rlimit) == 16);

enum : int { RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1 };

struct rusage {
    __kernel_old_timeval ru_utime;
    __kernel_old_timeval ru_stime;
    long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap, ru_inblock,
        ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
static_assert(sizeof(rusage) == 144);
static_assert(offsetof(rusage, ru_stime) == 16 && offsetof(rusage, ru_maxrss) == 32 && offsetof(rusage, ru_nivcsw) == 136);
