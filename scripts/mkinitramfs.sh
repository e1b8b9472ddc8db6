#!/usr/bin/env bash
# mkinitramfs.sh DIR OUT.cpio [--shell] — the default initramfs: Debian's
# static busybox and an /init script, which Keel runs as PID 1: it installs the
# applet links, mounts proc, sysfs and devtmpfs and greets. With --shell (what
# `make run` boots) it then starts an interactive shell in a session of its own
# on the console's terminal (cttyhack finds the real terminal behind
# /dev/console and makes it the shell's controlling terminal, for job control
# and ^C); without it (the boot tests, where no one types) it goes straight on
# to power off. Leaving the shell powers the machine off too.
# The archive is written from a list (tests/user/mkcpio.sh) so that it holds
# /dev/console, which the kernel opens for init's fds 0-2, without root.
set -euo pipefail
dir=$1 out=$2 shell=${3:-}
rm -rf "$dir"
mkdir -p "$dir"
cp /bin/busybox "$dir/busybox"
cat > "$dir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "Welcome to Keel"
INIT
[ "$shell" = --shell ] && echo 'setsid cttyhack sh' >> "$dir/init"
echo 'exec poweroff -f' >> "$dir/init"
printf '%s\n' "dir dev 0755 0 0" "nod dev/console 0600 0 0 c 5 1" "dir bin 0755 0 0" "dir sbin 0755 0 0" \
    "dir etc 0755 0 0" "dir proc 0755 0 0" "dir sys 0755 0 0" "dir tmp 1777 0 0" "dir root 0700 0 0" \
    "file bin/busybox $dir/busybox 0755 0 0" "file init $dir/init 0755 0 0" >"$dir/list"
bash "$(dirname "$0")/../tests/user/mkcpio.sh" "$dir/list" "$out"
