// Sequential files (Linux's include/linux/seq_file.h): a text file generated
// record by record. The file system provides an iterator (start/next/stop) and
// show(), which prints one record with seq_printf & co into a kernel buffer;
// seq_read_iter copies the buffer out and regenerates from the saved record
// index when the reader comes back. A record that does not fit makes the
// buffer double and the record print again, so show() never sees a short
// buffer. single_open is the one-record case: show() prints the whole file.
#pragma once
#include <keel/fs.h>
#include <keel/mutex.h>
#include <stdarg.h>

struct seq_file;

struct seq_operations {
    void* (*start)(seq_file* m, loff_t* pos);  // the record at *pos, or nullptr at the end
    void (*stop)(seq_file* m, void* v);
    void* (*next)(seq_file* m, void* v, loff_t* pos);  // advances *pos
    int (*show)(seq_file* m, void* v);                // 0, SEQ_SKIP, or -errno
};
constexpr int SEQ_SKIP = 1;  // show() printed nothing for this record: drop what it wrote

struct seq_file {
    char* buf = nullptr;
    size_t size = 0;     // of buf
    size_t from = 0;     // first byte of buf not yet copied out
    size_t count = 0;    // bytes in buf; == size means overflow
    loff_t index = 0;    // next record to show
    loff_t read_pos = 0; // file position of buf[from]
    size_t pad_until = 0;  // seq_pad's column (seq_setwidth)
    mutex lock{"seq_file.lock"};
    const seq_operations* op = nullptr;
    ::file* file = nullptr;
    void* private_data = nullptr;
};

// Opens f as a sequential file (f->private_data becomes the seq_file).
int seq_open(file* f, const seq_operations* op);
// seq_open with a zeroed private area of psize bytes in m->private_data, returned.
void* __seq_open_private(file* f, const seq_operations* op, int psize);
ssize_t seq_read_iter(kiocb* iocb, iov_iter* to);
loff_t seq_lseek(file* f, loff_t offset, int whence);
int seq_release(inode* i, file* f);
int seq_release_private(inode* i, file* f);  // also kfree's m->private_data

// One record: show(m, nullptr-ish) prints the whole file; data goes to m->private_data.
int single_open(file* f, int (*show)(seq_file*, void*), void* data);
int single_open_size(file* f, int (*show)(seq_file*, void*), void* data, size_t size);
int single_release(inode* i, file* f);

// Output: once the buffer is full, further output is dropped and the record
// reprinted into a bigger buffer.
void seq_vprintf(seq_file* m, const char* fmt, va_list args);
void seq_printf(seq_file* m, const char* fmt, ...) __printf(2, 3);
void seq_puts(seq_file* m, const char* s);
void seq_putc(seq_file* m, char c);
void seq_write(seq_file* m, const void* data, size_t len);
// " 1234" style fields, as /proc/PID/stat prints them: delimiter then number.
void seq_put_decimal_ull(seq_file* m, const char* delimiter, unsigned long long num);
void seq_put_decimal_ll(seq_file* m, const char* delimiter, long long num);
// Column alignment (/proc/PID/maps' path column): seq_setwidth marks where a
// field of `size` bytes starts; seq_pad then fills with spaces up to its end
// and writes c (if not 0).
static inline void seq_setwidth(seq_file* m, size_t size) { m->pad_until = m->count + size; }
void seq_pad(seq_file* m, char c);
// Writes s with the characters in esc as \ooo octal (Linux's mangle_path: /proc/mounts).
void seq_escape(seq_file* m, const char* s, const char* esc);
// The path of p from current's root, escaping esc (seq_path); a deleted file gets " (deleted)".
void seq_path(seq_file* m, const path* p, const char* esc);
// A CPU mask over nr_cpu_ids bits as Linux's %*pb ("f,ffffffff": hex, 32-bit
// groups apart by commas) or %*pbl ("0-3,6"); cpumap_print writes it to a
// plain buffer (sysfs), scnprintf-style.
struct cpumask;
size_t cpumap_print(char* buf, size_t size, bool list, const cpumask* mask);
void seq_cpumask(seq_file* m, const cpumask* mask);
void seq_cpumask_list(seq_file* m, const cpumask* mask);
static inline bool seq_has_overflowed(const seq_file* m) { return m->count == m->size; }
static inline void seq_set_overflow(seq_file* m) { m->count = m->size; }

// For producers that format into a plain buffer (show_interrupts and kin):
// seq_get_buf gives the free tail, seq_commit records how much the producer
// wrote. A producer that fills the tail (scnprintf stops one short of it) is
// taken to have been cut off, and the record is printed again, bigger.
size_t seq_get_buf(seq_file* m, char** bufp);
void seq_commit(seq_file* m, size_t num);
template <typename F> void seq_print_with(seq_file* m, F producer) {
    char* buf;
    size_t avail = seq_get_buf(m, &buf);
    seq_commit(m, avail ? producer(buf, avail) : avail);
}

// Iterating a list_head: the records are its entries.
list_head* seq_list_start(list_head* head, loff_t pos);
list_head* seq_list_start_head(list_head* head, loff_t pos);  // the head itself first (a header line)
list_head* seq_list_next(void* v, list_head* head, loff_t* ppos);
