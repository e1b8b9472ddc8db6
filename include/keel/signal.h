// Signals (Linux's include/linux/signal.h, sched/signal.h): the action table
// shared by CLONE_SIGHAND, the per-process state shared by CLONE_THREAD, the
// sending side and the hooks fork, exec, exit and wait call. Delivery on the
// way back to user mode is arch/x86_64/kernel/signal.cpp.
//
// Locking: sighand->siglock guards the pending queues, the action table,
// every thread's blocked mask and the group stop/exit state, as in Linux.
// tasklist_lock (taken first) keeps parent/child links stable while SIGCHLD is sent.
#pragma once
#include <keel/atomic.h>
#include <keel/errno.h>
#include <asm/uaccess.h>
#include <keel/hrtimer.h>
#include <keel/sched.h>
#include <keel/signal_types.h>
#include <keel/spinlock.h>
#include <keel/wait.h>
#include <uapi/asm/siginfo.h>
#include <uapi/asm/signal.h>
#include <keel/resource.h>

constexpr int _NSIG = 64;
using sigset_t = kernel_sigset_t;

constexpr bool valid_signal(long sig) { return sig >= 0 && sig <= _NSIG; }
constexpr unsigned long sigmask(int sig) { return 1ul << (sig - 1); }
static inline void sigaddset(sigset_t* s, int sig) { s->sig |= sigmask(sig); }
static inline void sigdelset(sigset_t* s, int sig) { s->sig &= ~sigmask(sig); }
static inline bool sigismember(const sigset_t* s, int sig) { return s->sig & sigmask(sig); }
// SIGKILL and SIGSTOP can never be blocked, caught or ignored.
constexpr unsigned long SIG_KERNEL_ONLY_MASK = sigmask(SIGKILL) | sigmask(SIGSTOP);

struct k_sigaction {
    sigaction sa;
};

// One queued signal with its siginfo (Linux's struct sigqueue).
struct sigqueue {
    list_head list;
    kernel_siginfo info;
};

// A signal get_signal picked for a handler: the action as it was when dequeued.
struct ksignal {
    k_sigaction ka;
    kernel_siginfo info;
    int sig;
};

struct sighand_struct {
    Atomic<int> count{1};
    spinlock_t siglock;
    k_sigaction action[_NSIG];
};

// signal_struct::flags (Linux's SIGNAL_*)
enum : unsigned {
    SIGNAL_STOP_STOPPED = 0x01,   // the group is stopped (job control)
    SIGNAL_STOP_CONTINUED = 0x02, // SIGCONT ended a stop: wait(WCONTINUED) reports it once
    SIGNAL_GROUP_EXIT = 0x04,     // a fatal signal or exit_group is ending every thread
};

struct signal_struct {
    Atomic<int> sigcnt{1};
    sigpending shared_pending;
    unsigned flags = 0;
    int group_exit_code = 0;   // wait status of a group killed by a signal
    task_struct* group_exec_task = nullptr;  // the thread whose exec is ending the others (de_thread)
    int group_stop_count = 0;  // threads still to stop before the stop is complete
    int group_exit_status = 0; // status the parent's wait reports for a stop/continue (the signal)
    bool stop_reported = true; // the last stop/continue was reaped by wait (WUNTRACED/WCONTINUED)
    // Parents sleep here in wait4; do_notify_parent and stops/continues of
    // their children wake them.
    wait_queue_head wait_chldexit;
    // ITIMER_REAL / alarm: the timer sends SIGALRM to the group.
    hrtimer real_timer;
    ktime_t it_real_incr = 0;
    task_struct* leader = nullptr; // the task real_timer signals
    // ITIMER_VIRTUAL / ITIMER_PROF: CPU time left until SIGVTALRM / SIGPROF
    // (0: disarmed), counted down by the ticks charged to the process
    // (kernel/sched/cputime.cpp), and the reload. Under siglock.
    ktime_t it_cpu_value[2] = {};
    ktime_t it_cpu_incr[2] = {};
    // CPU time (ns) of the process's threads that are gone, and of the reaped
    // children (with their own reaped children), as Linux's
    // utime/stime/sum_sched_runtime and cutime/cstime. Under tasklist_lock,
    // which exit and wait hold when they add to them.
    u64 utime = 0, stime = 0, sum_sched_runtime = 0;
    u64 cutime = 0, cstime = 0;
    // Resource limits (getrlimit/setrlimit/prlimit64): copied by fork, kept
    // by exec. Set under siglock; checks read a soft limit without it (a
    // single aligned word), as Linux's rlimit() does with READ_ONCE.
    rlimit64 rlim[RLIM_NLIMITS];
    // The controlling terminal (include/keel/tty.h): inherited by fork, changed
    // under tasklist_lock.
    struct tty_struct* tty = nullptr;
};

// A process's CPU time (Linux's task_cputime): its live threads' and its
// dead threads', in ns. thread_group_cputime takes tasklist_lock.
struct task_cputime {
    u64 utime, stime, sum_exec_runtime;
};
void thread_group_cputime(task_struct* tsk, task_cputime* times);
// Charges one tick to p (user_tick: it interrupted user mode) and runs the
// process's ITIMER_VIRTUAL/ITIMER_PROF (Linux's account_process_tick).
void account_process_tick(task_struct* p, int user_tick);

// task_struct::jobctl
constexpr unsigned long JOBCTL_STOP_PENDING = 1ul << 17;  // this thread should join the group stop

// The hooks the rest of the kernel calls.
static inline bool signal_pending(const task_struct* p) {
    return p->thread_flags.load(memory_order::relaxed) & (1ul << TIF_SIGPENDING);
}
// Marks p as having a signal to act on and wakes it from an interruptible sleep.
void signal_wake_up(task_struct* p, bool fatal);
void recalc_sigpending();

// Sending. All return 0 or -errno. info may be SEND_SIG_NOINFO (SI_USER from current)
// or SEND_SIG_PRIV (SI_KERNEL).
#define SEND_SIG_NOINFO ((kernel_siginfo*)0)
#define SEND_SIG_PRIV ((kernel_siginfo*)1)
int send_sig_info(int sig, kernel_siginfo* info, task_struct* p);          // to one thread
int group_send_sig_info(int sig, kernel_siginfo* info, task_struct* p);    // to p's thread group (permission checked)
int do_send_sig_info(int sig, kernel_siginfo* info, task_struct* p, bool group);  // no permission check
int kill_pid_info(int sig, kernel_siginfo* info, int pid);                 // to process pid
int kill_pgrp(int pgrp, int sig, bool priv);                               // to a process group (the terminal's signals)
// No process of current's group has a parent in another group of its session
// (Linux's is_current_pgrp_orphaned): nobody could continue it after a stop.
bool current_pgrp_orphaned();
// Faults: delivered to current even if blocked/ignored (then it is fatal), as Linux's force_sig.
int force_sig_fault(int sig, int code, void __user* addr);
void force_sig(int sig);
void force_sigsegv(int sig);

// SIGCHLD (or tsk->exit_signal) to the parent of a process that exited: Linux's
// do_notify_parent. Returns true when the parent ignores it (SIG_IGN or
// SA_NOCLDWAIT): the caller then reaps tsk itself, as Linux's auto-reap.
bool do_notify_parent(task_struct* tsk, int sig);
// CLD_STOPPED / CLD_CONTINUED to the parent (SA_NOCLDSTOP honoured).
void do_notify_parent_cldstop(task_struct* tsk, int why);

// A process (by pid, its leader's id) or, with thread, any thread by its id;
// returned with a reference (put_task_struct), or nullptr. Zombies only with `zombies`.
task_struct* signal_find_task(int pid, bool thread, bool zombies = false);

// Delivery (called on the way back to user mode): the next signal to act on.
// Default actions happen inside (ignore, stop, or exit: does not return);
// returns true with ksig filled when a handler is to run.
bool get_signal(ksignal* ksig);
int dequeue_signal(task_struct* tsk, const sigset_t* mask, kernel_siginfo* info);
// The fault signal sig would kill current (no handler, ignored or blocked):
// the case in which Linux logs it (show_unhandled_signals).
bool unhandled_signal(int sig);

// ITIMER_REAL (kernel/time/itimer.cpp): set up with the signal_struct, cancelled with it.
void init_itimer_real(signal_struct* sig);
void exit_itimers(signal_struct* sig);

// fork/clone (kernel/fork.cpp): share or copy the action table and the
// per-process state; undo with exit_signals when the task is released.
int copy_sighand(unsigned long clone_flags, task_struct* tsk);
int copy_signal(unsigned long clone_flags, task_struct* tsk);
void copy_signal_task_state(task_struct* child);  // blocked mask, empty pending, no altstack
void release_task_signals(task_struct* tsk);      // drops sighand/signal references
// exec: handlers go back to SIG_DFL, SIG_IGN and the blocked mask stay; the
// alternate stack is forgotten. Also gives a task without signal state its own.
int flush_signal_handlers(task_struct* tsk);
// The exiting thread takes no more signals (do_exit).
void exit_signals(task_struct* tsk);
