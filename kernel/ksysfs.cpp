// /sys/kernel (Linux's kernel/ksysfs.c): the attributes Keel has values for.
// uevent_seqnum counts the uevents sent to user space (Keel sends none yet),
// profiling is the profile= boot option's state (Keel has no profiler).
#include <keel/init.h>
#include <keel/sysfs.h>
#include <lib/vsprintf.h>
#include <mm/page.h>

namespace {

ssize_t uevent_seqnum_show(kobject*, kobj_attribute*, char* buf) { return scnprintf(buf, PAGE_SIZE, "0\n"); }

ssize_t profiling_show(kobject*, kobj_attribute*, char* buf) { return scnprintf(buf, PAGE_SIZE, "0\n"); }

kobj_attribute kernel_attrs[] = {__ATTR_RO(uevent_seqnum), __ATTR_RO(profiling)};

int ksysfs_init() {
    if (!kernel_kobj) return -ENOMEM;
    for (kobj_attribute& a : kernel_attrs) sysfs_create_file(kernel_kobj, &a);
    return 0;
}
fs_initcall(ksysfs_init);

}  // namespace
