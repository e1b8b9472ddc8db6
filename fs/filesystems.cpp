// The list of file system types (Linux's fs/filesystems.c): what mount(2)
// can name in its type argument and what /proc/filesystems shows.
#include <keel/fs.h>
#include <lib/string.h>
#include <lib/vsprintf.h>

namespace {

file_system_type* file_systems;
spinlock_t file_systems_lock{"file_systems_lock"};

}  // namespace

int register_filesystem(file_system_type* fs) {
    Guard<NoIrqSave> guard(file_systems_lock);
    file_system_type** p = &file_systems;
    for (; *p; p = &(*p)->next)
        if (strcmp((*p)->name, fs->name) == 0) return -EBUSY;
    fs->next = nullptr;
    *p = fs;  // at the end: /proc/filesystems lists in registration order
    return 0;
}

file_system_type* get_fs_type(const char* name) {
    Guard<NoIrqSave> guard(file_systems_lock);
    for (file_system_type* p = file_systems; p; p = p->next)
        if (strcmp(p->name, name) == 0) return p;
    return nullptr;
}

size_t show_filesystems(char* buf, size_t size) {
    Guard<NoIrqSave> guard(file_systems_lock);
    size_t len = 0;
    for (file_system_type* p = file_systems; p && len < size; p = p->next)
        len += scnprintf(buf + len, size - len, "%s\t%s\n", (p->fs_flags & FS_REQUIRES_DEV) ? "" : "nodev", p->name);
    return len;
}
