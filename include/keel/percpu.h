// Per-CPU variables, as in Linux x86-64: DEFINE_PER_CPU puts a variable in the
// .data..percpu section, which is linked at address 0, so a variable's address
// is its offset inside any CPU's copy. Each CPU gets a copy of the section
// (setup_per_cpu_areas) and points its GS base at it; this CPU's instance is then
// one %gs-relative instruction away, with no lookup of the CPU number.
//
//     DEFINE_PER_CPU(unsigned long, irq_count);
//     this_cpu_inc(irq_count);                   // this CPU's copy
//     per_cpu(irq_count, 3)                      // CPU 3's copy (an lvalue)
//     T* p = this_cpu_ptr(&some_struct);         // address of this CPU's copy
#pragma once
#include <asm/percpu.h>
#include <keel/compiler.h>
#include <keel/smp.h>

#define DEFINE_PER_CPU(type, name) __section(".data..percpu") __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

extern unsigned long __per_cpu_offset[NR_CPUS];

// The copy of `ptr` (an address in the percpu section) belonging to `cpu`.
template <typename T> static inline T* per_cpu_ptr(T* ptr, unsigned cpu) {
    return reinterpret_cast<T*>(reinterpret_cast<unsigned long>(ptr) + __per_cpu_offset[cpu]);
}
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))
template <typename T> static inline T* this_cpu_ptr(T* ptr) {
    return reinterpret_cast<T*>(reinterpret_cast<unsigned long>(ptr) + this_cpu_read(this_cpu_off));
}
