#!/usr/bin/env bash
# Installs the Debian packages Keel needs, only those missing. `build` needs the
# compiler side; `all` adds QEMU and the tools that make initramfs images;
# `bench` adds gnuplot for `make bench`'s chart.
set -euo pipefail
build_pkgs=(g++ cmake make binutils libgtest-dev libbenchmark-dev zlib1g-dev bc)
run_pkgs=(qemu-system-x86 cpio gzip busybox-static musl-tools grub-pc-bin grub-common xorriso mtools python3)
bench_pkgs=(gnuplot-nox)
pkgs=("${build_pkgs[@]}")
case ${1:-all} in
all) pkgs+=("${run_pkgs[@]}") ;;
bench) pkgs+=("${run_pkgs[@]}" "${bench_pkgs[@]}") ;;
esac

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "keel: installing missing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
