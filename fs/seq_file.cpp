// Sequential files (Linux's fs/seq_file.c); see keel/seq_file.h. A reader
// that comes back at the position where it stopped continues from the records
// already generated; any other position regenerates the file from record 0
// up to it (traverse), so a file that changes between reads shows each read a
// consistent prefix, as in Linux.
#include <keel/dcache.h>
#include <new>
#include <keel/seq_file.h>
#include <keel/smp.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>

namespace {

// Small buffers come from kmalloc, big ones (sched_debug on many CPUs) from
// vmalloc (Linux's kvmalloc).
constexpr size_t KMALLOC_SEQ_MAX = 4 * PAGE_SIZE;

char* seq_buf_alloc(size_t size) {
    return static_cast<char*>(size <= KMALLOC_SEQ_MAX ? kmalloc(size, GFP_KERNEL) : vmalloc(size));
}

void seq_buf_free(const char* buf) {
    if (is_vmalloc_addr(buf)) vfree(buf);
    else kfree(buf);
}

// The buffer is too small for one record: drop it and get one twice the size.
int seq_buf_grow(seq_file* m) {
    seq_buf_free(m->buf);
    m->count = 0;
    m->size <<= 1;
    m->buf = seq_buf_alloc(m->size);
    return m->buf ? 0 : -ENOMEM;
}

// Regenerates the records up to file position offset, leaving buf holding the
// rest of the record that contains it. -EAGAIN: the buffer grew, try again.
int traverse(seq_file* m, loff_t offset) {
    loff_t pos = 0;
    int error = 0;
    m->index = 0;
    m->count = m->from = 0;
    if (!offset) return 0;
    if (!m->buf) {
        m->buf = seq_buf_alloc(m->size = PAGE_SIZE);
        if (!m->buf) return -ENOMEM;
    }
    void* p = m->op->start(m, &m->index);
    while (p) {
        error = m->op->show(m, p);
        if (error < 0) break;
        if (error) {
            error = 0;
            m->count = 0;
        }
        if (seq_has_overflowed(m)) {
            m->op->stop(m, p);
            return seq_buf_grow(m) ?: -EAGAIN;
        }
        p = m->op->next(m, p, &m->index);
        if (pos + loff_t(m->count) > offset) {
            m->from = size_t(offset - pos);
            m->count -= m->from;
            break;
        }
        pos += loff_t(m->count);
        m->count = 0;
        if (pos == offset) break;
    }
    m->op->stop(m, p);
    return error;
}

void* single_start(seq_file*, loff_t* pos) { return *pos == 0 ? reinterpret_cast<void*>(1) : nullptr; }
void* single_next(seq_file*, void*, loff_t* pos) {
    ++*pos;
    return nullptr;
}
void single_stop(seq_file*, void*) {}

}  // namespace

int seq_open(file* f, const seq_operations* op) {
    auto* m = new (kzalloc(sizeof(seq_file), GFP_KERNEL)) seq_file;
    if (!m) return -ENOMEM;
    m->op = op;
    m->file = f;
    f->private_data = m;
    return 0;
}

void* __seq_open_private(file* f, const seq_operations* op, int psize) {
    void* priv = kzalloc(size_t(psize), GFP_KERNEL);
    if (!priv) return nullptr;
    if (seq_open(f, op)) {
        kfree(priv);
        return nullptr;
    }
    static_cast<seq_file*>(f->private_data)->private_data = priv;
    return priv;
}

ssize_t seq_read_iter(kiocb* iocb, iov_iter* iter) {
    seq_file* m = static_cast<seq_file*>(iocb->ki_filp->private_data);
    if (!iov_iter_count(iter)) return 0;
    MutexGuard guard(&m->lock);
    ssize_t copied = 0;
    int err = 0;

    // A read from 0 starts over (rewinding by pread is common: top, ps).
    if (iocb->ki_pos == 0) {
        m->index = 0;
        m->count = 0;
    }
    if (iocb->ki_pos != m->read_pos) {
        while ((err = traverse(m, iocb->ki_pos)) == -EAGAIN) {}
        if (err) {
            m->read_pos = 0;
            m->index = 0;
            m->count = 0;
            return err;
        }
        m->read_pos = iocb->ki_pos;
    }
    if (!m->buf) {
        m->buf = seq_buf_alloc(m->size = PAGE_SIZE);
        if (!m->buf) return -ENOMEM;
    }

    // What is left of the last record first.
    if (m->count) {
        size_t n = copy_to_iter(m->buf + m->from, m->count < iov_iter_count(iter) ? m->count : iov_iter_count(iter), iter);
        m->count -= n;
        m->from += n;
        copied += ssize_t(n);
        if (m->count) goto done;  // the reader's buffer is full (or faulted)
    }

    {
        // Find a record that prints something, growing the buffer until it fits.
        m->from = 0;
        void* p = m->op->start(m, &m->index);
        for (;;) {
            if (!p) break;
            err = m->op->show(m, p);
            if (err < 0) break;
            if (err) m->count = 0;  // SEQ_SKIP
            if (!m->count) {
                p = m->op->next(m, p, &m->index);
                continue;
            }
            if (!seq_has_overflowed(m)) goto fill;
            m->op->stop(m, p);
            if ((err = seq_buf_grow(m))) goto done;
            p = m->op->start(m, &m->index);
        }
        m->op->stop(m, p);
        m->count = 0;
        goto done;

    fill:
        // More whole records while the reader has room for them.
        for (;;) {
            size_t offs = m->count;
            loff_t pos = m->index;
            p = m->op->next(m, p, &m->index);
            if (pos == m->index) m->index++;  // a next() that forgot to advance
            if (!p) break;
            if (m->count >= iov_iter_count(iter)) break;
            err = m->op->show(m, p);
            if (err > 0) {
                m->count = offs;
                err = 0;
            } else if (err || seq_has_overflowed(m)) {
                m->count = offs;
                break;
            }
        }
        m->op->stop(m, p);
        size_t n = copy_to_iter(m->buf, m->count, iter);
        copied += ssize_t(n);
        m->count -= n;
        m->from = n;
    }

done:
    if (!copied) return m->count ? -EFAULT : err;
    iocb->ki_pos += copied;
    m->read_pos += copied;
    return copied;
}

loff_t seq_lseek(file* f, loff_t offset, int whence) {
    seq_file* m = static_cast<seq_file*>(f->private_data);
    MutexGuard guard(&m->lock);
    switch (whence) {
    case SEEK_CUR: offset += f->f_pos; [[fallthrough]];
    case SEEK_SET:
        if (offset < 0) return -EINVAL;
        if (offset != m->read_pos) {
            int err;
            while ((err = traverse(m, offset)) == -EAGAIN) {}
            if (err) {
                // Nothing sensible to stay at: back to the start.
                m->read_pos = 0;
                m->index = 0;
                m->count = 0;
                f->f_pos = 0;
                return err;
            }
            m->read_pos = offset;
        }
        f->f_pos = offset;
        return offset;
    default: return -EINVAL;
    }
}

int seq_release(inode*, file* f) {
    seq_file* m = static_cast<seq_file*>(f->private_data);
    seq_buf_free(m->buf);
    m->~seq_file();
    kfree(m);
    return 0;
}

int seq_release_private(inode* i, file* f) {
    kfree(static_cast<seq_file*>(f->private_data)->private_data);
    return seq_release(i, f);
}

int single_open(file* f, int (*show)(seq_file*, void*), void* data) {
    auto* op = static_cast<seq_operations*>(kmalloc(sizeof(seq_operations), GFP_KERNEL));
    if (!op) return -ENOMEM;
    *op = {single_start, single_stop, single_next, show};
    int err = seq_open(f, op);
    if (err) {
        kfree(op);
        return err;
    }
    static_cast<seq_file*>(f->private_data)->private_data = data;
    return 0;
}

int single_open_size(file* f, int (*show)(seq_file*, void*), void* data, size_t size) {
    char* buf = seq_buf_alloc(size);
    if (!buf) return -ENOMEM;
    int err = single_open(f, show, data);
    if (err) {
        seq_buf_free(buf);
        return err;
    }
    seq_file* m = static_cast<seq_file*>(f->private_data);
    m->buf = buf;
    m->size = size;
    return 0;
}

int single_release(inode* i, file* f) {
    const seq_operations* op = static_cast<seq_file*>(f->private_data)->op;
    int ret = seq_release(i, f);
    kfree(op);
    return ret;
}

void seq_vprintf(seq_file* m, const char* fmt, va_list args) {
    if (m->count < m->size) {
        int len = vsnprintf(m->buf + m->count, m->size - m->count, fmt, args);
        if (m->count + size_t(len) < m->size) {
            m->count += size_t(len);
            return;
        }
    }
    seq_set_overflow(m);
}

void seq_printf(seq_file* m, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    seq_vprintf(m, fmt, args);
    va_end(args);
}

void seq_write(seq_file* m, const void* data, size_t len) {
    if (m->count + len < m->size) {
        memcpy(m->buf + m->count, data, len);
        m->count += len;
        return;
    }
    seq_set_overflow(m);
}

void seq_puts(seq_file* m, const char* s) { seq_write(m, s, strlen(s)); }

void seq_putc(seq_file* m, char c) {
    if (m->count >= m->size) return;
    m->buf[m->count++] = c;
}

void seq_put_decimal_ull(seq_file* m, const char* delimiter, unsigned long long num) {
    seq_printf(m, "%s%llu", delimiter, num);
}

void seq_put_decimal_ll(seq_file* m, const char* delimiter, long long num) {
    seq_printf(m, "%s%lld", delimiter, num);
}

void seq_pad(seq_file* m, char c) {
    size_t size = m->pad_until > m->count ? m->pad_until - m->count : 0;
    if (size) {
        if (m->count + size >= m->size) {
            seq_set_overflow(m);
            return;
        }
        memset(m->buf + m->count, ' ', size);
        m->count += size;
    }
    if (c) seq_putc(m, c);
}

void seq_escape(seq_file* m, const char* s, const char* esc) {
    for (; *s; s++) {
        if (strchr(esc, *s)) seq_printf(m, "\\%03o", unsigned(static_cast<unsigned char>(*s)));
        else seq_putc(m, *s);
    }
}

void seq_path(seq_file* m, const path* p, const char* esc) {
    char* buf = static_cast<char*>(kmalloc(PATH_MAX, GFP_KERNEL));
    if (!buf) {
        seq_set_overflow(m);
        return;
    }
    Result<char*> name = d_path(p, buf, PATH_MAX);
    if (!name.is_error()) seq_escape(m, name.value(), esc);
    kfree(buf);
}

size_t seq_get_buf(seq_file* m, char** bufp) {
    *bufp = m->buf + m->count;
    return m->count < m->size ? m->size - m->count : 0;
}

void seq_commit(seq_file* m, size_t num) {
    if (m->count + num + 1 >= m->size) seq_set_overflow(m);
    else m->count += num;
}

size_t cpumap_print(char* buf, size_t size, bool list, const cpumask* mask) {
    unsigned nbits = nr_cpu_ids;
    size_t len = 0;
    if (size) buf[0] = '\0';
    if (!list) {
        unsigned chunks = (nbits + 31) / 32;
        for (unsigned c = chunks; c-- > 0;) {
            u32 word = 0;
            for (unsigned b = 0; b < 32 && c * 32 + b < nbits; b++)
                if (cpumask_test_cpu(c * 32 + b, mask)) word |= 1u << b;
            unsigned bits = c == chunks - 1 && nbits % 32 ? nbits % 32 : 32;
            len += scnprintf(buf + len, size - len, c == chunks - 1 ? "%0*x" : ",%0*x", int((bits + 3) / 4), word);
        }
        return len;
    }
    for (unsigned cpu = 0; cpu < nbits;) {
        if (!cpumask_test_cpu(cpu, mask)) {
            cpu++;
            continue;
        }
        unsigned end = cpu;
        while (end + 1 < nbits && cpumask_test_cpu(end + 1, mask)) end++;
        len += scnprintf(buf + len, size - len, end == cpu ? "%s%u" : "%s%u-%u", len ? "," : "", cpu, end);
        cpu = end + 1;
    }
    return len;
}

void seq_cpumask(seq_file* m, const cpumask* mask) {
    seq_print_with(m, [mask](char* buf, size_t size) { return cpumap_print(buf, size, false, mask); });
}

void seq_cpumask_list(seq_file* m, const cpumask* mask) {
    seq_print_with(m, [mask](char* buf, size_t size) { return cpumap_print(buf, size, true, mask); });
}

list_head* seq_list_start(list_head* head, loff_t pos) {
    for (list_head* lh = head->next; lh != head; lh = lh->next)
        if (pos-- == 0) return lh;
    return nullptr;
}

list_head* seq_list_start_head(list_head* head, loff_t pos) {
    if (!pos) return head;
    return seq_list_start(head, pos - 1);
}

list_head* seq_list_next(void* v, list_head* head, loff_t* ppos) {
    list_head* lh = static_cast<list_head*>(v)->next;
    ++*ppos;
    return lh == head ? nullptr : lh;
}
