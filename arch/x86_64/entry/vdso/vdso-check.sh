#!/usr/bin/env bash
# Build-time check of the linked vDSO (Linux checks its vDSO in vdso2c): the
# kernel maps it as it is, so nothing may need the dynamic linker, and the C
# libraries must find their symbols by hash, with the LINUX_2.6 version.
set -euo pipefail
so=$1
fail() { echo "vdso-check: $so: $*" >&2; exit 1; }

relocs=$(readelf -rW "$so")
echo "$relocs" | grep -q "There are no relocations in this file" || fail "has relocations: $relocs"

phdrs=$(readelf -lW "$so")
[ "$(echo "$phdrs" | grep -c '^ *LOAD ')" = 1 ] || fail "needs exactly one PT_LOAD"
echo "$phdrs" | grep -qE '^ *LOAD +0x0+ 0x0+ ' || fail "PT_LOAD must start at offset 0, address 0"
echo "$phdrs" | grep -q '^ *DYNAMIC ' || fail "no PT_DYNAMIC"
echo "$phdrs" | grep -qE '^ *LOAD .* R E ' || fail "PT_LOAD must be read+execute, not writable"

dyn=$(readelf -dW "$so")
for tag in HASH GNU_HASH SYMTAB STRTAB VERSYM VERDEF SONAME; do
    echo "$dyn" | grep -q "($tag)" || fail "no DT_$tag"
done
echo "$dyn" | grep -q 'Library soname: \[linux-vdso.so.1\]' || fail "soname is not linux-vdso.so.1"
if echo "$dyn" | grep -qE '\((NEEDED|TEXTREL|PLTGOT|JMPREL|RELA|REL)\)'; then fail "needs the dynamic linker"; fi

syms=$(readelf --dyn-syms -W "$so")
for f in clock_gettime gettimeofday time getcpu; do
    echo "$syms" | grep -qE " FUNC +GLOBAL +DEFAULT +[0-9]+ __vdso_$f@@LINUX_2.6\$" || fail "no __vdso_$f@@LINUX_2.6"
    echo "$syms" | grep -qE " FUNC +WEAK +DEFAULT +[0-9]+ $f@@LINUX_2.6\$" || fail "no weak $f@@LINUX_2.6"
done
if echo "$syms" | grep -E ' UND ' | grep -vqE '^ +0: '; then fail "undefined symbols"; fi
sections=$(readelf -SW "$so")
if echo "$sections" | grep -qE ' \.(data|bss|got)[ .]'; then fail "has writable data (.data/.bss/.got)"; fi
exit 0
