#!/usr/bin/env bash
# Keel boots with an initramfs to the point of starting init, printing the
# memory map and the free memory on the way, and powers off by itself.
. "$(dirname "$0")/lib.sh"
boot "$KEEL" "console=ttyS0" "$BUILD/initramfs.cpio"
expect_stopped
expect_exit 0
expect '^\[ *0\.[0-9]{6}\] Keel version [0-9.]+ .*#1 SMP'
expect 'BIOS-provided physical RAM map:'
expect 'BIOS-e820: \[mem 0x0000000000000000-0x[0-9a-f]{16}\] usable'
expect 'Kernel command line: console=ttyS0'
expect 'Memory: [0-9]+K/[0-9]+K available'
expect 'RAMDISK: \[mem 0x'
expect 'initramfs: newc archive, [0-9]+ entries'
expect 'Kernel ready to start init: /init'
expect 'Memory: [0-9]+K free of [0-9]+K RAM after boot; kernel holds [0-9]+K'
expect 'Boot took [0-9]+\.[0-9]{3} ms'
expect 'reboot: Power down'
expect_not 'Kernel panic|BUG:|WARNING:|Oops'
pass "$(grep -o 'Boot took [0-9.]* ms' "$LOG")"
