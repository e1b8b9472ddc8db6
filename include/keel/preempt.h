// preempt_count: one per-CPU word saying in what context this CPU runs, so the
// kernel knows when it may switch tasks. Bits (Linux's layout):
//   0-7   preemption disable depth        PREEMPT_OFFSET  0x000001
//   8-15  softirq: bit 8 = serving one,   SOFTIRQ_OFFSET  0x000100
//         +2 per local_bh_disable         SOFTIRQ_DISABLE_OFFSET 0x000200
//   16-19 hardirq nesting                 HARDIRQ_OFFSET  0x010000
//   20-23 NMI nesting                     NMI_OFFSET      0x100000
// The kernel may preempt only when the whole word is 0 and IRQs are on.
#pragma once
#include <keel/percpu.h>

constexpr unsigned PREEMPT_OFFSET = 1u << 0;
constexpr unsigned SOFTIRQ_OFFSET = 1u << 8;
constexpr unsigned SOFTIRQ_DISABLE_OFFSET = 2 * SOFTIRQ_OFFSET;
constexpr unsigned HARDIRQ_OFFSET = 1u << 16;
constexpr unsigned NMI_OFFSET = 1u << 20;
constexpr unsigned PREEMPT_MASK = 0x000000ff;
constexpr unsigned SOFTIRQ_MASK = 0x0000ff00;
constexpr unsigned HARDIRQ_MASK = 0x000f0000;
constexpr unsigned NMI_MASK = 0x00f00000;

DECLARE_PER_CPU(unsigned, __preempt_count);

static inline unsigned preempt_count() { return this_cpu_read(__preempt_count); }
static inline void preempt_count_add(unsigned v) { this_cpu_add(__preempt_count, v); }
static inline void preempt_count_sub(unsigned v) { this_cpu_add(__preempt_count, -v); }

static inline bool in_nmi() { return preempt_count() & NMI_MASK; }
static inline bool in_hardirq() { return preempt_count() & HARDIRQ_MASK; }
static inline bool in_serving_softirq() { return preempt_count() & SOFTIRQ_OFFSET; }
static inline bool in_softirq() { return preempt_count() & SOFTIRQ_MASK; }
static inline bool in_interrupt() { return preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK); }
static inline bool in_task() { return !in_interrupt(); }
// Sleeping is forbidden: preemption off, in interrupt context.
static inline bool in_atomic() { return preempt_count() != 0; }

void preempt_schedule();  // kernel/sched/core.cpp

static inline void preempt_disable() {
    preempt_count_add(1);
    barrier();
}
static inline void preempt_enable_no_resched() {
    barrier();
    preempt_count_sub(1);
}
// Dropping the last level of preempt_disable is a preemption point.
void preempt_enable();
