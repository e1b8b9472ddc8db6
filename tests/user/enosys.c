// Unknown system call numbers return ENOSYS and leave the process running:
// far out of range (1000, 1<<20), the unassigned gap before pidfd_send_signal
// (335..423 on x86_64), and -1 (which seccomp and ptrace use to mean "skip").
#define _GNU_SOURCE
#include "t.h"
#include <sys/syscall.h>

int main(void) {
    T_RET(syscall(1000));
    T_RET(syscall(1 << 20));
    T_RET(syscall(335));
    T_RET(syscall(400));
    T_RET(syscall(423));
    T_RET(syscall(-1));
    T_RET(syscall(1000, 1, 2, 3, 4, 5, 6));
    // A known call afterwards still works.
    T_YES(syscall(SYS_getpid) == getpid());
    printf("still alive\n");
    t_exit(0);
}
