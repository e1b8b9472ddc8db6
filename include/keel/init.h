// Boot parameters. A subsystem declares the command-line words it understands:
//     early_param("console", setup_console);   // parsed in setup_arch, before memory is up
//     __setup("panic=", panic_setup);           // parsed later in start_kernel
// The handler receives the text after '=' (nullptr for a bare word) and returns 0,
// or a negative errno for a malformed value, which is reported and ignored.
#pragma once
#include <keel/compiler.h>
#include <uapi/asm/errno.h>

constexpr unsigned COMMAND_LINE_SIZE = 2048;

struct obs_kernel_param {
    const char* str;
    int (*setup_func)(const char* val);
    bool early;
};

#define __setup_param(str, unique, fn, early)                                         \
    static const obs_kernel_param __setup_##unique __used __section(".init.setup")    \
        __aligned(8) = {str, fn, early}

#define early_param(str, fn) __setup_param(str, fn, fn, true)
#define __setup(str, fn) __setup_param(str, fn, fn, false)

extern const obs_kernel_param __setup_start[], __setup_end[];

void parse_early_param();
void parse_args_late();
extern char boot_command_line[];
// Parses val as an int (0x/0 prefixes allowed) into *out; -EINVAL/-ERANGE otherwise.
int param_set_int(const char* val, int* out);

// What parse_args_late() left for init: argv (slot 0 free for init's path) and envp.
const char* const* init_argv();
const char* const* init_envp();

// Initcalls (Linux's include/linux/init.h): a subsystem registers its set-up
// function at a level, and do_initcalls() (from kernel_init, once the
// scheduler, workqueues and the VFS caches exist) runs the levels in order:
//   core_initcall(fn)    1: pseudo file systems the others need (pipefs, anon inodes)
//   fs_initcall(fn)      5: file systems (tmpfs, procfs, sysfs, devtmpfs)
//   device_initcall(fn)  6: drivers (character devices, the TTY layer)
//   late_initcall(fn)    7: what needs everything else
// fn returns 0 or a negative errno, which is logged.
using initcall_t = int (*)();
#define __define_initcall(fn, level) \
    static const initcall_t __initcall_##fn##level __used __section(".initcall" #level ".init") __aligned(8) = fn
#define core_initcall(fn) __define_initcall(fn, 1)
#define fs_initcall(fn) __define_initcall(fn, 5)
#define device_initcall(fn) __define_initcall(fn, 6)
#define late_initcall(fn) __define_initcall(fn, 7)
extern const initcall_t __initcall_start[], __initcall_end[];
void do_initcalls();
