// access, faccessat, faccessat2 (Linux keeps them in fs/open.c): may the
// caller's *real* ids read, write or execute a file? Set-id programs use it to
// ask on behalf of whoever ran them, so unless AT_EACCESS asks for the
// effective ids, the check runs with fsuid/fsgid (and root's override) taken
// from the real uid and gid.
#include <keel/namei.h>
#include <keel/syscalls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

constexpr int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;

// Makes current act as its real ids until revert_creds (Linux's
// access_override_creds). Root's override follows the real uid: Keel's
// capable_of looks at euid, so euid takes the real uid too.
const cred* access_override_creds() {
    cred* c = prepare_creds();
    if (!c) return nullptr;
    c->fsuid = c->euid = c->uid;
    c->fsgid = c->gid;
    const cred* old = current->cred;
    current->cred = c;
    return old ? old : &init_cred;
}

void revert_creds(const cred* old) {
    const cred* mine = current->cred;
    current->cred = old == &init_cred ? nullptr : old;
    put_cred(mine);
}

bool special_file(umode_t mode) { return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode); }

int check_access(int dfd, const char __user* filename, int mode, unsigned lookup) {
    path p;
    if (int err = user_path_at(dfd, filename, lookup, &p)) return err;
    inode* i = d_inode(p.dentry);
    int err = 0;
    // A noexec mount runs nothing, whatever the mode bits say.
    if ((mode & X_OK) && S_ISREG(i->i_mode) && (p.mnt->mnt_flags & MNT_NOEXEC)) err = -EACCES;
    if (!err) err = inode_permission(i, mode | MAY_ACCESS);
    // POSIX wants W_OK on a read-only file system reported, except for
    // devices and FIFOs, whose writes do not touch the file system.
    if (!err && (mode & W_OK) && !special_file(i->i_mode) && __mnt_is_readonly(p.mnt)) err = -EROFS;
    path_put(&p);
    return err;
}

}  // namespace

long sys_faccessat2(int dfd, const char __user* filename, int mode, int flags) {
    if (mode & ~(R_OK | W_OK | X_OK)) return -EINVAL;
    if (flags & ~int(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    unsigned lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0u : unsigned(LOOKUP_FOLLOW);
    if (flags & AT_EMPTY_PATH) lookup |= LOOKUP_EMPTY;
    if (flags & AT_EACCESS) return check_access(dfd, filename, mode, lookup);
    const cred* old = access_override_creds();
    if (!old) return -ENOMEM;
    int err = check_access(dfd, filename, mode, lookup);
    revert_creds(old);
    return err;
}

long sys_faccessat(int dfd, const char __user* filename, int mode) { return sys_faccessat2(dfd, filename, mode, 0); }

long sys_access(const char __user* filename, int mode) { return sys_faccessat2(AT_FDCWD, filename, mode, 0); }
