// GDT layout, the same selectors as Linux x86-64 (arch/x86/include/asm/segment.h),
// so user programs that inspect %cs/%ss see familiar values.
#pragma once

#define GDT_ENTRY_KERNEL32_CS 1
#define GDT_ENTRY_KERNEL_CS 2
#define GDT_ENTRY_KERNEL_DS 3
#define GDT_ENTRY_DEFAULT_USER32_CS 4
#define GDT_ENTRY_DEFAULT_USER_DS 5
#define GDT_ENTRY_DEFAULT_USER_CS 6
#define GDT_ENTRY_TSS 8  // 16 bytes: entries 8 and 9
#define GDT_ENTRY_CPUNODE 15  // limit = (node << 12) | cpu, for the vDSO's getcpu (LSL)
#define GDT_ENTRIES 16

#define __KERNEL32_CS (GDT_ENTRY_KERNEL32_CS * 8)
#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)
#define __USER32_CS (GDT_ENTRY_DEFAULT_USER32_CS * 8 + 3)
#define __USER_DS (GDT_ENTRY_DEFAULT_USER_DS * 8 + 3)
#define __USER_CS (GDT_ENTRY_DEFAULT_USER_CS * 8 + 3)
#define GDT_ENTRY_TSS_SEL (GDT_ENTRY_TSS * 8)
#define __CPUNODE_SEG (GDT_ENTRY_CPUNODE * 8 + 3)
