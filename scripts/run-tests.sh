#!/usr/bin/env bash
# make test: host unit tests (CTest), then QEMU boot tests (tests/boot/*.sh, two
# at a time), then one summary line "N passed, M failed".
set -uo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
export BUILD

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
cmake --build "$BUILD" -j"$(nproc)" --target bzImage host_tests || exit 1
scripts/mkinitramfs.sh "$BUILD/initramfs" "$BUILD/initramfs.cpio" || exit 1

passed=0 failed=0
echo "== host unit tests (ctest)"
if (cd "$BUILD" && ctest --output-on-failure -j"$(nproc)" >ctest.log 2>&1); then
    n=$(grep -oE '[0-9]+ tests passed' "$BUILD/ctest.log" | head -1)
    echo "PASS host unit tests: ${n:-?}"
    passed=$((passed + 1))
else
    grep -E 'Failed|tests passed' "$BUILD/ctest.log" | tail -20
    echo "FAIL host unit tests (see $BUILD/ctest.log)"
    failed=$((failed + 1))
fi

echo "== QEMU boot tests"
results=$(ls tests/boot/*.sh | grep -v '/lib.sh$' | xargs -P 2 -I{} bash -c '{} 2>&1; echo "EXIT $?"')
echo "$results" | grep -v '^EXIT '
passed=$((passed + $(echo "$results" | grep -c '^EXIT 0$')))
failed=$((failed + $(echo "$results" | grep -c '^EXIT [1-9]')))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
