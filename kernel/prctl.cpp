// prctl(2) (Linux's kernel/sys.c): the thread-name options, which busybox and
// thread libraries use to name what /proc/PID/comm, stat and status show.
// Other options are EINVAL (docs/procfs.md lists them as not implemented).
#include <asm/uaccess.h>
#include <keel/sched.h>
#include <keel/syscalls.h>
#include <lib/string.h>
#include <uapi/linux/prctl.h>

long sys_prctl(int option, unsigned long arg2, unsigned long, unsigned long, unsigned long) {
    task_struct* me = current;
    char comm[sizeof(me->comm)] = {};
    switch (option) {
    case PR_SET_NAME:
        if (strncpy_from_user(comm, reinterpret_cast<const char __user*>(arg2), sizeof(comm) - 1) < 0)
            return -EFAULT;
        {
            Guard<IrqSave> guard(me->pi_lock);
            memcpy(me->comm, comm, sizeof(comm));
        }
        return 0;
    case PR_GET_NAME:
        {
            Guard<IrqSave> guard(me->pi_lock);
            memcpy(comm, me->comm, sizeof(comm));
        }
        return copy_to_user(reinterpret_cast<char __user*>(arg2), comm, sizeof(comm)) ? -EFAULT : 0;
    default:
        return -EINVAL;
    }
}
