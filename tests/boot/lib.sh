# Helpers for QEMU boot tests. A test script sources this file, boots Keel (or
# Linux) with `boot`, then checks the serial log with `expect`/`expect_not`.
# It exits non-zero on the first failed check, printing what was missing and
# the log's tail.
set -uo pipefail
BUILD=${BUILD:-build}
KEEL=${KEEL:-$BUILD/keel}
QEMU=${QEMU:-qemu-system-x86_64}
LOGDIR=${LOGDIR:-$BUILD/test-logs}
mkdir -p "$LOGDIR"
TEST_NAME=$(basename "$0" .sh)
LOG=$LOGDIR/$TEST_NAME.log
QEMU_STATUS=0

# boot KERNEL CMDLINE INITRD [extra qemu args...] — serial output goes to $LOG.
# INITRD may be "" for none. Sets QEMU_STATUS (124 = timed out).
boot() {
    local kernel=$1 cmdline=$2 initrd=$3
    shift 3
    local args=(-kernel "$kernel" -append "$cmdline" -m "${MEM:-512M}" -smp "${SMP:-1}"
                -display none -serial "file:$LOG" -monitor none -no-reboot -nodefaults
                -device VGA)
    [ -n "$initrd" ] && args+=(-initrd "$initrd")
    timeout "${TIMEOUT:-60}" "$QEMU" "${args[@]}" "$@" </dev/null >"$LOG.qemu" 2>&1
    QEMU_STATUS=$?
    tr -d '\r' <"$LOG" >"$LOG.txt" && mv "$LOG.txt" "$LOG"
}

fail() {
    echo "FAIL $TEST_NAME: $*"
    echo "---- last lines of $LOG ----"
    tail -n 25 "$LOG"
    exit 1
}

expect() { grep -Eq -- "$1" "$LOG" || fail "expected /$1/ in the log"; }
expect_not() { ! grep -Eq -- "$1" "$LOG" || fail "did not expect /$1/ in the log"; }
expect_exit() { [ "$QEMU_STATUS" -eq "$1" ] || fail "QEMU exited with $QEMU_STATUS, expected $1"; }
# The machine must have stopped by itself (power off or reboot), not by timeout.
expect_stopped() { [ "$QEMU_STATUS" -ne 124 ] || fail "QEMU did not stop within ${TIMEOUT:-60}s"; }
pass() { echo "PASS $TEST_NAME${1:+: $1}"; exit 0; }
