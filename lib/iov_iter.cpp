// Iterating over I/O vectors (Linux's lib/iov_iter.c): one read_iter or
// write_iter serves user segments (read, readv, pread) and kernel ones (exec,
// sendfile, kernel_read). A copy moves what it can and stops at the first user
// fault, so callers see a short count and decide between bytes and -EFAULT.
#include <keel/fs.h>
#include <keel/panic.h>
#include <lib/string.h>
#include <mm/page.h>
#include <uapi/linux/uio.h>

namespace {

// iovec and kvec have the same shape; the walk reads both through this view.
struct segment {
    char* base;
    size_t len;
};

segment current_segment(const iov_iter* i) {
    if (i->type == ITER_IOVEC) return {static_cast<char*>(i->iov->iov_base), i->iov->iov_len};
    return {static_cast<char*>(i->kvec->iov_base), i->kvec->iov_len};
}

void next_segment(iov_iter* i) {
    if (i->type == ITER_IOVEC) i->iov++;
    else i->kvec++;
    i->nr_segs--;
    i->iov_offset = 0;
}

// Walks up to `bytes` of the iter, handing each piece to user(ptr, len, done)
// or kern(ptr, len, done) by the iter's type (done: bytes before this piece).
// A step returns the bytes it moved; a short step (a fault) ends the walk. The
// iter advances by what moved.
template <typename UserStep, typename KernStep>
size_t iterate(iov_iter* i, size_t bytes, UserStep user, KernStep kern) {
    if (bytes > i->count) bytes = i->count;
    size_t done = 0;
    while (done < bytes && i->nr_segs) {
        segment s = current_segment(i);
        size_t n = s.len - i->iov_offset;
        if (n > bytes - done) n = bytes - done;
        size_t moved = 0;
        if (n) moved = i->type == ITER_IOVEC ? user(s.base + i->iov_offset, n, done)
                                             : kern(s.base + i->iov_offset, n, done);
        done += moved;
        i->iov_offset += moved;
        i->count -= moved;
        if (i->iov_offset == s.len) next_segment(i);
        if (moved < n) break;
    }
    return done;
}

}  // namespace

void iov_iter_init(iov_iter* i, int direction, const iovec* iov, unsigned long nr_segs, size_t count) {
    WARN_ON(direction != READ && direction != WRITE);
    *i = {};
    i->type = ITER_IOVEC;
    i->data_source = static_cast<unsigned char>(direction);
    i->iov = iov;
    i->nr_segs = nr_segs;
    i->count = count;
}

void iov_iter_kvec(iov_iter* i, int direction, const kvec* kvec, unsigned long nr_segs, size_t count) {
    WARN_ON(direction != READ && direction != WRITE);
    *i = {};
    i->type = ITER_KVEC;
    i->data_source = static_cast<unsigned char>(direction);
    i->kvec = kvec;
    i->nr_segs = nr_segs;
    i->count = count;
}

size_t copy_to_iter(const void* addr, size_t bytes, iov_iter* i) {
    if (WARN_ON(i->data_source)) return 0;  // a source of data cannot be written into
    const char* from = static_cast<const char*>(addr);
    return iterate(
        i, bytes,
        [from](char* to, size_t n, size_t done) { return n - copy_to_user(to, from + done, n); },
        [from](char* to, size_t n, size_t done) {
            memcpy(to, from + done, n);
            return n;
        });
}

size_t copy_from_iter(void* addr, size_t bytes, iov_iter* i) {
    if (WARN_ON(!i->data_source)) return 0;  // a destination has no data to give
    char* to = static_cast<char*>(addr);
    return iterate(
        i, bytes,
        [to](char* from, size_t n, size_t done) { return n - copy_from_user(to + done, from, n); },
        [to](char* from, size_t n, size_t done) {
            memcpy(to + done, from, n);
            return n;
        });
}

// Pages of one allocation are contiguous in the direct map, so an offset past
// the first page (a compound page) addresses the pages that follow it.
size_t copy_page_to_iter(page* p, size_t offset, size_t bytes, iov_iter* i) {
    return copy_to_iter(static_cast<char*>(page_address(p)) + offset, bytes, i);
}

size_t copy_page_from_iter(page* p, size_t offset, size_t bytes, iov_iter* i) {
    return copy_from_iter(static_cast<char*>(page_address(p)) + offset, bytes, i);
}

size_t iov_iter_zero(size_t bytes, iov_iter* i) {
    return iterate(
        i, bytes, [](char* to, size_t n, size_t) { return n - clear_user(to, n); },
        [](char* to, size_t n, size_t) {
            memset(to, 0, n);
            return n;
        });
}

void iov_iter_advance(iov_iter* i, size_t bytes) {
    auto skip = [](char*, size_t n, size_t) { return n; };
    iterate(i, bytes, skip, skip);
}
