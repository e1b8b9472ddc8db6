#!/usr/bin/env bash
# Linux is the oracle: boot Debian's kernel and Keel in the same QEMU machine
# and compare what both report about that machine — the firmware memory map
# (BIOS-e820 lines) and the ACPI tables — line for line. Run at two memory
# sizes, the second with RAM above 4 GiB.
. "$(dirname "$0")/lib.sh"
vmlinuz=$(scripts/get-linux.sh) || fail "cannot fetch Debian's kernel"

extract() {  # the lines both kernels print about the machine, timestamps removed
    sed -nE 's/^\[[ 0-9.]+\] //p' "$1" | grep -E '^(BIOS-e820: |ACPI: [A-Z0-9]{4} 0x[0-9A-F]{16} )' |
        sed -E 's/ +$//'
}

for mem in 512M 5G; do
    MEM=$mem
    LOG=$LOGDIR/$TEST_NAME-linux-$mem.log
    TIMEOUT=90 boot "$vmlinuz" "console=ttyS0 panic=-1 loglevel=7" ""
    extract "$LOG" >"$LOGDIR/$TEST_NAME-linux-$mem.lines"
    LOG=$LOGDIR/$TEST_NAME-keel-$mem.log
    boot "$KEEL" "console=ttyS0" "$BUILD/initramfs.cpio"
    expect_stopped
    extract "$LOG" >"$LOGDIR/$TEST_NAME-keel-$mem.lines"
    grep -q BIOS-e820 "$LOGDIR/$TEST_NAME-linux-$mem.lines" || fail "Linux printed no e820 map ($mem)"
    grep -q 'ACPI: RSDP' "$LOGDIR/$TEST_NAME-linux-$mem.lines" || fail "Linux printed no ACPI tables ($mem)"
    diff -u "$LOGDIR/$TEST_NAME-linux-$mem.lines" "$LOGDIR/$TEST_NAME-keel-$mem.lines" ||
        fail "Keel and Linux disagree about the machine with -m $mem"
done
pass "$(wc -l <"$LOGDIR/$TEST_NAME-linux-512M.lines") lines identical at 512M, $(wc -l <"$LOGDIR/$TEST_NAME-linux-5G.lines") at 5G"
