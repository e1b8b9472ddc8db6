#!/usr/bin/env bash
# Malformed and unknown command-line parameters are reported and ignored; a
# missing, truncated or compressed initrd is reported clearly; none of it stops
# the boot.
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
expect 'initramfs: [0-9]+ bytes, gzip-compressed'
expect_not 'Kernel panic'
pass
