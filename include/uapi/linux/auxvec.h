// Auxiliary vector types (include/uapi/linux/auxvec.h, arch/x86's AT_SYSINFO_EHDR):
// the (type, value) pairs exec leaves above envp, telling the C library about
// the program and the machine without a system call.
#pragma once

enum : unsigned long {
    AT_NULL = 0,      // end of the vector
    AT_IGNORE = 1,
    AT_EXECFD = 2,
    AT_PHDR = 3,      // where the program headers are in memory
    AT_PHENT = 4,     // size of one program header
    AT_PHNUM = 5,     // how many
    AT_PAGESZ = 6,
    AT_BASE = 7,      // the interpreter's load address (0: none)
    AT_FLAGS = 8,
    AT_ENTRY = 9,     // the program's entry point
    AT_NOTELF = 10,
    AT_UID = 11,
    AT_EUID = 12,
    AT_GID = 13,
    AT_EGID = 14,
    AT_PLATFORM = 15,  // string: "x86_64"
    AT_HWCAP = 16,     // CPUID(1).EDX on x86
    AT_CLKTCK = 17,    // times() ticks per second
    AT_SECURE = 23,
    AT_BASE_PLATFORM = 24,
    AT_RANDOM = 25,    // 16 random bytes (stack protector and pointer guard seeds)
    AT_HWCAP2 = 26,
    AT_EXECFN = 31,    // the file name given to execve
    AT_SYSINFO_EHDR = 33,  // the vDSO's ELF header
    AT_MINSIGSTKSZ = 51,
};
