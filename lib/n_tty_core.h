// The N_TTY line discipline's state machine (the logic of Linux's
// drivers/tty/n_tty.c without its locking, sleeping and signalling): what each
// received character does to the input buffer and the echo, how canonical
// lines and raw bytes are taken out by read(2), how output is post-processed,
// and when a read may return (VMIN/VTIME). It depends on nothing in the
// kernel, so the host tests drive it directly; drivers/tty/n_tty.cpp wraps it
// with a mutex, the wait queues and the signals it asks for.
//
// The input buffer is a ring of N_TTY_BUF_SIZE bytes indexed by free-running
// counters (read_tail <= canon_head <= read_head), as in Linux: bytes before
// canon_head form complete lines (canonical mode), a bit in read_flags marks
// each line's delimiter. An end-of-file (VEOF) is stored as a delimiter byte
// _POSIX_VDISABLE that read(2) consumes without returning it.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <uapi/asm/termbits.h>

constexpr size_t N_TTY_BUF_SIZE = 4096;
constexpr size_t N_TTY_OUT_SIZE = 1024;

struct n_tty_core {
    termios t;
    unsigned char read_buf[N_TTY_BUF_SIZE];
    uint64_t read_flags[N_TTY_BUF_SIZE / 64];
    size_t read_head, canon_head, read_tail;
    unsigned column;        // output column, for tab expansion and erasing tabs
    unsigned canon_column;  // the column where the current line's echo started
    bool icanon;            // ICANON as of the last set_termios
    bool lnext;             // the next character is literal (VLNEXT seen)
    bool erasing;           // ECHOPRT: inside a \...erased.../ sequence
    bool stopped;           // IXON: output stopped by VSTOP
    // Output ready for the driver: echoes and processed writes. Echoes that
    // do not fit are dropped (a terminal that is not drained cannot echo).
    unsigned char out_buf[N_TTY_OUT_SIZE];
    size_t out_len;
};

// Empty buffers and the given settings.
void n_tty_init(n_tty_core* ld, const termios* t);
// New settings; switching ICANON turns pending input into a line or back, as Linux.
void n_tty_set_termios(n_tty_core* ld, const termios* t);

// One received byte. Returns the signal it raises under ISIG (SIGINT for
// VINTR, SIGQUIT for VQUIT, SIGTSTP for VSUSP), else 0; the input was flushed
// then unless NOFLSH.
int n_tty_receive_char(n_tty_core* ld, unsigned char c);
// Whether more input should be fed now; when not, the driver's bytes wait
// in its flip buffer until a read makes room (Linux's throttling).
bool n_tty_receive_room(const n_tty_core* ld);
// Drops all pending input (TCIFLUSH, and signals without NOFLSH).
void n_tty_flush_input(n_tty_core* ld);

// Bytes read(2) could take now: a complete line (canonical), or at least one
// byte; for poll, at least VMIN bytes when VMIN > 0 and VTIME == 0.
bool n_tty_input_available(const n_tty_core* ld, bool poll);
// Canonical read: up to n bytes of the first line into dst; *line_done says
// the line's delimiter was consumed (an end-of-file delimiter is not copied).
size_t n_tty_copy_canon(n_tty_core* ld, unsigned char* dst, size_t n, bool* line_done);
// Non-canonical read: up to n bytes.
size_t n_tty_copy_raw(n_tty_core* ld, unsigned char* dst, size_t n);
// FIONREAD: bytes a read could return (canonical: in complete lines, without EOFs).
size_t n_tty_inq(const n_tty_core* ld);
static inline size_t n_tty_read_cnt(const n_tty_core* ld) { return ld->read_head - ld->read_tail; }

// Post-processes (OPOST) as many of src's n bytes as fit into out_buf;
// returns how many were taken.
size_t n_tty_process_output(n_tty_core* ld, const unsigned char* src, size_t n);

// How a read waits (Linux's n_tty_read): it returns once `minimum` bytes are
// copied, or when `timeout` jiffies pass without input (0: do not wait,
// -1: forever). Once a byte arrived, `interbyte` (if not 0) replaces the
// timeout: VTIME is then a timer between bytes.
struct n_tty_read_policy {
    size_t minimum;
    long timeout;
    long interbyte;
};
n_tty_read_policy n_tty_read_policy_for(const termios* t, unsigned long hz);

// The settings a terminal starts with (Linux's tty_std_termios).
extern const termios tty_std_termios;
