// mem_init(): the kernel-only end of page allocator setup (Linux keeps it in
// arch/x86/mm/init_64.c). Separate from mm_init.cpp because it reads the linker
// symbols of the kernel image, which host test builds do not have.
#include <mm/page_alloc.h>
#include <asm/sections.h>

void mem_init() {
    memblock_free_all();
    // Keel frees no init sections yet (docs/boot.md), so "init" is 0.
    mem_init_print_info(_etext - _text, _edata - _sdata, __end_rodata - __start_rodata, 0,
                        __bss_stop - __bss_start);
}
