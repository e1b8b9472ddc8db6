#!/usr/bin/env bash
# lkdtm= provokes each kind of kernel failure; the report must name it, show
# registers and a symbolized call trace, and (panic=-1) reboot, which QEMU's
# -no-reboot turns into an exit.
. "$(dirname "$0")/lib.sh"
crash() {  # crash TYPE regex...
    local type=$1
    shift
    LOG=$LOGDIR/$TEST_NAME-$type.log
    boot "$KEEL" "console=ttyS0 panic=-1 lkdtm=$type" "$BUILD/initramfs.cpio"
    expect_stopped
    for re in "$@"; do expect "$re"; done
}
trace='Call Trace:'
crash EXCEPTION 'BUG: kernel NULL pointer dereference, address: 0000000000000000' \
    '#PF: supervisor write access in kernel mode' '#PF: error_code\(0x0002\) - not-present page' \
    'Oops: 0002 \[#1\]' 'RIP: 0010:lkdtm_EXCEPTION\+0x[0-9a-f]+/0x[0-9a-f]+' 'RAX: [0-9a-f]{16}' \
    "$trace" 'lkdtm_run_requested\+0x' 'Kernel panic - not syncing: Fatal exception'
crash WRITE_RO '#PF: supervisor write access in kernel mode' 'permissions violation' 'RIP: 0010:lkdtm_WRITE_RO'
crash EXEC_DATA '#PF: supervisor instruction fetch in kernel mode' 'permissions violation'
crash GPF 'general protection fault: 0000' 'RIP: 0010:lkdtm_GPF'
crash DIVIDE 'divide error: 0000' 'RIP: 0010:lkdtm_DIVIDE'
crash BUG 'kernel BUG at .*lkdtm.cpp:[0-9]+' "$trace" 'lkdtm_BUG'
crash PANIC 'Kernel panic - not syncing: dumptest' 'RIP: 0010:' "$trace" 'lkdtm_PANIC\+0x'
crash EXHAUST_STACK 'BUG: stack guard page was hit at' 'kernel stack overflow \(double-fault\): 0000' \
    'lkdtm_recurse\+0x'
crash WARNING 'WARNING: CPU: 0 at .*lkdtm.cpp:[0-9]+' 'lkdtm_WARNING\+0x' 'reboot: Power down'
# panic=N waits N seconds, then reboots.
LOG=$LOGDIR/$TEST_NAME-timeout.log
boot "$KEEL" "console=ttyS0 panic=1 quiet lkdtm=PANIC" "$BUILD/initramfs.cpio"
expect_stopped
expect 'Rebooting in 1 seconds'
expect 'Last suppressed log lines:'
pass
