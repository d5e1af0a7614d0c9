#!/usr/bin/python3
"""The least memory each image boots and works in: what image.conf's
MIN_MEMORY_MIB is set from.

    tests/bench/floor.py [--iso ISO] [--log FILE] IMAGE:MIB,MIB,... ...

e.g.  tests/bench/floor.py tiny:16,20,24,28 debian:64,80,96,112

Boots the ISO once (QEMU/TCG, 2 GiB) and, for each image and size in the
order given, launches one guest with `xenlive launch IMAGE -m MIB`; the
guest works when its up marker reaches the console log, `ssh NAME true`
answers from dom0, and its MemAvailable (over SSH) is printed.  Each
guest is destroyed before the next.  The image.conf being measured must
allow the sizes (MIN_MEMORY_MIB at or below the smallest).  Prints one
line per try and, per image, the least size that worked.  Figures, not
checks: the exit status is 0 unless the boot itself fails.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "boot"))
from qemu_console import TOP, Failed, boot  # noqa: E402

LOGDIR = "/var/log/xen/console"
MARKER = "xenlive-guest up"


def one(con, image, mib, timeout):
    """(works, what happened) for one guest of IMAGE in MIB."""
    rc, out = con.sh(f"xenlive launch {image} -m {mib}", 300)
    m = re.search(rf"launched ({image}-\d+)", out)
    if rc != 0 or not m:
        return False, f"launch refused: {out.strip().splitlines()[-1] if out.strip() else rc}"
    name = m.group(1)
    t0 = time.monotonic()
    try:
        # (break, not exit: this runs in dom0's login shell)
        out = con.check(f"r=up i=0; until grep -q '{MARKER}' {LOGDIR}/guest-{name}.log; do "
                        f"i=$((i+1)); [ $i -gt {timeout} ] && {{ r=late; break; }}; "
                        f"xl list {name} >/dev/null 2>&1 || {{ r=gone; break; }}; sleep 1; done; "
                        f"echo $r", timeout * 3 + 60)
        if out.strip().splitlines()[-1] != "up":
            tail = con.check(f"tail -n 3 {LOGDIR}/guest-{name}.log | tr -d '\\r'")
            return False, out.strip().splitlines()[-1] + f" after {time.monotonic() - t0:.0f} s: " \
                + tail.strip().replace("\n", " | ")[-200:]
        up = time.monotonic() - t0
        rc, out = con.sh(f"ssh {name} grep MemAvailable /proc/meminfo", 120)
        if rc != 0:
            return False, f"up after {up:.0f} s, ssh failed: {out.strip()[-120:]}"
        avail = re.search(r"MemAvailable:\s*(\d+)", out)
        return True, f"up after {up:.0f} s, ssh answers, MemAvailable {int(avail.group(1)) // 1024} MiB"
    finally:
        con.sh(f"xenlive destroy {name}", 120)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iso", default=os.path.join(TOP, "out", "xenlive.iso"))
    p.add_argument("--log")
    p.add_argument("--timeout", type=int, default=300, help="seconds to wait for the up marker")
    p.add_argument("tries", nargs="+", help="IMAGE:MIB,MIB,...")
    args = p.parse_args()
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    con, ready = boot("bios", "cd", args.iso, log)
    try:
        print(f"xenlive ready after {ready:.1f} s")
        for spec in args.tries:
            image, sizes = spec.split(":")
            least = None
            for mib in (int(s) for s in sizes.split(",")):
                works, what = one(con, image, mib, args.timeout)
                print(f"  {image} in {mib} MiB: {'works' if works else 'FAILS'}: {what}", flush=True)
                if works and least is None:
                    least = mib
            print(f"{image}: least size that worked: {least if least else 'none'} MiB", flush=True)
        con.poweroff()
    except Failed as e:
        print(f"FAILED: {e}")
        return 1
    finally:
        con.close()
        if log:
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
