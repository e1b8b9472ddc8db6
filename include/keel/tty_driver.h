// What a terminal driver provides to the TTY layer (Linux's
// include/linux/tty_driver.h and tty_port.h): a tty_driver names a range of
// device numbers and its operations; a tty_port is one device's receive side,
// whose flip buffer the interrupt handler fills (tty_insert_flip_char) and
// tty_flip_buffer_push hands to the line discipline from a work item, so that
// signals and echoes happen in process context.
#pragma once
#include <keel/mutex.h>
#include <keel/spinlock.h>
#include <keel/types.h>
#include <keel/workqueue.h>
#include <uapi/asm/termbits.h>

// A driver's answer to an ioctl it does not handle (Linux's kernel-internal
// errno from include/linux/errno.h; never seen by user space).
constexpr int ENOIOCTLCMD = 515;

struct file;
struct tty_struct;

struct tty_operations {
    // Takes up to count bytes for output; returns how many it took.
    size_t (*write)(tty_struct* tty, const unsigned char* buf, size_t count);
    // Bytes write() would take now.
    unsigned (*write_room)(tty_struct* tty);
    // Bytes taken but not yet sent (TIOCOUTQ, drain).
    unsigned (*chars_in_buffer)(tty_struct* tty);
    // tty->termios changed (old is what it was): program the hardware.
    void (*set_termios)(tty_struct* tty, const termios* old);
    // Driver-specific ioctls; -ENOIOCTLCMD for those it does not know.
    int (*ioctl)(tty_struct* tty, unsigned cmd, unsigned long arg);
};

constexpr size_t TTY_FLIPBUF_SIZE = 1024;

struct tty_port {
    tty_struct* tty = nullptr;
    spinlock_t lock{"tty_port.lock"};  // the flip buffer; taken from interrupt handlers
    unsigned char flip[TTY_FLIPBUF_SIZE];
    size_t head = 0, tail = 0;     // free-running; head - tail bytes pending
    unsigned long overruns = 0;    // bytes dropped because the buffer was full
    work_struct work;              // flush_to_ldisc
    // One flush_to_ldisc at a time: the work item may be queued again (by a
    // reader making room) while it runs, and both would feed the same bytes.
    mutex buf_lock{"tty_port.buf_lock"};
};

struct tty_driver {
    const char* name;           // "ttyS": devices are name<index + name_base>
    unsigned name_base;         // the number of the first device (1 for tty1)
    unsigned major, minor_start, num;
    termios init_termios;       // what a tty of this driver starts with
    winsize init_winsize;
    const tty_operations* ops;
    tty_port** ports;           // num entries; nullptr where no device exists
    tty_struct** ttys;          // num entries, made at registration
    void* driver_state;
};

// Makes a tty for every port, registers the device numbers and creates
// /dev/<name><index> nodes (device_initcall time). 0 or -errno.
int tty_register_driver(tty_driver* driver);
void tty_port_init(tty_port* port);

// Receive side, callable from interrupt handlers: queue a byte (false when the
// buffer is full and it was dropped), then push the batch to the line discipline.
bool tty_insert_flip_char(tty_port* port, unsigned char c);
void tty_flip_buffer_push(tty_port* port);
// The line discipline made room: hand it what is still in the flip buffer.
void tty_buffer_restart_work(tty_port* port);
