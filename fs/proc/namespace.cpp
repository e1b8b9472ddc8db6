// /proc/PID/mounts (Linux's fs/proc_namespace.c show_vfsmnt), which
// /proc/mounts links to: one line per mount in mount order,
//   "devname mountpoint type options 0 0"
// with spaces, tabs, newlines and backslashes in names written as \ooo, so
// getmntent() can split the fields. Keel has one mount namespace, so every
// process sees the same list, its mount points shown from its own root.
#include "internal.h"
#include <keel/mount.h>

namespace {

void show_mnt_opts(seq_file* m, const vfsmount* mnt) {
    struct flag {
        int bit;
        const char* name;
    };
    static const flag mnt_flags[] = {
        {MNT_NOSUID, ",nosuid"},   {MNT_NODEV, ",nodev"},           {MNT_NOEXEC, ",noexec"},
        {MNT_NOATIME, ",noatime"}, {MNT_NODIRATIME, ",nodiratime"}, {MNT_RELATIME, ",relatime"},
    };
    for (const flag& f : mnt_flags)
        if (mnt->mnt_flags & f.bit) seq_puts(m, f.name);
}

void show_vfsmnt(mount* r, void* arg) {
    auto* m = static_cast<seq_file*>(arg);
    vfsmount* mnt = &r->mnt;
    super_block* sb = mnt->mnt_sb;
    path mnt_path{mnt, mnt->mnt_root};
    seq_escape(m, r->mnt_devname ? r->mnt_devname : "none", " \t\n\\");
    seq_putc(m, ' ');
    seq_path(m, &mnt_path, " \t\n\\");
    seq_putc(m, ' ');
    seq_escape(m, sb->s_type->name, " \t\n\\");
    seq_puts(m, (mnt->mnt_flags & MNT_READONLY) || (sb->s_flags & SB_RDONLY) ? " ro" : " rw");
    if (sb->s_flags & SB_SYNCHRONOUS) seq_puts(m, ",sync");
    show_mnt_opts(m, mnt);
    if (sb->s_op && sb->s_op->show_options) {
        char* buf;
        size_t avail = seq_get_buf(m, &buf);
        seq_commit(m, avail ? size_t(sb->s_op->show_options(buf, avail, mnt->mnt_root)) : 0);
    }
    seq_puts(m, " 0 0\n");
}

}  // namespace

int proc_mounts_show(seq_file* m, task_struct*) {
    iterate_mounts(show_vfsmnt, m);
    return 0;
}
