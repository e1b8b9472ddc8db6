// The futex internals shared by kernel/futex/*.cpp.
#pragma once
#include <asm/uaccess.h>
#include <keel/atomic.h>
#include <keel/mutex.h>
#include <keel/sched.h>
#include <lib/list.h>
#include <uapi/linux/futex.h>

// What a futex word is, independent of who names it: (mm, user address) for
// a private word, (shared memory object, byte offset in it) for a word in a
// MAP_SHARED mapping, so that processes mapping it at different addresses meet.
struct futex_key {
    const void* object;
    unsigned long offset;
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

// The key of current's word at uaddr (shared: look for a MAP_SHARED mapping);
// false for a misaligned word (EINVAL).
bool get_futex_key(u32 __user* uaddr, bool shared, futex_key* key);
futex_hash_bucket* futex_hash(const futex_key& key);
void futex_wake_q(futex_q* q);
int futex_wake(const futex_key& key, int nr_wake, unsigned bitset);
