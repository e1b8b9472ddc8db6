// Polling (Linux's include/linux/poll.h): a file's poll operation reports
// which events are ready now and, through poll_wait, registers every wait
// queue whose wake-up might change that, so poll/select/epoll can sleep on
// all of them at once. Wakers pass the events as the key
// (wake_up_interruptible_poll) so an epoll entry waiting for EPOLLIN is not
// disturbed by EPOLLOUT.
#pragma once
#include <keel/fs.h>
#include <keel/wait.h>

enum : __poll_t {
    EPOLLIN = 0x001, EPOLLPRI = 0x002, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010,
    EPOLLNVAL = 0x020, EPOLLRDNORM = 0x040, EPOLLRDBAND = 0x080, EPOLLWRNORM = 0x100,
    EPOLLWRBAND = 0x200, EPOLLMSG = 0x400, EPOLLRDHUP = 0x2000,
};
constexpr __poll_t DEFAULT_POLLMASK = EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM;

struct poll_table_struct;
using poll_queue_proc = void (*)(file* f, wait_queue_head* wq, poll_table_struct* pt);
struct poll_table_struct {
    poll_queue_proc _qproc;  // nullptr: the caller only wants the mask
    __poll_t _key;           // events of interest
};
using poll_table = poll_table_struct;

static inline void poll_wait(file* f, wait_queue_head* wq, poll_table* p) {
    if (p && p->_qproc && wq) p->_qproc(f, wq, p);
}
static inline void init_poll_funcptr(poll_table* pt, poll_queue_proc qproc) {
    pt->_qproc = qproc;
    pt->_key = ~__poll_t(0);
}
// The file's ready events: f_op->poll, or DEFAULT_POLLMASK for files that
// are always ready (regular files).
static inline __poll_t vfs_poll(file* f, poll_table* pt) {
    return f->f_op->poll ? f->f_op->poll(f, pt) : DEFAULT_POLLMASK;
}

#define wake_up_interruptible_poll(x, m) __wake_up((x), TASK_INTERRUPTIBLE, 1, reinterpret_cast<void*>(uintptr_t(m)))
#define wake_up_interruptible_sync_poll(x, m) wake_up_interruptible_poll(x, m)
#define wake_up_poll(x, m) __wake_up((x), TASK_NORMAL, 1, reinterpret_cast<void*>(uintptr_t(m)))
static inline __poll_t key_to_poll(void* key) { return __poll_t(reinterpret_cast<uintptr_t>(key)); }
