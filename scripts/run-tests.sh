#!/usr/bin/env bash
# make test: host unit tests (CTest), then QEMU boot tests (tests/boot/*.sh, two
# at a time), then one summary line "N passed, M failed" counting each host test
# case and each boot test script.
set -uo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
export BUILD

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
cmake --build "$BUILD" -j"$(nproc)" --target bzImage host_tests || exit 1
scripts/mkinitramfs.sh "$BUILD/initramfs" "$BUILD/initramfs.cpio" || exit 1

passed=0 failed=0
echo "== host unit tests (ctest)"
(cd "$BUILD" && ctest --output-on-failure -j"$(nproc)" >ctest.log 2>&1)
summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$BUILD/ctest.log" || true)
if [ -z "$summary" ]; then
    tail -20 "$BUILD/ctest.log"
    echo "FAIL host unit tests did not run (see $BUILD/ctest.log)"
    failed=$((failed + 1))
else
    grep -E '\*\*\*Failed|Not Run' "$BUILD/ctest.log" || true
    echo "$summary"
    total=$(echo "$summary" | grep -oE '[0-9]+$')
    bad=$(echo "$summary" | grep -oE '[0-9]+ tests failed' | grep -oE '^[0-9]+')
    passed=$((passed + total - bad))
    failed=$((failed + bad))
fi

echo "== QEMU boot tests"
results=$(ls tests/boot/*.sh | grep -v '/lib.sh$' | xargs -P 2 -I{} bash -c '{} 2>&1; echo "EXIT $?"')
echo "$results" | grep -v '^EXIT '
passed=$((passed + $(echo "$results" | grep -c '^EXIT 0$')))
failed=$((failed + $(echo "$results" | grep -c '^EXIT [1-9]')))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
