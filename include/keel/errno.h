// Kernel-internal errnos (Linux's include/linux/errno.h): a syscall returns
// one of these to ask the signal code to restart it; user space never sees
// them (they become EINTR, or the call is re-issued).
#pragma once
#include <uapi/asm/errno.h>

#define ERESTARTSYS 512            // restart if the handler has SA_RESTART (or no handler ran)
#define ERESTARTNOINTR 513         // always restart
#define ERESTARTNOHAND 514         // restart only if no handler ran
#define ERESTART_RESTARTBLOCK 516  // restart through restart_syscall (current->restart_block) if no handler ran
