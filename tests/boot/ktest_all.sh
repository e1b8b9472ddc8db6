#!/usr/bin/env bash
# Runs every in-kernel suite (ktest=all) and checks the KTAP report: a plan,
# one "ok" per suite, no "not ok", and a clean power-off.
. "$(dirname "$0")/lib.sh"
boot "$KEEL" "console=ttyS0 ktest=all" "$BUILD/initramfs.cpio"
expect_stopped
expect '^\[[ 0-9.]+\] KTAP version 1'
plan=$(sed -nE 's/^\[[ 0-9.]+\] 1\.\.([0-9]+)$/\1/p' "$LOG" | head -1)
[ -n "$plan" ] && [ "$plan" -gt 0 ] || fail "no KTAP plan line"
ok=$(grep -cE '^\[[ 0-9.]+\] ok [0-9]+ ' "$LOG")
grep -E '^\[[ 0-9.]+\] +not ok' "$LOG" && fail "failing ktest cases"
[ "$ok" -eq "$plan" ] || fail "plan says $plan suites, $ok reported ok"
expect "# ktest: $plan suites, $plan passed, 0 failed"
cases=$(grep -cE '^\[[ 0-9.]+\]     ok [0-9]+ ' "$LOG")
pass "$plan suites, $cases cases"
