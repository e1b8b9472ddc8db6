// Completions (Linux's include/linux/completion.h): "this has happened", as a
// count of events on a wait queue. complete() adds one event and wakes one
// waiter, complete_all() satisfies every present and future waiter;
// wait_for_completion() sleeps until an event is available and consumes it.
// Unlike a semaphore, it is meant for "wait until X is done", so the waiter
// and the completer need no shared lock of their own.
#pragma once
#include <keel/wait.h>

struct completion {
    unsigned done = 0;  // available events; UINT_MAX after complete_all
    wait_queue_head wait;
};

void init_completion(completion* x);
// Makes a completed completion reusable.
static inline void reinit_completion(completion* x) { x->done = 0; }

void complete(completion* x);
void complete_all(completion* x);
void wait_for_completion(completion* x);
// Jiffies left (at least 1) when the event came, 0 on timeout.
unsigned long wait_for_completion_timeout(completion* x, unsigned long timeout);
// Consumes an event if one is there; never sleeps.
bool try_wait_for_completion(completion* x);
// True if an event is available (no waiter would sleep).
bool completion_done(completion* x);
