// arch_prctl codes (arch/x86/include/uapi/asm/prctl.h).
#pragma once

enum : int { ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004 };
