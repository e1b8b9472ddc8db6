// Compiler attributes and helpers, named as in Linux's compiler.h.
#pragma once

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#ifndef __always_inline  // libstdc++'s config may already bring glibc's identical one
#define __always_inline inline __attribute__((always_inline))
#endif
#define __noinline __attribute__((noinline))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define barrier() asm volatile("" ::: "memory")

// Evaluates to the enclosing object of a member pointer, like Linux's container_of.
#define container_of(ptr, type, member) \
    (reinterpret_cast<type*>(reinterpret_cast<char*>(ptr) - __builtin_offsetof(type, member)))

template <typename T> constexpr T align_up(T x, T a) { return (x + a - 1) & ~(a - 1); }
template <typename T> constexpr T align_down(T x, T a) { return x & ~(a - 1); }
template <typename T> constexpr bool is_aligned(T x, T a) { return (x & (a - 1)) == 0; }
