// Random numbers for the kernel and getrandom(2) (in the spirit of Linux's
// drivers/char/random.c, much reduced). Output is ChaCha20 keystream under a
// 256-bit key; after every request the key is replaced by fresh keystream
// ("fast key erasure"), so a later compromise of the state does not reveal
// earlier output. The key is seeded on first use from RDRAND when the CPU has
// it, mixed with TSC readings. Without RDRAND the TSC alone is a weak seed
// (guessable boot timing): good enough for ASLR and AT_RANDOM in a test
// kernel, not for keys. There is no entropy pool fed by interrupts yet.
#include <asm/processor.h>
#include <asm/uaccess.h>
#include <keel/fs.h>
#include <keel/random.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/spinlock.h>
#include <keel/syscalls.h>
#include <lib/string.h>

namespace {

constexpr u32 rotl(u32 v, int n) { return (v << n) | (v >> (32 - n)); }

void quarter_round(u32* x, int a, int b, int c, int d) {
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
}

// One 64-byte ChaCha20 block (RFC 8439) of key at block number counter.
void chacha20_block(const u32 key[8], u64 counter, u32 out[16]) {
    u32 s[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    for (int i = 0; i < 8; i++) s[4 + i] = key[i];
    s[12] = u32(counter);
    s[13] = u32(counter >> 32);
    s[14] = s[15] = 0;
    u32 x[16];
    memcpy(x, s, sizeof(x));
    for (int i = 0; i < 10; i++) {
        quarter_round(x, 0, 4, 8, 12); quarter_round(x, 1, 5, 9, 13);
        quarter_round(x, 2, 6, 10, 14); quarter_round(x, 3, 7, 11, 15);
        quarter_round(x, 0, 5, 10, 15); quarter_round(x, 1, 6, 11, 12);
        quarter_round(x, 2, 7, 8, 13); quarter_round(x, 3, 4, 9, 14);
    }
    for (int i = 0; i < 16; i++) out[i] = x[i] + s[i];
}

spinlock_t crng_lock;
u32 crng_key[8];
bool crng_seeded;

bool rdrand64(u64* v) {
    for (int tries = 0; tries < 10; tries++) {
        unsigned char ok;
        asm volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok) return true;
    }
    return false;
}

void crng_seed() {
    bool has_rdrand = cpuid(1).ecx & (1u << 30);
    for (int i = 0; i < 8; i += 2) {
        u64 v = rdtsc() * 0x9e3779b97f4a7c15ull;
        u64 r;
        if (has_rdrand && rdrand64(&r)) v ^= r;
        crng_key[i] ^= u32(v);
        crng_key[i + 1] ^= u32(v >> 32);
    }
    crng_seeded = true;
}

}  // namespace

void get_random_bytes(void* buf, size_t len) {
    auto* out = static_cast<unsigned char*>(buf);
    Guard<IrqSave> guard(crng_lock);
    if (!crng_seeded) crng_seed();
    u32 block[16];
    u64 counter = 0;
    chacha20_block(crng_key, counter++, block);
    memcpy(crng_key, block, sizeof(crng_key));  // the new key; the rest is output
    size_t first = len < 32 ? len : 32;
    memcpy(out, block + 8, first);
    for (size_t done = first; done < len; done += 64) {
        chacha20_block(crng_key, counter++, block);
        size_t n = len - done < 64 ? len - done : 64;
        memcpy(out + done, block, n);
    }
    memset(block, 0, sizeof(block));
}

u64 get_random_u64() {
    u64 v;
    get_random_bytes(&v, sizeof(v));
    return v;
}

long sys_getrandom(char __user* buf, size_t count, unsigned flags) {
    constexpr unsigned GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -EINVAL;
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM)) return -EINVAL;
    if (count > 0x7ffff000) count = 0x7ffff000;  // MAX_RW_COUNT, as every read-like call
    if (!access_ok(buf, count)) return -EFAULT;
    unsigned char chunk[256];
    size_t done = 0;
    while (done < count) {
        size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
        get_random_bytes(chunk, n);
        if (copy_to_user(buf + done, chunk, n)) {
            memset(chunk, 0, sizeof(chunk));
            return done ? long(done) : -EFAULT;
        }
        done += n;
    }
    memset(chunk, 0, sizeof(chunk));
    return long(done);
}

// ---- /dev/random and /dev/urandom --------------------------------------------------
// Linux 6.1 makes the two the same once the generator is seeded (Keel's always
// is: it seeds itself on first use). Writes are mixed into the key without
// being credited as entropy, as Linux's write_pool does.

namespace {

// XORs data into the key: whoever wrote it learns nothing of the key, and the
// next request replaces the key with keystream under the mixed one.
void mix_pool_bytes(const unsigned char* data, size_t len) {
    Guard<IrqSave> guard(crng_lock);
    if (!crng_seeded) crng_seed();
    auto* key = reinterpret_cast<unsigned char*>(crng_key);
    for (size_t i = 0; i < len; i++) key[i % sizeof(crng_key)] ^= data[i];
}

// Fills the reader's buffer a chunk at a time; a signal ends a long read
// (with what was copied) at a page boundary, as Linux's get_random_bytes_user.
ssize_t random_read_iter(kiocb*, iov_iter* to) {
    unsigned char chunk[64];
    size_t done = 0;
    bool fault = false;
    while (iov_iter_count(to)) {
        size_t n = iov_iter_count(to) < sizeof(chunk) ? iov_iter_count(to) : sizeof(chunk);
        get_random_bytes(chunk, n);
        size_t copied = copy_to_iter(chunk, n, to);
        done += copied;
        if ((fault = copied != n)) break;
        if (!(done % PAGE_SIZE) && iov_iter_count(to)) {
            if (signal_pending(current)) break;
            if (need_resched()) schedule();
        }
    }
    memset(chunk, 0, sizeof(chunk));
    return !done && fault ? -EFAULT : ssize_t(done);
}

ssize_t random_write_iter(kiocb*, iov_iter* from) {
    unsigned char block[64];
    size_t done = 0;
    bool fault = false;
    while (iov_iter_count(from)) {
        size_t n = iov_iter_count(from) < sizeof(block) ? iov_iter_count(from) : sizeof(block);
        size_t copied = copy_from_iter(block, n, from);
        mix_pool_bytes(block, copied);
        done += copied;
        if ((fault = copied != n)) break;
        if (!(done % PAGE_SIZE) && signal_pending(current)) break;
    }
    memset(block, 0, sizeof(block));
    return !done && fault ? -EFAULT : ssize_t(done);
}

}  // namespace

// Both minors: Linux's urandom_fops differs only in not waiting for the seed.
const file_operations random_fops = {
    .llseek = noop_llseek,
    .read_iter = random_read_iter,
    .write_iter = random_write_iter,
};
