#!/usr/bin/env bash
# loglevel= and quiet decide what reaches the console; everything still
# reaches the log buffer (checked by the replay when the console registers).
. "$(dirname "$0")/lib.sh"
boot "$KEEL" "console=ttyS0 quiet" "$BUILD/initramfs.cpio"
expect_stopped
expect_not 'BIOS-e820'
expect_not 'Keel version'
boot "$KEEL" "console=ttyS0 loglevel=6" "$BUILD/initramfs.cpio"
expect 'Keel version'
expect_not 'BIOS-e820'
boot "$KEEL" "console=ttyS0,115200n8 earlyprintk=serial" "$BUILD/initramfs.cpio"
expect 'bootconsole \[ttyS0\] enabled'
expect 'console \[ttyS0\] enabled'
[ "$(grep -c 'BIOS-provided physical RAM map' "$LOG")" -eq 1 ] || fail "boot and real console both printed the backlog"
# log_buf_len= moves the log into a larger buffer without losing a line.
boot "$KEEL" "console=ttyS0 log_buf_len=1M ktest=printk" "$BUILD/initramfs.cpio"
expect 'log_buf_len: 1048576 bytes'
expect 'early log buf free: [0-9]+\([0-9]+%\)'
expect '^\[[ 0-9.]+\] ok 1 printk'
pass
