// The nice-to-weight tables and the CFS/RT tunables (Linux's kernel/sched/core.c
// sched_prio_to_weight and the sysctl handlers of kernel/sched/fair.c, rt.c).
//
// Each nice level is worth ~10% of CPU time against a neighbour, which makes
// consecutive weights differ by ~1.25x (1.25 / 1 = 55.6% : 44.4%). wmult is
// 2^32 / weight, so CFS divides by a weight with one multiply and a shift.
#include "sched.h"
#include <lib/string.h>
#include <uapi/asm/errno.h>

const int sched_prio_to_weight[40] = {
    /* -20 */ 88761, 71755, 56483, 46273, 36291,
    /* -15 */ 29154, 23254, 18705, 14949, 11916,
    /* -10 */ 9548,  7620,  6100,  4904,  3906,
    /*  -5 */ 3121,  2501,  1991,  1586,  1277,
    /*   0 */ 1024,  820,   655,   526,   423,
    /*   5 */ 335,   272,   215,   172,   137,
    /*  10 */ 110,   87,    70,    56,    45,
    /*  15 */ 36,    29,    23,    18,    15,
};

const u32 sched_prio_to_wmult[40] = {
    /* -20 */ 48388,     59856,     76040,     92818,     118348,
    /* -15 */ 147320,    184698,    229616,    287308,    360437,
    /* -10 */ 449829,    563644,    704093,    875809,    1099582,
    /*  -5 */ 1376151,   1717300,   2157191,   2708050,   3363326,
    /*   0 */ 4194304,   5237765,   6557202,   8165337,   10153587,
    /*   5 */ 12820798,  15790321,  19976592,  24970740,  31350126,
    /*  10 */ 39045157,  49367440,  61356676,  76695844,  95443717,
    /*  15 */ 119304647, 148102320, 186737708, 238609294, 286331153,
};

// Values for one CPU; update_sysctl() multiplies them by the scaling factor.
static unsigned normalized_sysctl_sched_latency = 6000000;
static unsigned normalized_sysctl_sched_min_granularity = 750000;
static unsigned normalized_sysctl_sched_wakeup_granularity = 1000000;

unsigned sysctl_sched_latency = 6000000;
unsigned sysctl_sched_min_granularity = 750000;
unsigned sysctl_sched_wakeup_granularity = 1000000;
unsigned sysctl_sched_migration_cost = 500000;
unsigned sysctl_sched_rr_timeslice = RR_TIMESLICE;
unsigned sysctl_sched_tunable_scaling = SCHED_TUNABLESCALING_LOG;
unsigned sched_nr_latency = 8;

// The user-visible RR value is in ms; the scheduler counts ticks. Kept apart so
// a write reads back as written, as in Linux.
static long sysctl_sched_rr_timeslice_ms = RR_TIMESLICE * 4;

constexpr long NSEC_PER_SEC_ = 1000000000;
constexpr unsigned MS_PER_TICK = 4;  // HZ = 250

static unsigned ilog2(unsigned v) { return 31 - __builtin_clz(v); }

static unsigned get_update_sysctl_factor(unsigned cpus) {
    if (cpus > 8) cpus = 8;  // Linux stops scaling at 8 CPUs
    if (cpus == 0) cpus = 1;
    switch (sysctl_sched_tunable_scaling) {
    case SCHED_TUNABLESCALING_NONE: return 1;
    case SCHED_TUNABLESCALING_LINEAR: return cpus;
    default: return 1 + ilog2(cpus);
    }
}

void update_sysctl_for(unsigned cpus) {
    unsigned factor = get_update_sysctl_factor(cpus);
    sysctl_sched_latency = factor * normalized_sysctl_sched_latency;
    sysctl_sched_min_granularity = factor * normalized_sysctl_sched_min_granularity;
    sysctl_sched_wakeup_granularity = factor * normalized_sysctl_sched_wakeup_granularity;
}

void update_sysctl() { update_sysctl_for(num_online_cpus()); }

namespace {

struct sched_sysctl {
    const char* procname;
    unsigned* data;
    long min, max;
};

// Ranges of Linux's kern_table (min_sched_granularity_ns .. max_sched_granularity_ns, etc.).
const sched_sysctl sched_sysctls[] = {
    {"sched_latency_ns", &sysctl_sched_latency, 100000, NSEC_PER_SEC_},
    {"sched_min_granularity_ns", &sysctl_sched_min_granularity, 100000, NSEC_PER_SEC_},
    {"sched_wakeup_granularity_ns", &sysctl_sched_wakeup_granularity, 0, NSEC_PER_SEC_},
    {"sched_migration_cost_ns", &sysctl_sched_migration_cost, 0, __INT_MAX__},
    {"sched_tunable_scaling", &sysctl_sched_tunable_scaling, SCHED_TUNABLESCALING_NONE,
     SCHED_TUNABLESCALING_LINEAR},
};

const sched_sysctl* find_sysctl(const char* name) {
    for (const auto& t : sched_sysctls)
        if (strcmp(t.procname, name) == 0) return &t;
    return nullptr;
}

}  // namespace

int sched_sysctl_read(const char* name, long* value) {
    if (strcmp(name, "sched_rr_timeslice_ms") == 0) {
        *value = sysctl_sched_rr_timeslice_ms;
        return 0;
    }
    const sched_sysctl* t = find_sysctl(name);
    if (!t) return -ENOENT;
    *value = *t->data;
    return 0;
}

int sched_sysctl_write(const char* name, long value) {
    if (strcmp(name, "sched_rr_timeslice_ms") == 0) {
        // Linux's sched_rr_handler: 0 or less restores the default; the tick
        // count rounds up, so a slice is never shorter than asked.
        if (value > __INT_MAX__) return -EINVAL;
        sysctl_sched_rr_timeslice_ms = value <= 0 ? RR_TIMESLICE * MS_PER_TICK : value;
        sysctl_sched_rr_timeslice = unsigned((sysctl_sched_rr_timeslice_ms + MS_PER_TICK - 1) / MS_PER_TICK);
        return 0;
    }
    const sched_sysctl* t = find_sysctl(name);
    if (!t) return -ENOENT;
    if (value < t->min || value > t->max) return -EINVAL;
    *t->data = unsigned(value);
    // Linux's sched_proc_update_handler: the per-CPU bases follow the written
    // values (so the next CPU coming online rescales from them), and so does the
    // task count at which the period starts to stretch.
    unsigned factor = get_update_sysctl_factor(num_online_cpus());
    normalized_sysctl_sched_latency = sysctl_sched_latency / factor;
    normalized_sysctl_sched_min_granularity = sysctl_sched_min_granularity / factor;
    normalized_sysctl_sched_wakeup_granularity = sysctl_sched_wakeup_granularity / factor;
    sched_nr_latency = (sysctl_sched_latency + sysctl_sched_min_granularity - 1) / sysctl_sched_min_granularity;
    return 0;
}
