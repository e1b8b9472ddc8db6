#!/usr/bin/env bash
# build.sh OUTDIR — compiles the programs listed in tests/user/PROGRAMS and the
# runner into OUTDIR/bin and packs the test initramfs OUTDIR/initramfs.cpio:
#   /init         the runner (tests/user/runner.c)
#   /t/NAME       each program
#   /t/list       the names of the programs the runner runs, in order
#   /t/garbage    an "executable" that is no ELF (for exec's ENOEXEC check)
#   /dev/console  char 5,1 — Linux opens it for init's fds 0-2 only if present
# Deterministic: the same sources give the same archive, byte for byte.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out/bin"
CFLAGS=(-static -O2 -Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration)

compile() {  # compile NAME LIBC
    local cc=musl-gcc
    [ "$2" = glibc ] && cc=gcc
    command -v $cc >/dev/null || { echo "build.sh: $cc missing (scripts/ensure-deps.sh installs musl-tools)" >&2; exit 1; }
    # Rebuild only when the source or a header (t.h, tfs.h) changed.
    local h stale=0
    [ "$out/bin/$1" -nt "$src/$1.c" ] || stale=1
    for h in "$src"/*.h; do [ "$out/bin/$1" -nt "$h" ] || stale=1; done
    if [ $stale = 1 ]; then
        $cc "${CFLAGS[@]}" -o "$out/bin/$1" "$src/$1.c" -lpthread
        strip "$out/bin/$1"
    fi
}

compile runner musl
gen=$out/initramfs.list
{
    echo "dir /dev 0755 0 0"
    echo "nod /dev/console 0600 0 0 c 5 1"
    echo "dir /t 0755 0 0"
    echo "dir /tmp 1777 0 0"
    echo "dir /proc 0755 0 0"
    echo "file /init $out/bin/runner 0755 0 0"
} >"$gen"
: >"$out/list"
while read -r name libc modes; do
    case $name in ''|'#'*) continue ;; esac
    compile "$name" "$libc"
    echo "file /t/$name $out/bin/$name 0755 0 0" >>"$gen"
    [[ " $modes " == *" runner "* ]] && echo "$name" >>"$out/list"
done <"$src/PROGRAMS"
printf 'this is not an executable\n' >"$out/garbage"
echo "file /t/list $out/list 0644 0 0" >>"$gen"
echo "file /t/garbage $out/garbage 0755 0 0" >>"$gen"
"$src/mkcpio.sh" "$gen" "$out/initramfs.cpio"
