#!/usr/bin/env python3
"""bench/report.py OUTDIR — turns the serial logs of scripts/run-bench.sh
(OUTDIR/logs/{keel,linux}-N.log) into the comparison table (stdout),
OUTDIR/results.csv, OUTDIR/results.md and OUTDIR/ratios.dat (the chart's data).

A figure is a line "METRIC VALUE UNIT" for a METRIC that bench/PROGRAMS lists;
a run that lacks it counts as a failure of that metric on that kernel, and a
metric failed in every run of a kernel is shown as FAILED with the reason
found in the log (the program's exit status, a timeout, a kernel crash).

The ratio is defined so that <= 1.0 means Keel is at least as good as Linux:
Keel/Linux for figures where lower is better (times, errors, memory), and
Linux/Keel for figures where higher is better (MB/s, faults/s).
"""
import csv
import glob
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r'^([A-Za-z0-9_]+) ([-+0-9.eE]+|nan|inf) (\S+)$')
CRASH = re.compile(r'Kernel panic|\bBUG\b|Oops|general protection|WARNING:')


def programs():
    """[(program, metric, unit, direction)] in bench/PROGRAMS order."""
    rows = []
    with open(os.path.join(HERE, 'PROGRAMS')) as f:
        for line in f:
            line = line.split('#', 1)[0].split()
            if not line:
                continue
            for spec in line[1:]:
                metric, unit, direction = spec.split(':')
                rows.append((line[0], metric, unit, direction))
    return rows


def parse(path, progs):
    """Figures of one boot, and per program what became of it."""
    vals, status, errors = {}, {}, {}
    text = open(path, errors='replace').read().replace('\r', '')
    current = None
    for line in text.splitlines():
        m = LINE.match(line)
        if m and m.group(1) in progs:
            vals[m.group(1)] = (float(m.group(2)), m.group(3))
            continue
        m = re.match(r'^== (\S+)(?: (.*))?$', line)
        if m:
            current = m.group(1) if not m.group(2) else None
            if m.group(2):
                status[m.group(1)] = m.group(2)
            continue
        if current and line.startswith('bench error:'):
            errors[current] = line[len('bench error: '):]
    clock = re.search(r'^info clocksource (\S+)', text, re.M)
    vals['.clocksource'] = clock.group(1) if clock else None
    crash = next((l.strip() for l in text.splitlines() if CRASH.search(l)), None)
    done = '== bench done' in text
    if not crash:  # no kernel message: what QEMU said, or that it timed out
        timed_out = re.search(r'^== qemu timed out.*$', text, re.M)
        qemu = open(path + '.qemu', errors='replace').read().strip() if os.path.exists(path + '.qemu') else ''
        crash = timed_out.group(0)[3:] if timed_out else (qemu.splitlines()[0] if qemu else None)
    return vals, status, errors, crash, done


def fmt(x):
    if x is None:
        return '-'
    a = abs(x)
    if a >= 1000:
        return f'{x:.0f}'
    if a >= 100:
        return f'{x:.1f}'
    if a >= 1:
        return f'{x:.2f}'
    return f'{x:.3g}'


def main():
    out = sys.argv[1]
    rows = programs()
    progs = {m: p for p, m, _, _ in rows}
    runs = {'keel': [], 'linux': []}
    for path in sorted(glob.glob(os.path.join(out, 'logs', '*.log')),
                       key=lambda p: int(re.search(r'-(\d+)\.log$', p).group(1))):
        who = os.path.basename(path).split('-')[0]
        if who in runs:
            runs[who].append(parse(path, progs))

    def why(who, prog):
        """Why a kernel's runs lack a program's figure (first run that does)."""
        for vals, status, errors, crash, done in runs[who]:
            if prog == 'init':
                return crash or 'init printed no figure'
            if prog in errors:
                return errors[prog]
            if prog in status and status[prog] != 'exit 0':
                return status[prog]
            if prog not in status:
                if crash:
                    return crash
                return 'did not run (boot ended early)' if not done else 'not run'
        return 'no figure'

    table = []
    for prog, metric, unit, direction in rows:
        entry = {'metric': metric, 'unit': unit, 'better': direction, 'program': prog}
        for who in ('keel', 'linux'):
            xs = [r[0][metric][0] for r in runs[who] if metric in r[0]]
            entry[who] = xs
            entry[who + '_why'] = '' if xs else why(who, prog)
        k, l = entry['keel'], entry['linux']
        ratio = None
        if k and l:
            km, lm = statistics.median(k), statistics.median(l)
            num, den = (km, lm) if direction == 'lower' else (lm, km)
            ratio = num / den if den > 0 else None
        entry['ratio'] = ratio
        table.append(entry)

    nk, nl = len(runs['keel']), len(runs['linux'])
    head = ('ratio = Keel/Linux where lower is better, Linux/Keel where higher is better: '
            '<= 1.00 means Keel at least as good')
    print(f'Keel: {nk} run(s), Linux: {nl} run(s); medians, with min-max of the runs')
    print(head)
    print(f'{"metric":30} {"unit":9} {"better":6} {"Keel median":>12} {"(min-max)":>21} '
          f'{"Linux median":>12} {"(min-max)":>21} {"ratio":>7}')
    md = ['| metric | unit | better | Keel median | Keel min–max | Linux median | Linux min–max | ratio |',
          '|---|---|---|---:|---:|---:|---:|---:|']
    for e in table:
        cells = {}
        for who in ('keel', 'linux'):
            xs = e[who]
            if xs:
                spread = f'{fmt(min(xs))}-{fmt(max(xs))}'
                if len(xs) < (nk if who == 'keel' else nl):
                    spread += f' [{len(xs)} runs]'
                cells[who] = (fmt(statistics.median(xs)), spread)
            else:
                cells[who] = ('FAILED', '')
        r = f'{e["ratio"]:.2f}' if e['ratio'] is not None else 'n/a'
        print(f'{e["metric"]:30} {e["unit"]:9} {e["better"]:6} {cells["keel"][0]:>12} {cells["keel"][1]:>21} '
              f'{cells["linux"][0]:>12} {cells["linux"][1]:>21} {r:>7}')
        md.append(f'| {e["metric"]} | {e["unit"]} | {e["better"]} | {cells["keel"][0]} | {cells["keel"][1]} '
                  f'| {cells["linux"][0]} | {cells["linux"][1]} | {r} |')
    # Linux's vDSO reads the clock only from the TSC (tsc-early until the refined
    # calibration, then tsc) or a paravirtual clock: when its watchdog finds the
    # TSC unstable under a loaded host it moves to hpet, and clock_gettime
    # becomes a system call reading an emulated device. init reads it at start.
    clocks = [r[0]['.clocksource'] or '?' for r in runs['linux']]
    clock_note = ('Linux clocksource when init started, per run: ' + ', '.join(clocks) +
                  ('' if all(c.startswith('tsc') for c in clocks) else
                   ' (not the TSC: its clock_gettime may be a system call in those runs)'))
    print(clock_note)
    for e in table:
        for who, name in (('keel', 'Keel'), ('linux', 'Linux')):
            if e[who + '_why']:
                print(f'FAILED on {name}: {e["metric"]} ({e["program"]}): {e[who + "_why"]}')

    with open(os.path.join(out, 'results.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['metric', 'unit', 'better', 'keel_median', 'keel_min', 'keel_max', 'keel_runs',
                    'linux_median', 'linux_min', 'linux_max', 'linux_runs', 'ratio', 'keel_status',
                    'linux_status'])
        for e in table:
            row = [e['metric'], e['unit'], e['better']]
            for who in ('keel', 'linux'):
                xs = e[who]
                row += ([f'{statistics.median(xs):.6g}', f'{min(xs):.6g}', f'{max(xs):.6g}', len(xs)]
                        if xs else ['', '', '', 0])
            row.append(f'{e["ratio"]:.4f}' if e['ratio'] is not None else '')
            row += ['ok' if e['keel'] else 'FAILED: ' + e['keel_why'],
                    'ok' if e['linux'] else 'FAILED: ' + e['linux_why']]
            w.writerow(row)
    with open(os.path.join(out, 'results.md'), 'w') as f:
        f.write(head + '.\n\n' + '\n'.join(md) + '\n\n' + clock_note + '.\n')
    # The chart's data: index, label, ratio (1 for a metric without one), failed?
    with open(os.path.join(out, 'ratios.dat'), 'w') as f:
        for i, e in enumerate(table):
            label = e['metric'].replace('_', ' ')
            if e['ratio'] is None:
                f.write(f'{i} "{label}" 1 1\n')
            else:
                f.write(f'{i} "{label}" {e["ratio"]:.6g} 0\n')


if __name__ == '__main__':
    main()
