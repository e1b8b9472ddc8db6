#!/usr/bin/env bash
# Debian's busybox-static, unmodified, as PID 1 on Keel and on Linux: a shell
# script of applets (uname, seq, expr, sh arithmetic and subshell status,
# sha256sum, sleep, true) prints the same lines on both kernels. Pipes and
# command substitution need the VFS (issue 5), so the script uses neither.
. "$(dirname "$0")/lib.sh"
[ -x /bin/busybox ] || { echo "SKIP $TEST_NAME: busybox-static not installed"; exit 0; }
vmlinuz=$(scripts/get-linux.sh) || fail "cannot fetch Debian's kernel"
dir=$BUILD/busybox_compare
rm -rf "$dir" && mkdir -p "$dir"
cp /bin/busybox "$dir/busybox"
cat >"$dir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox uname -s -m
/bin/busybox seq 3
/bin/busybox expr 6 \* 7
/bin/busybox sh -c 'x=$((6*7)); echo "sh: $x"; (exit 3); echo "status $?"'
/bin/busybox sha256sum /init
/bin/busybox sleep 0.1 && /bin/busybox echo slept
/bin/busybox false || /bin/busybox echo false-fails
/bin/busybox poweroff -f
INIT
printf 'dir dev 0755 0 0\nnod dev/console 0600 0 0 c 5 1\ndir bin 0755 0 0\nfile bin/busybox %s 0755 0 0\nfile init %s 0755 0 0\n' \
    "$dir/busybox" "$dir/init" >"$dir/list"
bash tests/user/mkcpio.sh "$dir/list" "$dir/bb.cpio" || fail "cannot build the initramfs"
output() { sed -E '/^\[ *[0-9]+\.[0-9]+\] /d' "$1" | tr -d '\r' | grep -v -e '^$' -e 'SeaBIOS' -e 'iPXE' -e 'Booting' || true; }
LOG=$LOGDIR/$TEST_NAME-linux.log
TIMEOUT=90 boot "$vmlinuz" "console=ttyS0 quiet panic=-1" "$dir/bb.cpio"
output "$LOG" >"$dir/linux.out"
grep -q '^false-fails$' "$dir/linux.out" || fail "the script did not run to its end on Linux"
LOG=$LOGDIR/$TEST_NAME-keel.log
boot "$KEEL" "console=ttyS0 quiet panic=-1" "$dir/bb.cpio"
expect_stopped
expect_not 'Oops|Kernel panic|BUG:|WARNING:'
output "$LOG" >"$dir/keel.out"
diff -u "$dir/linux.out" "$dir/keel.out" || fail "busybox prints something else on Keel"
pass "$(wc -l <"$dir/linux.out") lines identical"
