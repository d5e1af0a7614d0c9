#!/usr/bin/python3
"""A damaged image and bad kernel options: each named in one line, boot goes on.

    tests/boot/damaged_test.py [--iso ISO] [--log FILE]

Copies the ISO, flips bytes inside the Tiny image's rootfs.squashfs (its
place found with xorriso), and boots the copy under QEMU/TCG with bad
xenlive.* options typed into GRUB's editor (BAD_OPTIONS: an unknown key,
a garbage xenlive.ui and xenlive.net, a password with a space, autostart
items with an unknown image and a bad count beside a good one).  Checks:
dom0 becomes ready, not degraded, and the TUI starts; each bad option is
named in one console line (BAD_LINES); the good autostart item still
launches debian-1 and the unknown image gets xenlive's one line; dom0
says in one line that tiny is damaged; `xenlive images` shows tiny as
damaged and Debian as ready; `xenlive launch tiny` refuses with the
reason and creates nothing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from qemu_console import Failed, boot, run_test

IMAGE = "/xenlive/images/tiny/rootfs.squashfs"
BAD_OPTIONS = (' xenlive.autostrat=tiny:2 xenlive.ui=bogus xenlive.net=garbage'
               ' xenlive.password="has a space" xenlive.autostart=nosuch:1,debian:x,debian:1')
# Each once on the console, before xenlive ready (the steps' own lines).
BAD_LINES = [
    "15-options: unknown kernel option xenlive.autostrat ignored",
    "15-options: xenlive.ui=bogus is not shell; the consoles start the TUI",
    "40-network: xenlive.net=garbage is neither nat nor bridged; using nat",
    "50-ssh: xenlive.password holds a space; using a random password instead",
    "70-autostart: xenlive.autostart item 'debian:x' is not IMAGE:COUNT",
]
# Then the autostart log: the unknown image in one line, the good item.
AUTOSTART = ["xenlive: unknown image 'nosuch' (xenlive images lists them)",
             "launched debian-1 (pv, "]


def damaged_copy(iso, dest):
    out = subprocess.run(["xorriso", "-indev", iso, "-find", IMAGE, "-exec", "report_lba", "--"],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"File data lba:\s*0\s*,\s*(\d+)\s*,", out)
    if not m:
        raise Failed(f"xorriso did not report where {IMAGE} is:\n{out}")
    shutil.copyfile(iso, dest)
    with open(dest, "r+b") as f:
        f.seek(int(m.group(1)) * 2048 + 4096)
        data = f.read(16)
        f.seek(int(m.group(1)) * 2048 + 4096)
        f.write(bytes(b ^ 0xFF for b in data))


def test(args, log):
    if not log:
        raise Failed("needs --log FILE: one check reads the whole console")
    with tempfile.TemporaryDirectory() as tmp:
        iso = os.path.join(tmp, "damaged.iso")
        damaged_copy(args.iso, iso)
        con, ready = boot(args.firmware, args.media, iso, log, grub_options=BAD_OPTIONS)
        try:
            print(f"  xenlive ready after {ready:.1f} s, not degraded, TUI drawn; typed into "
                  f"GRUB:{BAD_OPTIONS}")
            for want in BAD_LINES:
                n = con.boot_text.count(want)
                if n != 1:
                    raise Failed(f"the console said {n} times before xenlive ready: {want}")
            print(f"  each named once on the console: {'; '.join(BAD_LINES)}")
            con.sh("i=0; until grep -q debian-1 /var/log/xenlive-autostart.log; do "
                           "i=$((i + 1)); [ $i -lt 120 ] || break; sleep 1; done", 180)
            autostart = con.check("cat /var/log/xenlive-autostart.log").strip().splitlines()
            if len(autostart) != 2 or not all(a.startswith(w) for a, w in zip(autostart, AUTOSTART)):
                raise Failed(f"autostart logged: {autostart}; wanted a line each: {AUTOSTART}")
            print(f"  autostart: {' / '.join(autostart)}")
            con.check("xenlive destroy debian-1", 120)
            images = con.check("xenlive images")
            if not re.search(r"^tiny\b.*damaged on the boot medium", images, re.M):
                raise Failed(f"tiny is not shown as damaged:\n{images}")
            if not re.search(r"^debian\b.*\bready\b", images, re.M):
                raise Failed(f"debian should still be ready:\n{images}")
            print("  xenlive images: tiny damaged, debian ready")
            rc, out = con.sh("xenlive launch tiny")
            if rc != 1 or not re.fullmatch(r"xenlive: image 'tiny' is unavailable: damaged on the "
                                           r"boot medium \(SHA256 mismatch\)", out.strip()):
                raise Failed(f"launching the damaged image: exit {rc}:\n{out}")
            doms = con.check("xl list | awk 'NR > 2' | wc -l").strip()
            cfgs = con.check("ls /run/xenlive/domains | wc -l").strip()
            if doms != "0" or cfgs != "0":
                raise Failed(f"a refused launch left {doms} domains and {cfgs} configs")
            print(f"  refused: {out.strip()}")
        finally:
            con.close()
    log.flush()
    with open(args.log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    lines = [l for l in text.splitlines() if "tiny: the image on the medium is damaged" in l]
    if len(lines) != 1:
        raise Failed(f"wanted one line about the damaged image on the console, got {len(lines)}")
    print(f"  console: {lines[0].strip()}")


if __name__ == "__main__":
    sys.exit(run_test(test, __doc__.splitlines()[0]))
