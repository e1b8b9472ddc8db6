#!/usr/bin/env bash
# mkcpio.sh LIST OUT.cpio — writes a newc cpio archive from a list in the
# format of Linux's usr/gen_init_cpio, so device nodes (dev/console) can be
# made without root and the archive is byte-for-byte reproducible (mtime 0):
#   dir  NAME MODE UID GID
#   file NAME SOURCE MODE UID GID
#   nod  NAME MODE UID GID c|b MAJOR MINOR
# MODE is octal. NAME is written without a leading slash.
set -euo pipefail
list=$1 out=$2
ino=300000
exec 3>"$out.tmp"
pad() { local n=$(( (4 - $1 % 4) % 4 )); [ $n -eq 0 ] || head -c $n /dev/zero >&3; }
entry() {  # entry NAME MODE(numeric) UID GID SIZE RMAJ RMIN [SOURCE]
    local name=${1#/} mode=$2 uid=$3 gid=$4 size=$5 rmaj=$6 rmin=$7 src=${8:-}
    ino=$((ino + 1))
    local nlink=1
    [ $((mode & 0170000)) -eq $((0040000)) ] && nlink=2
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        $ino "$mode" "$uid" "$gid" $nlink 0 "$size" 0 0 "$rmaj" "$rmin" $((${#name} + 1)) 0 >&3
    printf '%s\0' "$name" >&3
    pad $((110 + ${#name} + 1))
    if [ -n "$src" ]; then
        cat "$src" >&3
        pad "$size"
    fi
}
while read -r kind name a b c d e f g; do
    case $kind in
    ''|'#'*) ;;
    dir) entry "$name" $((0040000 | 0$a)) "$b" "$c" 0 0 0 ;;
    file) entry "$name" $((0100000 | 0$b)) "$c" "$d" "$(stat -c %s "$a")" 0 0 "$a" ;;
    nod)
        type=0020000
        [ "$d" = b ] && type=0060000
        entry "$name" $((type | 0$a)) "$b" "$c" 0 "$e" "$f" ;;
    *) echo "mkcpio: unknown entry '$kind'" >&2; exit 1 ;;
    esac
done <"$list"
ino=0
entry TRAILER!!! 0 0 0 0 0 0
pad 0
exec 3>&-
mv "$out.tmp" "$out"
