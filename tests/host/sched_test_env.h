// A simulated machine for the scheduling-class host tests (sched_test_env.cpp):
// up to SIM_CPUS run queues with idle tasks, a clock that only moves when a test
// moves it, and the core's side of scheduling (fork, wake-up, block, __schedule,
// the tick) done the way kernel/sched/core.cpp does it, so the real classes
// (fair.cpp, rt.cpp, idle.cpp, fair_balance.cpp) run unmodified.
#pragma once
#include <sched.h>
// glibc's <sched.h> (which gtest pulls in) defines the policies as macros with
// the same values; the kernel declares them as enumerators.
#undef SCHED_FIFO
#undef SCHED_RR
#undef SCHED_BATCH
#undef SCHED_IDLE
#include <kernel/sched/sched.h>

namespace sim {

constexpr int SIM_CPUS = 4;
constexpr u64 MSEC = 1000000;
constexpr u64 TICK = 4 * MSEC;  // HZ = 250

extern u64 now;  // ns; every rq clock follows it

// Fresh run queues for CPUs 0..ncpus-1 (all online), default tunables, no tasks.
void reset(unsigned ncpus = 1);
// Forks a task on `cpu` (sched_fork + wake_up_new_task): CFS with `nice`, or
// SCHED_FIFO/SCHED_RR with rt_priority 1..99. Pinned to `cpu` unless any_cpu.
task_struct* new_task(const char* comm, int cpu = 0, int nice = 0, unsigned policy = SCHED_NORMAL,
                      int rt_priority = 0, bool any_cpu = false);
// try_to_wake_up: select_task_rq, then enqueue with ENQUEUE_WAKEUP and check preemption.
void wake(task_struct* p);
// The running task p blocks (TASK_INTERRUPTIBLE) and its CPU schedules.
void block(task_struct* p);
// sched_yield() by the task running on cpu.
void yield(int cpu);
// __schedule on cpu.
void schedule(int cpu);
// Advances the clock by one tick and runs scheduler_tick (+ the resched it asks
// for) on every online CPU; run() does that for `ns`.
void tick();
void run(u64 ns);
// Reschedules cpu if a tick or wake-up asked for it (an interrupt return).
void preempt_point(int cpu);

rq* rq_of_cpu(int cpu);
inline task_struct* curr(int cpu = 0) { return rq_of_cpu(cpu)->curr; }
inline u64 runtime(const task_struct* p) { return p->se.sum_exec_runtime; }

}  // namespace sim
