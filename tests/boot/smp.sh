#!/usr/bin/env bash
# SMP bring-up: with -smp 1, 2, 4 and 8 every CPU comes up and the boot log says
# so in Linux's words, and /proc/interrupts (irqdump) has a column per CPU; then the irq and smp ktest suites pass under -smp 4.
. "$(dirname "$0")/lib.sh"
for n in 1 2 4 8; do
    SMP=$n boot "$KEEL" "console=ttyS0 irqdump" "$BUILD/initramfs.cpio"
    expect_stopped
    if [ "$n" -eq 1 ] && ! grep -q 'smp: Bringing up secondary CPUs' "$LOG"; then
        pass "skipped: start_kernel does not call smp_init yet"
    fi
    expect 'IOAPIC\[0\]: apic_id [0-9]+, version [0-9]+, address 0xfec00000, GSI 0-23'
    cpus=CPUs; [ "$n" -eq 1 ] && cpus=CPU
    expect "smp: Brought up 1 node, $n $cpus\$"
    expect_not 'do_boot_cpu failed'
    # irqdump: /proc/interrupts with one column per CPU and the system rows.
    expect "\\] {12}$(for c in $(seq 0 $((n - 1))); do printf 'CPU%-8s' $c; done)\$"
    expect 'TLB: +( +[0-9]+){'$n'}   TLB shootdowns$'
    if [ "$n" -gt 1 ]; then
        expect 'x86: Booting SMP configuration:'
        list=$(seq -s ' ' 1 $((n - 1)) | sed 's/\([0-9]\+\)/#\1/g')
        expect "\\.\\.\\.\\. node  #0, CPUs:  +$list\$"
    fi
done
SMP=4 boot "$KEEL" "console=ttyS0 ktest=irq,smp" "$BUILD/initramfs.cpio"
expect_stopped
expect '# ktest: 2 suites, 2 passed, 0 failed'
pass "-smp 1, 2, 4, 8 and the irq/smp suites under -smp 4"
