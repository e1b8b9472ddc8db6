// Futexes (Linux's kernel/futex/): user-space words the kernel sleeps on.
#pragma once

// Wakes one waiter on a thread id word cleared by an exiting thread
// (CLONE_CHILD_CLEARTID), as Linux's mm_release does for pthread_join.
void futex_wake_tid(int* uaddr);
struct task_struct;
// exec or exit: every futex on tsk's robust list that tsk still owns is
// marked FUTEX_OWNER_DIED and one waiter woken (Linux's exit_robust_list).
void futex_exit_release(task_struct* tsk);
