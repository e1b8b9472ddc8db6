// /sys/devices/system/cpu (Linux's drivers/base/cpu.c): the CPU masks as
// lists ("0-3"), the largest CPU number the kernel supports, and a directory
// per possible CPU. Keel brings every possible CPU up at boot and has no
// hotplug, so present is the possible mask, and cpuN has no online switch.
#include <keel/init.h>
#include <keel/seq_file.h>
#include <keel/smp.h>
#include <keel/sysfs.h>
#include <lib/cpumask.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>

namespace {

ssize_t print_cpus_list(char* buf, const cpumask* mask) {
    size_t len = cpumap_print(buf, PAGE_SIZE - 1, true, mask);
    buf[len++] = '\n';
    return ssize_t(len);
}

ssize_t online_show(kobject*, kobj_attribute*, char* buf) { return print_cpus_list(buf, cpu_online_mask); }
ssize_t possible_show(kobject*, kobj_attribute*, char* buf) { return print_cpus_list(buf, cpu_possible_mask); }
ssize_t present_show(kobject*, kobj_attribute*, char* buf) { return print_cpus_list(buf, cpu_possible_mask); }

// Below nr_cpu_ids but not online (Linux's print_cpus_offline; x86 keeps no
// total_cpus, so nothing above nr_cpu_ids is listed).
ssize_t offline_show(kobject*, kobj_attribute*, char* buf) {
    cpumask offline{};
    for (unsigned cpu = 0; cpu < nr_cpu_ids; cpu++)
        if (!cpu_online(cpu)) cpumask_set_cpu(cpu, &offline);
    return print_cpus_list(buf, &offline);
}

ssize_t kernel_max_show(kobject*, kobj_attribute*, char* buf) { return scnprintf(buf, PAGE_SIZE, "%u\n", NR_CPUS - 1); }

kobj_attribute cpu_attrs[] = {
    __ATTR_RO(online), __ATTR_RO(possible), __ATTR_RO(present), __ATTR_RO(offline), __ATTR_RO(kernel_max),
};

int cpu_dev_init() {
    kobject* system = kobject_create_and_add("system", devices_kobj);
    kobject* cpu_root = system ? kobject_create_and_add("cpu", system) : nullptr;
    if (!cpu_root) return -ENOMEM;
    for (kobj_attribute& a : cpu_attrs) sysfs_create_file(cpu_root, &a);
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        char* name = static_cast<char*>(kmalloc(16, GFP_KERNEL));
        if (!name) return -ENOMEM;
        snprintf(name, 16, "cpu%u", cpu);
        kobject_create_and_add(name, cpu_root);
    }
    return 0;
}
fs_initcall(cpu_dev_init);

}  // namespace
