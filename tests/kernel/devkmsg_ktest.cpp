// /dev/kmsg and syslog(2) read the log in Linux's formats: one
// "prio,seq,usec,-;text\n" record per read (EINVAL, and the record skipped,
// when the buffer is too small; EAGAIN at the end with O_NONBLOCK), seeks to
// the start, the end and the last CLEAR, writes logged with their "<N>"
// priority (one without a final newline unseen until the next record), and
// "<prio>[time] text\n" lines from SYSLOG_ACTION_READ_ALL.
#include <asm/uaccess.h>
#include <keel/fs.h>
#include <keel/mm.h>
#include <keel/poll.h>
#include <keel/printk.h>
#include <keel/syscalls.h>
#include <kernel/printk/printk.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_mm.h>
#include <uapi/asm/mman.h>
#include <uapi/linux/fcntl.h>

namespace {

constexpr size_t UBUF = 4 * PAGE_SIZE;

// One read of the open kmsg file into user memory at ubuf, copied back to out.
ssize_t kmsg_read(file* f, unsigned long ubuf, size_t count, char* out) {
    ssize_t n = kmsg_fops.read(f, reinterpret_cast<char __user*>(ubuf), count, &f->f_pos);
    if (n > 0) {
        copy_from_user(out, reinterpret_cast<const char __user*>(ubuf), size_t(n));
        out[n] = '\0';
    }
    return n;
}

ssize_t kmsg_write(file* f, const char* text) {
    kvec v{const_cast<char*>(text), strlen(text)};
    iov_iter it;
    iov_iter_kvec(&it, WRITE, &v, 1, v.iov_len);
    kiocb iocb{f, 0, 0};
    return kmsg_fops.write_iter(&iocb, &it);
}

void kmsg_records_body(ktest* t, mm_struct*) {
    long ubuf = vm_mmap(0, UBUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
    KTEST_ASSERT_TRUE(t, ubuf > 0);
    static char out[UBUF + 1];
    file f;
    f.f_flags = O_RDONLY | O_NONBLOCK;
    KTEST_ASSERT_TRUE(t, kmsg_fops.open(nullptr, &f) == 0);

    // From the start: the oldest record.
    KTEST_EXPECT_GT(t, kmsg_read(&f, ubuf, UBUF, out), 0);
    KTEST_EXPECT_TRUE(t, strstr(out, ",-;") != nullptr);
    KTEST_EXPECT_EQ(t, kmsg_fops.llseek(&f, 0, SEEK_END), 0);
    KTEST_EXPECT_EQ(t, kmsg_read(&f, ubuf, UBUF, out), -EAGAIN);
    KTEST_EXPECT_EQ(t, kmsg_fops.poll(&f, nullptr), 0u);
    KTEST_EXPECT_EQ(t, kmsg_fops.llseek(&f, 1, SEEK_SET), -ESPIPE);
    KTEST_EXPECT_EQ(t, kmsg_fops.llseek(&f, 0, SEEK_CUR), -EINVAL);

    // A kernel record: facility 0, its level; control bytes and '\' escaped.
    // (KERN_DEBUG keeps the test's lines off the console.)
    printk(KERN_DEBUG "ktest-kmsg: a\\b\tc\n");
    KTEST_EXPECT_EQ(t, kmsg_fops.poll(&f, nullptr), EPOLLIN | EPOLLRDNORM);
    ssize_t n = kmsg_read(&f, ubuf, UBUF, out);
    KTEST_ASSERT_TRUE(t, n > 0);
    KTEST_EXPECT_TRUE(t, strncmp(out, "7,", 2) == 0);
    const char* body = strchr(out, ';');
    KTEST_EXPECT_TRUE(t, body && strcmp(body, ";ktest-kmsg: a\\x5cb\\x09c\n") == 0);
    KTEST_EXPECT_TRUE(t, body && body[-1] == '-' && body[-2] == ',');

    // Too small a buffer: EINVAL, and that record is gone for this reader.
    printk(KERN_DEBUG "ktest-kmsg: first\n");
    printk(KERN_DEBUG "ktest-kmsg: second\n");
    KTEST_EXPECT_EQ(t, kmsg_read(&f, ubuf, 8, out), -EINVAL);
    KTEST_EXPECT_GT(t, kmsg_read(&f, ubuf, UBUF, out), 0);
    KTEST_EXPECT_TRUE(t, strstr(out, ";ktest-kmsg: second\n") != nullptr);

    // Writes become records: "<N>" gives the level, the facility stays LOG_USER.
    KTEST_EXPECT_EQ(t, kmsg_write(&f, "<7>ktest-kmsg: user\n"), 20);
    KTEST_EXPECT_GT(t, kmsg_read(&f, ubuf, UBUF, out), 0);
    KTEST_EXPECT_TRUE(t, strncmp(out, "15,", 3) == 0);
    KTEST_EXPECT_TRUE(t, strstr(out, ";ktest-kmsg: user\n") != nullptr);
    // Without a final newline the record stays open, unseen until the next one.
    KTEST_EXPECT_EQ(t, kmsg_write(&f, "<31>ktest-kmsg: daemon"), 22);  // facility 3, level 7
    KTEST_EXPECT_EQ(t, kmsg_read(&f, ubuf, UBUF, out), -EAGAIN);
    KTEST_EXPECT_EQ(t, kmsg_fops.poll(&f, nullptr), 0u);
    printk(KERN_DEBUG "ktest-kmsg: closes it\n");
    KTEST_EXPECT_GT(t, kmsg_read(&f, ubuf, UBUF, out), 0);
    KTEST_EXPECT_TRUE(t, strncmp(out, "31,", 3) == 0);
    KTEST_EXPECT_TRUE(t, strstr(out, ";ktest-kmsg: daemon\n") != nullptr);
    KTEST_EXPECT_GT(t, kmsg_read(&f, ubuf, UBUF, out), 0);
    KTEST_EXPECT_TRUE(t, strstr(out, ";ktest-kmsg: closes it\n") != nullptr);

    // syslog(2): the buffer's size, and READ_ALL in the syslog format.
    KTEST_EXPECT_EQ(t, sys_syslog(10, nullptr, 0), long(printk_log_buf_len()));
    long len = sys_syslog(3, reinterpret_cast<char __user*>(ubuf), int(UBUF));
    KTEST_ASSERT_TRUE(t, len > 0);
    copy_from_user(out, reinterpret_cast<const char __user*>(ubuf), size_t(len));
    out[len] = '\0';
    KTEST_EXPECT_TRUE(t, strstr(out, "<15>[") != nullptr);
    KTEST_EXPECT_TRUE(t, strstr(out, "] ktest-kmsg: user\n") != nullptr);
    KTEST_EXPECT_EQ(t, out[len - 1], '\n');  // the newest lines, whole
    // READ consumes: a buffer smaller than the oldest record gets its start,
    // the next call the rest (and more records, whole).
    KTEST_EXPECT_EQ(t, sys_syslog(2, reinterpret_cast<char __user*>(ubuf), 8), 8);
    copy_from_user(out, reinterpret_cast<const char __user*>(ubuf), 8);
    KTEST_EXPECT_EQ(t, out[0], '<');
    long unread = sys_syslog(9, nullptr, 0);
    KTEST_EXPECT_GT(t, unread, 0);
    len = sys_syslog(2, reinterpret_cast<char __user*>(ubuf), int(UBUF));
    KTEST_ASSERT_TRUE(t, len > 0);
    copy_from_user(out, reinterpret_cast<const char __user*>(ubuf), size_t(len));
    out[len] = '\0';
    KTEST_EXPECT_NE(t, out[0], '<');
    char* second = strchr(out, '\n');
    KTEST_EXPECT_TRUE(t, second && second[1] == '<');
    KTEST_EXPECT_EQ(t, out[len - 1], '\n');
    KTEST_EXPECT_EQ(t, sys_syslog(3, nullptr, 10), -EINVAL);
    KTEST_EXPECT_EQ(t, sys_syslog(8, nullptr, 9), -EINVAL);
    KTEST_EXPECT_EQ(t, sys_syslog(42, nullptr, 0), -EINVAL);
    // CLEAR: READ_ALL and SEEK_DATA then start after it.
    KTEST_EXPECT_EQ(t, sys_syslog(5, nullptr, 0), 0);
    printk(KERN_DEBUG "ktest-kmsg: after clear\n");
    len = sys_syslog(3, reinterpret_cast<char __user*>(ubuf), int(UBUF));
    KTEST_EXPECT_GT(t, len, 0);
    copy_from_user(out, reinterpret_cast<const char __user*>(ubuf), size_t(len));
    out[len] = '\0';
    KTEST_EXPECT_TRUE(t, strstr(out, "ktest-kmsg: user") == nullptr);
    KTEST_EXPECT_TRUE(t, strstr(out, "] ktest-kmsg: after clear\n") != nullptr);
    // SEEK_DATA: the first record after the CLEAR (others may have logged too).
    KTEST_EXPECT_EQ(t, kmsg_fops.llseek(&f, 0, SEEK_DATA), 0);
    bool found = false;
    for (int i = 0; i < 100 && !found && kmsg_read(&f, ubuf, UBUF, out) > 0; i++)
        found = strstr(out, ";ktest-kmsg: after clear\n") != nullptr;
    KTEST_EXPECT_TRUE(t, found);

    kmsg_fops.release(nullptr, &f);
    vm_munmap(ubuf, UBUF);
}
void kmsg_records(ktest* t) { ktest_run_in_mm(t, kmsg_records_body, "ktest-kmsg"); }

const ktest_case devkmsg_cases[] = {KTEST_CASE(kmsg_records), {}};

}  // namespace

KTEST_SUITE(devkmsg, devkmsg_cases);
