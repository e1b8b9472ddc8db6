// The kernel's side of the vDSO data page (Linux's include/vdso/vsyscall.h and
// kernel/time/vsyscall.c).
#pragma once
#include <vdso/datapage.h>

struct timekeeper;

// The page itself, in the kernel image: page-aligned and alone in its page,
// since that page is mapped into every process.
vdso_data* vdso_k_data();

// Copies the timekeeper into the data page under its sequence count. Called by
// every timekeeper writer, inside its own write section (interrupts off, the
// timekeeper lock held), so there is only ever one writer.
void update_vsyscall(const timekeeper& tk);
