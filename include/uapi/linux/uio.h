// struct iovec for readv/writev (include/uapi/linux/uio.h).
#pragma once
#include <stddef.h>

struct iovec {
    void* iov_base;
    size_t iov_len;
};
static_assert(sizeof(iovec) == 16 && offsetof(iovec, iov_len) == 8);

constexpr int UIO_MAXIOV = 1024;
