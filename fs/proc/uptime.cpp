// /proc/uptime (Linux's fs/proc/uptime.c): seconds since boot, and the idle
// time of all CPUs added up, both with two decimals.
#include "internal.h"
#include <keel/init.h>
#include <keel/kernel_stat.h>
#include <keel/smp.h>
#include <keel/timekeeping.h>

namespace {

int uptime_proc_show(seq_file* m, void*) {
    u64 idle_nsec = 0;
    unsigned cpu;
    for_each_possible_cpu(cpu) idle_nsec += kcpustat_cpu(cpu).cpustat[CPUTIME_IDLE];
    u64 uptime = u64(ktime_get_boottime());
    seq_printf(m, "%lu.%02lu %lu.%02lu\n", uptime / NSEC_PER_SEC, uptime % NSEC_PER_SEC / (NSEC_PER_SEC / 100),
               idle_nsec / NSEC_PER_SEC, idle_nsec % NSEC_PER_SEC / (NSEC_PER_SEC / 100));
    return 0;
}

int proc_uptime_init() {
    proc_create_single("uptime", 0, nullptr, uptime_proc_show);
    return 0;
}
fs_initcall(proc_uptime_init);

}  // namespace
