// The lock validator (Linux's lockdep): every lock belongs to a class, and the
// validator records, for each class, which classes were held when it was
// taken. Taking B while holding A adds the dependency A -> B; a new dependency
// that closes a cycle is a possible deadlock and is reported with the call
// chains of every dependency in the cycle, the first time it is seen, before
// the lock is actually taken (docs/locking.md).
//
// A lock's class is named where the lock is declared:
//     spinlock_t logbuf_lock{"logbuf_lock"};          // the name is the class
//     struct zone { spinlock_t lock{"zone->lock"}; }; // every zone's lock: one class
// A lock declared without a name belongs to the class of its declaration site
// (file:line of the variable, or of the structure holding it), which is what
// Linux's per-spin_lock_init-site keys give.
#pragma once
#include <keel/atomic.h>
#include <keel/types.h>

// On in the default build (there is no separate debug build yet); off, every
// hook below compiles to nothing.
constexpr bool CONFIG_LOCKDEP = true;

// Nesting two locks of one class needs a subclass for the inner one (Linux's
// spin_lock_nested), e.g. two run queues locked in CPU order.
constexpr unsigned SINGLE_DEPTH_NESTING = 1;
constexpr unsigned MAX_LOCKDEP_SUBCLASSES = 8;

struct lock_class;

struct lockdep_map {
    const char* name;  // class name, or nullptr: the class is file:line
    const char* file;
    unsigned line;
    Atomic<lock_class*> class_cache{nullptr};  // subclass 0, found on first use

    constexpr lockdep_map(const char* n, const char* f, unsigned l) : name(n), file(f), line(l) {}
    // A map in memory that no constructor ran on (zeroed) has no class and is not
    // validated.
    bool has_class() const { return name || file; }
};

// Where a held lock is recorded: spinning locks are held with preemption off,
// so they belong to the CPU; sleeping locks (mutex, rw_semaphore) belong to the
// task and stay with it across a sleep.
enum class lock_kind : u8 { spinning, sleeping };

// The hooks every lock type calls: acquire before trying to take the lock (so
// an inversion is reported before it can deadlock), release when dropping it.
void lock_acquire(lockdep_map* map, unsigned subclass, bool trylock, lock_kind kind);
void lock_release(lockdep_map* map, lock_kind kind);
// True if this CPU (spinning) or the current task (sleeping) holds the lock.
bool lock_is_held(const lockdep_map* map, lock_kind kind);

// Reports found so far (inversions, recursive locking, bad unlocks), so tests
// can see a report happen without the machine stopping.
extern Atomic<unsigned long> lockdep_reports;
// Validation stops (with a message) when a fixed table fills up.
extern Atomic<bool> debug_locks;

// ---- sleeping in atomic context ------------------------------------------------
// Functions that may sleep call might_sleep() first: sleeping with preemption
// or interrupts off is reported ("BUG: sleeping function called from invalid
// context") with a backtrace, even when this particular call did not sleep.
void __might_sleep(const char* file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)
extern Atomic<unsigned long> might_sleep_reports;

// The validator's own stack traces (kernel/locking/stacktrace.cpp): return
// addresses of the caller's callers, innermost first.
unsigned save_stack_trace(unsigned long* entries, unsigned max_entries);
void print_stack_trace(const unsigned long* entries, unsigned nr_entries, int spaces);
