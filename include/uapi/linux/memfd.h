// memfd_create flags (include/uapi/linux/memfd.h) and the seals of F_ADD_SEALS
// (Linux keeps those in uapi/linux/fcntl.h, next to F_ADD_SEALS/F_GET_SEALS).
#pragma once

enum : unsigned {
    MFD_CLOEXEC = 0x0001,
    MFD_ALLOW_SEALING = 0x0002,
    MFD_HUGETLB = 0x0004,
};

enum : unsigned {
    F_SEAL_SEAL = 0x0001,          // no more seals
    F_SEAL_SHRINK = 0x0002,        // the size may not shrink
    F_SEAL_GROW = 0x0004,          // nor grow
    F_SEAL_WRITE = 0x0008,         // the contents may not change
    F_SEAL_FUTURE_WRITE = 0x0010,  // nor through new writable opens and maps
};
