// The TTY layer in the running kernel, on a terminal whose driver only
// records what is written to it: typed bytes go through the flip buffer and
// the work item to N_TTY, lines come out of read(2) with echo going back to
// the driver, readers sleep until a line arrives, and ^C sends SIGINT to the
// foreground process group and interrupts its reads (-ERESTARTSYS). Job
// control: a background reader is sent SIGTTIN, or gets EIO when its group
// is orphaned; a hangup ends reads and signals the foreground group.
#include <keel/completion.h>
#include <keel/jiffies.h>
#include <keel/kthread.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/tty.h>
#include <lib/string.h>
#include <new>
#include <tests/kernel/ktest.h>
#include <uapi/linux/fcntl.h>

namespace {

struct fake_output {
    char buf[256];
    size_t len;
};
fake_output output;

size_t fake_write(tty_struct*, const unsigned char* buf, size_t count) {
    for (size_t i = 0; i < count && output.len < sizeof(output.buf) - 1; i++) output.buf[output.len++] = char(buf[i]);
    output.buf[output.len] = '\0';
    return count;
}

unsigned fake_write_room(tty_struct*) { return 4096; }

const tty_operations fake_ops = {
    .write = fake_write,
    .write_room = fake_write_room,
    .chars_in_buffer = nullptr,
    .set_termios = nullptr,
    .ioctl = nullptr,
};

// A fresh terminal for each case.
struct fake_tty {
    tty_port port;
    tty_port* ports[1] = {&port};
    tty_driver driver = {"ttyktest", 0, 0, 0, 1, tty_std_termios, {24, 80, 0, 0}, &fake_ops, ports, nullptr, nullptr};
    tty_struct tty;
    file f;  // a file of the terminal (only its flags and f_op are looked at)

    explicit fake_tty(unsigned flags) {
        tty_port_init(&port);
        tty_init_dev(&tty, &driver, 0);
        f.f_flags = flags;
        output.len = 0;
        output.buf[0] = '\0';
    }
    ~fake_tty() { flush_work(&port.work); }

    // Typed bytes, through the flip buffer as a driver's interrupt handler delivers them.
    void type(const char* s) {
        while (*s) tty_insert_flip_char(&port, u8(*s++));
        tty_flip_buffer_push(&port);
        flush_work(&port.work);
    }
    ssize_t read(char* buf, size_t n) {
        kvec kv{buf, n};
        iov_iter iter;
        iov_iter_kvec(&iter, READ, &kv, 1, n);
        return n_tty_read(&tty, &f, &iter);
    }
};

// A terminal is several KiB (its input buffer): it lives here, not on the
// test thread's stack. The cases run one at a time.
alignas(fake_tty) unsigned char fake_storage[sizeof(fake_tty)];
struct scoped_tty {
    fake_tty* ft;
    explicit scoped_tty(unsigned flags) : ft(new (fake_storage) fake_tty(flags)) {}
    ~scoped_tty() { ft->~fake_tty(); }
    fake_tty* operator->() { return ft; }
};

void canonical_line_is_echoed_and_read(ktest* t) {
    scoped_tty ft(O_NONBLOCK);
    ft->type("hellp\x7fo\r");
    KTEST_EXPECT_EQ(t, strcmp(output.buf, "hellp\b \bo\r\n"), 0);
    char buf[32] = {};
    KTEST_EXPECT_EQ(t, ft->read(buf, sizeof(buf)), 6l);
    KTEST_EXPECT_EQ(t, memcmp(buf, "hello\n", 6), 0);
    KTEST_EXPECT_EQ(t, ft->read(buf, sizeof(buf)), long(-EAGAIN));  // nothing left, O_NONBLOCK
}

void eof_reads_zero(ktest* t) {
    scoped_tty ft(O_NONBLOCK);
    ft->type("\x04");
    char buf[8];
    KTEST_EXPECT_EQ(t, ft->read(buf, sizeof(buf)), 0l);
}

void raw_read_with_vtime_times_out(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    scoped_tty ft(0);
    termios raw = ft->tty.termios;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 1;  // 0.1 s
    tty_set_termios(&ft->tty, &raw);
    char buf[8];
    unsigned long start = jiffies;
    KTEST_EXPECT_EQ(t, ft->read(buf, sizeof(buf)), 0l);
    KTEST_EXPECT_GE(t, jiffies - start, HZ / 10);
    ft->type("ab");
    KTEST_EXPECT_EQ(t, ft->read(buf, sizeof(buf)), 2l);
    KTEST_EXPECT_EQ(t, strcmp(output.buf, ""), 0);  // no echo
}

// ---- with a process: a kernel thread given signal state and a process group ----

struct reader_arg {
    fake_tty* ft;
    int pgrp, session;
    bool own_ctty;        // the terminal is its controlling terminal
    ssize_t result;
    char buf[32];
    bool sigint, sigttin, sighup;  // pending after the read
    bool lost_ctty;                // the terminal was taken away
    completion started, done;
};

// Process group numbers above any PID, so nothing else is in them.
constexpr int TEST_PGRP = 0x3fff0001, OTHER_PGRP = 0x3fff0002;

int reader(void* data) {
    auto* arg = static_cast<reader_arg*>(data);
    task_struct* self = current;
    copy_sighand(0, self);
    copy_signal(0, self);
    self->pgrp = arg->pgrp;
    self->session = arg->session;
    if (arg->own_ctty) self->signal->tty = &arg->ft->tty;
    complete(&arg->started);
    arg->result = arg->ft->read(arg->buf, sizeof(arg->buf));
    arg->sigint = sigismember(&self->signal->shared_pending.signal, SIGINT);
    arg->sigttin = sigismember(&self->signal->shared_pending.signal, SIGTTIN);
    arg->sighup = sigismember(&self->signal->shared_pending.signal, SIGHUP);
    arg->lost_ctty = arg->own_ctty && !self->signal->tty;
    self->pgrp = self->session = 0;
    self->signal->tty = nullptr;
    release_task_signals(self);
    complete(&arg->done);
    return 0;
}

bool start_reader(ktest* t, reader_arg* arg, fake_tty* ft, int pgrp, int session, bool own_ctty) {
    arg->ft = ft;
    arg->pgrp = pgrp;
    arg->session = session;
    arg->own_ctty = own_ctty;
    init_completion(&arg->started);
    init_completion(&arg->done);
    if (!kthread_run(reader, arg, "ktest-tty-rd")) {
        ktest_fail(t, __FILE__, __LINE__, "no reader thread");
        return false;
    }
    wait_for_completion(&arg->started);
    return true;
}

// Until the reader sleeps in read (or a second passes).
void wait_until_reading(fake_tty* ft) {
    unsigned long deadline = jiffies + HZ;
    while (list_empty(&ft->tty.read_wait.head) && time_before(jiffies, deadline)) yield();
}

void blocked_reader_gets_the_line(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    scoped_tty ft(0);
    reader_arg arg{};
    if (!start_reader(t, &arg, ft.ft, TEST_PGRP, 0, false)) return;
    wait_until_reading(ft.ft);
    ft->type("ls -l\n");
    wait_for_completion(&arg.done);
    KTEST_EXPECT_EQ(t, arg.result, 6l);
    KTEST_EXPECT_EQ(t, memcmp(arg.buf, "ls -l\n", 6), 0);
}

void intr_signals_the_foreground_group(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    scoped_tty ft(0);
    ft->tty.pgrp = TEST_PGRP;
    reader_arg arg{};
    if (!start_reader(t, &arg, ft.ft, TEST_PGRP, 0, false)) return;
    wait_until_reading(ft.ft);
    ft->type("sleep 100");
    ft->type("\x03");
    wait_for_completion(&arg.done);
    KTEST_EXPECT_EQ(t, arg.result, long(-ERESTARTSYS));
    KTEST_EXPECT_TRUE(t, arg.sigint);
    KTEST_EXPECT_EQ(t, strcmp(output.buf, "sleep 100^C"), 0);  // echo, then ^C for the interrupt
    KTEST_EXPECT_EQ(t, n_tty_read_cnt(&ft->tty.ldisc), 0ul);  // the partial line was flushed
}

void background_read_gets_sigttin(ktest* t) {
    scoped_tty ft(0);
    // The reader's parent (kthreadd, group 0) is in its session 0 but another
    // group: the reader's group is not orphaned, so it is stopped.
    ft->tty.pgrp = OTHER_PGRP;
    ft->tty.session = 0;
    reader_arg arg{};
    if (!start_reader(t, &arg, ft.ft, TEST_PGRP, 0, true)) return;
    wait_for_completion(&arg.done);
    KTEST_EXPECT_EQ(t, arg.result, long(-ERESTARTSYS));
    KTEST_EXPECT_TRUE(t, arg.sigttin);
}

void orphaned_background_read_is_eio(ktest* t) {
    scoped_tty ft(0);
    ft->tty.pgrp = OTHER_PGRP;
    reader_arg arg{};
    // A session of its own: no parent in the session can continue the group.
    if (!start_reader(t, &arg, ft.ft, TEST_PGRP, TEST_PGRP, true)) return;
    wait_for_completion(&arg.done);
    KTEST_EXPECT_EQ(t, arg.result, long(-EIO));
    KTEST_EXPECT_FALSE(t, arg.sigttin);
}

// The session leader's exit hangs the terminal up (tty_vhangup as
// disassociate_ctty(1) calls it): the reader's read returns end of file, its
// file is a dead end, the foreground group gets SIGHUP and the session loses
// the terminal.
void hangup_ends_reads_and_signals(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    scoped_tty ft(0);
    tty_file_private priv{&ft->tty, &ft->f, false, {}};
    ft->f.private_data = &priv;
    list_add(&priv.list, &ft->tty.tty_files);
    ft->tty.session = TEST_PGRP;
    ft->tty.pgrp = TEST_PGRP;
    reader_arg arg{};
    if (!start_reader(t, &arg, ft.ft, TEST_PGRP, TEST_PGRP, true)) return;
    wait_until_reading(ft.ft);
    tty_vhangup(&ft->tty, true);
    wait_for_completion(&arg.done);
    KTEST_EXPECT_EQ(t, arg.result, 0l);
    KTEST_EXPECT_TRUE(t, arg.sighup);
    KTEST_EXPECT_TRUE(t, arg.lost_ctty);
    KTEST_EXPECT_TRUE(t, tty_hung_up_p(&ft->f));
    KTEST_EXPECT_EQ(t, ft->tty.session, 0);
    KTEST_EXPECT_EQ(t, ft->tty.pgrp, 0);
    list_del(&priv.list);
}

const ktest_case tty_cases[] = {
    KTEST_CASE(canonical_line_is_echoed_and_read),
    KTEST_CASE(eof_reads_zero),
    KTEST_CASE(raw_read_with_vtime_times_out),
    KTEST_CASE(blocked_reader_gets_the_line),
    KTEST_CASE(intr_signals_the_foreground_group),
    KTEST_CASE(background_read_gets_sigttin),
    KTEST_CASE(orphaned_background_read_is_eio),
    KTEST_CASE(hangup_ends_reads_and_signals),
    {},
};

}  // namespace

KTEST_SUITE(tty, tty_cases);
