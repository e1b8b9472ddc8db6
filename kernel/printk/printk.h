// printk internals shared with consoles, panic and (later) /proc/kmsg and dmesg.
#pragma once
#include <keel/types.h>
#include <keel/wait.h>
#include <stddef.h>

extern int console_loglevel;

// Moves the log into a larger buffer from memblock when log_buf_len= asks for
// one or many CPUs need one (called right after setup_arch, as in Linux).
void setup_log_buf(unsigned possible_cpus);

// Formats the log buffer like `dmesg`: "[    0.123456] text" lines; returns the
// bytes written. Oldest records that do not fit are skipped.
size_t log_buf_read_all(char* buf, size_t size);
// Prints, straight to the consoles, the last `lines` records that console_loglevel
// kept off them, so a panic under `quiet` still shows what led to it.
void printk_dump_suppressed_tail(unsigned lines);
// Writes every stored record to one console; used when a console registers late.
struct console;
void printk_replay(console* con);

// ---- following the log (/dev/kmsg, syslog(2)) ----
constexpr size_t LOG_TEXT_MAX = 1024;  // longest text of one record
// A reader's place: the sequence number of the next record to read and where
// it sits in the ring (valid while no newer record has overwritten it).
struct printk_cursor {
    u64 seq;
    size_t idx;
};
enum class printk_whence { first, clear, next };  // the oldest record, syslog's CLEAR mark, the end
// One record as printk_cursor_read returns it (Linux's printk_info).
struct printk_record {
    u64 seq;
    u64 ts_nsec;
    u8 level;
    u8 facility;
    size_t text_len;
};
// Woken when records arrive; a waiter calls printk_wait_prepare() once it is
// on the queue, so that records logged where printk may not wake anybody reach it.
extern wait_queue_head log_wait;
void printk_wait_prepare();
void printk_cursor_set(printk_cursor* c, printk_whence where);
// Copies the cursor's record (text cut to size bytes) and moves past it: 0;
// -EAGAIN when there is none yet; -EPIPE when it was overwritten, the cursor
// then being moved to the oldest record.
int printk_cursor_read(printk_cursor* c, printk_record* r, char* text, size_t size);
// Whether a record waits at c (*lost: the cursor's own was overwritten).
bool printk_cursor_pending(const printk_cursor* c, bool* lost);
// syslog's CLEAR: the clear mark moves to the end, or to c (READ_CLEAR).
void printk_clear();
void printk_clear_to(const printk_cursor* c);
// Stores one record from user space (/dev/kmsg writes) and wakes the readers.
// An open record (the write had no final newline) stays invisible to readers
// until the next record is stored, as in Linux.
void printk_emit(int facility, int level, const char* text, size_t len, bool open);
size_t printk_log_buf_len();
