// fs/pipe.cpp at file level: the ring wrapping round many times with data
// intact, the 64 KiB limit of a non-blocking writer, PIPE_BUF atomicity with
// two writer threads racing, EOF, EPIPE, EAGAIN, F_SETPIPE_SZ, and the
// poll wake-ups (their keys) that poll/select/epoll rely on.
#include <keel/completion.h>
#include <keel/delay.h>
#include <keel/kthread.h>
#include <keel/pipe_fs_i.h>
#include <keel/poll.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>
#include <uapi/linux/fcntl.h>

namespace {

struct pipe_pair {
    file* r = nullptr;
    file* w = nullptr;
    ~pipe_pair() {
        if (r) fput(r);
        if (w) fput(w);
    }
};

bool make_pipe(ktest* t, pipe_pair* p, int flags) {
    file* res[2];
    Result<void> made = create_pipe_files(res, flags);
    KTEST_EXPECT_FALSE(t, made.is_error());
    if (made.is_error()) return false;
    p->r = res[0];
    p->w = res[1];
    return true;
}

ssize_t pwrite_k(file* f, const void* buf, size_t n) {
    loff_t pos = 0;
    return kernel_write(f, buf, n, &pos);
}

ssize_t pread_k(file* f, void* buf, size_t n) {
    loff_t pos = 0;
    return kernel_read(f, buf, n, &pos);
}

// 3000-byte messages through a 16-slot ring, 200 times: the indices wrap
// past the ring many times and every byte comes out as it went in.
void ring_wrap(ktest* t) {
    pipe_pair p;
    if (!make_pipe(t, &p, 0)) return;
    static char out[3000], in[3000];
    for (int i = 0; i < 200; i++) {
        for (unsigned j = 0; j < sizeof(out); j++) out[j] = char(i * 7 + j);
        KTEST_ASSERT_TRUE(t, pwrite_k(p.w, out, sizeof(out)) == ssize_t(sizeof(out)));
        KTEST_ASSERT_TRUE(t, pread_k(p.r, in, sizeof(in)) == ssize_t(sizeof(in)));
        KTEST_ASSERT_TRUE(t, memcmp(in, out, sizeof(in)) == 0);
    }
    pipe_inode_info* pipe = get_pipe_info(p.r);
    KTEST_EXPECT_GT(t, pipe->head, 3 * pipe->ring_size);
    KTEST_EXPECT_EQ(t, pipe->head, pipe->tail);
}

// A non-blocking writer fills exactly PIPE_DEF_BUFFERS pages, then EAGAIN;
// F_SETPIPE_SZ refuses to shrink below the data and grows the ring.
void full_pipe_and_resize(ktest* t) {
    pipe_pair p;
    if (!make_pipe(t, &p, O_NONBLOCK)) return;
    static char page[PAGE_SIZE];
    memset(page, 'f', sizeof(page));
    long total = 0;
    ssize_t n;
    while ((n = pwrite_k(p.w, page, 1000)) > 0) total += n;
    KTEST_EXPECT_EQ(t, n, -EAGAIN);
    // 1000-byte writes merge 4 to a page; the 5th starts a new one.
    KTEST_EXPECT_EQ(t, total, 16 * 4 * 1000l);
    KTEST_EXPECT_EQ(t, pipe_fcntl(p.w, F_GETPIPE_SZ, 0), 65536l);
    KTEST_EXPECT_EQ(t, pipe_fcntl(p.w, F_SETPIPE_SZ, 4096), -EBUSY);
    KTEST_EXPECT_EQ(t, pipe_fcntl(p.w, F_SETPIPE_SZ, 100000), 131072l);  // rounded up to a power of two
    KTEST_EXPECT_EQ(t, pwrite_k(p.w, page, sizeof(page)), ssize_t(sizeof(page)));
    static char in[4000];
    KTEST_EXPECT_EQ(t, pread_k(p.r, in, sizeof(in)), 4000l);  // in order after the move
    KTEST_EXPECT_EQ(t, in[0], 'f');
    KTEST_EXPECT_EQ(t, pipe_fcntl(p.w, 12345, 0), -EINVAL);
}

void eof_and_eagain(ktest* t) {
    pipe_pair p;
    if (!make_pipe(t, &p, O_NONBLOCK)) return;
    char buf[16];
    KTEST_EXPECT_EQ(t, pread_k(p.r, buf, sizeof(buf)), -EAGAIN);
    KTEST_EXPECT_EQ(t, pwrite_k(p.w, "hello", 5), 5l);
    fput(p.w);
    p.w = nullptr;
    KTEST_EXPECT_EQ(t, pread_k(p.r, buf, sizeof(buf)), 5l);
    KTEST_EXPECT_EQ(t, memcmp(buf, "hello", 5), 0);
    KTEST_EXPECT_EQ(t, pread_k(p.r, buf, sizeof(buf)), 0l);  // EOF, not EAGAIN
}

// The write runs in a kernel thread: those take no signals, so the SIGPIPE
// that goes with EPIPE cannot linger in the thread running the suites.
struct epipe_arg {
    file* w;
    ssize_t n, empty;
    completion done;
};

int epipe_writer(void* data) {
    auto* arg = static_cast<epipe_arg*>(data);
    arg->n = pwrite_k(arg->w, "x", 1);
    arg->empty = pwrite_k(arg->w, "", 0);
    complete(&arg->done);
    return 0;
}

void epipe(ktest* t) {
    pipe_pair p;
    if (!make_pipe(t, &p, 0)) return;
    fput(p.r);
    p.r = nullptr;
    epipe_arg arg{p.w, 0, -1, {}};
    init_completion(&arg.done);
    KTEST_ASSERT_TRUE(t, kthread_run(epipe_writer, &arg, "ktest-pipe-w") != nullptr);
    wait_for_completion(&arg.done);
    KTEST_EXPECT_EQ(t, arg.n, -EPIPE);
    KTEST_EXPECT_EQ(t, arg.empty, 0l);  // an empty write succeeds anyway
}

// Two threads write records of RECORD bytes (<= PIPE_BUF), each filled with
// its own letter, into one blocking pipe while the test reads: however the
// writes interleave, every record arrives whole.
constexpr unsigned RECORD = 1000, RECORDS = 400;

struct writer_arg {
    file* w;
    char letter;
    ssize_t result;
    completion done;
};

int record_writer(void* data) {
    auto* arg = static_cast<writer_arg*>(data);
    char rec[RECORD];
    memset(rec, arg->letter, sizeof(rec));
    arg->result = 0;
    for (unsigned i = 0; i < RECORDS; i++) {
        ssize_t n = pwrite_k(arg->w, rec, sizeof(rec));
        if (n != ssize_t(sizeof(rec))) {
            arg->result = n;
            break;
        }
    }
    complete(&arg->done);
    return 0;
}

void pipe_buf_atomicity(ktest* t) {
    pipe_pair p;
    if (!make_pipe(t, &p, 0)) return;
    writer_arg a{p.w, 'a', 0, {}}, b{p.w, 'b', 0, {}};
    init_completion(&a.done);
    init_completion(&b.done);
    task_struct* ta = kthread_run(record_writer, &a, "ktest-pipe-a");
    task_struct* tb = kthread_run(record_writer, &b, "ktest-pipe-b");
    KTEST_ASSERT_TRUE(t, ta && tb);

    static char rec[RECORD];
    unsigned have = 0, records = 0, torn = 0, counts[2] = {};
    char buf[777];  // reads cut across records: only the records must be whole
    while (records < 2 * RECORDS) {
        ssize_t n = pread_k(p.r, buf, sizeof(buf));
        KTEST_ASSERT_TRUE(t, n > 0);
        for (ssize_t i = 0; i < n; i++) {
            rec[have++] = buf[i];
            if (have < RECORD) continue;
            have = 0;
            records++;
            for (unsigned j = 1; j < RECORD; j++)
                if (rec[j] != rec[0]) {
                    torn++;
                    break;
                }
            if (rec[0] == 'a' || rec[0] == 'b') counts[rec[0] - 'a']++;
        }
    }
    wait_for_completion(&a.done);
    wait_for_completion(&b.done);
    KTEST_EXPECT_EQ(t, a.result, 0l);
    KTEST_EXPECT_EQ(t, b.result, 0l);
    KTEST_EXPECT_EQ(t, torn, 0u);
    KTEST_EXPECT_EQ(t, counts[0], RECORDS);
    KTEST_EXPECT_EQ(t, counts[1], RECORDS);
}

// A poll table whose entry records the keys it is woken with, as
// select/epoll's entries would see them.
struct key_recorder {
    poll_table pt;
    wait_queue_entry wait;
    wait_queue_head* whead = nullptr;
    __poll_t keys = 0;
    unsigned wakeups = 0;
};

int record_key(wait_queue_entry* wait, unsigned, int, void* key) {
    key_recorder* rec = container_of(wait, key_recorder, wait);
    rec->keys |= key ? key_to_poll(key) : ~__poll_t(0);
    rec->wakeups++;
    return 0;
}

void record_queue(file*, wait_queue_head* wq, poll_table* pt) {
    key_recorder* rec = container_of(pt, key_recorder, pt);
    rec->whead = wq;
    rec->wait.func = record_key;
    add_wait_queue(wq, &rec->wait);
}

void poll_wakeups(ktest* t) {
    pipe_pair p;
    if (!make_pipe(t, &p, O_NONBLOCK)) return;
    key_recorder rec;
    init_poll_funcptr(&rec.pt, record_queue);
    KTEST_EXPECT_EQ(t, vfs_poll(p.r, &rec.pt), 0u);  // empty: nothing for a reader
    KTEST_ASSERT_TRUE(t, rec.whead != nullptr);
    KTEST_EXPECT_EQ(t, vfs_poll(p.w, nullptr), __poll_t(EPOLLOUT | EPOLLWRNORM));

    KTEST_EXPECT_EQ(t, pwrite_k(p.w, "abc", 3), 3l);
    KTEST_EXPECT_GE(t, rec.wakeups, 1u);
    KTEST_EXPECT_TRUE(t, rec.keys & EPOLLIN);
    KTEST_EXPECT_FALSE(t, rec.keys & EPOLLOUT);  // readers are not woken for room
    KTEST_EXPECT_EQ(t, vfs_poll(p.r, nullptr), __poll_t(EPOLLIN | EPOLLRDNORM));

    // Every further write wakes a reader that polled (an edge-triggered
    // epoll needs each one), not only the one that made the pipe non-empty.
    unsigned before = rec.wakeups;
    KTEST_EXPECT_EQ(t, pwrite_k(p.w, "d", 1), 1l);
    KTEST_EXPECT_GT(t, rec.wakeups, before);

    before = rec.wakeups;
    fput(p.w);
    p.w = nullptr;
    KTEST_EXPECT_GT(t, rec.wakeups, before);  // the last writer's close wakes readers
    KTEST_EXPECT_EQ(t, vfs_poll(p.r, nullptr), __poll_t(EPOLLIN | EPOLLRDNORM | EPOLLHUP));
    char buf[8];
    KTEST_EXPECT_EQ(t, pread_k(p.r, buf, sizeof(buf)), 4l);
    KTEST_EXPECT_EQ(t, vfs_poll(p.r, nullptr), __poll_t(EPOLLHUP));
    remove_wait_queue(rec.whead, &rec.wait);
}

// A reader blocked on an empty pipe wakes for the write and gets its bytes.
struct reader_arg {
    file* r;
    char buf[8];
    ssize_t n;
    completion done;
};

int blocking_reader(void* data) {
    auto* arg = static_cast<reader_arg*>(data);
    arg->n = pread_k(arg->r, arg->buf, sizeof(arg->buf));
    complete(&arg->done);
    return 0;
}

void blocked_reader_woken(ktest* t) {
    pipe_pair p;
    if (!make_pipe(t, &p, 0)) return;
    reader_arg arg{p.r, {}, -1, {}};
    init_completion(&arg.done);
    KTEST_ASSERT_TRUE(t, kthread_run(blocking_reader, &arg, "ktest-pipe-r") != nullptr);
    msleep(20);  // let it block
    KTEST_EXPECT_FALSE(t, completion_done(&arg.done));
    KTEST_EXPECT_EQ(t, pwrite_k(p.w, "wake", 4), 4l);
    wait_for_completion(&arg.done);
    KTEST_EXPECT_EQ(t, arg.n, 4l);
    KTEST_EXPECT_EQ(t, memcmp(arg.buf, "wake", 4), 0);
}

const ktest_case pipe_cases[] = {
    KTEST_CASE(ring_wrap),
    KTEST_CASE(full_pipe_and_resize),
    KTEST_CASE(eof_and_eagain),
    KTEST_CASE(epipe),
    KTEST_CASE(pipe_buf_atomicity),
    KTEST_CASE(poll_wakeups),
    KTEST_CASE(blocked_reader_woken),
    {},
};

}  // namespace

KTEST_SUITE(pipe, pipe_cases);
