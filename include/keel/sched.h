// The task: Linux's struct task_struct, with the fields the notes name. A task
// is a kernel thread until processes arrive (issue 4); then the same structure
// describes user threads.
#pragma once
#include <keel/atomic.h>
#include <uapi/asm/errno.h>
#include <keel/rcupdate.h>
#include <keel/signal_types.h>
#include <keel/spinlock.h>
#include <keel/types.h>
#include <lib/cpumask.h>
#include <lib/list.h>
#include <lib/rbtree.h>

// __state values (Linux's include/linux/sched.h).
enum : unsigned {
    TASK_RUNNING = 0x0000,
    TASK_INTERRUPTIBLE = 0x0001,
    TASK_UNINTERRUPTIBLE = 0x0002,
    __TASK_STOPPED = 0x0004,
    EXIT_DEAD = 0x0010,
    EXIT_ZOMBIE = 0x0020,
    TASK_DEAD = 0x0080,
    TASK_NEW = 0x0800,
    TASK_NORMAL = TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE,  // what plain wake-ups wake
};

// Scheduling policies (uapi/linux/sched.h).
enum : unsigned { SCHED_NORMAL = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5 };

// Priorities: 0..99 real-time (lower is more important), 100..139 nice -20..19.
constexpr int MAX_RT_PRIO = 100;
constexpr int MAX_PRIO = MAX_RT_PRIO + 40;
constexpr int DEFAULT_PRIO = MAX_RT_PRIO + 20;
constexpr int NICE_TO_PRIO(int nice) { return nice + DEFAULT_PRIO; }
constexpr int PRIO_TO_NICE(int prio) { return prio - DEFAULT_PRIO; }

// task_struct::flags
enum : unsigned {
    PF_IDLE = 0x00000002,
    PF_EXITING = 0x00000004,
    PF_KTHREAD = 0x00200000,
    PF_NO_SETAFFINITY = 0x04000000,
};

struct load_weight {
    unsigned long weight;
    u32 inv_weight;  // 2^32 / weight, so divisions by the weight become multiplications
};

struct cfs_rq;

// The CFS view of a task: its place on the run queue's timeline.
struct sched_entity {
    load_weight load;
    rb_node run_node;
    bool on_rq;
    u64 exec_start;
    u64 sum_exec_runtime;
    u64 vruntime;
    u64 prev_sum_exec_runtime;  // sum_exec_runtime when it was last picked: the slice used so far
    u64 nr_migrations;
    // The queue whose min_vruntime `vruntime` is measured against. When the task
    // is next enqueued elsewhere, fair.cpp rebases vruntime by the difference of
    // the two queues' min_vruntime (Linux normalises around every migration instead).
    struct cfs_rq* cfs_rq;
};

// The real-time view: a place on one of the 100 priority queues.
struct sched_rt_entity {
    list_head run_list;
    unsigned time_slice;  // SCHED_RR: ticks left
    bool on_rq;
};

// What `perf sched latency` and /proc/<pid>/sched report.
struct sched_statistics {
    u64 wait_start;   // when the task last became runnable but not running
    u64 wait_max;     // longest run-queue delay
    u64 wait_count;
    u64 wait_sum;
    u64 nr_switches;  // times it was switched in
    u64 nr_voluntary_switches;
    u64 nr_involuntary_switches;
    u64 nr_wakeups;
    u64 nr_wakeups_migrate;
};

// Architecture state saved across a context switch (arch/x86_64/kernel/process.cpp).
struct thread_struct {
    unsigned long sp;      // kernel stack pointer while switched out
    unsigned long fsbase;
    unsigned long gsbase;
    void* fpu_state;       // XSAVE area, eagerly saved and restored
};

struct sched_class;
struct rq;

struct task_struct {
    Atomic<unsigned> __state{TASK_NEW};
    Atomic<unsigned long> thread_flags{0};  // TIF_* bits, Linux's thread_info.flags
    void* stack;                            // base of the kernel stack (THREAD_SIZE bytes)
    Atomic<int> usage{1};
    unsigned flags = 0;                     // PF_*

    // Scheduling
    int on_cpu = 0;     // running on a CPU right now
    int on_rq = 0;      // TASK_ON_RQ_QUEUED when queued
    int cpu = 0;
    int wake_cpu = 0;
    int prio = DEFAULT_PRIO;
    int static_prio = DEFAULT_PRIO;
    int normal_prio = DEFAULT_PRIO;
    unsigned rt_priority = 0;
    unsigned policy = SCHED_NORMAL;
    const ::sched_class* sched_class = nullptr;
    sched_entity se{};
    sched_rt_entity rt{};
    sched_statistics stats{};
    cpumask cpus_mask{};
    int nr_cpus_allowed = 0;

    // Identity and family
    int pid = 0;              // the thread's id (gettid)
    int tgid = 0;             // the process's id (getpid): the group leader's pid
    task_struct* real_parent = nullptr;
    task_struct* parent = nullptr;
    list_head children;
    list_head sibling;
    list_head tasks;          // on the list of all tasks (every thread, as Linux's for_each_process_thread)
    // Thread group: every thread of a process is on one circular list, reached
    // from any of them (for_each_thread); group_leader is the thread that
    // started the process (itself for a single-threaded one).
    task_struct* group_leader = nullptr;
    list_head thread_group;
    // Process group and session ids: Linux keeps them in signal_struct (one
    // per process); here each thread carries a copy that setpgid/setsid update
    // for the whole group under tasklist_lock. task_pgrp_nr/task_session_nr read them.
    int pgrp = 0;
    int session = 0;
    int exit_signal = 0;      // sent to the parent when the process ends (SIGCHLD for fork; 0 for threads)
    char comm[16] = {};

    spinlock_t pi_lock;       // serialises wake-ups of this task (Linux's pi_lock)
    bool migration_pending = false;  // must leave its CPU after it switches out

    // Kernel threads
    struct kthread* kthread = nullptr;
    int exit_code = 0;    // kthreads: the function's result; processes: the wait status

    // Processes (kernel/exit.cpp, kernel/sys.cpp)
    unsigned exit_state = 0;             // EXIT_ZOMBIE once exited, until the parent reaps it
    int* clear_child_tid = nullptr;      // set_tid_address: a user pointer, cleared at exit
    void* robust_list = nullptr;         // set_robust_list: a user robust_list_head, walked at exec/exit
    // CPU time in ns, charged a tick at a time as user or system time by
    // whichever mode the tick interrupted (kernel/sched/cputime.cpp).
    u64 utime = 0;
    u64 stime = 0;
    u64 start_boottime = 0;  // CLOCK_BOOTTIME at fork, in ns (/proc/PID/stat's starttime)

    // Signals (keel/signal.h). signal is shared by the thread group
    // (CLONE_THREAD), sighand by CLONE_SIGHAND; both set by copy_signal/copy_sighand.
    struct signal_struct* signal = nullptr;
    struct sighand_struct* sighand = nullptr;
    kernel_sigset_t blocked{};
    kernel_sigset_t real_blocked{};   // the mask before rt_sigtimedwait unblocked its set
    kernel_sigset_t saved_sigmask{};  // restored after a handler run by rt_sigsuspend
    bool restore_sigmask = false;
    struct sigpending pending{};      // sent to this thread only (tkill, faults)
    unsigned long sas_ss_sp = 0;
    unsigned long sas_ss_size = 0;
    unsigned sas_ss_flags = 0;
    unsigned long jobctl = 0;  // JOBCTL_* bits: group stop in progress for this thread
    struct restart_block restart_block{};

    // Later issues: fs, files, mm, cred.
    struct mm_struct* mm = nullptr;         // user address space; nullptr for kernel threads
    struct mm_struct* active_mm = nullptr;  // the page tables loaded while it runs (borrowed by kthreads)

    struct fs_struct* fs = nullptr;
    struct nameidata* nameidata = nullptr;  // the path walk in progress (fs/namei.cpp)
    struct files_struct* files = nullptr;
    const struct cred* cred = nullptr;      // identity (include/keel/cred.h), shared copy-on-write
    int* set_child_tid = nullptr;           // CLONE_CHILD_SETTID: the child writes its tid here first
    struct completion* vfork_done = nullptr;  // CLONE_VFORK: completed when the child execs or exits

    thread_struct thread{};
    rcu_head rcu{};  // the last reference of a released task is dropped after a grace period
};

enum : unsigned long { TIF_SIGPENDING = 2, TIF_NEED_RESCHED = 3 };  // bit numbers, as in Linux
constexpr int TASK_ON_RQ_QUEUED = 1;
constexpr int TASK_ON_RQ_MIGRATING = 2;

constexpr unsigned long THREAD_SIZE = 16384;     // kernel stack
constexpr unsigned long STACK_END_MAGIC = 0x57AC6E9D;

#include <asm/current.h>

// Scheduler entry points (kernel/sched/core.cpp).
void schedule();
void schedule_preempt_disabled();
bool wake_up_process(task_struct* p);
bool wake_up_state(task_struct* p, unsigned state);
void wake_up_new_task(task_struct* p);
void set_user_nice(task_struct* p, long nice);
int sched_setscheduler_nocheck(task_struct* p, unsigned policy, int rt_priority);
void sched_init();
void scheduler_tick();              // from the timer interrupt, every jiffy
void yield();
long schedule_timeout(long jiffies);
int set_cpus_allowed_ptr(task_struct* p, const cpumask* mask);
void sched_fork(task_struct* p);

static inline void set_current_state(unsigned state) { current->__state.store(state, memory_order::seq_cst); }
static inline void __set_current_state(unsigned state) { current->__state.store(state, memory_order::relaxed); }
static inline bool test_tsk_need_resched(const task_struct* p) {
    return p->thread_flags.load(memory_order::relaxed) & (1ul << TIF_NEED_RESCHED);
}
static inline bool need_resched() { return test_tsk_need_resched(current); }
static inline int task_nice(const task_struct* p) { return PRIO_TO_NICE(p->static_prio); }

// Every task, for ps-like dumps (init_task is the boot CPU's idle task, PID 0).
extern task_struct init_task;
extern list_head task_list;
extern spinlock_t tasklist_lock;

// Task lifetime (kernel/fork.cpp, kernel/exit.cpp).
void fork_init();
int kernel_thread(int (*fn)(void*), void* arg, const char* name);
task_struct* fork_idle(int cpu);  // an idle task for a secondary CPU, not queued
task_struct* find_task_by_pid(int pid);

// What fork, vfork, clone and clone3 ask for (Linux's kernel_clone_args).
struct kernel_clone_args {
    unsigned long long flags = 0;  // CLONE_*, without the exit signal
    int* child_tid = nullptr;      // user pointers
    int* parent_tid = nullptr;
    int exit_signal = 0;
    unsigned long stack = 0;       // the child's stack: base (+ size) or, for clone, the top
    unsigned long stack_size = 0;
    unsigned long tls = 0;
};
long kernel_clone(kernel_clone_args* args);
// The task is done with its (possibly shared) memory: exec or exit.
void mm_release(task_struct* tsk);

// Thread groups and process groups (kernel/fork.cpp, kernel/exit.cpp). The
// lists change under tasklist_lock; walk them holding it.
static inline bool thread_group_leader(const task_struct* p) { return p->group_leader == p; }
static inline task_struct* next_thread(const task_struct* p) {
    return list_entry(p->thread_group.next, task_struct, thread_group);
}
// for_each_thread(p, t): t runs over every thread of p's process, p included.
#define for_each_thread(p, t) \
    for (task_struct* t = (p); t; t = next_thread(t) == (p) ? nullptr : next_thread(t))
// for_each_process(p): every thread group leader (one per process).
#define for_each_process(p)                                                            \
    for (task_struct* p = list_entry(task_list.next, task_struct, tasks); &p->tasks != &task_list; \
         p = list_entry(p->tasks.next, task_struct, tasks))                              \
        if (!thread_group_leader(p)) {} else
static inline int task_pgrp_nr(const task_struct* p) { return p->pgrp; }
static inline int task_session_nr(const task_struct* p) { return p->session; }
static inline int task_tgid_nr(const task_struct* p) { return p->tgid; }
static inline void get_task_struct(task_struct* t) { t->usage.fetch_add(1, memory_order::relaxed); }
void put_task_struct(task_struct* t);
void release_task(task_struct* p);  // a dead task leaves the task list and frees its PID
[[noreturn]] void do_exit(long code);
// Ends every thread of current's process with `exit_code` (a wait status).
[[noreturn]] void do_group_exit(int exit_code);
// The scheduler's half of making `idle` the idle task of `cpu`.
void init_idle(task_struct* idle, int cpu);
// First thing in start_kernel: the boot task's stack end and identity.
void set_task_stack_end_magic(task_struct* tsk);
void init_task_setup();
// Every CPU ends up here with its idle task (kernel/sched/idle_loop.cpp).
[[noreturn]] void cpu_startup_entry();
void schedule_idle();
