#!/usr/bin/env bash
# User-space differential tests: the static programs of tests/user/ run on
# Debian's Linux kernel (the oracle) and on Keel in the same QEMU machine, and
# each program's output must be identical on both.
#
# One boot per kernel runs every program through /init = tests/user/runner.c;
# programs marked `init` in tests/user/PROGRAMS are also booted alone as PID 1
# (rdinit=/t/NAME, test name NAME@init), which needs neither fork nor exec.
# Kernel log lines ("[    1.234567] ...") are removed from the serial output,
# so only what the programs print is compared. Linux's outputs are cached in
# $BUILD/user/linux-out/ under a hash of the initramfs (all the binaries), the
# kernel image and the machine, so repeated runs boot Linux only when a
# program changed.
#
# tests/user/KNOWN_FAILING lists the tests Keel does not pass yet, with a
# reason: they are reported as XFAIL and do not fail this script — but one
# that passes (XPASS) does, so the list must be kept honest.
#
# Knobs: KEEL= the kernel under test (KEEL=<Linux's vmlinuz> KNOWN_FAILING=/dev/null
# checks the harness: Linux must agree with itself), USER_MEM/USER_SMP,
# KEEL_TIMEOUT (seconds for Keel's runner boot; the init boots get half).
. "$(dirname "$0")/lib.sh"
U=$BUILD/user
SRC=tests/user
MEM=${USER_MEM:-512M}
SMP=${USER_SMP:-1}
CMDLINE="console=ttyS0 quiet panic=-1"
KNOWN_FAILING=${KNOWN_FAILING:-$SRC/KNOWN_FAILING}

LOG=$LOGDIR/$TEST_NAME-build.log
tests/user/build.sh "$U" >"$LOG" 2>&1 || fail "cannot build the test programs"
vmlinuz=$(scripts/get-linux.sh) || fail "cannot fetch Debian's kernel"

runner_names=$(cat "$U/list")
init_names=$(awk '!/^#/ && NF && / init( |$)/ {print $1}' "$SRC/PROGRAMS")

# Program output only: drop kernel log lines.
# (A kernel line cut off by the power-off, such as a lone "[" at the very end
# of the log, is a kernel line too: seen once in 2026-11-25's CI run.)
program_output() { sed -E '/^\[ *[0-9]+\.[0-9]+\] /d; ${/^\[ *[0-9.]*\]?$/d}' "$1"; }
# One program's part of the runner's output, from "== NAME" to its trailer.
section() {
    awk -v h="== $2" 'on {print; if (index($0, h " ") == 1) exit; next} $0 == h {on = 1; print}' "$1"
}

# boot_set KERNEL WHO OUTDIR TIMEOUT — the runner boot (OUTDIR/all.out) and
# one boot per init program (OUTDIR/NAME@init.out, half the timeout each).
boot_set() {
    local kernel=$1 who=$2 dir=$3 t=$4 name
    mkdir -p "$dir"
    LOG=$LOGDIR/$TEST_NAME-$who-all.log
    TIMEOUT=$t boot "$kernel" "$CMDLINE" "$U/initramfs.cpio"
    program_output "$LOG" >"$dir/all.out"
    [ "$QEMU_STATUS" -eq 124 ] && echo "== timed out after ${t}s" >>"$dir/all.out"
    for name in $init_names; do
        LOG=$LOGDIR/$TEST_NAME-$who-$name@init.log
        TIMEOUT=$((t / 2)) boot "$kernel" "$CMDLINE rdinit=/t/$name" "$U/initramfs.cpio"
        program_output "$LOG" >"$dir/$name@init.out"
        [ "$QEMU_STATUS" -eq 124 ] && echo "== timed out after $((t / 2))s" >>"$dir/$name@init.out"
    done
    return 0
}

# Linux, from the cache when possible. Its outputs must show every program
# ran to the end (exit 0), or the harness itself is broken.
key=$( (sha256sum "$U/initramfs.cpio" "$vmlinuz" | cut -d' ' -f1; echo "$MEM $SMP $CMDLINE $init_names") |
      sha256sum | cut -c1-16)
linux=$U/linux-out/$key
if [ ! -f "$linux/ok" ]; then
    rm -rf "$U/linux-out"
    boot_set "$vmlinuz" linux "$linux" 120
    for name in $runner_names; do
        section "$linux/all.out" "$name" | tail -n 1 | grep -qx "== $name exit 0" ||
            fail "on Linux, $name did not run to exit 0 (see $linux/all.out)"
    done
    for name in $init_names; do
        tail -n 1 "$linux/$name@init.out" | grep -qx "t_exit 0" ||
            fail "on Linux, $name as init did not reach t_exit 0 (see $linux/$name@init.out)"
    done
    touch "$linux/ok"
    linux_note="Linux booted"
else
    linux_note="Linux from cache"
fi

keel=$U/keel-out
rm -rf "$keel"
boot_set "$KEEL" keel "$keel" "${KEEL_TIMEOUT:-40}"

# Compare, per test.
known() {  # known NAME — prints the reason if NAME is listed as failing
    awk -v n="$1" '!/^#/ && $1 == n {r = $0; sub(/^[^ \t]+[ \t]*/, "", r); print (r != "" ? r : "no reason given"); found = 1; exit}
                   END {exit !found}' "$KNOWN_FAILING"
}
tests=""
for name in $runner_names; do
    section "$linux/all.out" "$name" >"$U/linux-$name.out"
    section "$keel/all.out" "$name" >"$U/keel-$name.out"
    tests="$tests $name"
done
for name in $init_names; do
    cp "$linux/$name@init.out" "$U/linux-$name@init.out"
    cp "$keel/$name@init.out" "$U/keel-$name@init.out"
    tests="$tests $name@init"
done
n_pass=0 n_xfail=0 bad=""
for t in $tests; do
    if diff -u "$U/linux-$t.out" "$U/keel-$t.out" >"$LOGDIR/$TEST_NAME-$t.diff"; then
        if reason=$(known "$t"); then
            echo "  XPASS $t — it passes now: remove it from tests/user/KNOWN_FAILING"
            bad="$bad $t"
        else
            echo "  PASS  $t"
            n_pass=$((n_pass + 1))
        fi
    else
        if reason=$(known "$t"); then
            echo "  XFAIL $t ($reason)"
            n_xfail=$((n_xfail + 1))
        else
            echo "  FAIL  $t — Linux (-) and Keel (+) differ:"
            head -n 20 "$LOGDIR/$TEST_NAME-$t.diff" | sed 's/^/        /'
            bad="$bad $t"
        fi
    fi
done
# Entries naming no test are stale.
for t in $(awk '!/^#/ && NF {print $1}' "$KNOWN_FAILING"); do
    case " $tests " in *" $t "*) ;; *) echo "  STALE $t is in tests/user/KNOWN_FAILING but is no test"; bad="$bad $t" ;; esac
done
first=${bad# }
LOG=$LOGDIR/$TEST_NAME-${first%% *}.diff  # what fail shows
[ -f "$LOG" ] || LOG=$KNOWN_FAILING
[ -z "$bad" ] || fail "user programs:$bad (outputs in $U/linux-*.out and $U/keel-*.out)"
pass "$n_pass agree with Linux, $n_xfail known failing ($linux_note)"
