#!/usr/bin/env bash
# GRUB boots Keel like a Linux kernel: `linux` enters through the 32-bit boot
# protocol (GRUB builds the zero page and e820 map itself, our real-mode setup is
# skipped), `linux16` through the 16-bit one. Both must reach init with the
# command line and initrd GRUB passed.
. "$(dirname "$0")/lib.sh"
command -v grub-mkrescue >/dev/null || fail "grub-mkrescue missing (scripts/ensure-deps.sh installs grub-pc-bin)"
iso_dir=$LOGDIR/grub.d
for loader in linux linux16; do
    rm -rf "$iso_dir"
    mkdir -p "$iso_dir/boot/grub"
    cp "$KEEL" "$iso_dir/boot/keel"
    cp "$BUILD/initramfs.cpio" "$iso_dir/boot/initramfs.cpio"
    initrd_cmd=${loader/linux/initrd}
    cat >"$iso_dir/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_output serial
set timeout=0
menuentry keel {
    $loader /boot/keel console=ttyS0 via=$loader
    $initrd_cmd /boot/initramfs.cpio
}
CFG
    grub-mkrescue -o "$iso_dir.iso" "$iso_dir" >"$LOGDIR/grub-mkrescue.log" 2>&1 || fail "grub-mkrescue failed"
    LOG=$LOGDIR/$TEST_NAME-$loader.log
    QEMU_STATUS=0
    timeout "${TIMEOUT:-90}" "$QEMU" -cdrom "$iso_dir.iso" -m 512M -display none -serial "file:$LOG" \
        -monitor none -no-reboot -nodefaults -device VGA </dev/null >/dev/null 2>&1 || QEMU_STATUS=$?
    tr -d '\r' <"$LOG" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$LOG.txt" && mv "$LOG.txt" "$LOG"
    expect_stopped
    expect "Kernel command line: BOOT_IMAGE=/boot/keel console=ttyS0 via=$loader"
    expect 'BIOS-e820: \[mem 0x0000000000000000-'
    expect 'initramfs: newc archive, [0-9]+ entries'
    expect 'Kernel ready to start init: /init'
done
pass "linux and linux16"
