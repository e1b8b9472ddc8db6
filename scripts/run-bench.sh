#!/usr/bin/env bash
# make bench: the allocators' host micro-benchmarks, then Keel against Debian's
# Linux in one QEMU configuration (TCG, 512 MiB, one CPU, same initramfs):
# time from kernel entry to starting init on each kernel's own clock, and memory
# each holds at that point. Prints the ratios.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target bzImage host_bench >/dev/null

echo "== host micro-benchmarks (Google Benchmark)"
"$BUILD/tests/host/host_bench" --benchmark_min_time=0.2 2>/dev/null | grep -E '^(BM_|Benchmark|-)'

echo "== boot: Keel vs Linux, qemu-system-x86_64 -m 512M -smp 1 (TCG)"
root=$BUILD/bench-initramfs
scripts/mkinitramfs.sh "$root" "$root.cpio"
# Linux runs this as init: it reports free memory and powers off at once.
printf '#!/bin/sh\nmount -t proc proc /proc\ngrep MemFree /proc/meminfo\n/bin/poweroff -f\n' >"$root/poweroff-now"
chmod +x "$root/poweroff-now"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) >"$root.cpio"
vmlinuz=$(scripts/get-linux.sh)
run() {  # run KERNEL CMDLINE LOG
    timeout 120 qemu-system-x86_64 -kernel "$1" -initrd "$root.cpio" -append "$2" -m 512M -smp 1 \
        -display none -serial "file:$3" -monitor none -no-reboot -nodefaults -device VGA </dev/null >/dev/null 2>&1 || true
}
stamp() { grep -m1 -E "$2" "$1" | sed -E 's/^\[ *([0-9.]+)\].*/\1/'; }
run "$BUILD/keel" "console=ttyS0 rdinit=/poweroff-now" "$BUILD/bench-keel.log"
run "$vmlinuz" "console=ttyS0 rdinit=/poweroff-now" "$BUILD/bench-linux.log"
keel_s=$(stamp "$BUILD/bench-keel.log" 'Kernel ready to start init')
linux_s=$(stamp "$BUILD/bench-linux.log" 'Run /poweroff-now as init process')
# RAM minus free memory: what each kernel holds when init starts.
ram_k=$(grep -m1 -oE 'Memory: [0-9]+K/[0-9]+K available' "$BUILD/bench-linux.log" | grep -oE '[0-9]+' | sed -n 2p)
linux_free=$(grep -m1 -oE 'MemFree: +[0-9]+' "$BUILD/bench-linux.log" | grep -oE '[0-9]+')
keel_holds=$(grep -m1 -oE 'kernel holds [0-9]+K' "$BUILD/bench-keel.log" | grep -oE '[0-9]+')
linux_holds=$((ram_k - linux_free))
echo "boot to init:  Keel ${keel_s}s   Linux ${linux_s}s   Linux/Keel = $(echo "scale=1; $linux_s / $keel_s" | bc)x"
echo "memory held at init (RAM - free; Keel still holds its initrd, Linux has freed it): Keel ${keel_holds}K   Linux ${linux_holds}K   Linux/Keel = $(echo "scale=1; $linux_holds / $keel_holds" | bc)x"
echo "image size:    Keel $(stat -c %s "$BUILD/keel") bytes   Linux $(stat -c %s "$vmlinuz") bytes (compressed)"
