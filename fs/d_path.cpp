// Turning a (mount, dentry) pair back into a path name (Linux's fs/d_path.c):
// getcwd, /proc/PID/{cwd,exe,fd/*}, /proc/mounts. The name is built from the
// end of the buffer towards its start, climbing dentry parents and, at a
// mount's root, jumping to where that mount sits in its parent.
#include <keel/fs_struct.h>
#include <keel/mount.h>
#include <keel/sched.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <stdarg.h>

namespace {

bool prepend(char** end, char* start, const char* s, size_t len) {
    if (size_t(*end - start) < len) return false;
    *end -= len;
    memcpy(*end, s, len);
    return true;
}

Result<char*> path_from(const path* p, const path* root, char* buf, int buflen) {
    if (buflen <= 0) return Error{ENAMETOOLONG};
    dentry* d = p->dentry;
    if (d->d_op && d->d_op->d_dname) return d->d_op->d_dname(d, buf, buflen);
    char* end = buf + buflen;
    *--end = '\0';
    Guard<NoIrqSave> mounts(mount_lock);
    Guard<NoIrqSave> names(dcache_lock);
    if (d_unhashed(d) && !IS_ROOT(d) && !prepend(&end, buf, " (deleted)", 10)) return Error{ENAMETOOLONG};
    mount* m = real_mount(p->mnt);
    bool named = false;
    for (;;) {
        if (d == root->dentry && &m->mnt == root->mnt) break;
        if (d == m->mnt.mnt_root || IS_ROOT(d)) {
            if (m->mnt_parent == m) break;  // the namespace root: the path is absolute
            d = m->mnt_mountpoint;
            m = m->mnt_parent;
            continue;
        }
        if (!prepend(&end, buf, d->d_name.name, d->d_name.len) || !prepend(&end, buf, "/", 1))
            return Error{ENAMETOOLONG};
        named = true;
        d = d->d_parent;
    }
    if (!named && !prepend(&end, buf, "/", 1)) return Error{ENAMETOOLONG};
    return end;
}

}  // namespace

Result<char*> d_path(const path* p, char* buf, int buflen) {
    path root;
    get_fs_root(current->fs, &root);
    Result<char*> r = path_from(p, &root, buf, buflen);
    path_put(&root);
    return r;
}

Result<char*> d_absolute_path(const path* p, char* buf, int buflen) {
    path root;
    get_fs_root_of_namespace(&root);
    Result<char*> r = path_from(p, &root, buf, buflen);
    path_put(&root);
    return r;
}

char* dynamic_dname(char* buf, int buflen, const char* fmt, ...) {
    char tmp[64];
    va_list args;
    va_start(args, fmt);
    int len = vscnprintf(tmp, sizeof(tmp), fmt, args);
    va_end(args);
    if (len + 1 > buflen) return buf;  // too small: an empty name at the start
    char* start = buf + buflen - len - 1;
    memcpy(start, tmp, size_t(len) + 1);
    return start;
}
