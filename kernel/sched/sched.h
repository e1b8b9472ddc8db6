// The scheduler's internal structures (Linux's kernel/sched/sched.h): the
// per-CPU run queue with one sub-queue per class, and the table of operations
// every scheduling class implements. Classes are consulted in priority order
// stop > rt > fair > idle; the first with a runnable task supplies the next one.
#pragma once
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <lib/bitmap.h>
#include <lib/list.h>
#include <lib/rbtree.h>

// enqueue/dequeue flags
enum : int {
    ENQUEUE_WAKEUP = 0x01,   // the task was sleeping
    ENQUEUE_RESTORE = 0x02,  // dequeued and requeued around an attribute change
    ENQUEUE_HEAD = 0x10,     // RT: at the head of its priority's list (a lowered priority)
    ENQUEUE_MIGRATED = 0x40, // arrives from another CPU
    DEQUEUE_SLEEP = 0x01,
    DEQUEUE_SAVE = 0x02,
};
// check_preempt_curr / wakeup flags
enum : int { WF_FORK = 0x02, WF_MIGRATED = 0x20 };

// CFS run queue: runnable entities ordered by vruntime, leftmost cached.
struct cfs_rq {
    load_weight load;             // sum of queued entities' weights
    unsigned nr_running;
    u64 min_vruntime;             // monotonic floor of the queue's vruntimes
    rb_root_cached tasks_timeline;
    sched_entity* curr;           // the running entity (kept out of the tree)
    sched_entity* skip;           // yielded: pick another if one is not too far behind
    u64 exec_clock;
};

// RT run queue: a list per priority and a bitmap of non-empty lists, so the
// highest priority is found with one find-first-bit.
struct rt_prio_array {
    DECLARE_BITMAP(bitmap, MAX_RT_PRIO + 1);  // one extra bit: a delimiter for the search
    list_head queue[MAX_RT_PRIO];
};
struct rt_rq {
    rt_prio_array active;
    unsigned rt_nr_running;
    int highest_prio;
};

struct rq {
    spinlock_t lock;
    unsigned nr_running;
    int cpu;
    u64 clock;           // ns, updated by update_rq_clock()
    u64 clock_task;
    u64 nr_switches;
    u64 run_delay;         // ns tasks waited on this queue before running (/proc/schedstat)
    unsigned long pcount;  // tasks switched in (/proc/schedstat)
    task_struct* curr;
    task_struct* idle;
    struct mm_struct* prev_mm;  // a borrowed mm to drop after the switch (lazy TLB)
    task_struct* stop;
    cfs_rq cfs;
    rt_rq rt;
    unsigned long cpu_load;        // decayed load average for balancing
    u64 idle_stamp;
    bool online;
    u64 next_balance_clock;        // rq->clock when trigger_load_balance next balances (fair_balance.cpp)
    unsigned nr_balance_failed;    // balances in a row that found imbalance but moved nothing
};

// The operations a scheduling class provides (a subset of Linux's, same names).
struct sched_class {
    void (*enqueue_task)(rq* rq, task_struct* p, int flags);
    void (*dequeue_task)(rq* rq, task_struct* p, int flags);
    void (*yield_task)(rq* rq);
    // A task of this class woke on rq: should it preempt rq->curr (same class)?
    void (*check_preempt_curr)(rq* rq, task_struct* p, int flags);
    task_struct* (*pick_next_task)(rq* rq);   // also makes it the class's current
    void (*put_prev_task)(rq* rq, task_struct* p);
    void (*set_next_task)(rq* rq, task_struct* p, bool first);
    void (*task_tick)(rq* rq, task_struct* p, int queued);
    void (*task_fork)(task_struct* p);
    void (*switched_to)(rq* rq, task_struct* p);
    void (*prio_changed)(rq* rq, task_struct* p, int oldprio);
    void (*update_curr)(rq* rq);
    // Which CPU a waking or new task should run on.
    int (*select_task_rq)(task_struct* p, int prev_cpu, int wake_flags);
};

extern const sched_class stop_sched_class, rt_sched_class, fair_sched_class, idle_sched_class;
// Highest priority first.
inline const sched_class* const sched_classes[] = {&stop_sched_class, &rt_sched_class, &fair_sched_class,
                                                   &idle_sched_class};

// Tunables (ns), readable and writable at run time (kernel/sched/debug.cpp).
extern unsigned sysctl_sched_latency;            // 6 ms (times 1 + log2(ncpus), as Linux scales it)
extern unsigned sysctl_sched_min_granularity;    // 0.75 ms
extern unsigned sysctl_sched_wakeup_granularity; // 1 ms
extern unsigned sysctl_sched_migration_cost;     // 0.5 ms
extern unsigned sysctl_sched_rr_timeslice;       // 100 ms, in ticks of HZ
extern const int sched_prio_to_weight[40];
extern const u32 sched_prio_to_wmult[40];

rq* cpu_rq(int cpu);
rq* this_rq();
#define task_rq(p) cpu_rq((p)->cpu)

// The last schedule() of an exiting task (kernel/exit.cpp).
[[noreturn]] void schedule_dead();

// Per-class run-queue setup, called by sched_init for every CPU.
void init_cfs_rq(cfs_rq* cfs_rq);
void init_rt_rq(rt_rq* rt_rq);

// Load balancing hooks the core calls (kernel/sched/fair.cpp): from every tick,
// and when a CPU is about to go idle.
void trigger_load_balance(rq* rq);

// Helpers the classes share with core.cpp.
void resched_curr(rq* rq);
void update_rq_clock(rq* rq);
void add_nr_running(rq* rq, unsigned count);
void sub_nr_running(rq* rq, unsigned count);
void set_load_weight(task_struct* p);
// Run-queue delay accounting (sched_statistics): queued now / switched in now.
void sched_info_enqueue(rq* rq, task_struct* p);
void sched_info_switch_in(rq* rq, task_struct* p);
void activate_task(rq* rq, task_struct* p, int flags);
void deactivate_task(rq* rq, task_struct* p, int flags);
void check_preempt_curr(rq* rq, task_struct* p, int flags);
void set_task_cpu(task_struct* p, int cpu);
// Moves a queued, not running task; both run queues must be locked.
void move_queued_task(rq* src, rq* dst, task_struct* p);
// Locks two run queues in a fixed order (lower CPU first), so two CPUs locking
// the same pair cannot deadlock. IRQs must be off.
void double_rq_lock(rq* a, rq* b);
void double_rq_unlock(rq* a, rq* b);
static inline bool task_current(const rq* rq, const task_struct* p) { return rq->curr == p; }
static inline bool task_on_rq_queued(const task_struct* p) { return p->on_rq == TASK_ON_RQ_QUEUED; }
static inline bool rt_prio(int prio) { return prio < MAX_RT_PRIO; }
static inline bool rt_task(const task_struct* p) { return rt_prio(p->prio); }

// ---- the classes' own exports (fair.cpp, fair_balance.cpp, rt.cpp, prio_weights.cpp, debug.cpp) ----

// Weights: nice 0 is 1024; SCHED_IDLE tasks weigh 3 (Linux's WEIGHT_IDLEPRIO).
constexpr unsigned long NICE_0_LOAD = 1024;
constexpr unsigned long WEIGHT_IDLEPRIO = 3;
constexpr u32 WMULT_IDLEPRIO = 1431655765;  // 2^32 / 3
constexpr unsigned RR_TIMESLICE = 100 * 250 / 1000;  // 100 ms in ticks of HZ=250

// The tunables by their Linux /proc/sys/kernel names (sched_latency_ns,
// sched_min_granularity_ns, sched_wakeup_granularity_ns, sched_migration_cost_ns,
// sched_rr_timeslice_ms, sched_tunable_scaling). Writes out of Linux's range
// return -EINVAL, unknown names -ENOENT.
int sched_sysctl_read(const char* name, long* value);
int sched_sysctl_write(const char* name, long value);
// Rescales latency and granularities by 1 + ilog2(min(online CPUs, 8)) (Linux's
// SCHED_TUNABLESCALING_LOG); the core calls it when a CPU comes online.
void update_sysctl();
void update_sysctl_for(unsigned cpus);
enum : unsigned { SCHED_TUNABLESCALING_NONE = 0, SCHED_TUNABLESCALING_LOG = 1, SCHED_TUNABLESCALING_LINEAR = 2 };
extern unsigned sysctl_sched_tunable_scaling;
extern unsigned sched_nr_latency;  // latency / min_granularity: beyond this many tasks the period stretches

// CFS arithmetic (fair.cpp), exported for the host tests and the debug dump.
u64 __calc_delta(u64 delta_exec, unsigned long weight, load_weight* lw);
u64 calc_delta_fair(u64 delta, sched_entity* se);
u64 __sched_period(unsigned long nr_running);
u64 sched_slice(cfs_rq* cfs_rq, sched_entity* se);
void place_entity(cfs_rq* cfs_rq, sched_entity* se, bool initial);
int wakeup_preempt_entity(sched_entity* curr, sched_entity* se);
sched_entity* __pick_first_entity(cfs_rq* cfs_rq);

// Balancing (fair_balance.cpp). newidle_balance runs with rq->lock held from the
// pick path when rq has nothing to run; it may drop and retake the lock and
// returns how many tasks it pulled (the caller then picks again).
int newidle_balance(rq* this_rq);
int load_balance(rq* this_rq);  // pulls from the busiest CPU; rq locks not held

// `perf sched latency`-style table and a /proc/sched_debug-style dump (debug.cpp).
int sched_latency_show(char* buf, size_t size);
int sched_debug_show(char* buf, size_t size);
