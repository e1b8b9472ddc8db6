// Futexes (Linux's kernel/futex/): user-space words the kernel sleeps on.
#pragma once

// Wakes one waiter on a thread id word cleared by an exiting thread
// (CLONE_CHILD_CLEARTID), as Linux's mm_release does for pthread_join.
void futex_wake_tid(int* uaddr);
