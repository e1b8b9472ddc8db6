// %gs-relative access to this CPU's per-CPU variables (see keel/percpu.h). Each
// operation is a single instruction, so it cannot be torn by an interrupt or a
// migration between reading the CPU number and touching the variable.
#pragma once

#define this_cpu_read(var)                                                     \
    ({                                                                         \
        __typeof__(var) _v;                                                    \
        asm volatile("mov %%gs:%1, %0" : "=r"(_v) : "m"(var));                 \
        _v;                                                                    \
    })
#define this_cpu_write(var, val)                                               \
    do {                                                                       \
        __typeof__(var) _v = (val);                                            \
        asm volatile("mov %1, %%gs:%0" : "=m"(var) : "r"(_v) : "memory");      \
    } while (0)
#define this_cpu_add(var, val)                                                 \
    do {                                                                       \
        __typeof__(var) _v = (val);                                            \
        asm volatile("add %1, %%gs:%0" : "+m"(var) : "r"(_v) : "memory");      \
    } while (0)
#define this_cpu_inc(var) this_cpu_add(var, 1)
#define this_cpu_dec(var) this_cpu_add(var, -1)

extern unsigned long this_cpu_off;  // a per-CPU variable: this CPU's __per_cpu_offset
