// lib/n_tty_core: the N_TTY line discipline's decisions, checked against what
// Linux's n_tty does with the same keystrokes and settings (the expected echo
// strings are what a Linux terminal shows, e.g. `stty -a` defaults).
#include <lib/n_tty_core.h>

#include <gtest/gtest.h>
#include <string>

namespace {

struct Tty {
    n_tty_core ld;
    int last_sig = 0;
    explicit Tty(termios t = tty_std_termios) { n_tty_init(&ld, &t); }
    void type(const std::string& s) {
        for (unsigned char c : s)
            if (int sig = n_tty_receive_char(&ld, c)) last_sig = sig;
    }
    std::string echo() {
        std::string s(reinterpret_cast<char*>(ld.out_buf), ld.out_len);
        ld.out_len = 0;
        return s;
    }
    std::string read_line(size_t n = 4096, bool* done = nullptr) {
        unsigned char buf[4096];
        bool d = false;
        size_t got = n_tty_copy_canon(&ld, buf, n, &d);
        if (done) *done = d;
        return std::string(reinterpret_cast<char*>(buf), got);
    }
    std::string read_raw(size_t n = 4096) {
        unsigned char buf[4096];
        return std::string(reinterpret_cast<char*>(buf), n_tty_copy_raw(&ld, buf, n));
    }
    void set(tcflag_t lclear, tcflag_t lset) {
        termios t = ld.t;
        t.c_lflag = (t.c_lflag & ~lclear) | lset;
        n_tty_set_termios(&ld, &t);
    }
};

TEST(NTty, CanonicalLineWithCrTranslatedAndEchoed) {
    Tty t;
    t.type("ls");
    EXPECT_FALSE(n_tty_input_available(&t.ld, false));  // no line yet
    t.type("\r");  // ICRNL
    EXPECT_TRUE(n_tty_input_available(&t.ld, false));
    EXPECT_EQ(t.echo(), "ls\r\n");  // ONLCR on the echoed newline
    EXPECT_EQ(t.read_line(), "ls\n");
    EXPECT_FALSE(n_tty_input_available(&t.ld, false));
}

TEST(NTty, OneLinePerRead) {
    Tty t;
    t.type("a\nbc\n");
    EXPECT_EQ(t.read_line(), "a\n");
    EXPECT_EQ(t.read_line(), "bc\n");
}

TEST(NTty, ShortReadLeavesTheRestOfTheLine) {
    Tty t;
    t.type("hello\n");
    bool done = true;
    EXPECT_EQ(t.read_line(3, &done), "hel");
    EXPECT_FALSE(done);
    EXPECT_EQ(t.read_line(100, &done), "lo\n");
    EXPECT_TRUE(done);
}

TEST(NTty, EraseWithEchoe) {
    Tty t;
    t.type("ab\x7f" "c\n");
    EXPECT_EQ(t.echo(), "ab\b \bc\r\n");
    EXPECT_EQ(t.read_line(), "ac\n");
}

TEST(NTty, EraseAtLineStartDoesNothing) {
    Tty t;
    t.type("\x7f\x7fx\n");
    EXPECT_EQ(t.echo(), "x\r\n");
    EXPECT_EQ(t.read_line(), "x\n");
}

TEST(NTty, EraseOfControlCharRemovesCaretToo) {
    Tty t;
    t.type("a\x01\x7f");  // ^A echoes as two columns
    EXPECT_EQ(t.echo(), "a^A\b \b\b \b");
}

TEST(NTty, EraseTabGoesBackToTheTabStop) {
    Tty t;
    t.type("ab\t\x7f");
    // "ab" then a tab to column 8; erasing it moves back 6 columns.
    EXPECT_EQ(t.echo(), "ab\t\b\b\b\b\b\b");
    EXPECT_EQ(t.ld.column, 2u);
}

TEST(NTty, KillWithEchokeErasesTheLine) {
    Tty t;
    t.type("abc\x15" "d\n");
    EXPECT_EQ(t.echo(), "abc\b \b\b \b\b \bd\r\n");
    EXPECT_EQ(t.read_line(), "d\n");
}

TEST(NTty, KillWithoutEchokeEchoesKillCharAndNewline) {
    Tty t;
    t.set(ECHOKE, 0);
    t.type("abc\x15");
    EXPECT_EQ(t.echo(), "abc^U\r\n");
    t.type("x\n");
    EXPECT_EQ(t.read_line(), "x\n");
}

TEST(NTty, WordEraseTakesTrailingSpaceWithTheWord) {
    Tty t;
    t.type("one two  \x17" "three\n");
    EXPECT_EQ(t.read_line(), "one three\n");
}

TEST(NTty, EofAtLineStartReadsAsZeroBytes) {
    Tty t;
    t.type("\x04");
    EXPECT_TRUE(n_tty_input_available(&t.ld, false));
    bool done = false;
    EXPECT_EQ(t.read_line(100, &done), "");
    EXPECT_TRUE(done);
    EXPECT_EQ(t.echo(), "");  // EOF is not echoed
}

TEST(NTty, EofAfterTextEndsTheLineWithoutNewline) {
    Tty t;
    t.type("ab\x04");
    EXPECT_EQ(t.read_line(), "ab");
    EXPECT_EQ(n_tty_inq(&t.ld), 0u);
}

TEST(NTty, EolIsADelimiterThatIsDelivered) {
    termios tio = tty_std_termios;
    tio.c_cc[VEOL] = ';';
    Tty t(tio);
    t.type("a;b");
    EXPECT_EQ(t.read_line(), "a;");
}

TEST(NTty, FionreadCountsCompleteLinesWithoutEof) {
    Tty t;
    t.type("ab\n\x04" "cd");
    EXPECT_EQ(n_tty_inq(&t.ld), 3u);
}

TEST(NTty, InterruptFlushesInputEchoesAndSignals) {
    Tty t;
    t.type("partial\nmore");
    t.echo();
    t.type("\x03");
    EXPECT_EQ(t.last_sig, 2);  // SIGINT
    EXPECT_EQ(t.echo(), "^C");
    EXPECT_EQ(n_tty_read_cnt(&t.ld), 0u);
}

TEST(NTty, QuitAndSuspendSignals) {
    Tty t;
    t.type("\x1c");
    EXPECT_EQ(t.last_sig, 3);  // SIGQUIT
    t.type("\x1a");
    EXPECT_EQ(t.last_sig, 20);  // SIGTSTP
}

TEST(NTty, NoflshKeepsInput) {
    Tty t;
    t.set(0, NOFLSH);
    t.type("ab\n\x03");
    EXPECT_EQ(t.last_sig, 2);
    EXPECT_EQ(t.read_line(), "ab\n");
}

TEST(NTty, NoIsigMakesCtrlCData) {
    Tty t;
    t.set(ISIG | ICANON, 0);
    t.type("\x03");
    EXPECT_EQ(t.last_sig, 0);
    EXPECT_EQ(t.read_raw(), "\x03");
}

TEST(NTty, LnextQuotesTheNextCharacter) {
    Tty t;
    t.type("\x16\x03\n");
    EXPECT_EQ(t.last_sig, 0);
    EXPECT_EQ(t.echo(), "^\b^C\r\n");
    EXPECT_EQ(t.read_line(), "\x03\n");
}

TEST(NTty, IgncrAndInlcrAndIstrip) {
    termios tio = tty_std_termios;
    tio.c_iflag = IGNCR | ISTRIP;
    tio.c_lflag &= ~(ICANON | ECHO);
    Tty t(tio);
    t.type("a\rb\xe1");
    EXPECT_EQ(t.read_raw(), "aba");
    tio.c_iflag = INLCR;
    n_tty_set_termios(&t.ld, &tio);
    t.type("\n");
    EXPECT_EQ(t.read_raw(), "\r");
}

TEST(NTty, EchonlWithoutEcho) {
    Tty t;
    t.set(ECHO, ECHONL);
    t.type("secret\n");
    EXPECT_EQ(t.echo(), "\r\n");
    EXPECT_EQ(t.read_line(), "secret\n");
}

TEST(NTty, RawModeReadsWhatIsThere) {
    Tty t;
    t.set(ICANON | ECHO, 0);
    t.type("\x1b[A");  // an arrow key
    EXPECT_TRUE(n_tty_input_available(&t.ld, false));
    EXPECT_EQ(t.read_raw(2), "\x1b[");
    EXPECT_EQ(t.read_raw(), "A");
    EXPECT_EQ(t.echo(), "");
}

TEST(NTty, PollWaitsForVminBytesWhenVtimeIsZero) {
    termios tio = tty_std_termios;
    tio.c_lflag &= ~ICANON;
    tio.c_cc[VMIN] = 3;
    tio.c_cc[VTIME] = 0;
    Tty t(tio);
    t.type("ab");
    EXPECT_TRUE(n_tty_input_available(&t.ld, false));
    EXPECT_FALSE(n_tty_input_available(&t.ld, true));
    t.type("c");
    EXPECT_TRUE(n_tty_input_available(&t.ld, true));
}

TEST(NTty, SwitchingToCanonicalMakesPendingInputALine) {
    Tty t;
    t.set(ICANON, 0);
    t.type("xy");
    t.set(0, ICANON);
    EXPECT_TRUE(n_tty_input_available(&t.ld, false));
    EXPECT_EQ(t.read_line(), "xy");
}

TEST(NTty, ReadPolicyFollowsVminVtime) {
    termios tio = tty_std_termios;
    n_tty_read_policy p = n_tty_read_policy_for(&tio, 250);
    EXPECT_EQ(p.minimum, 1u);
    EXPECT_EQ(p.timeout, -1);
    tio.c_lflag &= ~ICANON;
    tio.c_cc[VMIN] = 0, tio.c_cc[VTIME] = 0;  // polling read
    p = n_tty_read_policy_for(&tio, 250);
    EXPECT_EQ(p.minimum, 1u);
    EXPECT_EQ(p.timeout, 0);
    tio.c_cc[VMIN] = 0, tio.c_cc[VTIME] = 5;  // read with timeout 0.5 s
    p = n_tty_read_policy_for(&tio, 250);
    EXPECT_EQ(p.timeout, 125);
    EXPECT_EQ(p.interbyte, 0);
    tio.c_cc[VMIN] = 4, tio.c_cc[VTIME] = 2;  // interbyte timer after the first byte
    p = n_tty_read_policy_for(&tio, 250);
    EXPECT_EQ(p.minimum, 4u);
    EXPECT_EQ(p.timeout, -1);
    EXPECT_EQ(p.interbyte, 50);
}

TEST(NTty, OutputProcessing) {
    Tty t;
    const unsigned char text[] = "a\tb\n";
    EXPECT_EQ(n_tty_process_output(&t.ld, text, 4), 4u);
    EXPECT_EQ(t.echo(), "a\tb\r\n");
    termios tio = tty_std_termios;
    tio.c_oflag = OPOST | ONLCR | XTABS;
    n_tty_set_termios(&t.ld, &tio);
    EXPECT_EQ(n_tty_process_output(&t.ld, text, 4), 4u);
    EXPECT_EQ(t.echo(), "a       b\r\n");
    tio.c_oflag = 0;  // no OPOST: bytes pass as they are
    n_tty_set_termios(&t.ld, &tio);
    EXPECT_EQ(n_tty_process_output(&t.ld, text, 4), 4u);
    EXPECT_EQ(t.echo(), "a\tb\n");
}

TEST(NTty, StopAndStartCharacters) {
    Tty t;
    t.type("\x13");
    EXPECT_TRUE(t.ld.stopped);
    t.type("\x11");
    EXPECT_FALSE(t.ld.stopped);
    EXPECT_EQ(n_tty_read_cnt(&t.ld), 0u);  // neither is input
}

TEST(NTty, FullBufferStillTakesTheNewline) {
    Tty t;
    t.set(ECHO, 0);
    for (size_t i = 0; i < N_TTY_BUF_SIZE + 10; i++) t.type("x");
    EXPECT_EQ(n_tty_read_cnt(&t.ld), N_TTY_BUF_SIZE - 1);
    t.type("\n");
    EXPECT_TRUE(n_tty_input_available(&t.ld, false));
}

TEST(NTty, RawModeFullBufferAsksTheDriverToWait) {
    Tty t;
    t.set(ICANON | ECHO, 0);
    for (size_t i = 0; i < N_TTY_BUF_SIZE - 2; i++) t.type("x");
    EXPECT_TRUE(n_tty_receive_room(&t.ld));
    t.type("x");
    EXPECT_FALSE(n_tty_receive_room(&t.ld));
    EXPECT_EQ(t.read_raw(1), "x");
    EXPECT_TRUE(n_tty_receive_room(&t.ld));
}

TEST(NTty, CanonicalModeWaitsOnlyWithACompleteLine) {
    Tty t;
    t.set(ECHO, 0);
    for (size_t i = 0; i < N_TTY_BUF_SIZE + 10; i++) t.type("x");
    EXPECT_TRUE(n_tty_receive_room(&t.ld));  // no line to read: keep taking (and dropping)
    t.type("\n");
    EXPECT_FALSE(n_tty_receive_room(&t.ld));
}

TEST(NTty, EchonlOnlyInCanonicalMode) {
    Tty t;
    t.set(ECHO | ICANON, ECHONL);
    t.type("a\n");
    EXPECT_EQ(t.echo(), "");
}

}  // namespace
