#!/usr/bin/python3
"""Callers at once, and faults: nothing leaked, names reusable.

    tests/boot/faults_test.py [--firmware F] [--media M] [--log FILE]

Boots out/xenlive.iso under QEMU/TCG (2 GiB) once and checks, with the
real `xenlive` command in dom0's shell (background jobs for "at once"):
  - 4 `xenlive launch tiny` at once give 4 distinct guests, all up;
  - 3 `xenlive save` at once, then 3 `xenlive restore` at once: each
    succeeds, or fails with its guest still running;
  - two `xenlive restore` of one save at once: one is refused, and one
    domain runs under the name;
  - `kill -9` of a guest's xl monitor (the `xl create` left per domain):
    the guest is still listed, and `xenlive stop` and `xenlive destroy`
    still work;
  - `xenlive destroy` 0.3, 2 and 5 s after a `xenlive launch` starts: no
    (null) or dying domain, loop device, vif, xenstore backend node or
    config is left, and the next launch reuses the name;
  - /run full (remounted at its usage, then filled by dd until ENOSPC):
    `xenlive launch` and `xenlive save` are each refused with one line,
    leaving no config, domain or save file.
Each scenario prints its time.  Between scenarios every guest is
destroyed and the state is checked clean.
"""
import re
import sys
import time

from qemu_console import Failed, boot, run_test

LOGDIR = "/var/log/xen/console"
MARKER = "xenlive-guest up"
DOMAINS = "/run/xenlive/domains"
SAVES = "/run/xenlive/saves"

# The dom0 side, installed as /tmp/ft, so that the lines typed while
# guests boot are short (typed input can lose characters when dom0 is
# busy).
HELPER = r"""#!/bin/sh
# ft counters | ft up NAME | ft each CMD ARG... | ft same N CMD | ft mon NAME
# | ft dwb DELAY | ft clean
counters() {
    echo "doms $(xl list | awk 'NR > 2' | wc -l)"
    echo "nulls $(xl list | grep -c -e '(null)' -e '--d' -e '-d-')"
    echo "cfgs $(find /run/xenlive/domains -type f 2> /dev/null | wc -l)"
    echo "loops $(losetup -a | wc -l)"
    echo "vifs $(ip -o link | grep -c ' vif')"
    echo "backends $(xenstore-ls /local/domain/0/backend 2> /dev/null | grep -c '^ [^ ]')"
    echo "saves $(find /run/xenlive/saves -type f 2> /dev/null | wc -l)"
    echo "xl $(xlprocs | wc -l)"
}
xlprocs() {
    for p in /proc/[0-9]*; do
        # A process gone meanwhile: no message (the 2> outside the <).
        c=$( (tr '\0' ' ' < "$p/cmdline") 2> /dev/null)
        # execvp keeps argv[0] "xl"; a path or options are allowed too.
        case $c in "xl "* | */xl" "*) echo "${p#/proc/} $c" ;; esac
    done
}
# Each job's output to /tmp/jobI.out, then "jobI rc=N" for each.
finish() {
    i=0
    for p in $pids; do
        wait "$p"
        echo "job$i rc=$?"
        i=$((i + 1))
    done
}
case $1 in
counters) counters ;;
up)
    i=0
    until grep -q 'xenlive-guest up' "/var/log/xen/console/guest-$2.log" 2> /dev/null; do
        i=$((i + 1))
        [ $i -gt 300 ] && exit 1
        sleep 1
    done ;;
each)
    cmd=$2; shift 2; i=0; pids=
    for a in "$@"; do
        # shellcheck disable=SC2086 # CMD is words
        $cmd "$a" > "/tmp/job$i.out" 2>&1 &
        pids="$pids $!"; i=$((i + 1))
    done
    finish ;;
same)
    n=$2; shift 2; i=0; pids=
    while [ $i -lt "$n" ]; do
        "$@" > "/tmp/job$i.out" 2>&1 &
        pids="$pids $!"; i=$((i + 1))
    done
    finish ;;
# xenlive starts its monitors as `xl create DOMAINS/NAME.cfg` (launch) and
# `xl restore SAVES/NAME.save` (restore); musl's basic regexes have no
# alternation, so one -e each.  Only a monitor, not an xl save or destroy.
mon)
    xlprocs | grep -e " create .*/$2\\.cfg " -e " restore .*/$2\\.save " | head -n 1 ;;
dwb)
    xenlive launch tiny > /tmp/job0.out 2>&1 &
    pids=$!
    sleep "$2"
    xenlive destroy tiny-1 > /tmp/job1.out 2>&1 &
    pids="$pids $!"
    finish ;;
clean)
    for n in $(xl list | awk 'NR > 2 { print $1 }'); do xenlive destroy "$n"; done ;;
*) echo "ft: unknown $1" >&2; exit 2 ;;
esac
"""


def guests(con):
    """The domains but dom0, as xl list names them."""
    return con.check("xl list | awk 'NR > 2 { print $1 }'").split()


def counters(con):
    """What a gone guest may leave behind, each as a number."""
    out = con.check("/tmp/ft counters")
    keys = ("doms", "nulls", "cfgs", "loops", "vifs", "backends", "saves", "xl")
    # Only the counter lines: a kernel message may land among them.
    found = dict(m.groups() for m in re.finditer(rf"(?m)^({'|'.join(keys)}) (\d+)$", out))
    if set(found) != set(keys):
        raise Failed(f"/tmp/ft counters printed:\n{out}")
    return {k: int(v) for k, v in found.items()}


def wait_clean(con, seconds=60):
    """Waits until no guest leaves anything behind; returns the seconds."""
    t0 = time.monotonic()
    while True:
        c = counters(con)
        if not any(c.values()):
            return time.monotonic() - t0
        if time.monotonic() - t0 > seconds:
            detail = con.check("xl list; losetup -a; ip -o link | grep vif; "
                               f"xenstore-ls /local/domain/0/backend; ls {DOMAINS} {SAVES}; true")
            raise Failed(f"left behind after {seconds} s: {c}\n{detail}")
        time.sleep(2)


def destroy_all(con):
    con.sh("/tmp/ft clean", 300)
    return wait_clean(con)


def jobs(con, command, n, timeout=900):
    """Runs `/tmp/ft COMMAND` (each or same: N jobs at once); returns a
    list of (exit code, output) in their order."""
    out = con.check(f"/tmp/ft {command}", timeout)
    results = []
    for i in range(n):
        m = re.search(rf"job{i} rc=(\d+)", out)
        if not m:
            raise Failed(f"no exit code for job {i} of `{command}`:\n{out}")
        text = con.check(f"cat /tmp/job{i}.out")
        results.append((int(m.group(1)), text.strip()))
    return results


def one_line(rc, text, what):
    lines = [l for l in text.splitlines() if l.strip()]
    if rc == 0 or len(lines) != 1 or not lines[0].startswith("xenlive: "):
        raise Failed(f"{what}: wanted one error line and a non-zero exit, got {rc}:\n{text}")
    return lines[0]


def wait_up(con, names):
    for name in names:
        rc, _ = con.sh(f"/tmp/ft up {name}", 700)
        if rc != 0:
            _, tail = con.sh(f"tail -n 15 {LOGDIR}/guest-{name}.log")
            raise Failed(f"no '{MARKER}' for {name} in 300 s; its console log ends:\n{tail}")


def launches_at_once(con):
    t0 = time.monotonic()
    results = jobs(con, "same 4 xenlive launch tiny", 4)
    names = []
    for rc, out in results:
        m = re.match(r"launched (\S+)", out)
        if rc != 0 and "block add because of timeout" in out:
            # A slow host (TCG, loaded): libxl's 40 s limit on the block
            # hotplug script.  The failed launch must leave nothing; then
            # launch again, one at a time.
            name = re.match(r"xenlive: (\S+):", out).group(1)
            if name in guests(con) or con.sh(f"test -e {DOMAINS}/{name}.cfg")[0] == 0:
                raise Failed(f"a launch that timed out left {name} behind:\n{out}")
            print(f"  note: {out} (nothing left; launched again)")
            rc, out = con.sh("xenlive launch tiny", 600)
            m = re.match(r"launched (\S+)", out)
        if rc != 0 or not m:
            raise Failed(f"a launch of 4 at once exited {rc}:\n{out}")
        names.append(m.group(1))
    if len(set(names)) != 4 or sorted(guests(con)) != sorted(names):
        raise Failed(f"4 launches at once gave {names}; xl list has {guests(con)}")
    wait_up(con, names)
    print(f"  4 launches at once: {' '.join(sorted(names))}, all up in "
          f"{time.monotonic() - t0:.1f} s")
    return sorted(names)


def saves_restores_at_once(con, names):
    t0 = time.monotonic()
    saved = []
    for name, (rc, out) in zip(names, jobs(con, "each 'xenlive save' " + " ".join(names), len(names))):
        if rc == 0:
            saved.append(name)
        elif name not in guests(con):
            raise Failed(f"save {name} failed and {name} does not run:\n{out}")
        else:
            print(f"  save {name} refused, still running: {out}")
    t1 = time.monotonic()
    if any(n in guests(con) for n in saved):
        raise Failed(f"a saved guest still runs: {guests(con)}")
    for name, (rc, out) in zip(saved, jobs(con, "each 'xenlive restore' " + " ".join(saved),
                                                    len(saved))):
        if rc != 0:
            _, why = con.sh(f"tail -n 20 /var/log/xen/xl-{name}.log; xl list; xl info | "
                            "grep free_memory; df -k /run")
            raise Failed(f"restore {name} (of 3 at once) exited {rc}:\n{out}\n{why}")
    if not set(names) <= set(guests(con)):
        raise Failed(f"after the restores xl list has {guests(con)}, wanted {names} among them")
    if con.check(f"ls {SAVES}").strip():
        raise Failed("save files left after the restores")
    print(f"  {len(saved)} saves at once in {t1 - t0:.1f} s, {len(saved)} restores at once "
          f"in {time.monotonic() - t1:.1f} s")


def double_restore(con, name):
    con.check(f"xenlive save {name}", 300)
    t0 = time.monotonic()
    results = jobs(con, f"same 2 xenlive restore {name}", 2)
    codes = sorted(rc for rc, _ in results)
    if codes[0] != 0 or codes[1] == 0:
        raise Failed(f"two restores of {name} at once: {results}")
    refused = one_line(*[r for r in results if r[0] != 0][0], "the second restore")
    running = guests(con).count(name)
    if running != 1:
        raise Failed(f"{running} domains named {name} after two restores")
    print(f"  two restores of {name} at once ({time.monotonic() - t0:.1f} s): one ran, "
          f"the other: {refused}")


def monitor_pid(con, name):
    """The pid of NAME's xl monitor: an xl process whose command line names
    NAME's config (xl create) or NAME's save (xl restore)."""
    out = con.check(f"/tmp/ft mon {name}")
    # Only the "PID xl ..." line: a kernel message may land around it.
    m = re.search(r"(?m)^(\d+) (\S*xl .*)$", out)
    if not m:
        raise Failed(f"no xl monitor for {name}:\n{out}\n{con.check('ps')}")
    return int(m.group(1)), m.group(2).strip()


def kill_monitor(con, names):
    for name, op in zip(names, ("stop", "destroy")):
        t0 = time.monotonic()
        pid, cmd = monitor_pid(con, name)
        con.check(f"kill -9 {pid}")
        time.sleep(1)
        if con.sh(f"kill -0 {pid}")[0] == 0:
            raise Failed(f"xl monitor {pid} of {name} survived kill -9")
        if not re.search(rf"(?m)^\s*\d+\s+{re.escape(name)}\s", con.check("xenlive list")):
            raise Failed(f"xenlive list lost {name} after its monitor was killed")
        rc, out = con.sh(f"xenlive {op} {name}", 180)
        if rc != 0:
            raise Failed(f"xenlive {op} {name} without its monitor exited {rc}:\n{out}")
        if name in guests(con) or con.sh(f"test -e {DOMAINS}/{name}.cfg")[0] == 0:
            raise Failed(f"{name} or its config is left after {op} without a monitor")
        print(f"  kill -9 of {name}'s monitor ({cmd}): listed; `xenlive {op}` ok in "
              f"{time.monotonic() - t0:.1f} s")


def destroy_while_booting(con, delay):
    t0 = time.monotonic()
    res = jobs(con, f"dwb {delay}", 2)
    (lrc, lout), (drc, dout) = res
    if drc != 0:
        # The destroy came before the launch took the name: not an error,
        # but then the guest runs; destroy it now.
        print(f"    destroy at {delay} s: {dout}; destroying after the launch")
        con.check("xenlive destroy tiny-1", 120)
    settle = wait_clean(con)
    rc, out = con.sh("xenlive launch tiny", 300)
    if rc != 0 or not out.startswith("launched tiny-1"):
        raise Failed(f"after destroy at {delay} s the next launch: {rc}:\n{out}")
    wait_up(con, ["tiny-1"])
    con.check("xenlive destroy tiny-1", 120)
    wait_clean(con)
    print(f"  destroy at {delay} s into a launch (launch exit {lrc}: "
          f"{lout.splitlines()[-1] if lout else ''}): clean {settle:.1f} s after; "
          f"tiny-1 reused ({time.monotonic() - t0:.1f} s)")


def run_full(con):
    t0 = time.monotonic()
    con.check("xenlive launch tiny", 300)
    wait_up(con, ["tiny-1"])
    before = counters(con)
    size = con.check("df -k /run | awk 'NR == 2 { print $2 }'").strip()
    con.check("used=$(df -k /run | awk 'NR == 2 { print $3 }'); "
              "mount -o remount,size=$((used + 1024))k /run")
    rc, out = con.sh("dd if=/dev/zero of=/run/fill bs=64k 2>&1; "
                     "head -c 4096 /dev/zero >> /run/fill 2>&1", 120)
    try:
        free = con.check("df -k /run | awk 'NR == 2 { print $4 }'").strip()
        if "No space left" not in out or free != "0":
            raise Failed(f"/run did not fill ({free} KiB free):\n{out}")
        rc, out = con.sh("xenlive launch tiny", 300)
        launch_line = one_line(rc, out, "launch with /run full")
        rc, out = con.sh("xenlive save tiny-1", 300)
        save_line = one_line(rc, out, "save with /run full")
        after = counters(con)
        if after != before or guests(con) != ["tiny-1"]:
            raise Failed(f"/run full: before {before}, after {after}")
        left = con.check(f"ls -a {DOMAINS} {SAVES} 2>/dev/null; true")
        if ".part" in left or ".tmp" in left or "tiny-2" in left:
            raise Failed(f"/run full: half-written files:\n{left}")
    finally:
        con.check(f"rm -f /run/fill; mount -o remount,size={size}k /run")
    print(f"  /run full: launch refused: {launch_line}")
    print(f"  /run full: save refused: {save_line}")
    con.check("xenlive save tiny-1 && xenlive restore tiny-1", 300)
    destroy_all(con)
    print(f"  /run freed: save and restore work again ({time.monotonic() - t0:.1f} s)")


def test(args, log):
    con, ready = boot(args.firmware, args.media, args.iso, log)
    try:
        print(f"  xenlive ready after {ready:.1f} s")
        con.install("/tmp/ft", HELPER)
        wait_clean(con)
        names = launches_at_once(con)
        saves_restores_at_once(con, names[:3])
        double_restore(con, names[3])
        kill_monitor(con, names[:2])
        print(f"  clean after destroying the rest in {destroy_all(con):.1f} s")
        for delay in (0.3, 2, 5):
            destroy_while_booting(con, delay)
        run_full(con)
        con.poweroff()
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(run_test(test, __doc__.splitlines()[0]))
