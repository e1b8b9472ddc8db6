// The futex internals shared by kernel/futex/*.cpp.
#pragma once
#include <keel/atomic.h>
#include <keel/mutex.h>
#include <keel/sched.h>
#include <lib/list.h>
#include <uapi/linux/futex.h>

struct mm_struct;

struct futex_key {
    mm_struct* mm;
    unsigned long address;
    bool operator==(const futex_key&) const = default;
};

struct futex_hash_bucket {
    mutex lock{"futex_hash_bucket"};
    list_head chain;  // of futex_q
};

// A sleeping waiter, on its own stack.
struct futex_q {
    list_head list;
    task_struct* task;
    futex_key key;
    unsigned bitset;
    Atomic<futex_hash_bucket*> hb{nullptr};  // changes when requeued, under both buckets' locks
    Atomic<bool> woken{false};
};

futex_hash_bucket* futex_hash(const futex_key& key);
void futex_wake_q(futex_q* q);
int futex_wake(const futex_key& key, int nr_wake, unsigned bitset);
