#!/usr/bin/env bash
# Malformed and unknown command-line parameters are reported and ignored; a
# missing or truncated initrd is reported clearly with the offending offset,
# and what was unpacked before the damage stays; none of it stops the boot. A
# gzip-compressed initramfs is inflated and boots like the plain one.
. "$(dirname "$0")/lib.sh"
dir=$LOGDIR/bad_input.d
mkdir -p "$dir"

boot "$KEEL" 'console=ttyS0 loglevel=abc panic=xyz foo=bar bareword mem=12 ktest= "quoted=a b"' ""
expect_stopped
expect "Malformed early option 'loglevel=abc', ignored"
expect "Malformed early option 'panic=xyz', ignored"
expect "Malformed early option 'mem=12', ignored"
expect "Malformed option 'ktest=', ignored"
expect 'Unknown kernel command line parameters "foo=bar bareword quoted=a b", will be passed to user space'
expect 'no initrd was loaded'
expect 'No working init found'
expect 'reboot: Power down'

head -c 3000 "$BUILD/initramfs.cpio" >"$dir/truncated.cpio"
boot "$KEEL" "console=ttyS0" "$dir/truncated.cpio"
expect_stopped
expect 'Initramfs unpacking failed: truncated .* at offset [0-9]+ of 3000'
expect 'reboot: Power down'

printf 'this is not a cpio archive at all, just text\n' >"$dir/junk.cpio"
boot "$KEEL" "console=ttyS0" "$dir/junk.cpio"
expect 'Initramfs unpacking failed: no cpio magic at offset 0'

# Unclaimed words go to init: bare words as arguments, name=value as environment,
# all words after "--" as arguments (Linux's set_init_arg).
boot "$KEEL" "console=ttyS0 loglevel=8 single foo=bar -- after=dashes x" "$BUILD/initramfs.cpio"
grep -A12 'with arguments:' "$LOG" | sed -E 's/^\[[ 0-9.]+\] //' >"$dir/init-args"
printf '%s\n' '  with arguments:' '    /init' '    single' '    after=dashes' '    x' '  with environment:' \
    '    HOME=/' '    TERM=linux' '    foo=bar' >"$dir/init-args.expected"
diff -u "$dir/init-args.expected" <(head -9 "$dir/init-args") || fail "init's arguments and environment"
expect 'Unknown kernel command line parameters "single foo=bar", will be passed to user space'

gzip -c "$BUILD/initramfs.cpio" >"$dir/initramfs.cpio.gz"
boot "$KEEL" "console=ttyS0" "$dir/initramfs.cpio.gz"
expect 'initramfs: newc archive, [0-9]+ entries, [0-9]+ bytes \(inflated from gzip\)'
expect '^Welcome to Keel$'
expect_not 'Kernel panic'

# A gzip image cut short: the bytes inflated so far are unpacked, the rest reported.
size=$(stat -c %s "$dir/initramfs.cpio.gz")
head -c $((size / 2)) "$dir/initramfs.cpio.gz" >"$dir/truncated.cpio.gz"
boot "$KEEL" "console=ttyS0" "$dir/truncated.cpio.gz"
expect_stopped
# (A cut-off image's size trailer is garbage: the buffer may run out first.)
expect "Initramfs unpacking failed: gzip data (truncated|out of space) at offset [0-9]+ of $((size / 2))"
expect_not 'Kernel panic - not syncing: (Fatal|Oops)'
pass
