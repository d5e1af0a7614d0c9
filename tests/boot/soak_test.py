#!/usr/bin/python3
"""Soak: many guest lifecycles in one boot, with leak counters.

    tests/boot/soak_test.py [--cycles N] [--every K] [--parallel P]
                            [--benchmarks FILE] [--log FILE]

Boots out/xenlive.iso under QEMU/TCG (2 GiB) once and runs N cycles
(--cycles, 1000 by default; make soak takes SOAK_CYCLES) over Tiny
guests, P at a time (--parallel, 3).  A cycle is, with the real `xenlive`
command in dom0's shell: launch, the up marker on the console, `xenlive
known-hosts` and `ssh NAME true`, save, restore, then stop (even cycles)
or destroy (odd ones).  After each K cycles (--every, 50), with no guest
running, it samples the leak counters:
  domains, configs in /run/xenlive/domains, loop devices, vifs, xl
  processes, xenstore backend nodes (each must be 0);
  dnsmasq leases, open files of xenconsoled and xenstored, their RSS, and
  dom0's MemAvailable (none may grow, or fall, steadily: at every sample
  and by more than its tolerance from the first sample to the last).
It prints the samples as a table, with each batch's median launch-to-up
time; with --benchmarks FILE the table also goes into FILE (make soak:
docs/BENCHMARKS.md).  A failed cycle step fails the run.  After each K
cycles it also prints any new warning of dom0's kernel from dmesg (WARNING:
splats are hidden from the consoles); an Oops, BUG or general protection
fault fails the run.
"""
import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import time

from qemu_console import TOP, Failed, boot

# One cycle; prints "OK C NAME LAUNCH UP SSH SAVE RESTORE END" (seconds of
# each step) or "FAIL C STEP: what it printed".
CYCLE = r"""#!/bin/sh
c=$1
err=/tmp/soak-$c.err
name=
t() { cut -d' ' -f1 /proc/uptime; }
fail() {
    echo "FAIL $c $1: $(tr '\n' ' ' < "$err")"
    [ -n "$name" ] && xenlive destroy "$name" > /dev/null 2>&1
    exit 1
}
t0=$(t)
out=$(xenlive launch tiny 2> "$err") || fail launch
name=$(echo "$out" | sed -n 's/^launched \([^ ]*\).*/\1/p')
[ -n "$name" ] || { echo "$out" > "$err"; fail launch; }
t1=$(t)
i=0
until grep -q 'xenlive-guest up' "/var/log/xen/console/guest-$name.log" 2> /dev/null; do
    i=$((i + 1))
    [ $i -gt 300 ] && { echo "no up marker in 300 s" > "$err"; fail up; }
    sleep 1
done
t2=$(t)
xenlive known-hosts > /dev/null 2> "$err" || fail known-hosts
ssh "$name" true < /dev/null > /dev/null 2> "$err" || fail ssh
t3=$(t)
xenlive save "$name" > /dev/null 2> "$err" || fail save
t4=$(t)
xenlive restore "$name" > /dev/null 2> "$err" || fail restore
t5=$(t)
if [ $((c % 2)) -eq 0 ]; then
    xenlive stop "$name" > /dev/null 2> "$err" || fail stop
else
    xenlive destroy "$name" > /dev/null 2> "$err" || fail destroy
fi
t6=$(t)
rm -f "$err"
echo "$t0 $t1 $t2 $t3 $t4 $t5 $t6" | awk -v c="$c" -v n="$name" '{
    printf "OK %s %s %.1f %.1f %.1f %.1f %.1f %.1f\n", c, n, $2-$1, $3-$1, $4-$3, $5-$4, $6-$5, $7-$6 }'

"""

# name: (dom0 command printing one number, must stay 0, tolerance)
COUNTERS = {
    "domains": ("xl list | awk 'NR > 2' | wc -l", True, 0),
    "configs": ("find /run/xenlive/domains -type f | wc -l", True, 0),
    "loops": ("losetup -a | wc -l", True, 0),
    "vifs": ("ip -o link | grep -c ' vif'", True, 0),
    "xl": ("for p in /proc/[0-9]*; do tr '\\0' ' ' < \"$p/cmdline\" 2>/dev/null; echo; done "
           "| grep -c '^xl '", True, 0),
    "backends": ("xenstore-ls /local/domain/0/backend 2>/dev/null | grep -c '^ [^ ]'", True, 0),
    # A gone guest's lease goes back to dnsmasq (dhcp_release).
    "leases": ("f=/run/xenlive/dnsmasq.leases; if [ -f $f ]; then grep -c . $f; else echo 0; fi",
               True, 0),
    "consoled_fds": ("find /proc/\"$(pidof xenconsoled)\"/fd -type l | wc -l", False, 0),
    "stored_fds": ("find /proc/\"$(pidof xenstored)\"/fd -type l | wc -l", False, 0),
    "consoled_kib": ("awk '/^VmRSS/ { print $2 }' /proc/\"$(pidof xenconsoled)\"/status", False, 256),
    "stored_kib": ("awk '/^VmRSS/ { print $2 }' /proc/\"$(pidof xenstored)\"/status", False, 1024),
    "avail_kib": ("awk '/^MemAvailable/ { print $2 }' /proc/meminfo", False, 2048),
}


# The counters as a dom0 script, /tmp/soak-sample.sh.
SAMPLE = "#!/bin/sh\n" + "".join(f'echo "{k} $({cmd})"\n' for k, (cmd, _, _) in COUNTERS.items())


def sample(con):
    out = con.check("/tmp/soak-sample.sh")
    values = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in COUNTERS:
            values[parts[0]] = int(parts[1])
    missing = set(COUNTERS) - set(values)
    if missing:
        raise Failed(f"no figure for {sorted(missing)}:\n{out}")
    return values


# Dom0's kernel's own complaints.  rcS shows only errors and worse on the
# consoles (dmesg -n 4), so a WARN splat, the usual first sign of a kernel
# bug, would be seen only in dmesg.  One soak-30 once died in a GPF in the
# slab allocator with its kernel already tainted W by a warning nobody saw.
KERNEL_FAILS = "BUG:|Oops:|general protection fault"
KERNEL_SIGNS = "WARNING:|" + KERNEL_FAILS


def kernel_signs(con):
    """The lines of dom0's dmesg that say its kernel warned or failed,
    each with the 12 lines after it (the splat)."""
    return con.check(f"dmesg | grep -E -A12 '{KERNEL_SIGNS}' | head -n 200; true")


def batch(con, start, end, parallel):
    """Cycles START..END-1, PARALLEL workers; returns the OK rows."""
    workers = " ".join(
        f"( c={start + w}; while [ $c -lt {end} ]; do /tmp/soak-cycle.sh $c; "
        f"c=$((c + {parallel})); done ) > /tmp/soak-w{w}.out 2>&1 &"
        for w in range(parallel))
    con.check(f"{workers} wait", timeout=(end - start) * 300 + 600)
    out = con.check("; ".join(f"cat /tmp/soak-w{w}.out" for w in range(parallel)))
    rows, fails = [], []
    for line in out.splitlines():
        if line.startswith("OK "):
            p = line.split()
            rows.append((int(p[1]), p[2], *map(float, p[3:9])))
        elif line.startswith("FAIL "):
            fails.append(line)
    if fails or len(rows) != end - start:
        raise Failed(f"cycles {start}-{end - 1}: {len(rows)} ok, failures:\n"
                     + "\n".join(fails or [out]))
    return rows


def steady(values, tolerance, falling):
    """True when VALUES move one way at every step, and by more than
    TOLERANCE in all."""
    pairs = list(zip(values, values[1:]))
    if len(values) < 3:
        return False
    if falling:
        return all(b < a for a, b in pairs) and values[0] - values[-1] > tolerance
    return all(b > a for a, b in pairs) and values[-1] - values[0] > tolerance


def table(samples):
    keys = list(COUNTERS)
    lines = ["| cycles | up s (median) | " + " | ".join(keys) + " |",
             "|---" * (len(keys) + 2) + "|"]
    for cycles, up, s in samples:
        up_text = f"{up:.1f}" if up is not None else "-"
        lines.append(f"| {cycles} | {up_text} | " + " | ".join(str(s[k]) for k in keys) + " |")
    return "\n".join(lines)


def judge(samples):
    problems = []
    for key, (_, zero, tolerance) in COUNTERS.items():
        values = [s[key] for _, _, s in samples]
        if zero and any(values):
            problems.append(f"{key} left behind: {values}")
        # The first sample is before any guest: leases and caches start
        # from nothing; judge growth from the first batch's sample on.
        later = values[1:]
        if not zero and steady(later, tolerance, key == "avail_kib"):
            problems.append(f"{key} {'falls' if key == 'avail_kib' else 'grows'} "
                            f"steadily: {later}")
    return problems


def write_benchmarks(path, args, samples, problems, seconds):
    rev = subprocess.run(["git", "-C", TOP, "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = (f"## {now}: soak, xenlive {rev}\n\n"
               f"`make soak`: {args.cycles} cycles of Tiny (launch, up, ssh, save, restore, "
               f"stop or destroy), {args.parallel} at a time, in {seconds / 60:.0f} min; "
               f"counters with no guest running, every {args.every} cycles; memory in KiB. "
               f"Result: {'; '.join(problems) if problems else 'no leak'}.\n\n"
               f"{table(samples)}\n\n")
    with open(path) as f:
        text = f.read()
    head, sep, rest = text.partition("\n## ")
    with open(path, "w") as f:
        f.write(head + "\n" + section + ("## " + rest if sep else ""))


def test(args, log):
    con, ready = boot(args.firmware, args.media, args.iso, log)
    t0 = time.monotonic()
    try:
        print(f"  xenlive ready after {ready:.1f} s; {args.cycles} cycles, "
              f"{args.parallel} at a time, counters every {args.every}")
        con.install("/tmp/soak-cycle.sh", CYCLE)
        con.install("/tmp/soak-sample.sh", SAMPLE)
        samples = [(0, None, sample(con))]
        seen = kernel_signs(con).strip()
        if seen:
            print("  dom0's kernel warned while booting:\n" + seen)
        done = 0
        while done < args.cycles:
            end = min(done + args.every, args.cycles)
            rows = batch(con, done, end, args.parallel)
            up = statistics.median(r[3] for r in rows)
            samples.append((end, up, sample(con)))
            print(f"  cycles {done}-{end - 1} ok; median launch-to-up {up:.1f} s, "
                  f"save {statistics.median(r[5] for r in rows):.1f} s, "
                  f"restore {statistics.median(r[6] for r in rows):.1f} s "
                  f"({(time.monotonic() - t0) / 60:.1f} min)")
            done = end
            signs = kernel_signs(con).strip()
            if signs != seen:
                new = signs[len(seen):].strip() if signs.startswith(seen) else signs
                print(f"  dom0's kernel warned during cycles up to {end - 1}:\n{new}")
                if re.search(KERNEL_FAILS, new):
                    raise Failed(f"dom0's kernel failed during cycles up to {end - 1}: "
                                 f"{new.splitlines()[0]}")
                seen = signs
        print("\n".join("  " + l for l in table(samples).splitlines()))
        problems = judge(samples)
        if args.benchmarks:
            write_benchmarks(args.benchmarks, args, samples, problems, time.monotonic() - t0)
        if problems:
            raise Failed("; ".join(problems))
        con.poweroff()
    finally:
        con.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--firmware", choices=["bios", "uefi"], default="bios")
    p.add_argument("--media", choices=["cd", "usb"], default="cd")
    p.add_argument("--iso", default=os.path.join(TOP, "out", "xenlive.iso"))
    p.add_argument("--log")
    p.add_argument("--cycles", type=int, default=int(os.environ.get("SOAK_CYCLES", "1000")))
    p.add_argument("--every", type=int, default=50)
    p.add_argument("--parallel", type=int, default=3)
    p.add_argument("--benchmarks")
    args = p.parse_args()
    if args.cycles < 1 or args.every < 1 or args.parallel < 1:
        p.error("--cycles, --every and --parallel must be at least 1")
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    try:
        test(args, log)
    except Failed as e:
        print(f"  FAILED: {e}")
        return 1
    finally:
        if log:
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
