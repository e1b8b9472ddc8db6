#!/usr/bin/env bash
# bench/probe/run.sh PROBE [KEEL-IMAGE] — boots bench/probe/PROBE.c as PID 1 on
# Keel (build/keel unless given) and on Debian's Linux in make bench's QEMU
# machine, and prints its figures for both. The probes back the causes in
# docs/performance.md; they are not part of make bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
probe=$1
keel=${2:-build/keel}
out=${BENCH_OUT:-build/bench}/probe
mkdir -p "$out"
musl-gcc -static -O2 -Wall -o "$out/$probe" "bench/probe/$probe.c"
printf 'dir dev 755 0 0\nnod dev/console 600 0 0 c 5 1\ndir tmp 1777 0 0\nfile init %s 755 0 0\n' "$out/$probe" >"$out/$probe.list"
tests/user/mkcpio.sh "$out/$probe.list" "$out/$probe.cpio"
for kernel in "$keel" "$(scripts/get-linux.sh)"; do
    echo "== $kernel"
    timeout 300 qemu-system-x86_64 -kernel "$kernel" -initrd "$out/$probe.cpio" -append "console=ttyS0 quiet" \
        -m 512M -smp 1 -display none -serial stdio -monitor none -no-reboot -nodefaults </dev/null |
        tr -d '\r' | grep -E '^[A-Za-z0-9_]+ [-+0-9.e]+ \S+$|^bench error|^info |^window' || echo "(no figure)"
done
