// Read-copy update (Linux's include/linux/rcupdate.h). Readers of a shared
// pointer take no lock: they bracket their use with rcu_read_lock/unlock and
// load the pointer with rcu_dereference. An updater publishes a new version
// with rcu_assign_pointer and frees the old one only after a grace period —
// once every CPU has passed a quiescent state, so no reader that could have
// seen the old version is still running (call_rcu, synchronize_rcu).
//
// Keel's RCU is the classic non-preemptible kind (Linux's RCU-sched): a reader
// runs with preemption disabled, so a context switch, user mode, the idle loop,
// or any moment with preempt_count 0 is a quiescent state for its CPU. Readers
// must not sleep. (docs/locking.md)
#pragma once
#include <keel/preempt.h>
#include <type_traits>

struct rcu_head {
    rcu_head* next;
    void (*func)(rcu_head* head);
};
using rcu_callback_t = void (*)(rcu_head* head);

static inline void rcu_read_lock() { preempt_disable(); }
static inline void rcu_read_unlock() { preempt_enable(); }

// Loads an RCU-protected pointer inside a read-side section. Consume order:
// the reads through the pointer see what the publisher wrote before
// publishing (an address dependency; an acquire load on x86).
template <typename T> static inline T* rcu_dereference(T* const& p) { return __atomic_load_n(&p, __ATOMIC_CONSUME); }
// The updater's view, under the lock that serialises updaters.
template <typename T> static inline T* rcu_dereference_protected(T* const& p) {
    return __atomic_load_n(&p, __ATOMIC_RELAXED);
}
// Publishes v: the initialisation of *v is visible before the pointer is.
template <typename T> static inline void rcu_assign_pointer(T*& p, std::type_identity_t<T*> v) {
    __atomic_store_n(&p, v, __ATOMIC_RELEASE);
}
// Stores without ordering: for nullptr, or before any reader can see p.
template <typename T> static inline void RCU_INIT_POINTER(T*& p, std::type_identity_t<T*> v) {
    __atomic_store_n(&p, v, __ATOMIC_RELAXED);
}

// Runs func(head) from the RCU softirq after a grace period. Any context.
void call_rcu(rcu_head* head, rcu_callback_t func);
// Waits for a grace period: every reader running at the call has finished.
void synchronize_rcu();
// Waits until every callback queued by call_rcu before the call has run.
void rcu_barrier();

// Grace periods completed so far (for tests and statistics).
unsigned long rcu_gp_completed();

// ---- hooks the rest of the kernel calls --------------------------------------------
void rcu_init();                 // start_kernel, after softirq_init
void rcu_scheduler_starting();   // rest_init: more than one task exists from here on
void rcu_note_context_switch();  // __schedule, IRQs off: this CPU passed a quiescent state
void rcu_sched_clock_irq(int user);  // the tick, inside irq_enter/irq_exit
// False until the scheduler runs: one task, so every wait is trivially over.
extern int rcu_scheduler_active;
