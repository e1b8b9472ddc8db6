#!/usr/bin/env bash
# Terminals and job control, differential: tests/user/tty.c runs as PID 1 with
# the console on ttyS0, first on Linux (Debian's kernel), then on Keel; the
# program's output must be identical. It drives ttyS0 from a session of its
# own with pushed-back input (TIOCSTI), so nothing has to be typed.
. "$(dirname "$0")/lib.sh"
command -v musl-gcc >/dev/null || { echo "SKIP $TEST_NAME: musl-gcc not installed"; exit 0; }
vmlinuz=$(scripts/get-linux.sh) || fail "cannot fetch Debian's kernel"
dir=$BUILD/tty_compare
rm -rf "$dir" && mkdir -p "$dir"
musl-gcc -static -O2 -Wall -Werror -o "$dir/init" tests/user/tty.c || fail "cannot build tests/user/tty.c"
printf '%s\n' "dir dev 0755 0 0" "nod dev/console 0600 0 0 c 5 1" "file init $dir/init 0755 0 0" >"$dir/list"
bash tests/user/mkcpio.sh "$dir/list" "$dir/tty.cpio" || fail "cannot build the initramfs"

# Program output only: drop kernel log lines.
run() {
    boot "$1" "console=ttyS0 quiet panic=-1" "$dir/tty.cpio"
    expect_stopped
    sed -E '/^\[ *[0-9]+\.[0-9]+\] /d' "$LOG" | grep -v -e '^$' -e 'SeaBIOS' -e 'iPXE' -e 'Booting' >"$dir/$2.out" || true
    grep -q '^t_exit 0$' "$dir/$2.out" || fail "the program did not finish on $2"
}
run "$vmlinuz" linux
run "$KEEL" keel
diff -u "$dir/linux.out" "$dir/keel.out" || fail "Keel's output differs from Linux's"
pass "$(wc -l <"$dir/keel.out") lines as on Linux"
