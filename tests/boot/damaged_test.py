#!/usr/bin/python3
"""A damaged image on the boot medium is left out, with one clear line.

    tests/boot/damaged_test.py [--iso ISO] [--log FILE]

Copies the ISO, flips bytes inside the Tiny image's rootfs.squashfs (its
place found with xorriso), boots the copy under QEMU/TCG and checks:
dom0 says in one line that tiny is damaged and still becomes ready;
`xenlive images` shows tiny as damaged and Debian as ready; `xenlive
launch tiny` refuses with the reason and creates nothing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from qemu_console import Failed, boot, run_test

IMAGE = "/xenlive/images/tiny/rootfs.squashfs"


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
        con, ready = boot(args.firmware, args.media, iso, log)
        try:
            print(f"  xenlive ready after {ready:.1f} s")
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
