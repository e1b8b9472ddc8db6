// epoll and eventfd through their system calls, in a kernel thread given a
// user address space (for the epoll_event arrays) and an fd table:
// level-triggered items report until drained, EPOLLET ones once per write,
// EPOLLONESHOT ones once until re-armed; closing a watched file drops its
// item; epoll_ctl's errors; eventfd's counter and semaphore mode.
#include <asm/uaccess.h>
#include <keel/eventfd.h>
#include <keel/fdtable.h>
#include <keel/mm.h>
#include <keel/poll.h>
#include <keel/sched.h>
#include <keel/syscalls.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_mm.h>
#include <uapi/asm/mman.h>
#include <uapi/linux/eventpoll.h>

namespace {

// The user page the calls read and write: two fds, one event in, eight out.
struct user_area {
    int fds[2];
    epoll_event ev;
    epoll_event out[8];
};

user_area __user* map_area(ktest* t) {
    long addr = vm_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
    KTEST_EXPECT_GT(t, addr, 0l);
    return addr > 0 ? reinterpret_cast<user_area __user*>(addr) : nullptr;
}

// Runs body with an fd table of its own, closed (every fd) afterwards.
void with_files(ktest* t, void (*body)(ktest*, user_area __user*)) {
    current->files = alloc_files();
    KTEST_ASSERT_TRUE(t, current->files != nullptr);
    if (user_area __user* u = map_area(t)) body(t, u);
    put_files_struct(current->files);
    current->files = nullptr;
}

long ctl(user_area __user* u, int ep, int op, int fd, u32 events, u64 data) {
    epoll_event ev{events, data};
    if (copy_to_user(&u->ev, &ev, sizeof(ev))) return -EFAULT;
    return sys_epoll_ctl(ep, op, fd, &u->ev);
}

// epoll_wait with no wait; the first event comes back in *first.
long wait_now(user_area __user* u, int ep, epoll_event* first) {
    long n = sys_epoll_wait(ep, u->out, 8, 0);
    if (n > 0 && copy_from_user(first, &u->out[0], sizeof(*first))) return -EFAULT;
    return n;
}

ssize_t write_fd(int fd, const void* buf, size_t n) {
    file* f = fget(unsigned(fd));
    if (!f) return -EBADF;
    loff_t pos = 0;
    ssize_t ret = kernel_write(f, buf, n, &pos);
    fput(f);
    return ret;
}

ssize_t read_fd(int fd, void* buf, size_t n) {
    file* f = fget(unsigned(fd));
    if (!f) return -EBADF;
    loff_t pos = 0;
    ssize_t ret = kernel_read(f, buf, n, &pos);
    fput(f);
    return ret;
}

bool make_pipe(ktest* t, user_area __user* u, int fds[2]) {
    long err = sys_pipe2(u->fds, O_NONBLOCK);
    KTEST_EXPECT_EQ(t, err, 0l);
    if (err) return false;
    return !copy_from_user(fds, u->fds, 2 * sizeof(int));
}

void level_and_edge_body(ktest* t, user_area __user* u) {
    int p[2];
    if (!make_pipe(t, u, p)) return;
    int ep = int(sys_epoll_create1(EPOLL_CLOEXEC));
    KTEST_ASSERT_TRUE(t, ep >= 0);
    KTEST_EXPECT_TRUE(t, get_close_on_exec(unsigned(ep)));
    epoll_event ev{};
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 42), 0l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 0l);

    // Level-triggered: reported on every call while data is there.
    KTEST_EXPECT_EQ(t, write_fd(p[1], "ab", 2), 2l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);
    KTEST_EXPECT_EQ(t, ev.events, u32(EPOLLIN));
    KTEST_EXPECT_EQ(t, u64(ev.data), 42ul);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);
    char buf[8];
    KTEST_EXPECT_EQ(t, read_fd(p[0], buf, sizeof(buf)), 2l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 0l);  // drained: the stale entry reports nothing

    // Edge-triggered: once per write, though the data stays.
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 7), 0l);
    KTEST_EXPECT_EQ(t, write_fd(p[1], "c", 1), 1l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);
    KTEST_EXPECT_EQ(t, u64(ev.data), 7ul);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 0l);
    KTEST_EXPECT_EQ(t, write_fd(p[1], "d", 1), 1l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 0l);

    // One-shot: once, then silent until EPOLL_CTL_MOD re-arms it.
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 9), 0l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);
    KTEST_EXPECT_EQ(t, write_fd(p[1], "e", 1), 1l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 0l);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 9), 0l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);

    // The writer's end: EPOLLOUT at once; EPOLLERR when the reader goes
    // (EPOLLERR and EPOLLHUP are always watched).
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_DEL, p[0], 0, 0), 0l);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 5), 0l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);
    KTEST_EXPECT_EQ(t, ev.events, u32(EPOLLOUT));
    KTEST_EXPECT_TRUE(t, close_fd(unsigned(p[0])).is_error() == false);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 1l);
    KTEST_EXPECT_EQ(t, ev.events, u32(EPOLLOUT | EPOLLERR));
    // Closing the watched file takes its item out (DEL finds nothing).
    KTEST_EXPECT_TRUE(t, close_fd(unsigned(p[1])).is_error() == false);
    KTEST_EXPECT_EQ(t, wait_now(u, ep, &ev), 0l);
}
void level_and_edge(ktest* t) {
    ktest_run_in_mm(t, [](ktest* t, mm_struct*) { with_files(t, level_and_edge_body); }, "ktest-epoll");
}

// A poller of one wait queue that counts its wake-ups.
struct poll_waker {
    poll_table pt;
    wait_queue_entry wait;
    wait_queue_head* whead = nullptr;
    unsigned wakeups = 0;
};

int poll_waker_wake(wait_queue_entry* wait, unsigned, int, void*) {
    container_of(wait, poll_waker, wait)->wakeups++;
    return 0;
}

void poll_waker_queue(file*, wait_queue_head* wq, poll_table* pt) {
    poll_waker* w = container_of(pt, poll_waker, pt);
    w->whead = wq;
    w->wait.func = poll_waker_wake;
    add_wait_queue(wq, &w->wait);
}

void ctl_errors_body(ktest* t, user_area __user* u) {
    int p[2];
    if (!make_pipe(t, u, p)) return;
    int ep = int(sys_epoll_create1(0));
    int ep2 = int(sys_epoll_create1(0));
    KTEST_ASSERT_TRUE(t, ep >= 0 && ep2 >= 0);
    KTEST_EXPECT_EQ(t, sys_epoll_create1(1), -EINVAL);
    KTEST_EXPECT_EQ(t, sys_epoll_create(0), -EINVAL);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), 0l);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), -EEXIST);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_MOD, p[1], EPOLLIN, 0), -ENOENT);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_DEL, p[1], 0, 0), -ENOENT);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0), -EINVAL);  // itself
    KTEST_EXPECT_EQ(t, ctl(u, p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0), -EINVAL);  // not an epoll
    KTEST_EXPECT_EQ(t, ctl(u, ep, 99, p[1], EPOLLIN, 0), -EINVAL);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, 999, EPOLLIN, 0), -EBADF);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, p[1], EPOLLIN | EPOLLEXCLUSIVE | EPOLLPRI, 0), -EINVAL);
    // Epolls in epolls: one way is fine, the cycle is ELOOP.
    KTEST_EXPECT_EQ(t, ctl(u, ep2, EPOLL_CTL_ADD, ep, EPOLLIN, 0), 0l);
    KTEST_EXPECT_EQ(t, ctl(u, ep, EPOLL_CTL_ADD, ep2, EPOLLIN, 0), -ELOOP);
    // The inner epoll's readiness shows through the outer one.
    epoll_event ev{};
    KTEST_EXPECT_EQ(t, wait_now(u, ep2, &ev), 0l);
    KTEST_EXPECT_EQ(t, write_fd(p[1], "x", 1), 1l);
    KTEST_EXPECT_EQ(t, wait_now(u, ep2, &ev), 1l);
    KTEST_EXPECT_EQ(t, ev.events, u32(EPOLLIN));
    // Three levels, the top one polled: a write wakes the poller through
    // every level (each level's poll_wait lock nests in the one below).
    KTEST_EXPECT_EQ(t, read_fd(p[0], &ev, 1), 1l);
    int ep3 = int(sys_epoll_create1(0));
    KTEST_EXPECT_EQ(t, ctl(u, ep3, EPOLL_CTL_ADD, ep2, EPOLLIN, 0), 0l);
    file* top = fget(unsigned(ep3));
    KTEST_ASSERT_TRUE(t, top != nullptr);
    poll_waker w;
    init_poll_funcptr(&w.pt, poll_waker_queue);
    KTEST_EXPECT_EQ(t, vfs_poll(top, &w.pt), 0u);
    KTEST_EXPECT_EQ(t, write_fd(p[1], "y", 1), 1l);
    KTEST_EXPECT_EQ(t, w.wakeups, 1u);
    KTEST_EXPECT_EQ(t, vfs_poll(top, nullptr), __poll_t(EPOLLIN | EPOLLRDNORM));
    remove_wait_queue(w.whead, &w.wait);
    fput(top);
    KTEST_EXPECT_EQ(t, sys_epoll_wait(ep, u->out, 0, 0), -EINVAL);
    KTEST_EXPECT_EQ(t, sys_epoll_wait(p[0], u->out, 1, 0), -EINVAL);
}
void ctl_errors(ktest* t) {
    ktest_run_in_mm(t, [](ktest* t, mm_struct*) { with_files(t, ctl_errors_body); }, "ktest-epoll");
}

u64 read_counter(ktest* t, int fd) {
    u64 v = 0;
    ssize_t n = read_fd(fd, &v, sizeof(v));
    return n == 8 ? v : u64(n);
}

void eventfd_body(ktest* t, user_area __user*) {
    int fd = int(sys_eventfd2(3, EFD_SEMAPHORE | EFD_NONBLOCK));
    KTEST_ASSERT_TRUE(t, fd >= 0);
    // Semaphore mode: each read takes 1.
    for (int i = 0; i < 3; i++) KTEST_EXPECT_EQ(t, read_counter(t, fd), 1ul);
    KTEST_EXPECT_EQ(t, read_counter(t, fd), u64(-EAGAIN));
    u64 five = 5;
    KTEST_EXPECT_EQ(t, write_fd(fd, &five, 8), 8l);
    for (int i = 0; i < 5; i++) KTEST_EXPECT_EQ(t, read_counter(t, fd), 1ul);
    KTEST_EXPECT_EQ(t, read_counter(t, fd), u64(-EAGAIN));

    int cnt = int(sys_eventfd2(0, EFD_NONBLOCK));
    KTEST_ASSERT_TRUE(t, cnt >= 0);
    KTEST_EXPECT_EQ(t, write_fd(cnt, &five, 8), 8l);
    KTEST_EXPECT_EQ(t, write_fd(cnt, &five, 8), 8l);
    file* f = fget(unsigned(cnt));
    KTEST_ASSERT_TRUE(t, f != nullptr);
    KTEST_EXPECT_EQ(t, vfs_poll(f, nullptr), __poll_t(EPOLLIN | EPOLLOUT));
    KTEST_EXPECT_EQ(t, read_counter(t, cnt), 10ul);  // the whole count at once
    KTEST_EXPECT_EQ(t, vfs_poll(f, nullptr), __poll_t(EPOLLOUT));
    // Short buffers and the forbidden value are EINVAL.
    KTEST_EXPECT_EQ(t, write_fd(cnt, &five, 4), -EINVAL);
    u32 small;
    KTEST_EXPECT_EQ(t, read_fd(cnt, &small, 4), -EINVAL);
    u64 max = ~0ull;
    KTEST_EXPECT_EQ(t, write_fd(cnt, &max, 8), -EINVAL);
    // The counter stops one short of ULLONG_MAX: a write that would reach it waits (EAGAIN).
    u64 big = ~0ull - 1;
    KTEST_EXPECT_EQ(t, write_fd(cnt, &big, 8), 8l);
    u64 one = 1;
    KTEST_EXPECT_EQ(t, write_fd(cnt, &one, 8), -EAGAIN);
    KTEST_EXPECT_EQ(t, vfs_poll(f, nullptr), __poll_t(EPOLLIN));
    // eventfd_signal clamps instead, to ULLONG_MAX, which poll reports as an error.
    Result<eventfd_ctx*> ctx = eventfd_ctx_fileget(f);
    KTEST_ASSERT_TRUE(t, !ctx.is_error());
    KTEST_EXPECT_EQ(t, eventfd_signal(ctx.value(), 5), 1ul);
    KTEST_EXPECT_EQ(t, vfs_poll(f, nullptr), __poll_t(EPOLLIN | EPOLLERR));
    eventfd_ctx_put(ctx.value());
    fput(f);
    KTEST_EXPECT_EQ(t, sys_eventfd2(0, 0x10), -EINVAL);
}
void eventfd_counter(ktest* t) {
    ktest_run_in_mm(t, [](ktest* t, mm_struct*) { with_files(t, eventfd_body); }, "ktest-eventfd");
}

const ktest_case eventpoll_cases[] = {
    KTEST_CASE(level_and_edge),
    KTEST_CASE(ctl_errors),
    KTEST_CASE(eventfd_counter),
    {},
};

}  // namespace

KTEST_SUITE(eventpoll, eventpoll_cases);
