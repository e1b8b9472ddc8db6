#!/usr/bin/env bash
# make bench [QUICK=1] — Keel against Debian's Linux kernel on the same static
# benchmark programs (bench/, listed in bench/PROGRAMS), in one QEMU
# configuration, then the allocators' host micro-benchmarks.
#
# One initramfs (bench/build.sh) boots both kernels: its /init (bench/init.c)
# reads the boot clock and /proc/meminfo, runs every program and powers off.
# The kernels boot alternately — Keel, Linux, Keel, Linux, ... RUNS times each
# (3; QUICK=1: once each) — with the same QEMU arguments and command line, so
# a change in the host's load hits both alike. The serial logs are kept in
# build/bench/logs/. bench/report.py prints the table (medians, min-max of
# the runs, ratio <= 1.0 when Keel is at least as good) and writes
# build/bench/results.{csv,md}; gnuplot draws build/bench/ratios.svg, which a
# full run (not QUICK) copies to docs/bench/ for README.md.
#
# QEMU: -m 512M -smp 1, TCG, QEMU's default CPU model (no -cpu): one CPU
# because the fairness and sched_yield figures are defined on one CPU and the
# ping-pongs then measure switches rather than cross-CPU wake-ups; the same
# for both kernels. MEM= and SMP= override.
#
# Knobs: QUICK=1, RUNS=N, HOST_BENCH=0 (skip the host micro-benchmarks; QUICK
# skips them too), PUBLISH=0/1 (copy the chart and table to docs/bench/),
# BENCH_OUT=dir (default BUILD/bench), BENCH_KEEL=image (skip building Keel),
# BENCH_ARGS="bench_only=getppid,files bench_diag=1" (more command-line words,
# see bench/init.c), BENCH_TIMEOUT (seconds per boot), JOBS (build jobs, 2).
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
QUICK=${QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=""
RUNS=${RUNS:-$([ -n "$QUICK" ] && echo 1 || echo 3)}
HOST_BENCH=${HOST_BENCH:-$([ -n "$QUICK" ] && echo 0 || echo 1)}
PUBLISH=${PUBLISH:-$([ -n "$QUICK" ] && echo 0 || echo 1)}
OUT=${BENCH_OUT:-$BUILD/bench}
MEM=${MEM:-512M}
SMP=${SMP:-1}
JOBS=${JOBS:-2}
CMDLINE="console=ttyS0 quiet${BENCH_ARGS:+ $BENCH_ARGS}"
start=$(date +%s)

targets=()
[ -z "${BENCH_KEEL:-}" ] && targets+=(bzImage)
[ "$HOST_BENCH" = 1 ] && targets+=(host_bench)
if [ ${#targets[@]} -gt 0 ]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD" -j"$JOBS" --target "${targets[@]}" >/dev/null
fi
keel=${BENCH_KEEL:-$BUILD/keel}
vmlinuz=$(scripts/get-linux.sh)
bench/build.sh "$OUT/img"
rm -rf "$OUT/logs"
mkdir -p "$OUT/logs"

load() { cut -d' ' -f1-3 /proc/loadavg; }
machine="qemu-system-x86_64 -m $MEM -smp $SMP (TCG, default CPU model), append \"$CMDLINE\""
echo "== Keel vs Linux: $RUNS run(s) each, alternating; $machine"
echo "   host: $(nproc) CPUs, load average at start $(load)"
# boot KERNEL LOG — one benchmark boot; the log keeps the serial output.
boot() {
    local t0=$(date +%s) rc=0
    timeout "${BENCH_TIMEOUT:-400}" qemu-system-x86_64 -kernel "$1" -initrd "$OUT/img/initramfs.cpio" \
        -append "$CMDLINE" -m "$MEM" -smp "$SMP" -display none -serial "file:$2" -monitor none \
        -no-reboot -nodefaults </dev/null >"$2.qemu" 2>&1 || rc=$?
    [ $rc -eq 124 ] && echo "== qemu timed out after ${BENCH_TIMEOUT:-400}s" >>"$2"
    echo "   $(basename "$2" .log): $(( $(date +%s) - t0 )) s, qemu exit $rc, load $(load)"
}
for i in $(seq 1 "$RUNS"); do
    boot "$keel" "$OUT/logs/keel-$i.log"
    boot "$vmlinuz" "$OUT/logs/linux-$i.log"
done
end_load=$(load)

echo
python3 bench/report.py "$OUT" | tee "$OUT/table.txt"
subtitle="$(date -u +%Y-%m-%d\ %H:%M) UTC, $RUNS run(s) each, -m $MEM -smp $SMP TCG, host load $end_load"
{
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'): $RUNS run(s) of each kernel, alternating;"
    echo "$machine; host $(nproc) CPUs, load average $end_load (1, 5, 15 min) at the end."
    echo "Keel: $keel from the tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes');"
    echo "Linux: $(basename "$vmlinuz") (Debian)."
} >>"$OUT/results.md"
if command -v gnuplot >/dev/null; then
    gnuplot -e "data='$OUT/ratios.dat'; out='$OUT/ratios.svg'; subtitle='$subtitle'" bench/ratios.gp
    echo "chart: $OUT/ratios.svg; table: $OUT/results.csv"
    if [ "$PUBLISH" = 1 ]; then
        mkdir -p docs/bench
        cp "$OUT/ratios.svg" "$OUT/results.md" "$OUT/results.csv" docs/bench/
        echo "copied to docs/bench/"
    fi
else
    echo "gnuplot missing: no chart (scripts/ensure-deps.sh bench installs gnuplot-nox)"
fi

if [ "$HOST_BENCH" = 1 ]; then
    echo
    echo "== host micro-benchmarks of the allocators (Google Benchmark)"
    "$BUILD/tests/host/host_bench" --benchmark_min_time=0.2 2>/dev/null | grep -E '^(BM_|Benchmark|-)'
fi
echo "make bench took $(( $(date +%s) - start )) s"
