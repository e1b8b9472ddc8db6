// The kernel's random numbers (Linux's include/linux/random.h): a ChaCha20
// generator keyed from RDRAND (where the CPU has it) and the TSC. See
// drivers/char/random.cpp for how far to trust it.
#pragma once
#include <keel/types.h>
#include <stddef.h>

void get_random_bytes(void* buf, size_t len);
u64 get_random_u64();

// /dev/random and /dev/urandom: both read the generator, writes mix into it.
struct file_operations;
extern const file_operations random_fops;
