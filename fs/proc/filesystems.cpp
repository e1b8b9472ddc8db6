// /proc/filesystems (Linux's fs/filesystems.c): "nodev\tname" per registered
// file system type, as fs/filesystems.cpp formats them.
#include "internal.h"
#include <keel/init.h>

namespace {

int filesystems_proc_show(seq_file* m, void*) {
    seq_print_with(m, [](char* buf, size_t size) { return show_filesystems(buf, size); });
    return 0;
}

int proc_filesystems_init() {
    proc_create_single("filesystems", 0, nullptr, filesystems_proc_show);
    return 0;
}
fs_initcall(proc_filesystems_init);

}  // namespace
