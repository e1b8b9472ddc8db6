// tmpfs (fs/tmpfs/inode.cpp) as the rest of the kernel uses it.
#pragma once
#include <keel/fs.h>

// Registers rootfs, tmpfs and ramfs, and mounts the internal tmpfs instance
// (vfs_caches_init, before the root is mounted).
void init_rootfs();
// A tmpfs file with no name, of `size` bytes (memfd_create, shared anonymous
// memory): it lives until its last reference goes. flags: reserved (Linux's VM_NORESERVE).
Result<file*> shmem_file_setup(const char* name, loff_t size, unsigned long flags);
// stat of a file whose data is its page cache (tmpfs, memfd): st_blocks
// counts the pages it holds, including those faults of shared mappings
// added without a write (Linux's shmem_getattr).
int shmem_getattr(const path* p, kstat* stat, u32 request_mask, unsigned flags);
