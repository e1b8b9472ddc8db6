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
#include <keel/binfmts.h>
#include <keel/clocksource.h>
#include <keel/fdtable.h>
#include <keel/namei.h>
#include <keel/hrtimer.h>
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/smp.h>
#include <keel/kthread.h>
#include <keel/panic.h>
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
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>
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

// Runs `path` as init (Linux's run_init_process): argv[0] is the path, then
// the command-line words meant for init. Returns only on failure.
int run_init_process(const char* path) {
    const char* argv[40];  // init_argv() holds at most 32 words (kernel/params.cpp)
    argv[0] = path;
    size_t n = 1;
    for (const char* const* a = init_argv() + 1; *a && n < ARRAY_SIZE(argv) - 1; a++) argv[n++] = *a;
    argv[n] = nullptr;
    printk(KERN_INFO "Run %s as init process\n", path);
    printk(KERN_DEBUG "  with arguments:\n");
    for (const char* const* a = argv; *a; a++) printk(KERN_DEBUG "    %s\n", *a);
    printk(KERN_DEBUG "  with environment:\n");
    for (const char* const* e = init_envp(); *e; e++) printk(KERN_DEBUG "    %s\n", *e);
    return kernel_execve(path, argv, init_envp());
}

// Whether path names something init could be: Linux's init_eaccess (an
// executable regular file, found through the VFS).
bool init_eaccess(const char* path) {
    struct path p;
    if (kern_path(path, LOOKUP_FOLLOW, &p)) return false;
    inode* i = p.dentry->d_inode;
    bool ok = S_ISREG(i->i_mode) && inode_permission(i, MAY_EXEC) == 0;
    path_put(&p);
    return ok;
}

// Tries init where Linux looks: rdinit= (default /init) in the unpacked
// initramfs, then init=, then the usual paths. Returns only if none could be executed.
bool try_to_run_init() {
    if (ramdisk_execute_command && init_eaccess(ramdisk_execute_command)) {
        printk(KERN_INFO "Kernel ready to start init: %s\n", ramdisk_execute_command);
        int ret = run_init_process(ramdisk_execute_command);
        if (!ret) return true;
        printk(KERN_ERR "Failed to execute %s (error %d)\n", ramdisk_execute_command, ret);
    }
    if (execute_command) {
        printk(KERN_INFO "Kernel ready to start init: %s\n", execute_command);
        int ret = run_init_process(execute_command);
        if (!ret) return true;
        printk(KERN_ERR "Requested init %s failed (error %d).\n", execute_command, ret);
    }
    static const char* const defaults[] = {"/sbin/init", "/etc/init", "/bin/init", "/bin/sh"};
    for (const char* path : defaults) {
        if (!init_eaccess(path)) continue;
        printk(KERN_INFO "Kernel ready to start init: %s\n", path);
        if (!run_init_process(path)) return true;
    }
    return false;
}

// init's fds 0, 1 and 2: /dev/console, opened once and duplicated (Linux's
// console_on_rootfs). Without it init runs with no standard streams, as on Linux.
void console_on_rootfs() {
    current->files = alloc_files();
    if (!current->files) panic("Cannot allocate init's file table");
    Result<file*> con = filp_open("/dev/console", O_RDWR, 0);
    if (con.is_error()) {
        printk(KERN_ERR "Warning: unable to open an initial console.\n");
        return;
    }
    for (unsigned fd = 0; fd < 3; fd++) {
        if (fd) get_file(con.value());
        if (alloc_fd_install(fd, con.value(), false).is_error()) panic("Cannot open the initial console");
    }
}

// Drivers and file systems: devtmpfs first, so every driver's initcall can
// create its /dev node (Linux's driver_init, then do_initcalls).
void do_basic_setup() {
    devtmpfs_init();
    do_initcalls();
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
    do_basic_setup();
    populate_rootfs();
    ktest_run_requested();  // does not return when ktest= was given
    lkdtm_run_requested();
    u64 ns = sched_clock();
    report_memory_after_boot();
    irqdump_if_requested();
    printk(KERN_INFO "Boot took %lu.%03lu ms from kernel entry to init\n", (unsigned long)(ns / 1000000),
           (unsigned long)(ns / 1000 % 1000));
    console_on_rootfs();
    // Success returns to ret_from_fork, which enters user mode in init.
    if (try_to_run_init()) return 0;
    // Linux panics here; Keel says why and powers off so QEMU exits cleanly.
    printk(KERN_EMERG "No working init found. Try passing init= option to kernel.\n");
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
    vfs_caches_init();
    console_init();
    arch_local_irq_enable();
    rest_init();
}

void do_initcalls() {
    for (const initcall_t* fn = __initcall_start; fn < __initcall_end; fn++) {
        int ret = (*fn)();
        if (ret) printk(KERN_WARNING "initcall %pS returned %d\n", reinterpret_cast<void*>(*fn), ret);
    }
}
