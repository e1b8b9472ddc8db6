// Terminals (Linux's include/linux/tty.h): a tty_struct is one terminal device
// with its settings, its line discipline (N_TTY: lib/n_tty_core.h wrapped by
// drivers/tty/n_tty.cpp) and its job-control state: the session it controls
// and the foreground process group. docs/tty.md explains the layers.
//
// Locking: tty->ldisc_lock (a mutex) guards the line discipline's buffers,
// termios and the output column; readers and writers sleep outside it.
// tty->session and tty->pgrp, and every signal_struct::tty, change under
// tasklist_lock. ttys are never freed, so reading current->signal->tty
// without a lock is safe.
#pragma once
#include <keel/atomic.h>
#include <keel/fs.h>
#include <keel/mutex.h>
#include <keel/tty_driver.h>
#include <keel/wait.h>
#include <lib/n_tty_core.h>
#include <uapi/asm/ioctls.h>
#include <uapi/asm/signal.h>

struct poll_table_struct;

struct tty_struct {
    tty_driver* driver;
    const tty_operations* ops;
    int index;
    tty_port* port;
    char name[16];           // "ttyS0"
    ::termios termios;       // under ldisc_lock
    ::winsize winsize;       // under ldisc_lock
    int session = 0;         // the session it is the controlling terminal of (0: none)
    int pgrp = 0;            // the foreground process group (0: none)
    int count = 0;           // open files (under tty_mutex)
    mutex ldisc_lock{"tty.ldisc_lock"};
    n_tty_core ldisc;        // the N_TTY state
    Atomic<unsigned long> input_gen{0};  // bumped on every input change, for sleeping readers
    wait_queue_head read_wait, write_wait;
    list_head tty_files;     // tty_file_private, under tty_mutex
};

// What an open file of a tty holds (file->private_data).
struct tty_file_private {
    tty_struct* tty;
    ::file* file;
    bool console;            // opened as /dev/console: survives hangups, as Linux
    list_head list;
};

static inline bool L_FLAG(const tty_struct* tty, tcflag_t f) { return tty->termios.c_lflag & f; }

// tty_io.cpp
// Sets up a tty for device `index` of driver (its port linked both ways);
// tty_register_driver does it for every port.
void tty_init_dev(tty_struct* tty, tty_driver* driver, unsigned index);
tty_struct* file_tty(file* f);
bool tty_hung_up_p(file* f);
// Opened as /dev/console: no job-control stops for its reads and writes, no hangup.
bool tty_file_console(file* f);
// Hangs the terminal up: its files read end-of-file and fail writes with EIO,
// the session loses it (Linux's tty_vhangup); exit_session: also SIGHUP to the
// foreground group, as when its session leader exits.
void tty_vhangup(tty_struct* tty, bool exit_session);
// The console's tty (/dev/console), or nullptr.
tty_struct* tty_console();
// Writes processed output for the ldisc (the driver's write until done).
void tty_write_out(tty_struct* tty, const unsigned char* buf, size_t n);

// n_tty.cpp: the line discipline.
void n_tty_open(tty_struct* tty);
ssize_t n_tty_read(tty_struct* tty, file* f, iov_iter* to);
ssize_t n_tty_write(tty_struct* tty, file* f, iov_iter* from);
__poll_t n_tty_poll(tty_struct* tty, file* f, poll_table_struct* wait);
// Feeds received bytes; returns how many were taken (fewer when the input
// buffer is full: the rest stays in the driver's flip buffer).
size_t n_tty_receive_buf(tty_struct* tty, const unsigned char* cp, size_t count);
void n_tty_flush_buffer(tty_struct* tty);
// tty->termios changed: the discipline follows (Linux's n_tty_set_termios).
void n_tty_termios_changed(tty_struct* tty);
void n_tty_start(tty_struct* tty);  // TCOON
void n_tty_stop(tty_struct* tty);   // TCOOFF

// tty_ioctl.cpp: the termios and flow-control ioctls; -ENOIOCTLCMD if not one of them.
long tty_mode_ioctl(tty_struct* tty, file* f, unsigned cmd, unsigned long arg);
// New settings: the driver (speed, format) and then the line discipline.
void tty_set_termios(tty_struct* tty, const termios* t);

// tty_jobctrl.cpp
// Job-control check for a background process touching its controlling
// terminal: 0 to go on, -ERESTARTSYS after sending sig to its group, -EIO
// when the group is orphaned (or SIGTTIN is ignored).
int __tty_check_change(tty_struct* tty, int sig);
static inline int tty_check_change(tty_struct* tty) { return __tty_check_change(tty, SIGTTOU); }
long tty_jobctrl_ioctl(tty_struct* tty, file* f, unsigned cmd, unsigned long arg);  // -ENOIOCTLCMD if not
// Open of a terminal by a session leader without one: it becomes the
// controlling terminal (Linux's tty_open_proc_set_tty).
void tty_open_proc_set_tty(file* f, tty_struct* tty);
// The calling process's controlling terminal, or nullptr.
tty_struct* get_current_tty();
// Sends sig to the terminal's foreground process group, if there is one.
void tty_signal_pgrp(tty_struct* tty, int sig);
// Every process of session forgets its controlling terminal (tasklist_lock held).
void session_clear_tty(int session);

// The hooks Linux's process code calls (kernel/exit.cpp, kernel/sys.cpp).
// A session leader gives up its terminal (on_exit: when it exits, which hangs
// the terminal up).
void disassociate_ctty(int on_exit);
// p's process has no controlling terminal any more (setsid).
void proc_clear_tty(task_struct* p);
