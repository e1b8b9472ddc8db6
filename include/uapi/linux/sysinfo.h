// sysinfo(2) (include/uapi/linux/sysinfo.h).
#pragma once
#include <stddef.h>

struct sysinfo {
    long uptime;              // seconds since boot
    unsigned long loads[3];   // 1, 5, 15 minute load averages << SI_LOAD_SHIFT
    unsigned long totalram;   // in units of mem_unit bytes
    unsigned long freeram;
    unsigned long sharedram;
    unsigned long bufferram;
    unsigned long totalswap;
    unsigned long freeswap;
    unsigned short procs;
    unsigned short pad;
    unsigned long totalhigh;
    unsigned long freehigh;
    unsigned mem_unit;  // (Linux pads to 20 bytes here for 32-bit; on x86_64 alignment does it)
};
static_assert(sizeof(sysinfo) == 112);
static_assert(offsetof(sysinfo, procs) == 80 && offsetof(sysinfo, totalhigh) == 88 && offsetof(sysinfo, mem_unit) == 104);
