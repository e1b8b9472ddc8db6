#!/usr/bin/env bash
# mkinitramfs.sh DIR OUT.cpio — the default initramfs: Debian's static busybox
# with its applet links and an /init script, which Keel runs as PID 1: it greets
# and powers the machine off. Mounting proc/sysfs/devtmpfs and an interactive
# shell come back once fork, the VFS and console input exist (see docs/syscalls.md).
set -euo pipefail
dir=$1 out=$2
rm -rf "$dir"
mkdir -p "$dir"/{bin,sbin,etc,proc,sys,dev,tmp,root}
cp /bin/busybox "$dir/bin/busybox"
for applet in $("$dir/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
done
cat > "$dir/init" <<'INIT'
#!/bin/sh
echo "Welcome to Keel"
exec poweroff -f
INIT
chmod +x "$dir/init"
(cd "$dir" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) > "$out"
# /dev/console, which the kernel opens for init's fds 0-2 before anything is
# mounted, as Linux's default initramfs has it. cpio(1) cannot make device
# nodes without root, so a second archive is appended (the kernel unpacks
# concatenated archives in order).
printf 'nod dev/console 0600 0 0 c 5 1\n' > "$dir.list"
bash "$(dirname "$0")/../tests/user/mkcpio.sh" "$dir.list" "$dir.console.cpio"
cat "$dir.console.cpio" >> "$out"
rm -f "$dir.list" "$dir.console.cpio"
