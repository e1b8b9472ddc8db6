// sync, syncfs, fsync, fdatasync, sync_file_range (Linux's fs/sync.c).
// Every file system Keel has keeps its data in memory (tmpfs, ramfs, procfs),
// so there is no write-back to start or wait for: the calls check their
// arguments as Linux does and ask the file's fsync, which is all there is.
#include <keel/file.h>
#include <keel/syscalls.h>
#include <uapi/asm/stat.h>

namespace {

constexpr unsigned SYNC_FILE_RANGE_WAIT_BEFORE = 1, SYNC_FILE_RANGE_WRITE = 2, SYNC_FILE_RANGE_WAIT_AFTER = 4;
constexpr loff_t LLONG_MAX = 0x7fffffffffffffffLL;

// A file without fsync (a pipe, a socket) cannot be synced: EINVAL.
int vfs_fsync_range(file* f, loff_t start, loff_t end, int datasync) {
    if (!f->f_op->fsync) return -EINVAL;
    return f->f_op->fsync(f, start, end, datasync);
}

long do_fsync(unsigned fd, int datasync) {
    fd_ref_nopath f(fd);
    if (!f) return -EBADF;
    return vfs_fsync(f.f, datasync);
}

}  // namespace

int vfs_fsync(file* f, int datasync) { return vfs_fsync_range(f, 0, LLONG_MAX, datasync); }

// Nothing is dirty anywhere: no super block has a backing device.
long sys_sync() { return 0; }

long sys_syncfs(int fd) {
    fd_ref_nopath f{unsigned(fd)};
    return f ? 0 : -EBADF;
}

long sys_fsync(unsigned fd) { return do_fsync(fd, 0); }

long sys_fdatasync(unsigned fd) { return do_fsync(fd, 1); }

long sys_sync_file_range(int fd, long offset, long nbytes, unsigned flags) {
    fd_ref_nopath f{unsigned(fd)};
    if (!f) return -EBADF;
    if (flags & ~(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)) return -EINVAL;
    loff_t end = loff_t(u64(offset) + u64(nbytes));
    if (offset < 0 || end < 0 || end < offset) return -EINVAL;
    umode_t mode = file_inode(f.f)->i_mode;
    if (!S_ISREG(mode) && !S_ISBLK(mode) && !S_ISDIR(mode) && !S_ISLNK(mode)) return -ESPIPE;
    return 0;  // the range is in memory already: nothing to write or wait for
}
