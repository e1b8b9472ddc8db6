// poll(2)'s descriptor (include/uapi/asm-generic/poll.h). The POLL* bits are
// the EPOLL* values of keel/poll.h on x86-64.
#pragma once
#include <stddef.h>

struct pollfd {
    int fd;
    short events;
    short revents;
};
static_assert(sizeof(pollfd) == 8 && offsetof(pollfd, revents) == 6);
