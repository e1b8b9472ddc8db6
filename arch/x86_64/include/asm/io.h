// Port I/O and MMIO accessors.
#pragma once
#include <keel/types.h>

static inline void outb(u8 v, u16 port) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outw(u16 v, u16 port) { asm volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outl(u32 v, u16 port) { asm volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
// A write to the unused POST port takes about a microsecond: the classic ISA delay.
static inline void io_delay() { outb(0, 0x80); }

template <typename T> static inline T readx(const volatile void* addr) {
    return *static_cast<const volatile T*>(addr);
}
template <typename T> static inline void writex(volatile void* addr, T v) {
    *static_cast<volatile T*>(addr) = v;
}
