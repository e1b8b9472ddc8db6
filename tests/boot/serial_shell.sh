#!/usr/bin/env bash
# An interactive busybox shell driven through the serial port, as a person
# would use it: /init starts `setsid cttyhack sh -i` (ttyS0 becomes the
# shell's controlling terminal), and a Python driver talks to QEMU's serial
# port over a UNIX socket. It waits for the prompt, types commands and reads
# their answers (echo $((6*7)) -> 42, ls /proc | grep -c self -> 2, tty ->
# /dev/ttyS0), lets N_TTY edit a line for the read builtin (DEL, ^U, ^D
# as EOF), starts `sleep 100`, sends ^C (0x03) and requires the prompt
# back within 10 s and `echo $?` -> 130, then types `poweroff -f` and requires
# QEMU to exit. Every wait has a deadline, so the test fails instead of
# hanging. It must pass on Linux (the oracle) and on Keel.
#
# Known failure: while SERIAL_SHELL_XFAIL (below) names a reason, a Keel
# failure is reported as XFAIL and does not fail `make test`; a pass then is
# an XPASS and fails the script — empty the variable when Keel passes. Run
# with SERIAL_SHELL_XFAIL= to see the plain verdict.
SERIAL_SHELL_XFAIL=${SERIAL_SHELL_XFAIL-""}
. "$(dirname "$0")/lib.sh"
[ -x /bin/busybox ] || { echo "SKIP $TEST_NAME: busybox-static not installed"; exit 0; }
command -v python3 >/dev/null || { echo "SKIP $TEST_NAME: python3 not installed"; exit 0; }
vmlinuz=$(scripts/get-linux.sh) || fail "cannot fetch Debian's kernel"
dir=$BUILD/serial_shell
rm -rf "$dir" && mkdir -p "$dir"
cp /bin/busybox "$dir/busybox"
cat >"$dir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/ TERM=vt100 PS1='serial-shell$ '
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
echo "init: starting the shell"
exec /bin/busybox setsid /bin/busybox cttyhack /bin/busybox sh -i
/bin/busybox poweroff -f
INIT
printf '%s\n' "dir dev 0755 0 0" "nod dev/console 0600 0 0 c 5 1" "dir bin 0755 0 0" "dir proc 0755 0 0" \
    "dir sys 0755 0 0" "dir tmp 1777 0 0" "file bin/busybox $dir/busybox 0755 0 0" "file init $dir/init 0755 0 0" \
    >"$dir/list"
bash tests/user/mkcpio.sh "$dir/list" "$dir/sh.cpio" || fail "cannot build the initramfs"

# drive KERNEL WHO CMDLINE — boots KERNEL with the serial port on a UNIX socket and
# runs the session; the transcript goes to $LOGDIR/$TEST_NAME-WHO.log, one
# "step NAME: ok|FAIL ..." line per step to $dir/WHO.steps. Returns 0 when
# every step passed.
drive() {
    local kernel=$1 who=$2 cmdline=$3
    LOG=$LOGDIR/$TEST_NAME-$who.log
    python3 - "$QEMU" "$kernel" "$dir/sh.cpio" "$dir/$who.sock" "$LOG" "$dir/$who.steps" "${MEM:-512M}" "$cmdline" <<'PY'
import os, socket, subprocess, sys, time

qemu, kernel, initrd, sock_path, log_path, steps_path, mem, cmdline = sys.argv[1:9]
PROMPT = b"serial-shell$ "
log = open(log_path, "wb")
steps = open(steps_path, "w")
failed = 0

def step(name, ok, detail=""):
    global failed
    steps.write("step %s: %s%s\n" % (name, "ok" if ok else "FAIL", "" if ok else " " + detail))
    steps.flush()
    if not ok:
        failed += 1

if os.path.exists(sock_path):
    os.unlink(sock_path)
vm = subprocess.Popen([qemu, "-kernel", kernel, "-initrd", initrd, "-append", cmdline,
                       "-m", mem, "-smp", "1", "-display", "none", "-monitor", "none", "-no-reboot", "-nodefaults",
                       "-device", "VGA", "-chardev", "socket,id=s0,path=%s,server=on,wait=off" % sock_path,
                       "-serial", "chardev:s0"], stdin=subprocess.DEVNULL, stdout=log, stderr=log)
buf = b""
s = None
for _ in range(100):  # the socket appears when QEMU is up
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sock_path)
        break
    except OSError:
        s = None
        time.sleep(0.1)
if s is None:
    step("connect", False, "no serial socket")
    vm.kill()
    sys.exit(1)
s.settimeout(0.2)

def pump():
    """Reads what the serial port has; returns False once it is closed."""
    global buf
    try:
        data = s.recv(4096)
    except socket.timeout:
        return True
    except OSError:
        return False
    if not data:
        return False
    log.write(data)
    log.flush()
    buf += data
    return True

def wait_for(pattern, seconds):
    """Waits until pattern is in buf; returns the text before it and drops it from buf."""
    global buf
    deadline = time.time() + seconds
    while pattern not in buf:
        if time.time() > deadline or vm.poll() is not None:
            return None
        if not pump():
            return None
    before, _, buf = buf.partition(pattern)
    return before

def send(text):
    for ch in text:  # one byte at a time, like a person (a 16550 FIFO holds 16)
        try:
            s.sendall(ch.encode("latin-1"))
        except OSError:  # QEMU is gone: the waits that follow fail
            return
        time.sleep(0.01)

def answer(cmd, seconds=20):
    """Types cmd, waits for the next prompt; returns the output lines (the echo removed)."""
    send(cmd + "\r")
    out = wait_for(PROMPT, seconds)
    if out is None:
        return None
    lines = [l.strip("\r") for l in out.decode("latin-1").split("\n")]
    lines = [l for l in lines if l != ""]
    # The first line is the echo of what was typed (maybe after escape sequences).
    if lines and lines[0].endswith(cmd):
        lines = lines[1:]
    return lines

try:
    first = wait_for(PROMPT, 120)
    step("boot to the prompt", first is not None, "no prompt within 120 s")
    if first is not None:
        time.sleep(0.3)
        pump()
        buf = b""
        out = answer("echo $((6*7))")
        step("echo $((6*7))", out == ["42"], repr(out))
        out = answer("ls /proc | grep -c self")
        step("ls /proc | grep -c self", out == ["2"], repr(out))
        out = answer("tty")
        step("tty", out == ["/dev/ttyS0"], repr(out))
        out = answer("sleep 0.3 & wait; echo bg-done")
        step("a background job, wait, and the job's Done notice",
             out is not None and out[:1] == ["bg-done"] and any(l.startswith("[1]+  Done") for l in out), repr(out))
        # The read builtin reads in canonical mode: N_TTY edits the line (DEL
        # erases a character, ^U the line) and ^D at the start of a line is EOF.
        send("read x; echo got-$x\r")
        time.sleep(0.5)
        send("zz\x15abX\x7fc\r")
        out = wait_for(PROMPT, 10)
        lines = [] if out is None else [l.strip("\r") for l in out.decode("latin-1").split("\n")]
        step("canonical read with erase and kill", "got-abc" in lines, repr(lines))
        send("read y; echo status-$?\r")
        time.sleep(0.5)
        send("\x04")
        out = wait_for(PROMPT, 10)
        lines = [] if out is None else [l.strip("\r") for l in out.decode("latin-1").split("\n")]
        step("^D at the start of a line is EOF", "status-1" in lines, repr(lines))
        send("sleep 100\r")
        time.sleep(1.0)
        pump()
        t0 = time.time()
        send("\x03")
        back = wait_for(PROMPT, 10)  # seconds, not 100: on a busy host a few more than 1
        step("^C stops sleep 100 and the prompt comes back within 10 s", back is not None,
             "no prompt (%r)" % buf[-80:])
        if back is not None:
            out = answer("echo $?")
            step("echo $? after ^C", out == ["130"], repr(out))
        out = answer("echo after-interrupt")
        step("the shell still works", out == ["after-interrupt"], repr(out))
        if vm.poll() is not None:
            step("poweroff -f ends QEMU", False, "QEMU had stopped before (status %d)" % vm.returncode)
        else:
            send("poweroff -f\r")
            try:
                vm.wait(20)
                step("poweroff -f ends QEMU", True)
            except subprocess.TimeoutExpired:
                step("poweroff -f ends QEMU", False, "still running after 20 s")
finally:
    if vm.poll() is None:
        vm.kill()
        vm.wait()
    s.close()
    log.close()
sys.exit(1 if failed else 0)
PY
}

# Linux first: the test itself must pass there.
# no_timer_check: on a loaded host Linux's IO-APIC timer check can fail and stall its boot.
drive "$vmlinuz" linux "console=ttyS0 quiet panic=-1 no_timer_check" || { LOG=$dir/linux.steps; fail "the session fails on Linux: the test is wrong"; }
t0=$(date +%s%N)
drive "$KEEL" keel "console=ttyS0 quiet panic=-1"
status=$?
ms=$((($(date +%s%N) - t0) / 1000000))
if [ $status -eq 0 ]; then
    [ -z "$SERIAL_SHELL_XFAIL" ] || fail "XPASS: Keel passes now — empty SERIAL_SHELL_XFAIL at the top of $0"
    pass "$(grep -c ': ok' "$dir/keel.steps") steps (Keel's session took ${ms} ms)"
fi
if [ -n "$SERIAL_SHELL_XFAIL" ]; then
    echo "XFAIL $TEST_NAME ($SERIAL_SHELL_XFAIL): $(grep -c FAIL "$dir/keel.steps") of $(grep -c '' "$dir/keel.steps") steps fail (see $dir/keel.steps)"
    exit 0
fi
grep FAIL "$dir/keel.steps"
LOG=$LOGDIR/$TEST_NAME-keel.log
fail "the interactive session fails on Keel"
