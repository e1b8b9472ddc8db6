// start_kernel(): brings the machine up in the order of Linux's init/main.c,
// each step a named function, then hands over to kernel_init, which (from issue
// 4 on) starts the first user process.
#include <asm/e820.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/hw_irq.h>
#include <asm/irqflags.h>
#include <asm/reboot.h>
#include <asm/setup.h>
#include <asm/tsc.h>
#include <drivers/misc/lkdtm.h>
#include <drivers/tty/serial/8250.h>
#include <drivers/video/console/vgacon.h>
#include <init/initramfs.h>
#include <init/main.h>
#include <init/version.h>
#include <keel/clocksource.h>
#include <keel/hrtimer.h>
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/smp.h>
#include <keel/kthread.h>
#include <keel/rcupdate.h>
#include <keel/sched.h>
#include <keel/timekeeping.h>
#include <keel/timer.h>
#include <keel/wait.h>
#include <keel/workqueue.h>
#include <keel/printk.h>
#include <kernel/kallsyms.h>
#include <kernel/printk/printk.h>
#include <keel/smp.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <tests/kernel/ktest.h>

namespace {

const char* execute_command;       // init=
const char* ramdisk_execute_command = "/init";  // rdinit=

int init_setup(const char* val) {
    if (!val || !*val) return -EINVAL;
    execute_command = val;
    return 0;
}
int rdinit_setup(const char* val) {
    if (!val || !*val) return -EINVAL;
    ramdisk_execute_command = val;
    return 0;
}

void mm_init() {
    mem_init();
    kmem_cache_init();
    vmalloc_init();
}

void console_init() {
    vgacon_init();
    serial8250_console_init();
}

// RAM minus free pages is everything the kernel holds: its image, the struct
// page array, page tables, slabs, the firmware's low 1 MiB — and the initrd,
// shown apart because it is freed once unpacked (issue 5).
void report_memory_after_boot() {
    unsigned long ram_k = memblock_phys_mem_size() / 1024;
    unsigned long free_k = nr_free_pages() * (PAGE_SIZE / 1024);
    unsigned long initrd_k = align_up(initrd_size, PAGE_SIZE) / 1024;
    printk(KERN_INFO "Memory: %luK free of %luK RAM after boot; kernel holds %luK (%luK without the %luK initrd)\n",
           free_k, ram_k, ram_k - free_k, ram_k - free_k - initrd_k, initrd_k);
}

// Where init would come from, in the order Linux tries: rdinit= (default /init)
// inside the initramfs, then init=, then the usual paths.
const char* choose_init(const initramfs_info& rootfs) {
    if (rootfs.valid && initramfs_has(rootfs, ramdisk_execute_command)) return ramdisk_execute_command;
    if (execute_command) return execute_command;
    static const char* const defaults[] = {"/sbin/init", "/etc/init", "/bin/init", "/bin/sh"};
    for (const char* path : defaults)
        if (rootfs.valid && initramfs_has(rootfs, path)) return path;
    return nullptr;
}

// kernel_init must not ask for kernel threads before kthreadd runs.
wait_queue_head kthreadd_done_wait;
bool kthreadd_done;

int kernel_init(void*) {
    wait_event(kthreadd_done_wait, kthreadd_done);
    smp_prepare_cpus();
    smp_init();
    spawn_ksoftirqd();
    init_workqueues();
    ktest_run_requested();  // does not return when ktest= was given
    lkdtm_run_requested();

    initramfs_info rootfs = populate_rootfs_check();
    const char* init = choose_init(rootfs);
    u64 ns = sched_clock();
    report_memory_after_boot();
    irqdump_if_requested();
    printk(KERN_INFO "Boot took %lu.%03lu ms from kernel entry to init\n", (unsigned long)(ns / 1000000),
           (unsigned long)(ns / 1000 % 1000));
    if (!init) {
        // Linux panics here; Keel says why and powers off so QEMU exits cleanly.
        printk(KERN_EMERG "No working init found. Try passing init= option to kernel.\n");
    } else {
        printk(KERN_INFO "Kernel ready to start init: %s\n", init);
        // What init would receive, logged as Linux's run_init_process does.
        printk(KERN_DEBUG "  with arguments:\n    %s\n", init);
        for (const char* const* a = init_argv() + 1; *a; a++) printk(KERN_DEBUG "    %s\n", *a);
        printk(KERN_DEBUG "  with environment:\n");
        for (const char* const* e = init_envp(); *e; e++) printk(KERN_DEBUG "    %s\n", *e);
    }
    printk(KERN_NOTICE "Keel cannot run user programs yet (system calls come with issue 4); powering off.\n");
    machine_power_off();
}

// The boot task's last duties: start init (PID 1) and kthreadd (PID 2), then
// become this CPU's idle task (Linux's rest_init).
[[noreturn]] void rest_init() {
    rcu_scheduler_starting();
    kernel_thread(kernel_init, nullptr, "init");
    int pid = kernel_thread(kthreadd, nullptr, "kthreadd");
    kthreadd_task = find_task_by_pid(pid);
    kthreadd_done = true;
    wake_up_all(&kthreadd_done_wait);
    schedule_preempt_disabled();
    cpu_startup_entry();
}

}  // namespace

__setup("init=", init_setup);
__setup("rdinit=", rdinit_setup);

void start_kernel() {
    char* command_line;
    init_task_setup();
    kallsyms_init();
    boot_cpu_init();
    printk(KERN_NOTICE "%s", linux_banner);
    setup_arch(&command_line);
    setup_log_buf(nr_cpu_ids);
    setup_per_cpu_areas();
    cpu_init();  // the boot CPU's GDT and TSS move into its own per-CPU copy
    printk(KERN_NOTICE "Kernel command line: %s\n", command_line);
    parse_args_late();
    mm_init();
    fpu__init_system();
    sched_init();
    init_IRQ();
    init_timers();
    hrtimers_init();
    softirq_init();
    rcu_init();
    timekeeping_init();
    time_init();
    clocksource_done_booting();
    fork_init();
    console_init();
    arch_local_irq_enable();
    rest_init();
}
