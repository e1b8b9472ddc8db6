// epoll's user-visible layout and flags (include/uapi/linux/eventpoll.h).
#pragma once
#include <keel/types.h>
#include <stddef.h>
#include <uapi/linux/fcntl.h>

enum : int { EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3 };
constexpr unsigned EPOLL_CLOEXEC = O_CLOEXEC;

// Flags of epoll_event.events beside the EPOLL* event bits of keel/poll.h.
// (Constants, not an enum: they are or'ed with keel/poll.h's EPOLL* enum.)
constexpr unsigned EPOLLEXCLUSIVE = 1u << 28;  // wake one of several epolls waiting on one file
constexpr unsigned EPOLLWAKEUP = 1u << 29;     // hold off system suspend (needs CAP_BLOCK_SUSPEND)
constexpr unsigned EPOLLONESHOT = 1u << 30;    // report once, then disable until EPOLL_CTL_MOD
constexpr unsigned EPOLLET = 1u << 31;         // edge-triggered

// Packed on x86-64, as Linux declares it (12 bytes, data unaligned).
struct __attribute__((packed)) epoll_event {
    u32 events;
    u64 data;
};
static_assert(sizeof(epoll_event) == 12 && offsetof(epoll_event, data) == 4);
