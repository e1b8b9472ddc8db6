// The N_TTY state machine (see n_tty_core.h). Linux queues echoes as
// operations and replays them later; here they are post-processed into
// out_buf at once, which keeps the output column exact when an erase has to
// know how far back a tab reached.
#include <lib/ctype.h>
#include <lib/n_tty_core.h>
#include <lib/string.h>
#include <uapi/asm/signal.h>

const termios tty_std_termios = {
    .c_iflag = ICRNL | IXON,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B38400 | CS8 | CREAD | HUPCL,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .c_line = N_TTY,
    // ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, -, ^Q ^S ^Z, -, ^R ^O ^W ^V, -
    .c_cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0},
};

namespace {

constexpr size_t MASK(size_t i) { return i & (N_TTY_BUF_SIZE - 1); }

bool lflag(const n_tty_core* ld, tcflag_t f) { return ld->t.c_lflag & f; }
bool iflag(const n_tty_core* ld, tcflag_t f) { return ld->t.c_iflag & f; }
bool oflag(const n_tty_core* ld, tcflag_t f) { return ld->t.c_oflag & f; }
// A control character slot matches c, unless it is disabled.
bool is_char(const n_tty_core* ld, unsigned slot, unsigned char c) {
    return ld->t.c_cc[slot] != _POSIX_VDISABLE && ld->t.c_cc[slot] == c;
}
bool iscntrl(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool test_flag(const n_tty_core* ld, size_t i) { return ld->read_flags[MASK(i) / 64] >> (MASK(i) % 64) & 1; }
void set_flag(n_tty_core* ld, size_t i) { ld->read_flags[MASK(i) / 64] |= uint64_t(1) << (MASK(i) % 64); }
void clear_flag(n_tty_core* ld, size_t i) { ld->read_flags[MASK(i) / 64] &= ~(uint64_t(1) << (MASK(i) % 64)); }
unsigned char read_byte(const n_tty_core* ld, size_t i) { return ld->read_buf[MASK(i)]; }

// ---- output ----

bool put_raw(n_tty_core* ld, const char* s, size_t n) {
    if (ld->out_len + n > N_TTY_OUT_SIZE) return false;
    memcpy(ld->out_buf + ld->out_len, s, n);
    ld->out_len += n;
    return true;
}

// One character through OPOST (Linux's do_output_char); false if it does not fit.
bool output_char(n_tty_core* ld, unsigned char c) {
    if (!oflag(ld, OPOST)) return put_raw(ld, reinterpret_cast<const char*>(&c), 1);
    switch (c) {
    case '\n':
        if (oflag(ld, ONLRET)) ld->column = 0;
        if (oflag(ld, ONLCR)) {
            if (!put_raw(ld, "\r\n", 2)) return false;
            ld->canon_column = ld->column = 0;
            return true;
        }
        ld->canon_column = ld->column;
        break;
    case '\r':
        if (oflag(ld, ONOCR) && ld->column == 0) return true;
        if (oflag(ld, OCRNL)) {
            c = '\n';
            if (oflag(ld, ONLRET)) ld->canon_column = ld->column = 0;
            break;
        }
        ld->canon_column = ld->column = 0;
        break;
    case '\t': {
        unsigned spaces = 8 - (ld->column & 7);
        if ((ld->t.c_oflag & TABDLY) == XTABS) {
            if (!put_raw(ld, "        ", spaces)) return false;
            ld->column += spaces;
            return true;
        }
        if (!put_raw(ld, "\t", 1)) return false;
        ld->column += spaces;
        return true;
    }
    case '\b':
        if (ld->column > 0) ld->column--;
        break;
    default:
        if (!iscntrl(c)) {
            if (oflag(ld, OLCUC) && ctype::islower(char(c))) c = c - 'a' + 'A';
            // UTF-8 continuation bytes take no column of their own.
            if (!(iflag(ld, IUTF8) && (c & 0xc0) == 0x80)) ld->column++;
        }
        break;
    }
    return put_raw(ld, reinterpret_cast<const char*>(&c), 1);
}

// ---- echo (only called with ECHO on, except echo_newline under ECHONL) ----

void echo_raw(n_tty_core* ld, unsigned char c) { output_char(ld, c); }

// A control character shows as ^X under ECHOCTL (tab and newline as themselves).
void echo_char(n_tty_core* ld, unsigned char c) {
    if (lflag(ld, ECHOCTL) && iscntrl(c) && c != '\t' && c != '\n') {
        const char caret[2] = {'^', char(c ^ 0100)};
        if (put_raw(ld, caret, 2)) ld->column += 2;
        return;
    }
    output_char(ld, c);
}

void finish_erasing(n_tty_core* ld) {
    if (ld->erasing) {
        echo_raw(ld, '/');
        ld->erasing = false;
    }
}

// The first character of a line records where its echo begins, for erasing tabs.
void echo_set_canon_col(n_tty_core* ld) {
    if (ld->canon_head == ld->read_head) ld->canon_column = ld->column;
}

void echo_backspace(n_tty_core* ld) {
    echo_raw(ld, '\b');
    echo_raw(ld, ' ');
    echo_raw(ld, '\b');
}

// Moves the cursor back over an erased tab: the columns it spans depend on
// what precedes it on the line, up to the previous tab or the line's start.
void echo_erase_tab(n_tty_core* ld) {
    unsigned chars = 0;
    bool after_tab = false;
    for (size_t tail = ld->read_head; tail != ld->canon_head;) {
        unsigned char c = read_byte(ld, --tail);
        if (c == '\t') {
            after_tab = true;
            break;
        }
        if (iscntrl(c)) {
            if (lflag(ld, ECHOCTL)) chars += 2;
        } else if (!(iflag(ld, IUTF8) && (c & 0xc0) == 0x80)) {
            chars++;
        }
    }
    if (!after_tab) chars += ld->canon_column;
    for (unsigned bs = 8 - (chars & 7); bs; bs--) echo_raw(ld, '\b');
}

// ---- input ----

void put_tty_queue(n_tty_core* ld, unsigned char c) {
    ld->read_buf[MASK(ld->read_head)] = c;
    ld->read_head++;
}

enum erase_kind { ERASE, WERASE, KILL };

// VERASE, VWERASE and VKILL in canonical mode (Linux's eraser).
void eraser(n_tty_core* ld, unsigned char c) {
    if (ld->read_head == ld->canon_head) return;  // nothing on this line to erase
    erase_kind kind;
    if (is_char(ld, VERASE, c)) {
        kind = ERASE;
    } else if (is_char(ld, VWERASE, c)) {
        kind = WERASE;
    } else {
        if (!lflag(ld, ECHO)) {
            ld->read_head = ld->canon_head;
            return;
        }
        if (!lflag(ld, ECHOK) || !lflag(ld, ECHOKE) || !lflag(ld, ECHOE)) {
            // The kill character is echoed instead of the line being wiped.
            ld->read_head = ld->canon_head;
            finish_erasing(ld);
            echo_char(ld, c);
            if (lflag(ld, ECHOK)) echo_raw(ld, '\n');
            return;
        }
        kind = KILL;
    }
    bool utf8 = iflag(ld, IUTF8);
    unsigned seen_alnums = 0;
    while (ld->read_head != ld->canon_head) {
        // One character, which in UTF-8 may be several bytes.
        size_t head = ld->read_head;
        do {
            c = read_byte(ld, --head);
        } while (utf8 && (c & 0xc0) == 0x80 && head != ld->canon_head);
        if (utf8 && (c & 0xc0) == 0x80) break;  // never half a character
        if (kind == WERASE) {
            // Trailing non-word characters go with the word before them (BSD's altwerase).
            if (ctype::isalnum(char(c)) || c == '_') seen_alnums++;
            else if (seen_alnums) break;
        }
        size_t cnt = ld->read_head - head;
        ld->read_head = head;
        if (lflag(ld, ECHO)) {
            if (lflag(ld, ECHOPRT)) {
                if (!ld->erasing) {
                    echo_raw(ld, '\\');
                    ld->erasing = true;
                }
                echo_char(ld, c);
                while (--cnt > 0) echo_raw(ld, read_byte(ld, ++head));
            } else if (kind == ERASE && !lflag(ld, ECHOE)) {
                echo_char(ld, ld->t.c_cc[VERASE]);
            } else if (c == '\t') {
                echo_erase_tab(ld);
            } else {
                if (iscntrl(c) && lflag(ld, ECHOCTL)) echo_backspace(ld);  // the caret too
                if (!iscntrl(c) || lflag(ld, ECHOCTL)) echo_backspace(ld);
            }
        }
        if (kind == ERASE) break;
    }
    if (ld->read_head == ld->canon_head && lflag(ld, ECHO)) finish_erasing(ld);
}

// A line is complete: its delimiter is marked and readers may take it.
void end_line(n_tty_core* ld, unsigned char c) {
    set_flag(ld, ld->read_head);
    put_tty_queue(ld, c);
    ld->canon_head = ld->read_head;
}

// VINTR/VQUIT/VSUSP under ISIG (Linux's n_tty_receive_signal_char).
int signal_char(n_tty_core* ld, int sig, unsigned char c) {
    if (!lflag(ld, NOFLSH)) {
        n_tty_flush_input(ld);
        ld->out_len = 0;  // pending output is discarded with the input
    }
    if (iflag(ld, IXON)) ld->stopped = false;
    if (lflag(ld, ECHO)) echo_char(ld, c);
    return sig;
}

// Room for a byte: the buffer holds N_TTY_BUF_SIZE - 1, and in canonical
// mode the last slot is kept for a line's end, so an over-long line can still
// be ended (Linux lets only that through then, too).
bool room_for(const n_tty_core* ld, bool line_end) {
    size_t used = n_tty_read_cnt(ld);
    return used < N_TTY_BUF_SIZE - 1 || (line_end && ld->icanon && used < N_TTY_BUF_SIZE);
}

}  // namespace

void n_tty_init(n_tty_core* ld, const termios* t) {
    memset(ld, 0, sizeof(*ld));
    ld->t = *t;
    ld->icanon = lflag(ld, ICANON);
}

void n_tty_set_termios(n_tty_core* ld, const termios* t) {
    bool was_canon = ld->icanon;
    ld->t = *t;
    ld->icanon = lflag(ld, ICANON);
    if (was_canon != ld->icanon) {
        memset(ld->read_flags, 0, sizeof(ld->read_flags));
        if (!ld->icanon || !n_tty_read_cnt(ld)) {
            ld->canon_head = ld->read_tail;
        } else {
            // Raw input pending when canonical mode returns is one line.
            set_flag(ld, ld->read_head - 1);
            ld->canon_head = ld->read_head;
        }
        ld->erasing = false;
        ld->lnext = false;
    }
    if (!iflag(ld, IXON)) ld->stopped = false;
}

void n_tty_flush_input(n_tty_core* ld) {
    ld->read_head = ld->canon_head = ld->read_tail = 0;
    memset(ld->read_flags, 0, sizeof(ld->read_flags));
    ld->erasing = false;
}

int n_tty_receive_char(n_tty_core* ld, unsigned char c) {
    if (iflag(ld, ISTRIP)) c &= 0x7f;
    if (iflag(ld, IUCLC) && lflag(ld, IEXTEN) && ctype::isupper(char(c))) c = c - 'A' + 'a';
    if (ld->lnext) {
        // Taken literally, whatever it is.
        ld->lnext = false;
        if (!room_for(ld, false)) return 0;
        if (lflag(ld, ECHO)) {
            finish_erasing(ld);
            echo_set_canon_col(ld);
            echo_char(ld, c);
        }
        put_tty_queue(ld, c);
        return 0;
    }
    if (iflag(ld, IXON)) {
        if (is_char(ld, VSTART, c)) {
            ld->stopped = false;
            return 0;
        }
        if (is_char(ld, VSTOP, c)) {
            ld->stopped = true;
            return 0;
        }
    }
    if (lflag(ld, ISIG)) {
        if (is_char(ld, VINTR, c)) return signal_char(ld, SIGINT, c);
        if (is_char(ld, VQUIT, c)) return signal_char(ld, SIGQUIT, c);
        if (is_char(ld, VSUSP, c)) return signal_char(ld, SIGTSTP, c);
    }
    if (ld->stopped && iflag(ld, IXON) && iflag(ld, IXANY)) ld->stopped = false;
    if (c == '\r') {
        if (iflag(ld, IGNCR)) return 0;
        if (iflag(ld, ICRNL)) c = '\n';
    } else if (c == '\n' && iflag(ld, INLCR)) {
        c = '\r';
    }
    if (ld->icanon) {
        if (is_char(ld, VERASE, c) || is_char(ld, VKILL, c) || (is_char(ld, VWERASE, c) && lflag(ld, IEXTEN))) {
            eraser(ld, c);
            return 0;
        }
        if (is_char(ld, VLNEXT, c) && lflag(ld, IEXTEN)) {
            ld->lnext = true;
            if (lflag(ld, ECHO)) {
                finish_erasing(ld);
                if (lflag(ld, ECHOCTL)) {
                    // A caret stands in until the literal character arrives.
                    echo_raw(ld, '^');
                    echo_raw(ld, '\b');
                }
            }
            return 0;
        }
        if (is_char(ld, VREPRINT, c) && lflag(ld, ECHO) && lflag(ld, IEXTEN)) {
            finish_erasing(ld);
            echo_char(ld, c);
            echo_raw(ld, '\n');
            for (size_t i = ld->canon_head; i != ld->read_head; i++) echo_char(ld, read_byte(ld, i));
            return 0;
        }
        if (c == '\n') {
            if (!room_for(ld, true)) return 0;
            if (lflag(ld, ECHO) || lflag(ld, ECHONL)) {
                finish_erasing(ld);
                echo_raw(ld, '\n');
            }
            end_line(ld, c);
            return 0;
        }
        if (is_char(ld, VEOF, c)) {
            if (!room_for(ld, true)) return 0;
            end_line(ld, _POSIX_VDISABLE);
            return 0;
        }
        if (is_char(ld, VEOL, c) || (is_char(ld, VEOL2, c) && lflag(ld, IEXTEN))) {
            if (!room_for(ld, true)) return 0;
            if (lflag(ld, ECHO)) {
                finish_erasing(ld);
                echo_set_canon_col(ld);
                echo_char(ld, c);
            }
            end_line(ld, c);
            return 0;
        }
    }
    if (!room_for(ld, false)) return 0;
    if (lflag(ld, ECHO)) {
        finish_erasing(ld);
        if (c == '\n') {
            echo_raw(ld, '\n');
        } else {
            echo_set_canon_col(ld);
            echo_char(ld, c);
        }
    }
    put_tty_queue(ld, c);
    return 0;
}

bool n_tty_receive_room(const n_tty_core* ld) {
    // A canonical line that fills the buffer keeps taking input (to be
    // dropped) until it ends: nothing could ever read it otherwise.
    return n_tty_read_cnt(ld) < N_TTY_BUF_SIZE - 1 || (ld->icanon && ld->canon_head == ld->read_tail);
}

bool n_tty_input_available(const n_tty_core* ld, bool poll) {
    if (ld->icanon) return ld->canon_head != ld->read_tail;
    size_t amt = poll && !ld->t.c_cc[VTIME] && ld->t.c_cc[VMIN] ? ld->t.c_cc[VMIN] : 1;
    return n_tty_read_cnt(ld) >= amt;
}

size_t n_tty_copy_canon(n_tty_core* ld, unsigned char* dst, size_t n, bool* line_done) {
    size_t avail = ld->canon_head - ld->read_tail;
    if (n > avail) n = avail;
    // The line ends at the first delimiter within reach.
    size_t len = 0;
    bool found = false;
    while (len < n) {
        if (test_flag(ld, ld->read_tail + len)) {
            found = true;
            break;
        }
        len++;
    }
    size_t consumed = len + found;
    size_t copy = found && read_byte(ld, ld->read_tail + len) != _POSIX_VDISABLE ? consumed : len;
    for (size_t i = 0; i < copy; i++) dst[i] = read_byte(ld, ld->read_tail + i);
    if (found) clear_flag(ld, ld->read_tail + len);
    ld->read_tail += consumed;
    *line_done = found;
    return copy;
}

size_t n_tty_copy_raw(n_tty_core* ld, unsigned char* dst, size_t n) {
    size_t avail = n_tty_read_cnt(ld);
    if (n > avail) n = avail;
    for (size_t i = 0; i < n; i++) dst[i] = read_byte(ld, ld->read_tail + i);
    ld->read_tail += n;
    return n;
}

size_t n_tty_inq(const n_tty_core* ld) {
    if (!ld->icanon) return n_tty_read_cnt(ld);
    size_t nr = 0;
    for (size_t i = ld->read_tail; i != ld->canon_head; i++)
        if (!(test_flag(ld, i) && read_byte(ld, i) == _POSIX_VDISABLE)) nr++;
    return nr;
}

size_t n_tty_process_output(n_tty_core* ld, const unsigned char* src, size_t n) {
    size_t done = 0;
    while (done < n && output_char(ld, src[done])) done++;
    return done;
}

n_tty_read_policy n_tty_read_policy_for(const termios* t, unsigned long hz) {
    if (t->c_lflag & ICANON) return {1, -1, 0};
    long vtime = long(hz / 10) * t->c_cc[VTIME];
    if (t->c_cc[VMIN]) return {t->c_cc[VMIN], -1, vtime};
    // VMIN 0: one byte or the timeout (none at all with VTIME 0: a poll).
    return {1, vtime, 0};
}
