#!/usr/bin/env bash
# The first user program: a static musl binary as /init (PID 1) prints through
# stdio and raw system calls, gets EFAULT for bad pointers to write() and
# uname(), ENOSYS for an unknown number, sleeps, grows its heap, and powers
# the machine off with reboot(2). Then the default initramfs: busybox sh runs
# the /init script (#! → /bin/sh → busybox) to its `exec poweroff -f`; and
# init exiting is a panic, as in Linux.
. "$(dirname "$0")/lib.sh"
command -v musl-gcc >/dev/null || { echo "SKIP $TEST_NAME: musl-gcc not installed"; exit 0; }
dir=$BUILD/user_hello
rm -rf "$dir" && mkdir -p "$dir/root"
musl-gcc -static -O2 -Wall -o "$dir/root/init" tests/user/hello_syscalls.c || fail "cannot build hello_syscalls"
# init_cpio DIR OUT: DIR/init as /init, with the /dev/console node the kernel
# opens for init's fds 0-2 (without it init runs with no output, as on Linux).
init_cpio() {
    printf 'dir dev 0755 0 0\nnod dev/console 0600 0 0 c 5 1\nfile init %s 0755 0 0\n' "$1/init" >"$1.list"
    bash tests/user/mkcpio.sh "$1.list" "$2"
}
init_cpio "$dir/root" "$dir/hello.cpio"

boot "$KEEL" "console=ttyS0" "$dir/hello.cpio"
expect_stopped
expect_exit 0
sed -E '/^\[ *[0-9]+\.[0-9]+\] /d' "$LOG" | grep -v -e '^$' -e 'SeaBIOS' -e 'iPXE' -e 'Booting' >"$dir/out" || true
cat >"$dir/expected" <<'OUT'
hello from user space: argc=1 argv[0]=/init
ok: envp[0] is HOME=/
ok: getpid() == 1
ok: getppid() == 0
ok: uname: Linux x86_64
ok: write(1, 8, 5) -> EFAULT
ok: write(1, kernel address, 5) -> EFAULT
ok: uname(16) -> EFAULT
ok: syscall 1000 -> ENOSYS
raw write
ok: raw write returns its length
ok: nanosleep(10 ms) sleeps at least 10 ms
ok: brk grows the heap
user_hello: 0 failures
OUT
diff -u "$dir/expected" "$dir/out" || fail "user program output differs"
expect 'Run /init as init process'
expect 'keel: init\[1\]: unimplemented syscall 1000'
expect 'reboot: Power down'
expect_not 'Kernel panic|BUG:|WARNING:|Oops'

boot "$KEEL" "console=ttyS0" "$BUILD/initramfs.cpio"
expect_stopped
expect_exit 0
expect '^Welcome to Keel$'
expect 'reboot: Power down'
expect_not 'Kernel panic|BUG:|WARNING:|Oops'

# A user-mode exception ends the process with its signal (SIGILL = 4 for ud2).
printf 'int main(void) { __builtin_trap(); }\n' >"$dir/trap.c"
mkdir -p "$dir/trap" && musl-gcc -static -O2 -o "$dir/trap/init" "$dir/trap.c" || fail "cannot build trap.c"
init_cpio "$dir/trap" "$dir/trap.cpio"
boot "$KEEL" "console=ttyS0 panic=-1" "$dir/trap.cpio"
expect_stopped
expect 'traps: init\[1\] trap invalid opcode ip:[0-9a-f]+ sp:[0-9a-f]+ error:0'
expect 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000004'

# Init must not exit: busybox false as init ends in Linux's panic, status 1 << 8.
boot "$KEEL" "console=ttyS0 panic=-1 rdinit=/bin/busybox -- false" "$BUILD/initramfs.cpio"
expect_stopped
expect 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100'
pass
