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
// The kernel side: checks the initrd the boot loader gave and reports on it.
initramfs_info populate_rootfs_check();
