// sysfs (Linux's include/linux/sysfs.h and kobject.h, reduced): a tree of
// directories (kobjects) and attribute files under /sys whose text comes from
// show() and goes to store(), a page at most, one value per file.
//
//     static ssize_t online_show(kobject*, kobj_attribute*, char* buf) { ... }
//     static kobj_attribute online_attr = __ATTR_RO(online);
//     sysfs_create_file(cpu_kobj, &online_attr);
#pragma once
#include <keel/fs.h>

constexpr unsigned long SYSFS_MAGIC = 0x62656572;

struct kernfs_node;
struct kobject {
    const char* name;
    kobject* parent;
    kernfs_node* sd;  // its directory
};

struct kobj_attribute;
struct attribute {
    const char* name;
    umode_t mode;
};
struct kobj_attribute {
    attribute attr;
    // show fills buf (PAGE_SIZE bytes) and returns the length; store parses
    // count bytes (NUL-terminated) and returns count or -errno.
    ssize_t (*show)(kobject* kobj, kobj_attribute* attr, char* buf);
    ssize_t (*store)(kobject* kobj, kobj_attribute* attr, const char* buf, size_t count);
};
#define __ATTR_RO(name_) {{#name_, 0444}, name_##_show, nullptr}
#define __ATTR_RW(name_) {{#name_, 0644}, name_##_show, name_##_store}

// A new directory under parent (nullptr: /sys itself), or nullptr.
kobject* kobject_create_and_add(const char* name, kobject* parent);
int sysfs_create_file(kobject* kobj, kobj_attribute* attr);

extern kobject* kernel_kobj;   // /sys/kernel
extern kobject* devices_kobj;  // /sys/devices
