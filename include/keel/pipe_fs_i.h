// Pipes and FIFOs (Linux's include/linux/pipe_fs_i.h): a pipe is a ring of
// page-sized buffers between the files that write and read it. pipe(2) makes
// one on pipefs with two files; a FIFO keeps one in its inode (i_pipe) while
// it is open.
//
// head and tail run freely (unsigned, wrapping); head - tail is the number of
// buffers in use and the slot of index i is i & (ring_size - 1), ring_size
// being a power of two. Writers fill the buffer at head - 1 or a new one at
// head; readers drain the one at tail. Everything below is guarded by mutex;
// rd_wait/wr_wait have their own locks.
#pragma once
#include <keel/fs.h>
#include <keel/mutex.h>
#include <keel/wait.h>

constexpr unsigned PIPE_DEF_BUFFERS = 16;  // 64 KiB, Linux's default
constexpr unsigned PIPE_BUF = 4096;        // writes up to this size never interleave
constexpr unsigned long PIPEFS_MAGIC = 0x50495045;
// /proc/sys/fs/pipe-max-size: the most an unprivileged F_SETPIPE_SZ may ask for.
constexpr unsigned PIPE_MAX_SIZE = 1048576;

enum : unsigned {
    PIPE_BUF_FLAG_CAN_MERGE = 0x10,  // later small writes may append to this buffer
    PIPE_BUF_FLAG_PACKET = 0x08,     // O_DIRECT: one write, one read
};

struct page;
struct pipe_buffer {
    struct page* page;
    unsigned offset, len;
    unsigned flags;
};

struct pipe_inode_info {
    struct mutex mutex{"pipe->mutex"};
    wait_queue_head rd_wait, wr_wait;  // readers wait for data, writers for room
    unsigned head = 0, tail = 0;
    unsigned max_usage = 0;  // buffers that may be in use (F_SETPIPE_SZ)
    unsigned ring_size = 0;  // slots in bufs: a power of two >= max_usage
    unsigned readers = 0, writers = 0;  // open files that read / write
    unsigned files = 0;  // files referring to this pipe (guarded by the inode's i_lock)
    // Opens for reading / writing so far: a FIFO opener waiting for its
    // partner sleeps until the partner's counter moves.
    unsigned r_counter = 0, w_counter = 0;
    // Someone polled this pipe: every write must wake readers, not only the
    // write that made it non-empty (an edge-triggered epoll waits for each).
    bool poll_usage = false;
    page* tmp_page = nullptr;  // a freed buffer page kept for the next write
    pipe_buffer* bufs = nullptr;
};

// Ring arithmetic on free-running indices.
static inline unsigned pipe_occupancy(unsigned head, unsigned tail) { return head - tail; }
static inline bool pipe_empty(unsigned head, unsigned tail) { return head == tail; }
static inline bool pipe_full(unsigned head, unsigned tail, unsigned limit) {
    return pipe_occupancy(head, tail) >= limit;
}
// F_SETPIPE_SZ's rounding: at least a page, a power of two of pages; 0 when
// the request is too large to be a ring size at all.
static inline unsigned long round_pipe_size(unsigned long size) {
    if (size > (1ul << 31)) return 0;
    if (size < 4096) return 4096;
    unsigned long r = 4096;
    while (r < size) r <<= 1;
    return r;
}

pipe_inode_info* alloc_pipe_info();
void free_pipe_info(pipe_inode_info* pipe);
// The two files of a new pipe: res[0] reads, res[1] writes. flags: O_NONBLOCK,
// O_DIRECT (packet mode).
Result<void> create_pipe_files(file** res, int flags);
// The pipe behind f, or nullptr if f is no pipe or FIFO.
pipe_inode_info* get_pipe_info(file* f);
// F_GETPIPE_SZ / F_SETPIPE_SZ for sys_fcntl: the pipe's size in bytes, or
// -EBADF (not a pipe), -EINVAL, -EPERM, -EBUSY (the data would not fit).
long pipe_fcntl(file* f, unsigned cmd, unsigned long arg);

// Pipes and FIFOs share one set of file operations; its open (fifo_open) is
// what opening a FIFO's inode runs (init_special_inode).
extern const file_operations pipefifo_fops;
