// Flushing user translations (Linux's arch/x86/include/asm/tlbflush.h).
#pragma once

struct mm_struct;

// Drops [start, end) of mm from every TLB that may hold it. Keel does not yet
// track which CPUs run an mm (Linux's mm_cpumask), so with more than one CPU
// online every CPU flushes: more work than needed, never too little.
void flush_tlb_mm_range(mm_struct* mm, unsigned long start, unsigned long end);
