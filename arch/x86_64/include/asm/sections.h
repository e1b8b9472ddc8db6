// Boundaries of the kernel image, defined by arch/x86_64/kernel/vmlinux.ld.
#pragma once

extern "C" {
extern char _text[], _etext[];              // code
extern char __start_rodata[], __end_rodata[];
extern char _sdata[], _edata[];             // initialized data
extern char __bss_start[], __bss_stop[];
extern char _end[];
extern char __per_cpu_load[];                   // the per-CPU template, where it was loaded
extern char __per_cpu_start[], __per_cpu_end[]; // 0 and its size: the section is zero-based
}
