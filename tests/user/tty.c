// Terminals and job control, run as PID 1 on ttyS0 (tests/boot/tty_compare.sh):
// the console's settings; /dev/tty without a controlling terminal; a new
// session acquiring ttyS0 by opening it; pushed-back input (TIOCSTI) read in
// canonical and raw mode, FIONREAD, TCFLSH, EOF, O_NONBLOCK, poll, VMIN/VTIME;
// ^C/^Z/^\ as signals to the foreground group (flushing input); TIOCSWINSZ
// and SIGWINCH; a background group reading (SIGTTIN, or EIO when ignored),
// writing with TOSTOP and calling tcsetpgrp (SIGTTOU); TIOCSPGRP's errors;
// TIOCSCTTY and TIOCNOTTY from a process that is not the session leader; the
// leader giving the terminal up with TIOCNOTTY.
#define _GNU_SOURCE
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <termios.h>

static volatile int got_int, got_quit, got_tstp, got_winch;
static void on_int(int s) { (void)s, got_int++; }
static void on_quit(int s) { (void)s, got_quit++; }
static void on_tstp(int s) { (void)s, got_tstp++; }
static void on_winch(int s) { (void)s, got_winch++; }

// Input as if typed.
static void push(int fd, const char* s) {
    for (; *s; s++)
        if (ioctl(fd, TIOCSTI, s) != 0) printf("TIOCSTI failed: %s\n", t_errname(errno));
}

static int inq(int fd) {
    int n = -1;
    ioctl(fd, FIONREAD, &n);
    return n;
}

static void report(const char* what, int st) {
    printf("%s:", what);
    if (WIFSTOPPED(st)) printf(" stopped %d", WSTOPSIG(st));
    if (WIFEXITED(st)) printf(" exited %d", WEXITSTATUS(st));
    if (WIFSIGNALED(st)) printf(" signal %d", WTERMSIG(st));
    printf("\n");
    fflush(stdout);
}

// Runs fn in a child of its own process group (in the background) and
// reports how it ended or stopped; a stopped child is killed.
static void in_background(const char* what, void (*fn)(int), int fd) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        fn(fd);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, WUNTRACED);
    report(what, st);
    if (WIFSTOPPED(st)) {
        kill(c, SIGKILL);
        waitpid(c, &st, 0);
    }
}

static void bg_read(int fd) {
    char c;
    read(fd, &c, 1);
    printf("bg_read returned\n");
}

static void bg_read_ignored(int fd) {
    signal(SIGTTIN, SIG_IGN);
    char c;
    T_RET(read(fd, &c, 1));
}

static void bg_tcsetpgrp(int fd) {
    T_RET(tcsetpgrp(fd, getpgrp()));
}

static void bg_tcsetpgrp_ignored(int fd) {
    signal(SIGTTOU, SIG_IGN);
    T_RET(tcsetpgrp(fd, getpgrp()));
    T_YES(tcgetpgrp(fd) == getpgrp());
    T_RET(tcsetpgrp(fd, getppid()));  // back to the session leader's group
}

static void bg_write(int fd) {
    T_RET(write(fd, "w\n", 2));
}

static void bg_other_ioctls(int fd) {
    int pgrp = 0;
    T_RET(ioctl(fd, TIOCGPGRP, &pgrp));
    T_YES(pgrp == getppid());
    signal(SIGTTOU, SIG_IGN);
    T_RET(tcsetpgrp(fd, 999999));  // no such process
    T_RET(tcsetpgrp(fd, 1));       // init: another session
    T_RET(tcsetpgrp(fd, 0));
    int neg = -1;
    T_RET(ioctl(fd, TIOCSPGRP, &neg));
    T_RET(ioctl(fd, TIOCSCTTY, 0));  // not a session leader
    T_RET(ioctl(fd, TIOCNOTTY));     // leaves the terminal (only this process)
    T_RET(open("/dev/tty", O_RDWR));
    T_RET(ioctl(fd, TIOCGPGRP, &pgrp));
}

static void session(void) {
    T_RET(setsid() == getpid());
    int fd = open("/dev/ttyS0", O_RDWR);
    T_YES(fd >= 0);
    T_YES(tcgetsid(fd) == getpid());
    T_YES(tcgetpgrp(fd) == getpgrp());
    int tty = open("/dev/tty", O_RDWR);
    T_YES(tty >= 0);
    close(tty);
    T_RET(ioctl(fd, TIOCSCTTY, 0));  // already ours

    struct termios t, saved;
    T_RET(tcgetattr(fd, &saved));
    t = saved;
    t.c_lflag &= ~(tcflag_t)ECHO;  // keep pushed-back input off the console
    T_RET(tcsetattr(fd, TCSANOW, &t));

    char buf[32];
    push(fd, "ab\n");
    printf("FIONREAD %d\n", inq(fd));
    T_RET(read(fd, buf, sizeof buf));
    push(fd, "one\ntwo\n");
    T_RET(read(fd, buf, 2));  // a short read leaves the rest of the line
    T_RET(read(fd, buf, sizeof buf));
    T_RET(read(fd, buf, sizeof buf));
    push(fd, "\x04");
    T_RET(read(fd, buf, sizeof buf));  // ^D alone: end of file
    push(fd, "xy\x7fz\x15kl\n");        // DEL and ^U edit the line
    T_RET(read(fd, buf, sizeof buf));
    printf("line '%.2s'\n", buf);
    push(fd, "gone\n");
    T_RET(tcflush(fd, TCIFLUSH));
    printf("FIONREAD after TCIFLUSH %d\n", inq(fd));

    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    T_RET(read(fd, buf, sizeof buf));
    fcntl(fd, F_SETFL, fl);

    struct pollfd p = {fd, POLLIN, 0};
    T_RET(poll(&p, 1, 0));
    push(fd, "q");  // no line yet: not readable in canonical mode
    T_RET(poll(&p, 1, 0));
    push(fd, "\n");
    T_RET(poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    T_RET(tcflush(fd, TCIFLUSH));

    struct termios raw = t;
    raw.c_lflag &= ~(tcflag_t)ICANON;
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    T_RET(tcsetattr(fd, TCSANOW, &raw));
    T_RET(read(fd, buf, sizeof buf));
    push(fd, "zz");
    T_RET(read(fd, buf, 1));
    T_RET(read(fd, buf, sizeof buf));
    raw.c_cc[VTIME] = 1;
    T_RET(tcsetattr(fd, TCSANOW, &raw));
    T_RET(read(fd, buf, sizeof buf));  // 0.1 s, then nothing
    raw.c_cc[VMIN] = 2;
    raw.c_cc[VTIME] = 0;
    T_RET(tcsetattr(fd, TCSANOW, &raw));
    p.revents = 0;
    push(fd, "r");
    T_RET(poll(&p, 1, 0));  // VMIN 2: one byte is not enough
    push(fd, "s");
    T_RET(poll(&p, 1, 0));
    T_RET(read(fd, buf, sizeof buf));
    T_RET(tcsetattr(fd, TCSANOW, &t));

    signal(SIGINT, on_int);
    signal(SIGQUIT, on_quit);
    signal(SIGTSTP, on_tstp);
    push(fd, "pending");
    push(fd, "\x03");
    printf("SIGINT %d, FIONREAD %d\n", got_int, inq(fd));
    push(fd, "\x1c");
    push(fd, "\x1a");
    printf("SIGQUIT %d SIGTSTP %d\n", got_quit, got_tstp);
    t.c_lflag |= NOFLSH;
    T_RET(tcsetattr(fd, TCSANOW, &t));
    push(fd, "kept\n\x03");
    printf("SIGINT %d, FIONREAD with NOFLSH %d\n", got_int, inq(fd));
    T_RET(tcflush(fd, TCIFLUSH));
    t.c_lflag &= ~(tcflag_t)(NOFLSH | ISIG);
    T_RET(tcsetattr(fd, TCSANOW, &t));
    push(fd, "\x03\n");
    printf("SIGINT %d without ISIG, FIONREAD %d\n", got_int, inq(fd));
    T_RET(tcflush(fd, TCIFLUSH));
    t.c_lflag |= ISIG;
    T_RET(tcsetattr(fd, TCSANOW, &t));

    signal(SIGWINCH, on_winch);
    struct winsize ws0, ws = {24, 80, 0, 0}, got;
    T_RET(ioctl(fd, TIOCGWINSZ, &ws0));
    T_RET(ioctl(fd, TIOCSWINSZ, &ws));
    T_RET(ioctl(fd, TIOCSWINSZ, &ws));  // no change: no signal
    T_RET(ioctl(fd, TIOCGWINSZ, &got));
    printf("winsize %dx%d, SIGWINCH %d\n", got.ws_row, got.ws_col, got_winch);
    T_RET(ioctl(fd, TIOCSWINSZ, &ws0));

    in_background("background read", bg_read, fd);
    in_background("background read, SIGTTIN ignored", bg_read_ignored, fd);
    in_background("background tcsetpgrp", bg_tcsetpgrp, fd);
    in_background("background tcsetpgrp, SIGTTOU ignored", bg_tcsetpgrp_ignored, fd);
    T_YES(tcgetpgrp(fd) == getpgrp());
    in_background("background write", bg_write, fd);
    t.c_lflag |= TOSTOP;
    T_RET(tcsetattr(fd, TCSANOW, &t));
    in_background("background write with TOSTOP", bg_write, fd);
    in_background("background ioctls", bg_other_ioctls, fd);
    T_RET(tcsetattr(fd, TCSANOW, &saved));

    // Giving the terminal up before exiting, so the exit does not hang it up.
    signal(SIGHUP, SIG_IGN);
    T_RET(ioctl(fd, TIOCNOTTY));
    T_RET(open("/dev/tty", O_RDWR));
    int pgrp;
    T_RET(ioctl(fd, TIOCGPGRP, &pgrp));
    close(fd);
}

int main(void) {
    T_RET(mount("devtmpfs", "/dev", "devtmpfs", 0, NULL));
    T_YES(isatty(0));
    struct termios t;
    T_RET(tcgetattr(0, &t));
    printf("iflag %o oflag %o lflag %o line %d\n", t.c_iflag, t.c_oflag, t.c_lflag, t.c_line);
    printf("cc");
    for (int i = 0; i < 17; i++) printf(" %d", t.c_cc[i]);
    printf("\n");
    struct winsize ws;
    T_RET(ioctl(0, TIOCGWINSZ, &ws));
    printf("console winsize %dx%d\n", ws.ws_row, ws.ws_col);
    int pgrp;
    T_RET(ioctl(0, TIOCGPGRP, &pgrp));  // not our controlling terminal
    T_RET(ioctl(0, TIOCGSID, &pgrp));
    T_RET(open("/dev/tty", O_RDWR));
    T_RET(ioctl(0, TIOCNOTTY));
    T_RET(ioctl(0, 0x54ff));  // no such request
    fflush(stdout);

    pid_t c = fork();
    if (c == 0) {
        session();
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    report("session", st);
    int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
    T_YES(fd >= 0);
    T_RET(ioctl(fd, TIOCGSID, &pgrp));  // no session holds it any more
    t_exit(0);
}
