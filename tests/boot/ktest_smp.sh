#!/usr/bin/env bash
# The in-kernel suites again with two CPUs: the scheduler, RCU, workqueues,
# timers and allocators must hold up when tasks really run in parallel and
# move between CPUs (thousands of threads created and freed, stacks reused).
# Two, not more: the test machine has two cores and runs two boots at once, and
# an overcommitted TCG guest measures the host, not Keel (smp.sh boots -smp 8).
. "$(dirname "$0")/lib.sh"
export SMP=2 TIMEOUT=150
suites=locking_primitives,sched_core,sched_class,rcu_torture,workqueue,irq,smp,time_hrtimer,time_timer,time_clock,mm_page_alloc,mm_slab,mm_vmalloc,mm_user,pgtable,extable
boot "$KEEL" "console=ttyS0 ktest=$suites" "$BUILD/initramfs.cpio"
expect_stopped
plan=$(sed -nE 's/^\[[ 0-9.]+\] 1\.\.([0-9]+)$/\1/p' "$LOG" | head -1)
[ -n "$plan" ] && [ "$plan" -gt 0 ] || fail "no KTAP plan line"
grep -E '^\[[ 0-9.]+\] +not ok' "$LOG" && fail "failing ktest cases under -smp 2"
expect "# ktest: $plan suites, $plan passed, 0 failed"
expect_not 'Oops|Kernel panic|scheduling while atomic'
pass "$plan suites under -smp 2"
