// Anonymous inodes (Linux's include/linux/anon_inodes.h): files that are not
// in any directory and need no inode of their own (eventfd, epoll, ...) share
// one inode on the kernel-internal anon_inodefs; their name, shown by
// /proc/PID/fd, is "anon_inode:[eventfd]".
#pragma once
#include <keel/fs.h>

constexpr unsigned long ANON_INODE_FS_MAGIC = 0x09041934;

// A new file on the shared anonymous inode. flags: the O_ACCMODE and
// O_NONBLOCK bits are kept in f_flags (O_CLOEXEC belongs to the fd).
Result<file*> anon_inode_getfile(const char* name, const file_operations* fops, void* priv, int flags);
// anon_inode_getfile and a new fd (O_CLOEXEC in flags sets close-on-exec).
long anon_inode_getfd(const char* name, const file_operations* fops, void* priv, int flags);

// The super block of a pseudo file system (anon_inodefs, pipefs): magic, the
// dentry operations of its files (their d_dname), and a root directory that
// nothing can reach (Linux's init_pseudo, which Linux keeps in libfs).
int pseudo_fill_super(super_block* sb, unsigned long magic, const dentry_operations* dops);
