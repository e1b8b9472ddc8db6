// The validator's dependency graph (kernel/locking/lockdep_graph.cpp): lock
// classes, and the edges "class A was held when class B was taken", each with
// the stack trace of the acquisition that first showed it. Fixed-size tables,
// never freed: lockdep must work before (and inside) the allocators. Lookups
// are lock-free; additions are serialised by the caller (lockdep.cpp's
// graph lock).
#pragma once
#include <keel/lockdep.h>

constexpr unsigned MAX_LOCKDEP_KEYS = 1024;     // classes (id 0 is unused)
constexpr unsigned MAX_LOCKDEP_ENTRIES = 4096;  // dependencies
constexpr unsigned LOCKDEP_TRACE_DEPTH = 12;
constexpr unsigned MAX_LOCKDEP_CHAIN = 16;      // longest cycle reported in full

struct lock_class {
    const char* name;  // nullptr: unnamed, shown as file:line
    const char* file;
    unsigned line;
    unsigned subclass;
    u16 id;
    Atomic<int> first_after{-1};  // first edge leaving this class (index), -1: none
};

// A dependency from -> to.
struct lock_list {
    u16 from, to;
    int next_after;  // next edge leaving `from`
    unsigned nr_entries;
    unsigned long trace[LOCKDEP_TRACE_DEPTH];  // where `to` was taken while `from` was held
};

// The class of (map, subclass), registered on first sight; nullptr when the
// table is full.
lock_class* lockdep_class_lookup(const lockdep_map* map, unsigned subclass);
lock_class* lockdep_class(u16 id);
const lock_list* lockdep_edge(int index);
bool lockdep_edge_exists(const lock_class* from, const lock_class* to);

enum class add_result { exists, added, cycle, full };
// Adds from -> to (with the trace that showed it). If `to` already reaches
// `from`, the new edge closes a cycle: it is still added (so the same
// inversion is reported once) and `chain` receives the edges of the existing
// path to -> ... -> from, in order, `*chain_len` of them (at most
// MAX_LOCKDEP_CHAIN). Caller holds the graph lock.
add_result lockdep_add_edge(lock_class* from, lock_class* to, const unsigned long* trace, unsigned nr_entries,
                            int* chain, unsigned* chain_len);
// Formats a class name ("zone->lock", "mm/vmalloc.cpp:15", "rq->lock/1").
void lockdep_class_name(const lock_class* c, char* buf, size_t size);
