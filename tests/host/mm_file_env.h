// Files for the VMA host tests (mm_file_env.cpp): keel/fs.h cannot share a
// translation unit with the C library's headers (loff_t, dev_t, SEEK_*), so
// the tests reach these files through this small interface.
#pragma once

struct file;

enum : unsigned { FAKE_FMODE_READ = 0x1, FAKE_FMODE_WRITE = 0x2 };  // FMODE_READ, FMODE_WRITE
// A file opened with fmode whose f_op->mmap (unless with_mmap is false) installs
// vm_ops that count their open and close calls; s_maxbytes is 2^40.
file* fake_file_create(unsigned fmode, bool with_mmap = true);
void fake_file_destroy(file* f);
void fake_file_noexec(file* f);  // its super block as a noexec mount's
long fake_file_refs(file* f);  // f_count
extern int fake_vm_opens, fake_vm_closes;
extern int fake_fsyncs;  // vfs_fsync calls
