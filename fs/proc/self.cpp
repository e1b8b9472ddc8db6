// /proc/self and /proc/thread-self (Linux's fs/proc/self.c, thread_self.c):
// symlinks whose target depends on who follows them: "PID" and
// "PID/task/TID" of the current process and thread.
#include "internal.h"
#include <lib/vsprintf.h>

namespace {

Result<const char*> proc_self_get_link(dentry*, inode*, char* buf) {
    snprintf(buf, PATH_MAX, "%d", current->tgid);
    return static_cast<const char*>(buf);
}

Result<const char*> proc_thread_self_get_link(dentry*, inode*, char* buf) {
    snprintf(buf, PATH_MAX, "%d/task/%d", current->tgid, current->pid);
    return static_cast<const char*>(buf);
}

const inode_operations proc_self_inode_operations = {.get_link = proc_self_get_link};
const inode_operations proc_thread_self_inode_operations = {.get_link = proc_thread_self_get_link};

}  // namespace

void proc_self_init() {
    // Plain entries for the directory listing; their inode operations compute the target.
    if (proc_dir_entry* de = proc_symlink("self", nullptr, "")) de->proc_iops = &proc_self_inode_operations;
    if (proc_dir_entry* de = proc_symlink("thread-self", nullptr, ""))
        de->proc_iops = &proc_thread_self_inode_operations;
}
