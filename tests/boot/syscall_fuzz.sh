#!/usr/bin/env bash
# The syscall fuzzer (tests/user/fuzz.c) as PID 1: 20,000 calls spread over
# every system-call number with hostile arguments. The kernel must answer each
# with a result or an errno — no oops, panic, warning or hang — and must not
# lose memory doing so (the fuzzer compares free memory after two halves).
. "$(dirname "$0")/lib.sh"
command -v musl-gcc >/dev/null || { echo "SKIP $TEST_NAME: musl-gcc not installed"; exit 0; }
dir=$BUILD/syscall_fuzz
rm -rf "$dir" && mkdir -p "$dir"
musl-gcc -static -O2 -Wall -o "$dir/fuzz" tests/user/fuzz.c || fail "cannot build the fuzzer"
printf 'dir dev 0755 0 0\nnod dev/console 0600 0 0 c 5 1\nfile init %s 0755 0 0\n' "$dir/fuzz" >"$dir/list"
bash tests/user/mkcpio.sh "$dir/list" "$dir/fuzz.cpio" || fail "cannot build the initramfs"
TIMEOUT=120 boot "$KEEL" "console=ttyS0 panic=-1" "$dir/fuzz.cpio"
expect_stopped
expect_not 'Oops|Kernel panic|BUG:|WARNING:|general protection|scheduling while atomic'
expect '^fuzz: [0-9]+ calls to [0-9]+ numbers, [0-9]+ failed with an errno$'
grep -E '^fuzz: (LEAK|free memory)' "$LOG" | sed 's/^/    /'
expect '^fuzz: ok$'
pass "$(grep -E '^fuzz: [0-9]+ calls' "$LOG" | tail -1 | sed 's/^fuzz: //')"
