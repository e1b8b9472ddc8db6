#!/usr/bin/env bash
# A scripted busybox session: Debian's busybox-static, unmodified, boots as
# PID 1 on Linux and on Keel and runs the session below (/session.sh) with
# busybox sh — 50+ applets over proc, sysfs, devtmpfs and tmpfs: files and
# directories (mkdir cp mv ln rm touch chmod stat ls -l find du df ...), text
# tools (cat grep sed awk sort uniq wc head tail cut tr tee xargs od hexdump
# ...), checksums, archives, pipelines, command substitution, here-documents,
# background jobs with wait, signals and traps, and the procfs readers (ps
# pidof pgrep free uptime dmesg mount), each filtered down to what does not
# change from boot to boot. Keel's output must be Linux's, line for line.
#
# Known failure: until Keel has what the session needs, the test is reported
# as XFAIL with the reason in BUSYBOX_SESSION_XFAIL below and does not fail
# `make test`. When Keel's output matches Linux's while that reason is set,
# the script fails (XPASS): empty the variable then. Run with
# BUSYBOX_SESSION_XFAIL= to see the plain verdict.
BUSYBOX_SESSION_XFAIL=${BUSYBOX_SESSION_XFAIL-""}
. "$(dirname "$0")/lib.sh"
[ -x /bin/busybox ] || { echo "SKIP $TEST_NAME: busybox-static not installed"; exit 0; }
vmlinuz=$(scripts/get-linux.sh) || fail "cannot fetch Debian's kernel"
dir=$BUILD/busybox_session
rm -rf "$dir" && mkdir -p "$dir"
cp /bin/busybox "$dir/busybox"
cat >"$dir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/ TZ=UTC
echo "== session start"
/bin/busybox sh /session.sh 2>&1
echo "== session end $?"
/bin/busybox sync
/bin/busybox poweroff -f
INIT
cat >"$dir/session.sh" <<'SESSION'
# The session run by busybox sh (tests/boot/busybox_session.sh). Every line
# it prints must be the same on any kernel that gets things right: no pids,
# times, inode numbers or sizes that depend on the kernel's own layout.
echo "-- mounts"
mount -t proc proc /proc && echo "proc mounted"
mount -t sysfs sysfs /sys && echo "sysfs mounted"
mount -t devtmpfs devtmpfs /dev && echo "devtmpfs mounted"
mkdir -p /mnt/t && mount -t tmpfs -o size=1m tmpfs /mnt/t && echo "tmpfs mounted"
mount | grep ' /mnt/t ' | cut -d' ' -f1-5
grep -c '^proc /proc proc ' /proc/mounts
df -k /mnt/t | tail -n 1 | awk '{print $2, $3, $4, $5, $6}'
cat /sys/devices/system/cpu/online
ls /dev | grep -E '^(console|full|kmsg|null|random|tty|ttyS0|urandom|zero)$'
umask
umask 022

echo "-- files"
mkdir -p /tmp/s/a/b/c && cd /tmp/s && pwd
printf 'line one\nline two\nline three\n' > f1
echo "appended" >> f1
cat f1
wc -l f1
wc -c < f1
cp f1 a/f2 && cat a/f2 | head -n 1
mv a/f2 a/b/f3 && ls -1 a a/b
ln -s ../f1 a/link && readlink a/link && cat a/link | tail -n 1
ln f1 hard && stat -c '%n %s %h %F' f1 hard a/link
realpath a/b/../link
basename /tmp/s/a/b/f3 .txt; basename /x/y/z.txt .txt; dirname /tmp/s/a/b/f3
touch -d '2020-01-02 03:04:05' f1 && ls -l f1 | awk '{print $1, $2, $3, $4, $5, $6, $7, $8, $9}'
date -u -r f1 '+%Y-%m-%d %H:%M:%S'
chmod 640 f1 && stat -c '%a %A' f1
chmod u+x,g-r f1 && stat -c '%a %A' f1
touch empty && stat -c '%s %F' empty
test -e empty && test ! -s empty && test -f f1 && test -d a && test -L a/link && echo "test: all true"
[ -x f1 ] && echo "f1 is executable"
rm a/link hard && ls -1 a
rmdir a/b/c && ls -1 a/b
rm -r a && ls -1
head -c 5000 /dev/zero > z5000 && du -k z5000 && ls -l z5000 | awk '{print $5}'
find /tmp/s | sort
find /tmp/s -type f -name 'f*' | sort
seq 1 5 | xargs touch && ls | sort | xargs echo
find . -name '[0-9]' | sort | xargs rm && ls | sort | tr '\n' ' ' && echo
echo "files done" | tee tee.out > /dev/null && cat tee.out
truncate -s 10 tee.out && od -c tee.out | head -n 1
dd if=/dev/zero of=dd.out bs=512 count=3 2>/dev/null && stat -c '%s' dd.out
unlink dd.out && test ! -e dd.out && echo "unlinked"
mkfifo fifo && (echo "through a fifo" > fifo &) && cat fifo
mkdir -p tree/sub && echo x > tree/sub/x && echo y > tree/y && tar cf tree.tar tree && tar tf tree.tar | sort
rm -r tree && tar xf tree.tar && cat tree/sub/x tree/y

echo "-- text"
cat > text <<EOF
banana 3
apple 10
cherry 7
apple 2
banana 3
EOF
sort text
sort -k2 -n text
sort -u text | wc -l
sort text | uniq -c | sed 's/^ *//'
cut -d' ' -f1 text | sort | uniq | tr 'a-z' 'A-Z'
grep -n apple text
grep -c -v apple text
grep -E '^(b|c)' text | sed -e 's/ /=/' -e 's/[0-9]/#/g'
awk '{sum[$1] += $2} END {for (k in sum) print k, sum[k]}' text | sort
awk 'NR % 2 == 1 {print NR": "$1}' text
sed -n '2,3p' text
sed '/cherry/d' text | tail -n 2
tail -n +4 text
head -n 2 text | rev
printf '%s|%5d|%-4s|%x\n' word 42 ab 255
printf 'a\tb\n' | od -c | head -n 1
printf '\001\002ABC' | od -An -tx1
printf 'hexdump me' | hexdump -C
echo hello | md5sum
echo hello | sha1sum
echo hello | sha256sum
echo hello | sha512sum | cut -c1-32
echo hello | xxd | head -n 1
factor 360
seq 1 1000 | md5sum
echo "base64 me" | base64 | tee b64 && base64 -d b64
echo "gzip round trip" | gzip -c | gunzip -c
nl text | head -n 2 | sed 's/^ *//'
echo "abcdefghij" | fold -w 4
paste -d, text text | head -n 1
tac text | head -n 1
printf '1\n2\n3\n' > c1 && printf '2\n3\n4\n' > c2 && sort -m c1 c2 | uniq -d | xargs echo
cmp c1 c2 || echo "cmp: they differ"
diff c1 c2 | grep '^[-+][0-9]'
tr -d 'aeiou' < text | head -n 1
tr -s 'p' < text | head -n 2 | tail -n 1
expr length "hello" + 1
expr 7 \* 6
expr "abc" : 'a\(.\)'
echo $((2 ** 10)) $((17 % 5)) $((1 << 4))

echo "-- shell"
x=$(echo inner | tr a-z A-Z) && echo "substitution: $x"
y=`seq 3 | wc -l` && echo "backquotes: $y"
n=0; for i in $(seq 1 10); do n=$((n + i)); done; echo "sum $n"
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; echo "while $i"
case "file.tar.gz" in *.gz) echo "case: gzip";; *) echo "case: other";; esac
f() { echo "function args: $# $1 $2"; return 3; }; f one two; echo "returned $?"
cat <<'EOF'
quoted $here-doc, no $(expansion)
EOF
name=world; cat <<EOF
unquoted here-doc: hello $name, $((6 * 7))
EOF
(exit 7); echo "subshell status $?"
false || echo "or-list"; true && echo "and-list"
! false && echo "negated"
echo "stderr line" 1>&2
{ echo one; echo two; } | wc -l
set -- a b c; shift; echo "positional: $*"
v="  spaced  out  "; echo "[${v}]" | tr -s ' '
s=abcdef; echo "${#s} ${s#ab} ${s%ef} ${s:-unset} ${unset_var:-default}"
IFS=: read -r p1 p2 <<EOF
left:right
EOF
echo "read: $p1 $p2"
yes | head -n 3
yes maybe | head -n 2
seq 10 -3 1 | tr '\n' ' ' && echo
echo "pipeline status: $(false | true; echo $?)"

echo "-- jobs"
for i in 1 2 3; do (sleep 0.$i; echo "job $i" > job$i) & done
wait && cat job1 job2 job3
sleep 30 &
pid=$!
sleep 0.2
[ "$(pidof sleep)" = "$pid" ] && echo "pidof finds it"
killall -0 sleep && echo "killall -0 finds it"
ps | head -n 1 | sed 's/ \+/ /g'
ps | grep -c '[s]leep 30'
ps -o pid,comm | grep -w "$pid" | awk '{print $2}'
test -d /proc/$pid && echo "/proc/pid exists"
cat /proc/$pid/comm
grep '^State:' /proc/$pid/status
kill -STOP $pid && sleep 0.2 && grep '^State:' /proc/$pid/status
# The shell may or may not report "Terminated" for the job (it races with
# the job's end), so its stderr is discarded here.
{ kill -CONT $pid && kill $pid; wait $pid; echo "killed: $?" >&3; } 3>&1 2>/dev/null
test -d /proc/$pid || echo "/proc/pid gone"
trap 'echo "trapped USR1"' USR1; kill -USR1 $$; echo "after trap"
kill -0 $$ && echo "kill -0 on self"
kill -9 99999 2>/dev/null || echo "kill of no process fails"
sleep 0.1 && echo "slept"
{ timeout 1 sleep 5; echo "timeout status $?" >&3; } 3>&1 2>/dev/null

echo "-- system"
cat /proc/1/comm
grep '^Name:' /proc/$$/status
readlink /proc/$$/exe
ls /proc | grep -c '^self$'
free | head -n 1 | sed 's/ \+/ /g'
free | grep -c '^Mem:'
uptime | grep -Eq 'up .*load average: [0-9]+\.[0-9]+, [0-9]+\.[0-9]+, [0-9]+\.[0-9]+$' && echo "uptime shape ok"
grep -Eq '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+/[0-9]+ [0-9]+$' /proc/loadavg && echo "loadavg shape ok"
dmesg | head -n 1 | grep -Eq '^\[ *[0-9]+\.[0-9]+\] ' && echo "dmesg shape ok"
echo "<6>busybox-session-marker" > /dev/kmsg && dmesg | grep -c 'busybox-session-marker'
grep -c '^MemTotal:' /proc/meminfo
top -b -n 1 | head -n 1 | grep -c '^Mem: '
sysctl kernel.ostype
grep -Eq '^cpu  [0-9]+' /proc/stat && echo "proc stat ok"
uname -s -m
hostname
id
nproc
echo discard > /dev/null && echo "null swallows"
head -c 4 /dev/zero | od -An -tx1
head -c 16 /dev/urandom | wc -c
echo full > /dev/full; echo "write to full: $?"
cat /dev/null | wc -c
date -u -d @86400 '+%Y-%m-%d %H:%M:%S'
env | grep -E '^(HOME|PATH|TZ)=' | sort
which sh
sync && echo "synced"
cd / && umount /mnt/t && echo "tmpfs unmounted"
mount | grep -c ' /mnt/t '
echo "applets used: $(grep -v '^#' /session.sh | tr -c 'a-z0-9' '\n' | sort -u | grep -cxF "$(busybox --list)")"
SESSION
{
    echo "dir dev 0755 0 0"
    echo "nod dev/console 0600 0 0 c 5 1"
    echo "dir bin 0755 0 0"
    echo "dir proc 0755 0 0"
    echo "dir sys 0755 0 0"
    echo "dir tmp 1777 0 0"
    echo "dir mnt 0755 0 0"
    echo "file bin/busybox $dir/busybox 0755 0 0"
    echo "file init $dir/init 0755 0 0"
    echo "file session.sh $dir/session.sh 0644 0 0"
} >"$dir/list"
bash tests/user/mkcpio.sh "$dir/list" "$dir/bb.cpio" || fail "cannot build the initramfs"
# The session's own lines: between its markers, kernel log lines removed.
output() {
    sed -E '/^\[ *[0-9]+\.[0-9]+\] /d' "$1" | tr -d '\r' | awk '/^== session start$/ {on = 1} on {print} /^== session end/ {exit}'
}
LOG=$LOGDIR/$TEST_NAME-linux.log
# no_timer_check: on a loaded host Linux's IO-APIC timer check can fail and stall its boot.
TIMEOUT=120 boot "$vmlinuz" "console=ttyS0 quiet panic=-1 no_timer_check" "$dir/bb.cpio"
output "$LOG" >"$dir/linux.out"
grep -qx '== session end 0' "$dir/linux.out" || fail "the session did not run to its end on Linux (see $dir/linux.out)"
if grep -q 'FAIL' "$dir/linux.out"; then
    LOG=$dir/linux.out
    fail "the session reports a failed check on Linux: the script is wrong"
fi
LOG=$LOGDIR/$TEST_NAME-keel.log
t0=$(date +%s)
# Keel needed 157 s (Linux 45 s) with the host's load at 26 on 2 CPUs.
TIMEOUT=${KEEL_TIMEOUT:-240} boot "$KEEL" "console=ttyS0 quiet panic=-1" "$dir/bb.cpio"
output "$LOG" >"$dir/keel.out"
lines=$(wc -l <"$dir/linux.out")
applets=$(grep -oE '^applets used: [0-9]+' "$dir/linux.out" | grep -oE '[0-9]+$')
if diff -u "$dir/linux.out" "$dir/keel.out" >"$LOGDIR/$TEST_NAME.diff" && [ "$QEMU_STATUS" -ne 124 ] &&
   ! grep -Eq 'Oops|Kernel panic|BUG:|WARNING:' "$LOG"; then
    [ -z "$BUSYBOX_SESSION_XFAIL" ] || fail "XPASS: Keel passes now — empty BUSYBOX_SESSION_XFAIL at the top of $0"
    pass "$lines lines identical, $applets applets"
fi
if [ -n "$BUSYBOX_SESSION_XFAIL" ]; then
    echo "XFAIL $TEST_NAME ($BUSYBOX_SESSION_XFAIL): $(grep -c '^ ' "$LOGDIR/$TEST_NAME.diff") of $lines lines agree (diff in $LOGDIR/$TEST_NAME.diff)"
    exit 0
fi
[ "$QEMU_STATUS" -ne 124 ] || fail "Keel did not power off within ${KEEL_TIMEOUT:-240}s"
expect_not 'Oops|Kernel panic|BUG:|WARNING:'
echo "---- Linux (-) and Keel (+) differ:"
head -n 40 "$LOGDIR/$TEST_NAME.diff"
fail "the session prints something else on Keel"
