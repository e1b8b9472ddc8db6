// Changing an inode's attributes (Linux's fs/attr.c): who may change what
// (setattr_prepare), the generic copy into the inode (setattr_copy), and the
// one entry point every chmod/chown/utimes/truncate goes through
// (notify_change), called with the inode's i_rwsem held.
#include <keel/dcache.h>
#include <keel/panic.h>
#include <keel/resource.h>
#include <keel/signal.h>
#include <uapi/asm/stat.h>

namespace {

// The owner may "chown" to itself (a no-op that still clears set-id bits); only root gives a file away.
bool chown_ok(const inode* i, kuid_t uid) {
    const cred* c = current_cred();
    return (c->fsuid == i->i_uid && uid == i->i_uid) || capable_of(c);
}

// The owner may move the file into any group it belongs to.
bool chgrp_ok(const inode* i, kgid_t gid) {
    const cred* c = current_cred();
    return (c->fsuid == i->i_uid && (in_group_p(gid) || gid == i->i_gid)) || capable_of(c);
}

// A size the file system and RLIMIT_FSIZE allow; growing past the rlimit also
// sends SIGXFSZ, as a write would.
int inode_newsize_ok(const inode* i, loff_t size) {
    if (size <= i->i_size) return 0;
    unsigned long limit = task_rlimit(current, RLIMIT_FSIZE);
    if (limit != RLIM_INFINITY && (unsigned long)size > limit) {
        send_sig_info(SIGXFSZ, SEND_SIG_NOINFO, current);
        return -EFBIG;
    }
    if (size > i->i_sb->s_maxbytes) return -EFBIG;
    return 0;
}

timespec64 timestamp_truncate(timespec64 t, const inode* i) {
    u64 gran = i->i_sb->s_time_gran;
    if (gran > 1) t.tv_nsec -= t.tv_nsec % long(gran);
    return t;
}

}  // namespace

int setattr_prepare(dentry* d, iattr* attr) {
    inode* i = d_inode(d);
    unsigned valid = attr->ia_valid;
    // Size limits hold even for ATTR_FORCE.
    if (valid & ATTR_SIZE) {
        if (int err = inode_newsize_ok(i, attr->ia_size)) return err;
    }
    if (valid & ATTR_FORCE) return 0;
    if ((valid & ATTR_UID) && !chown_ok(i, attr->ia_uid)) return -EPERM;
    if ((valid & ATTR_GID) && !chgrp_ok(i, attr->ia_gid)) return -EPERM;
    if (valid & ATTR_MODE) {
        if (!inode_owner_or_capable(i)) return -EPERM;
        // Setting S_ISGID needs membership of the group the file will have.
        if (!in_group_p((valid & ATTR_GID) ? attr->ia_gid : i->i_gid) && !capable_of(current_cred()))
            attr->ia_mode &= ~S_ISGID;
    }
    if ((valid & (ATTR_MTIME_SET | ATTR_ATIME_SET | ATTR_TIMES_SET)) && !inode_owner_or_capable(i)) return -EPERM;
    return 0;
}

void setattr_copy(inode* i, const iattr* attr) {
    unsigned valid = attr->ia_valid;
    if (valid & ATTR_UID) i->i_uid = attr->ia_uid;
    if (valid & ATTR_GID) i->i_gid = attr->ia_gid;
    if (valid & ATTR_ATIME) i->i_atime = attr->ia_atime;
    if (valid & ATTR_MTIME) i->i_mtime = attr->ia_mtime;
    if (valid & ATTR_CTIME) i->i_ctime = attr->ia_ctime;
    if (valid & ATTR_MODE) {
        umode_t mode = attr->ia_mode;
        if (!in_group_p(i->i_gid) && !capable_of(current_cred())) mode &= ~S_ISGID;
        i->i_mode = mode;
    }
}

int notify_change(dentry* d, iattr* attr) {
    inode* i = d_inode(d);
    umode_t mode = i->i_mode;

    // utimes(NULL) and UTIME_NOW for both: writing the file is enough.
    if ((attr->ia_valid & ATTR_TOUCH) && !inode_owner_or_capable(i)) {
        if (int err = inode_permission(i, MAY_WRITE)) return err;
    }

    timespec64 now = current_time(i);
    attr->ia_ctime = now;
    attr->ia_atime = (attr->ia_valid & ATTR_ATIME_SET) ? timestamp_truncate(attr->ia_atime, i) : now;
    attr->ia_mtime = (attr->ia_valid & ATTR_MTIME_SET) ? timestamp_truncate(attr->ia_mtime, i) : now;

    // chown and writes ask for the set-id bits to go: they become a mode
    // change here, so the file system's setattr sees one request. A set-group-id
    // bit without group execute is a locking mark and stays.
    WARN_ON((attr->ia_valid & (ATTR_KILL_SUID | ATTR_KILL_SGID)) && (attr->ia_valid & ATTR_MODE));
    if ((attr->ia_valid & ATTR_KILL_SUID) && (mode & S_ISUID)) {
        attr->ia_valid |= ATTR_MODE;
        attr->ia_mode = umode_t(mode & ~S_ISUID);
    }
    if ((attr->ia_valid & ATTR_KILL_SGID) && (mode & (S_ISGID | 0010)) == (S_ISGID | 0010)) {
        if (!(attr->ia_valid & ATTR_MODE)) {
            attr->ia_valid |= ATTR_MODE;
            attr->ia_mode = mode;
        }
        attr->ia_mode &= umode_t(~S_ISGID);
    }
    if (!(attr->ia_valid & ~(ATTR_KILL_SUID | ATTR_KILL_SGID))) return 0;

    return i->i_op && i->i_op->setattr ? i->i_op->setattr(d, attr) : simple_setattr(d, attr);
}
