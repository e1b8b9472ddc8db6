#!/usr/bin/env bash
# `make bench QUICK=1` as a test: every benchmark of bench/ runs once on Keel
# and once on Debian's Linux in the same QEMU and prints its figure. Timings
# are not judged — a loaded machine would make any threshold flaky — only that
# each figure of bench/PROGRAMS is there. Linux must print all of them (the
# benchmark is wrong otherwise); a figure missing on Keel fails the test unless
# bench/KNOWN_FAILING lists it with a reason (XFAIL), and a listed figure that
# Keel prints fails it too (XPASS) until its line is removed.
#
# KEEL=<Linux's vmlinuz> KNOWN_FAILING=/dev/null checks the harness itself.
. "$(dirname "$0")/lib.sh"
KNOWN_FAILING=${KNOWN_FAILING:-bench/KNOWN_FAILING}
out=$BUILD/bench-quick
LOG=$LOGDIR/$TEST_NAME.log
QUICK=1 HOST_BENCH=0 PUBLISH=0 BENCH_OUT=$out BENCH_KEEL=$KEEL BENCH_TIMEOUT=${TIMEOUT:-300} \
    scripts/run-bench.sh "$BUILD" >"$LOG" 2>&1 || fail "scripts/run-bench.sh failed"
[ -f "$out/results.csv" ] || fail "no $out/results.csv"

known() {  # known METRIC — prints the reason if METRIC is listed as failing
    awk -v n="$1" '!/^#/ && $1 == n {r = $0; sub(/^[^ \t]+[ \t]*/, "", r); print (r != "" ? r : "no reason given"); found = 1; exit}
                   END {exit !found}' "$KNOWN_FAILING"
}
rows=$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(r["metric"], r["keel_status"].replace(" ", "_"), r["linux_status"].replace(" ", "_"), sep="\t")' \
    "$out/results.csv") || fail "cannot read $out/results.csv"
[ -n "$rows" ] || fail "$out/results.csv lists no metric"
n_ok=0 n_xfail=0 bad="" metrics=""
while IFS=$'\t' read -r metric keel linux; do
    metrics="$metrics $metric"
    if [ "$linux" != ok ]; then
        echo "  FAIL  $metric on Linux: ${linux//_/ } — the benchmark itself is broken"
        bad="$bad $metric"
    elif [ "$keel" = ok ]; then
        if reason=$(known "$metric"); then
            echo "  XPASS $metric — Keel prints it now: remove it from $KNOWN_FAILING"
            bad="$bad $metric"
        else
            n_ok=$((n_ok + 1))
        fi
    elif reason=$(known "$metric"); then
        echo "  XFAIL $metric ($reason)"
        n_xfail=$((n_xfail + 1))
    else
        echo "  FAIL  $metric on Keel: ${keel//_/ }"
        bad="$bad $metric"
    fi
done <<<"$rows"
for m in $(awk '!/^#/ && NF {print $1}' "$KNOWN_FAILING"); do
    case " $metrics " in *" $m "*) ;; *) echo "  STALE $m is in $KNOWN_FAILING but is no metric"; bad="$bad $m" ;; esac
done
[ -z "$bad" ] || fail "benchmark figures:$bad (table and logs: $LOG, $out/logs/)"
pass "$n_ok figures on both kernels, $n_xfail known failing on Keel"
