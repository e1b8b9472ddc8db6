#!/usr/bin/env bash
# Keel boots on the machines people run it on: the q35 chipset, several CPUs
# (only the boot CPU runs until issue 3), small and large memories (RAM above
# 4 GiB), and a CPU with 1 GiB pages, SMEP and SMAP.
. "$(dirname "$0")/lib.sh"
run() {  # run NAME MEM qemu-args...
    local name=$1
    MEM=$2
    shift 2
    LOG=$LOGDIR/$TEST_NAME-$name.log
    boot "$KEEL" "console=ttyS0" "$BUILD/initramfs.cpio" "$@"
    expect_stopped
    expect_exit 0
    expect 'Kernel ready to start init: /init'
    expect_not 'Kernel panic|BUG:|WARNING:'
}
run q35 512M -M q35
expect 'ACPI: MCFG 0x'
run smp4 512M -smp 4
expect 'smpboot: Allowing 4 CPUs'
run mem64 64M
run mem3g 3G
run mem6g-max 6G -cpu max
expect 'Zone ranges:'
expect 'Normal   \[mem 0x0000000100000000-'
expect 'SMEP on, SMAP on'
pass "q35, -smp 4, 64M, 3G, 6G with -cpu max"
