#!/usr/bin/env bash
# bench/build.sh OUTDIR — compiles the benchmark programs of bench/PROGRAMS
# (static, musl-gcc -O2) and packs OUTDIR/initramfs.cpio:
#   /init          bench/init.c, which runs the programs and powers off
#   /b/NAME        each program; /b/list their names in order
#   /b/true        bench/true.c, the tiny binary vfork_exec runs
#   /bin/busybox   Debian's busybox-static, for ls_lR
#   /dev/console   char 5,1 (Linux opens it for init's fds 0-2 only if present)
#   /dev/null      char 1,3 (ls_lR writes there)
#   /proc /sys /tmp  mount points
# The same archive boots both kernels; it is reproducible (tests/user/mkcpio.sh).
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out/bin"
command -v musl-gcc >/dev/null || { echo "bench/build.sh: musl-gcc missing (scripts/ensure-deps.sh installs musl-tools)" >&2; exit 1; }
busybox=${BUSYBOX:-/bin/busybox}
# A dynamic busybox would need a libc in the archive: require busybox-static.
[ -f "$busybox" ] && ! readelf -l "$busybox" 2>/dev/null | grep -q INTERP ||
    { echo "bench/build.sh: $busybox is not static (scripts/ensure-deps.sh installs busybox-static)" >&2; exit 1; }
CFLAGS=(-static -O2 -Wall -Wextra -Werror=implicit-function-declaration)

compile() {  # compile NAME [extra flags...]
    local name=$1
    shift
    if [ ! "$out/bin/$name" -nt "$src/$name.c" ] || [ ! "$out/bin/$name" -nt "$src/b.h" ]; then
        musl-gcc "${CFLAGS[@]}" "$@" -o "$out/bin/$name" "$src/$name.c" -lpthread
        strip "$out/bin/$name"
    fi
}

compile init
compile true -nostdlib -fno-asynchronous-unwind-tables
gen=$out/initramfs.list
{
    echo "dir /dev 0755 0 0"
    echo "nod /dev/console 0600 0 0 c 5 1"
    echo "nod /dev/null 0666 0 0 c 1 3"
    echo "dir /proc 0755 0 0"
    echo "dir /sys 0755 0 0"
    echo "dir /tmp 1777 0 0"
    echo "dir /bin 0755 0 0"
    echo "file /bin/busybox $busybox 0755 0 0"
    echo "file /init $out/bin/init 0755 0 0"
    echo "dir /b 0755 0 0"
    echo "file /b/true $out/bin/true 0755 0 0"
} >"$gen"
: >"$out/list"
while read -r name _; do
    case $name in ''|'#'*|init) continue ;; esac
    compile "$name"
    echo "file /b/$name $out/bin/$name 0755 0 0" >>"$gen"
    echo "$name" >>"$out/list"
done <"$src/PROGRAMS"
echo "file /b/list $out/list 0644 0 0" >>"$gen"
"$src/../tests/user/mkcpio.sh" "$gen" "$out/initramfs.cpio"
