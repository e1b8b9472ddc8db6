// The N_TTY line discipline in the kernel (Linux's drivers/tty/n_tty.c): the
// state machine of lib/n_tty_core.h under tty->ldisc_lock, plus what it cannot
// do by itself: sending the signals ^C, ^\ and ^Z ask for, writing echoes and
// output through the driver, and putting readers and writers to sleep.
//
// Sleeping readers watch tty->input_gen: every change to the input bumps it
// before waking read_wait, so a reader that saw no input under the lock and
// then finds the counter unchanged after queueing itself cannot miss a wake-up.
#include <keel/jiffies.h>
#include <keel/poll.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/tty.h>
#include <uapi/linux/fcntl.h>

namespace {

// Hands what the state machine produced (echoes, processed output) to the
// driver; held back while output is stopped (^S). ldisc_lock held.
void flush_output(tty_struct* tty) {
    n_tty_core* ld = &tty->ldisc;
    if (ld->stopped || !ld->out_len) return;
    tty_write_out(tty, ld->out_buf, ld->out_len);
    ld->out_len = 0;
}

void input_changed(tty_struct* tty) {
    tty->input_gen.fetch_add(1, memory_order::release);
    wake_up_interruptible_poll(&tty->read_wait, EPOLLIN | EPOLLRDNORM);
}

// A background process reading its controlling terminal (Linux's
// job_control); /dev/console is exempt, as Linux's redirected_tty_write files.
int job_control(tty_struct* tty, file* f) { return tty_file_console(f) ? 0 : __tty_check_change(tty, SIGTTIN); }

// Sleeps until ^Q (or TCOON) restarts output: 0, or -ERESTARTSYS for a signal.
int wait_output_started(tty_struct* tty, file* f) {
    wait_queue_entry wait;
    init_wait_entry(&wait, 0);
    int ret = 0;
    for (;;) {
        prepare_to_wait(&tty->write_wait, &wait, TASK_INTERRUPTIBLE);
        if (!__atomic_load_n(&tty->ldisc.stopped, __ATOMIC_ACQUIRE) || tty_hung_up_p(f)) break;
        if (signal_pending(current)) {
            ret = -ERESTARTSYS;
            break;
        }
        schedule();
    }
    finish_wait(&tty->write_wait, &wait);
    return ret;
}

}  // namespace

void n_tty_open(tty_struct* tty) {
    n_tty_init(&tty->ldisc, &tty->termios);
}

size_t n_tty_receive_buf(tty_struct* tty, const unsigned char* cp, size_t count) {
    size_t i = 0;
    while (i < count) {
        int sig = 0;
        bool was_stopped, stopped, full = false;
        {
            MutexGuard guard(&tty->ldisc_lock);
            was_stopped = tty->ldisc.stopped;
            // Up to a signal character: its signal goes out before more input is taken.
            while (i < count && !sig) {
                full = !n_tty_receive_room(&tty->ldisc);
                if (full) break;
                sig = n_tty_receive_char(&tty->ldisc, cp[i++]);
            }
            stopped = tty->ldisc.stopped;
            flush_output(tty);
        }
        input_changed(tty);
        if (was_stopped && !stopped) wake_up_interruptible_poll(&tty->write_wait, EPOLLOUT);
        if (sig) tty_signal_pgrp(tty, sig);
        if (full) break;
    }
    return i;
}

void n_tty_termios_changed(tty_struct* tty) {
    {
        MutexGuard guard(&tty->ldisc_lock);
        n_tty_set_termios(&tty->ldisc, &tty->termios);
        flush_output(tty);  // IXON off releases held echoes
    }
    // A reader may now have a line (ICANON switched) or another wait; a
    // writer may be released from a stop (IXON cleared).
    input_changed(tty);
    wake_up_interruptible_poll(&tty->write_wait, EPOLLOUT);
}

void n_tty_flush_buffer(tty_struct* tty) {
    {
        MutexGuard guard(&tty->ldisc_lock);
        n_tty_flush_input(&tty->ldisc);
    }
    input_changed(tty);
}

void n_tty_stop(tty_struct* tty) {
    MutexGuard guard(&tty->ldisc_lock);
    tty->ldisc.stopped = true;
}

void n_tty_start(tty_struct* tty) {
    {
        MutexGuard guard(&tty->ldisc_lock);
        tty->ldisc.stopped = false;
        flush_output(tty);
    }
    wake_up_interruptible_poll(&tty->write_wait, EPOLLOUT);
}

// read(2): canonical mode returns at most one line; otherwise VMIN/VTIME
// decide (n_tty_read_policy_for). Interrupted with nothing read: -ERESTARTSYS.
ssize_t n_tty_read(tty_struct* tty, file* f, iov_iter* to) {
    if (int ret = job_control(tty, f)) return ret;
    mutex_lock(&tty->ldisc_lock);
    n_tty_read_policy policy = n_tty_read_policy_for(&tty->termios, HZ);
    mutex_unlock(&tty->ldisc_lock);
    long timeout = policy.timeout < 0 ? MAX_SCHEDULE_TIMEOUT : policy.timeout;
    size_t copied = 0;
    ssize_t ret = 0;
    unsigned char chunk[256];
    wait_queue_entry wait;
    init_wait_entry(&wait, 0);
    while (iov_iter_count(to)) {
        unsigned long gen = tty->input_gen.load(memory_order::acquire);
        size_t want = iov_iter_count(to) < sizeof(chunk) ? iov_iter_count(to) : sizeof(chunk);
        size_t n = 0;
        bool canon = false, line_done = false, available;
        {
            MutexGuard guard(&tty->ldisc_lock);
            available = n_tty_input_available(&tty->ldisc, false);
            if (available) {
                canon = tty->ldisc.icanon;
                n = canon ? n_tty_copy_canon(&tty->ldisc, chunk, want, &line_done)
                          : n_tty_copy_raw(&tty->ldisc, chunk, want);
            }
        }
        if (!available) {
            if (tty_hung_up_p(f) || !timeout) break;
            if (f->f_flags & O_NONBLOCK) {
                ret = -EAGAIN;
                break;
            }
            if (signal_pending(current)) {
                ret = -ERESTARTSYS;
                break;
            }
            prepare_to_wait(&tty->read_wait, &wait, TASK_INTERRUPTIBLE);
            if (tty->input_gen.load(memory_order::acquire) == gen && !tty_hung_up_p(f) && !signal_pending(current))
                timeout = schedule_timeout(timeout);
            finish_wait(&tty->read_wait, &wait);
            continue;
        }
        tty_buffer_restart_work(tty->port);  // input waiting for room may go on
        if (copy_to_iter(chunk, n, to) != n) {
            ret = -EFAULT;
            break;
        }
        copied += n;
        if (canon) {
            // One line per read; a line longer than the chunk continues.
            if (line_done || n < want) break;
            continue;
        }
        if (copied >= policy.minimum) break;
        if (policy.interbyte) timeout = policy.interbyte;
    }
    return copied ? ssize_t(copied) : ret;
}

// write(2): OPOST processing and the driver, in chunks; stopped output (^S)
// makes the writer wait. A background writer with TOSTOP gets SIGTTOU.
ssize_t n_tty_write(tty_struct* tty, file* f, iov_iter* from) {
    if (L_FLAG(tty, TOSTOP) && !tty_file_console(f))
        if (int ret = tty_check_change(tty)) return ret;
    size_t written = 0;
    unsigned char chunk[256];
    while (iov_iter_count(from)) {
        size_t want = iov_iter_count(from) < sizeof(chunk) ? iov_iter_count(from) : sizeof(chunk);
        size_t n = copy_from_iter(chunk, want, from);
        if (!n) return written ? ssize_t(written) : -EFAULT;
        size_t done = 0;
        while (done < n) {
            mutex_lock(&tty->ldisc_lock);
            if (tty->ldisc.stopped) {
                mutex_unlock(&tty->ldisc_lock);
                if (tty_hung_up_p(f)) return written ? ssize_t(written) : -EIO;
                if (f->f_flags & O_NONBLOCK) return written ? ssize_t(written) : -EAGAIN;
                if (int err = wait_output_started(tty, f)) return written ? ssize_t(written) : err;
                continue;
            }
            if (tty->termios.c_oflag & OPOST) {
                size_t took = n_tty_process_output(&tty->ldisc, chunk + done, n - done);
                flush_output(tty);
                done += took;
            } else {
                tty_write_out(tty, chunk + done, n - done);
                done = n;
            }
            mutex_unlock(&tty->ldisc_lock);
        }
        written += n;
        if (n < want) return ssize_t(written);  // the rest faulted
    }
    return ssize_t(written);
}

__poll_t n_tty_poll(tty_struct* tty, file* f, poll_table_struct* wait) {
    poll_wait(f, &tty->read_wait, wait);
    poll_wait(f, &tty->write_wait, wait);
    // Without the lock, as Linux's n_tty_poll: poll may be asked from
    // contexts that cannot sleep, and a stale answer is followed by a wake-up.
    __poll_t mask = 0;
    if (n_tty_input_available(&tty->ldisc, true)) mask |= EPOLLIN | EPOLLRDNORM;
    if (!__atomic_load_n(&tty->ldisc.stopped, __ATOMIC_RELAXED)) mask |= EPOLLOUT | EPOLLWRNORM;
    return mask;
}
