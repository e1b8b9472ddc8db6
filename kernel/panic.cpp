// panic(): the kernel cannot go on. Say why, show where (registers and a
// symbolized backtrace, unless an oops just did), show the log lines `quiet`
// kept off the console, then halt — or reboot after panic=N seconds, which
// QEMU run with -no-reboot turns into an exit.
#include <keel/compile.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/reboot.h>
#include <asm/stacktrace.h>
#include <asm/tsc.h>
#include <keel/init.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <kernel/printk/printk.h>
#include <lib/vsprintf.h>

bool oops_in_progress;
int panic_timeout;

static int panic_setup(const char* val) { return param_set_int(val, &panic_timeout); }
early_param("panic", panic_setup);

void panic(const char* fmt, ...) {
    static bool in_panic;
    arch_local_irq_disable();
    if (in_panic) native_irq_disable_halt_forever();  // a panic while panicking: stop here
    in_panic = true;

    char msg[256];
    va_list args;
    va_start(args, fmt);
    vscnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
    if (!oops_in_progress) {
        pt_regs regs;
        capture_regs(&regs);
        dump_task_header();
        show_regs(&regs);
        show_trace(regs.ip, regs.bp, 0);
    }
    printk_dump_suppressed_tail(10);

    if (panic_timeout > 0) {
        printk(KERN_EMERG "Rebooting in %d seconds..\n", panic_timeout);
        mdelay(panic_timeout * 1000ul);
    }
    if (panic_timeout != 0) machine_restart();
    printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
    native_irq_disable_halt_forever();
}

void warn_slowpath(const char* file, int line, const char* cond) {
    printk(KERN_WARNING "------------[ cut here ]------------\n");
    printk(KERN_WARNING "WARNING: CPU: 0 at %s:%d: %s\n", file, line, cond);
    dump_stack();
    printk(KERN_WARNING "---[ end trace ]---\n");
}

void dump_task_header() {
    task_struct* p = current;
    printk(KERN_EMERG "CPU: %u PID: %d Comm: %.16s Not tainted " KEEL_VERSION "\n", smp_processor_id(), p->pid,
           p->comm);
}
