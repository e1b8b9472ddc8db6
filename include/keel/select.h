// What poll/select and epoll_pwait share (Linux keeps it in linux/poll.h and
// kernel/signal.c): the temporary signal mask of ppoll, pselect6 and
// epoll_pwait.
#pragma once
#include <keel/signal.h>

// Installs the user's mask for the duration of the call, remembering the old
// one in current->saved_sigmask (restore_sigmask set); nothing for a null mask.
// 0, -EINVAL (sigsetsize), -EFAULT.
int set_user_sigmask(const sigset_t __user* umask, size_t sigsetsize);
// Puts the old mask back, unless the call was interrupted by a signal: then
// the signal is delivered first, under the temporary mask, and its delivery
// restores the old one (the frame's uc_sigmask, or at once if no handler runs).
void restore_saved_sigmask_unless(bool interrupted);
