// What uname(2) returns (include/uapi/linux/utsname.h: struct new_utsname).
#pragma once
#include <stddef.h>

constexpr int __NEW_UTS_LEN = 64;

struct new_utsname {
    char sysname[__NEW_UTS_LEN + 1];
    char nodename[__NEW_UTS_LEN + 1];
    char release[__NEW_UTS_LEN + 1];
    char version[__NEW_UTS_LEN + 1];
    char machine[__NEW_UTS_LEN + 1];
    char domainname[__NEW_UTS_LEN + 1];
};
static_assert(sizeof(new_utsname) == 390);
static_assert(offsetof(new_utsname, release) == 130 && offsetof(new_utsname, machine) == 260);
