// The initramfs as the boot loader hands it over: newc cpio archives (one or
// several concatenated), plain or gzip-compressed. This part only reads the
// format (it is built into the host tests too); init/populate_rootfs.cpp
// unpacks it into the root tmpfs.
#pragma once
#include <stddef.h>
#include <stdint.h>

// One member of an archive, as its header describes it.
struct cpio_entry {
    const char* name;  // NUL-terminated, as stored ("./bin/sh", "init")
    size_t name_len;   // without the NUL
    uint32_t ino, mode, uid, gid, nlink, mtime;
    uint32_t rdev_major, rdev_minor;  // device nodes
    const unsigned char* data;  // file contents or symlink target (not NUL-terminated)
    size_t size;
};

struct initramfs_info {
    const unsigned char* data = nullptr;
    size_t size = 0;
    bool valid = false;       // a complete, well-formed uncompressed archive
    bool compressed = false;  // gzip: to be inflated first
    unsigned entries = 0;     // files, directories, links (not counting trailers)
    const char* error = nullptr;
    size_t error_offset = 0;
};

// Walks every header of the archive(s) in [data, data+size).
initramfs_info initramfs_check(const void* data, size_t size);
// Calls fn for each member in order, until fn returns false or the archive
// ends; a damaged member stops the walk with info->error and error_offset
// set, after every member before it was passed to fn. True if no damage.
bool initramfs_for_each(initramfs_info* info, bool (*fn)(const cpio_entry& e, void* arg), void* arg);
// The member name without a leading "/" or "./" ("" for the root itself).
const char* initramfs_strip_root(const char* name);
