// The initramfs as the boot loader handed it over: a newc cpio archive (or
// several concatenated), plain or gzip-compressed. Until the VFS exists
// (issue 5) Keel checks the archive and looks names up in place.
#pragma once
#include <stddef.h>

struct initramfs_info {
    const unsigned char* data = nullptr;
    size_t size = 0;
    bool valid = false;       // a complete, well-formed uncompressed archive
    bool compressed = false;  // gzip: cannot be looked into before inflate exists
    unsigned entries = 0;     // files, directories, links (not counting trailers)
    const char* error = nullptr;
    size_t error_offset = 0;
};

// Walks every header of the archive(s) in [data, data+size).
initramfs_info initramfs_check(const void* data, size_t size);
// Whether the checked archive holds `path` ("/init" matches "init" and "./init").
bool initramfs_has(const initramfs_info& info, const char* path);
// The kernel side: checks the initrd the boot loader gave and reports on it
// (and keeps the result for initramfs_rootfs()).
initramfs_info populate_rootfs_check();
initramfs_info populate_rootfs_report();
// The archive populate_rootfs_check found (valid == false before it ran).
const initramfs_info& initramfs_rootfs();

// A file found in the archive: its bytes in place (or a symlink's target).
struct initramfs_entry {
    const unsigned char* data;
    size_t size;
    unsigned mode;  // st_mode: type and permissions
    unsigned ino;
};
// Resolves `path` (absolute, or relative to the root) in the checked archive,
// following symlinks in every component and, if `follow`, in the last one too
// (Debian's busybox applets are symlinks to /bin/busybox). 0 or -ENOENT,
// -ENOTDIR, -ELOOP, -ENAMETOOLONG. This is exec's and open's source of files
// until the VFS unpacks the initramfs into a ramfs (issue 5).
int initramfs_lookup(const initramfs_info& info, const char* path, bool follow, initramfs_entry* out);
