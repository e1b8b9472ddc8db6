// The first C++ code: save what the boot loader handed over, then start_kernel().
#include <asm/bootparam.h>
#include <asm/page_types.h>
#include <asm/setup.h>
#include <init/main.h>
#include <keel/init.h>
#include <lib/string.h>

struct boot_params boot_params;
unsigned long page_offset_base = __PAGE_OFFSET_BASE;
unsigned long vmemmap_base = VMEMMAP_START;

extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();

// The zero page and the command line sit somewhere in low memory the kernel is
// about to hand to the allocators: copy them into the kernel image first.
static void copy_bootdata(const struct boot_params* real_mode_data) {
    memcpy(&boot_params, real_mode_data, sizeof(boot_params));
    u64 cmd_line = boot_params.hdr.cmd_line_ptr | (u64(boot_params.ext_cmd_line_ptr) << 32);
    if (cmd_line) strscpy(boot_command_line, static_cast<const char*>(__va(cmd_line)), COMMAND_LINE_SIZE);
}

extern "C" [[noreturn]] void x86_64_start_kernel(u32 real_mode_data) {
    setup_early_per_cpu_area();  // smp_processor_id(), current: everything reads %gs
    copy_bootdata(static_cast<const struct boot_params*>(__va(real_mode_data)));
    for (auto ctor = __init_array_start; ctor != __init_array_end; ctor++) (*ctor)();
    start_kernel();
}
