// The lock validator's run-time side: which locks are held right now, the
// dependencies each acquisition adds, and the reports (Linux's
// kernel/locking/lockdep.c, reduced to the checks docs/locking.md lists).
//
// Held locks are kept where they live: spinning locks on a per-CPU stack (they
// are held with preemption off, and the run-queue lock legitimately passes
// from one task to the next across a context switch on the same CPU);
// sleeping locks per task, in a small table of the tasks that hold one right
// now. Each held lock remembers its context (task, softirq, hardirq, NMI):
// dependencies are only recorded between locks taken in the same context, as
// an interrupt does not wait for the code it interrupted.
#include <asm/irqflags.h>
#include <keel/lockdep.h>
#include <keel/percpu.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <lib/string.h>
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <kernel/locking/lockdep_internals.h>

Atomic<unsigned long> lockdep_reports{0};
Atomic<bool> debug_locks{true};

namespace {

constexpr unsigned MAX_LOCK_DEPTH = 48;
constexpr unsigned MAX_SLEEPING_DEPTH = 16;
constexpr unsigned MAX_LOCKDEP_TASKS = 256;  // tasks holding a sleeping lock at once

enum : u8 { CTX_TASK, CTX_SOFTIRQ, CTX_HARDIRQ, CTX_NMI };
const char* const ctx_names[] = {"task", "softirq", "hardirq", "NMI"};

struct held_lock {
    const lockdep_map* map;
    lock_class* cls;
    unsigned long ip;
    u8 ctx;
    bool trylock;
};

template <unsigned N> struct held_stack {
    unsigned depth;
    held_lock locks[N];
};

DEFINE_PER_CPU(held_stack<MAX_LOCK_DEPTH>, cpu_held_locks);
DEFINE_PER_CPU(unsigned, lockdep_recursion);

// Sleeping locks, by task: an open-addressed table keyed by the task pointer.
// A slot, once claimed, never becomes empty again (so probe chains stay
// intact for lock-free lookups); a slot whose task holds nothing may be
// claimed by another task when its chain has no unused slot left. Only the
// owning task touches its held stack.
struct task_held {
    Atomic<const task_struct*> task{nullptr};
    held_stack<MAX_SLEEPING_DEPTH> held;
};
task_held task_table[MAX_LOCKDEP_TASKS];
arch_spinlock_t task_table_lock;  // claims

unsigned task_slot(const task_struct* task) {
    return unsigned((reinterpret_cast<unsigned long>(task) >> 6) * 0x9e3779b97f4a7c15ul >> 40) % MAX_LOCKDEP_TASKS;
}

// The task's entry; with `create`, claims one if it has none. IRQs are off.
task_held* find_task_held(const task_struct* task, bool create) {
    unsigned start = task_slot(task);
    for (unsigned i = 0; i < MAX_LOCKDEP_TASKS; i++) {
        task_held* e = &task_table[(start + i) % MAX_LOCKDEP_TASKS];
        const task_struct* owner = e->task.load(memory_order::acquire);
        if (owner == task) return e;
        if (!owner) break;
    }
    if (!create) return nullptr;
    task_table_lock.lock();
    task_held* claim = nullptr;
    for (unsigned i = 0; i < MAX_LOCKDEP_TASKS && !claim; i++) {
        task_held* e = &task_table[(start + i) % MAX_LOCKDEP_TASKS];
        if (!e->task.load(memory_order::relaxed)) claim = e;
    }
    for (unsigned i = 0; i < MAX_LOCKDEP_TASKS && !claim; i++) {
        task_held* e = &task_table[(start + i) % MAX_LOCKDEP_TASKS];
        if (!e->held.depth) claim = e;
    }
    if (claim) {
        claim->held.depth = 0;
        claim->task.store(task, memory_order::release);
    }
    task_table_lock.unlock();
    return claim;
}
arch_spinlock_t graph_lock;

u8 lock_context() {
    unsigned pc = preempt_count();
    if (pc & NMI_MASK) return CTX_NMI;
    if (pc & HARDIRQ_MASK) return CTX_HARDIRQ;
    if (pc & SOFTIRQ_OFFSET) return CTX_SOFTIRQ;
    return CTX_TASK;
}

// Stops validation for good: the tables are full or the state is no longer
// trustworthy. Locking itself goes on unchecked.
void debug_locks_off(const char* why) {
    if (debug_locks.exchange(false, memory_order::relaxed))
        printk(KERN_WARNING "lockdep: %s; turning off the locking correctness validator.\n", why);
}

struct report_name {
    char buf[64];
    explicit report_name(const lock_class* c) { lockdep_class_name(c, buf, sizeof(buf)); }
};

void print_task_header() {
    task_struct* p = current;
    if (p) printk(KERN_WARNING "%s/%d", p->comm, p->pid);
    else printk(KERN_WARNING "(boot)");
}

void print_current_trace() {
    unsigned long trace[LOCKDEP_TRACE_DEPTH];
    print_stack_trace(trace, save_stack_trace(trace, LOCKDEP_TRACE_DEPTH), 7);
}

void print_held(const char* title, const held_stack<MAX_LOCK_DEPTH>* cpu, const task_held* task) {
    printk(KERN_WARNING "\n%s\n", title);
    unsigned n = 0;
    if (task)
        for (unsigned i = 0; i < task->held.depth; i++, n++)
            printk(KERN_WARNING " #%u: (%s), at: %pS\n", n, report_name(task->held.locks[i].cls).buf,
                   reinterpret_cast<void*>(task->held.locks[i].ip));
    for (unsigned i = 0; i < cpu->depth; i++, n++)
        printk(KERN_WARNING " #%u: (%s){%s}, at: %pS\n", n, report_name(cpu->locks[i].cls).buf,
               ctx_names[cpu->locks[i].ctx], reinterpret_cast<void*>(cpu->locks[i].ip));
}

// The opening every report shares: what is being taken, over what is held.
// Counted, so tests can see a report happened without parsing the log.
void report_header(const char* what, lock_class* next, unsigned long ip, const held_lock& held) {
    lockdep_reports.fetch_add(1, memory_order::relaxed);
    char rule[80];
    size_t len = strlen(what) + 9;  // "WARNING: " + what
    if (len >= sizeof(rule)) len = sizeof(rule) - 1;
    memset(rule, '=', len);
    rule[len] = '\0';
    printk(KERN_WARNING "\n%s\n", rule);
    printk(KERN_WARNING "WARNING: %s\n", what);
    memset(rule, '-', len);
    printk(KERN_WARNING "%s\n", rule);
    print_task_header();
    printk(KERN_CONT " is trying to acquire lock:\n");
    printk(KERN_WARNING " (%s), at: %pS\n", report_name(next).buf, reinterpret_cast<void*>(ip));
    printk(KERN_WARNING "\nbut task is already holding lock:\n");
    printk(KERN_WARNING " (%s), at: %pS\n", report_name(held.cls).buf, reinterpret_cast<void*>(held.ip));
}

void report_cycle(const held_lock& prev, lock_class* next, unsigned long ip, const int* chain, unsigned chain_len,
                  const held_stack<MAX_LOCK_DEPTH>* cpu, const task_held* task) {
    report_header("possible circular locking dependency detected", next, ip, prev);
    printk(KERN_WARNING "\nwhich lock already depends on the new lock.\n");
    printk(KERN_WARNING "\nthe existing dependency chain (in reverse order) is:\n");
    // chain runs next -> ... -> prev; each edge's trace is where its target was taken.
    for (unsigned i = chain_len; i-- > 0;) {
        const lock_list* e = lockdep_edge(chain[i]);
        printk(KERN_WARNING "\n-> #%u (%s):\n", i + 1, report_name(lockdep_class(e->to)).buf);
        print_stack_trace(e->trace, e->nr_entries, 7);
    }
    printk(KERN_WARNING "\n-> #0 (%s):\n", report_name(next).buf);
    print_current_trace();
    printk(KERN_WARNING "\nother info that might help us debug this:\n");
    printk(KERN_WARNING " Possible unsafe locking scenario:\n\n");
    printk(KERN_WARNING "       CPU0                    CPU1\n");
    printk(KERN_WARNING "       ----                    ----\n");
    printk(KERN_WARNING "  lock(%s);\n", report_name(next).buf);
    printk(KERN_WARNING "                               lock(%s);\n", report_name(prev.cls).buf);
    printk(KERN_WARNING "                               lock(%s);\n", report_name(next).buf);
    printk(KERN_WARNING "  lock(%s);\n", report_name(prev.cls).buf);
    printk(KERN_WARNING "\n *** DEADLOCK ***\n");
    print_held("locks held:", cpu, task);
}

void report_recursive(const held_lock& held, lock_class* next, unsigned long ip,
                      const held_stack<MAX_LOCK_DEPTH>* cpu, const task_held* task) {
    report_header("possible recursive locking detected", next, ip, held);
    printk(KERN_WARNING "\n(two locks of one class nest: give the inner one a subclass, e.g. "
                        "lock(SINGLE_DEPTH_NESTING))\n");
    print_held("locks held:", cpu, task);
    printk(KERN_WARNING "\nstack backtrace:\n");
    print_current_trace();
}

void report_bad_unlock(const lockdep_map* map) {
    lockdep_reports.fetch_add(1, memory_order::relaxed);
    printk(KERN_WARNING "\n=====================================\n");
    printk(KERN_WARNING "WARNING: bad unlock balance detected!\n");
    printk(KERN_WARNING "-------------------------------------\n");
    print_task_header();
    if (map->name) printk(KERN_CONT " is trying to release lock (%s) but there are no more locks to release!\n", map->name);
    else printk(KERN_CONT " is trying to release lock (%s:%u) but there are no more locks to release!\n", map->file, map->line);
    print_current_trace();
}

// Adds prev -> next and reports if it closes a cycle.
void add_dependency(const held_lock& prev, lock_class* next, unsigned long ip, const held_stack<MAX_LOCK_DEPTH>* cpu,
                    const task_held* task) {
    if (lockdep_edge_exists(prev.cls, next)) return;  // the common case, without the lock
    unsigned long trace[LOCKDEP_TRACE_DEPTH];
    unsigned nr = save_stack_trace(trace, LOCKDEP_TRACE_DEPTH);
    int chain[MAX_LOCKDEP_CHAIN];
    unsigned chain_len = 0;
    graph_lock.lock();
    add_result r = lockdep_add_edge(prev.cls, next, trace, nr, chain, &chain_len);
    graph_lock.unlock();
    if (r == add_result::full) debug_locks_off("MAX_LOCKDEP_ENTRIES too low");
    if (r == add_result::cycle) report_cycle(prev, next, ip, chain, chain_len, cpu, task);
}

// Linux's rule for which held locks get an edge to the new one: walking back
// from the most recent, every lock up to and including the first one that was
// not a trylock (older ones already lead to that one).
template <unsigned N>
void add_dependencies_from(const held_stack<N>& stack, u8 ctx, lock_class* next, unsigned long ip,
                           const held_stack<MAX_LOCK_DEPTH>* cpu, const task_held* task) {
    for (unsigned i = stack.depth; i-- > 0;) {
        const held_lock& h = stack.locks[i];
        if (h.ctx != ctx) break;
        add_dependency(h, next, ip, cpu, task);
        if (!h.trylock) break;
    }
}

template <unsigned N> const held_lock* find_class_held(const held_stack<N>& stack, u8 ctx, const lock_class* c) {
    for (unsigned i = 0; i < stack.depth; i++)
        if (stack.locks[i].ctx == ctx && stack.locks[i].cls == c) return &stack.locks[i];
    return nullptr;
}

template <unsigned N> bool remove_held(held_stack<N>& stack, const lockdep_map* map) {
    for (unsigned i = stack.depth; i-- > 0;) {
        if (stack.locks[i].map != map) continue;
        for (unsigned j = i + 1; j < stack.depth; j++) stack.locks[j - 1] = stack.locks[j];
        stack.depth--;
        return true;
    }
    return false;
}

// Runs `fn` with IRQs off and the validator marked busy on this CPU, so the
// locks printk takes while reporting are not validated recursively.
template <typename Fn> void lockdep_section(Fn fn) {
    unsigned long flags = arch_local_irq_save();
    if (!this_cpu_read(lockdep_recursion)) {
        this_cpu_inc(lockdep_recursion);
        fn();
        this_cpu_dec(lockdep_recursion);
    }
    arch_local_irq_restore(flags);
}

}  // namespace

__noinline void lock_acquire(lockdep_map* map, unsigned subclass, bool trylock, lock_kind kind) {
    if (!debug_locks.load(memory_order::relaxed) || !map->has_class()) return;
    unsigned long ip = reinterpret_cast<unsigned long>(__builtin_return_address(0));
    lockdep_section([&] {
        lock_class* cls = subclass ? nullptr : map->class_cache.load(memory_order::relaxed);
        if (!cls) {
            cls = lockdep_class_lookup(map, subclass < MAX_LOCKDEP_SUBCLASSES ? subclass : 0);
            if (!cls) return debug_locks_off("MAX_LOCKDEP_KEYS too low");
            if (!subclass) map->class_cache.store(cls, memory_order::relaxed);
        }
        u8 ctx = lock_context();
        if (kind == lock_kind::sleeping && ctx != CTX_TASK) return;  // might_sleep's to report
        auto* cpu = this_cpu_ptr(&cpu_held_locks);
        task_held* task = ctx == CTX_TASK ? find_task_held(current, kind == lock_kind::sleeping) : nullptr;
        if (task && !task->held.depth && kind == lock_kind::spinning) task = nullptr;
        if (kind == lock_kind::sleeping && !task) return debug_locks_off("MAX_LOCKDEP_TASKS too low");

        if (!trylock) {
            const held_lock* same = find_class_held(*cpu, ctx, cls);
            if (!same && task) same = find_class_held(task->held, ctx, cls);
            if (same) {
                report_recursive(*same, cls, ip, cpu, task);
            } else {
                add_dependencies_from(*cpu, ctx, cls, ip, cpu, task);
                if (task) add_dependencies_from(task->held, ctx, cls, ip, cpu, task);
            }
        }
        held_lock h{map, cls, ip, ctx, trylock};
        if (kind == lock_kind::sleeping) {
            if (task->held.depth == MAX_SLEEPING_DEPTH) return debug_locks_off("MAX_SLEEPING_DEPTH too low");
            task->held.locks[task->held.depth++] = h;
        } else {
            if (cpu->depth == MAX_LOCK_DEPTH) return debug_locks_off("MAX_LOCK_DEPTH too low");
            cpu->locks[cpu->depth++] = h;
        }
    });
}

void lock_release(lockdep_map* map, lock_kind kind) {
    if (!debug_locks.load(memory_order::relaxed) || !map->has_class()) return;
    lockdep_section([&] {
        bool found;
        if (kind == lock_kind::sleeping) {
            if (lock_context() != CTX_TASK) return;
            task_held* task = find_task_held(current, false);
            found = task && remove_held(task->held, map);
        } else {
            found = remove_held(*this_cpu_ptr(&cpu_held_locks), map);
        }
        if (!found) report_bad_unlock(map);
    });
}

bool lock_is_held(const lockdep_map* map, lock_kind kind) {
    if (!debug_locks.load(memory_order::relaxed)) return true;  // cannot tell any more
    bool held = false;
    unsigned long flags = arch_local_irq_save();
    if (kind == lock_kind::sleeping) {
        if (const task_held* task = find_task_held(current, false))
            for (unsigned i = 0; i < task->held.depth; i++) held |= task->held.locks[i].map == map;
    } else {
        const auto* cpu = this_cpu_ptr(&cpu_held_locks);
        for (unsigned i = 0; i < cpu->depth; i++) held |= cpu->locks[i].map == map;
    }
    arch_local_irq_restore(flags);
    return held;
}
