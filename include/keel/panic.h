// panic() stops the machine with registers, a symbolized backtrace and the last
// log lines. BUG_ON/WARN_ON are the assertions kernel code uses.
#pragma once
#include <keel/compiler.h>
#include <keel/printk.h>

[[noreturn]] void panic(const char* fmt, ...) __printf(1, 2);
extern bool oops_in_progress;  // an oops already printed registers and a trace
// The "CPU: N PID: P Comm: NAME Not tainted VERSION" line of oopses and panics.
void dump_task_header();
extern int panic_timeout;      // panic=N: reboot after N seconds (0: halt, <0: at once)
void warn_slowpath(const char* file, int line, const char* cond);

#define BUG() panic("kernel BUG at %s:%d!", __FILE__, __LINE__)
#define BUG_ON(cond)                 \
    do {                             \
        if (unlikely(cond)) BUG();   \
    } while (0)
#define WARN_ON(cond)                                                     \
    ({                                                                    \
        bool _c = !!(cond);                                               \
        if (unlikely(_c)) warn_slowpath(__FILE__, __LINE__, #cond);       \
        unlikely(_c);                                                     \
    })
