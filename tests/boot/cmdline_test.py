#!/usr/bin/python3
"""The xenlive.* kernel options, typed into GRUB's editor as a person would.

    tests/boot/cmdline_test.py [--log FILE]

At the GRUB menu (on the serial line) presses e, goes to the dom0 kernel
line, appends `xenlive.ui=shell xenlive.autostart=tiny:2` and boots with
Ctrl-X.  Then the serial console must give a root shell without the TUI,
and tiny-1 and tiny-2 must come up on their own.  On them it checks the
scriptable lifecycle: `xenlive list` (image, type), `stop`, `save` to RAM
and `restore`, and an unknown name.
"""
import os
import re
import sys
import time

import pexpect

from qemu_console import PROMPT, TOP, Console, Failed, run_test

OPTIONS = " xenlive.ui=shell xenlive.autostart=tiny:2"


def test(args, log):
    env = dict(os.environ, XENLIVE_ACCEL="tcg")
    child = pexpect.spawn(os.path.join(TOP, "iso", "run-qemu.sh"),
                          ["--firmware", args.firmware, "--media", args.media, "--iso", args.iso],
                          env=env, encoding="utf-8", codec_errors="replace", logfile=log, timeout=60)
    con = Console(child)
    try:
        con.expect("automatically in", 120, "the GRUB menu")
        child.send("e")
        con.expect("multiboot2", 30, "GRUB's editor")
        time.sleep(1)
        # The entry: echo, multiboot2, module2 vmlinuz, module2 initrd.
        # GRUB's editor keys (Emacs-like); escape sequences for the arrow
        # keys reach it over serial as text.  Ctrl-N moves by screen line
        # and Xen's long line wraps, so: to the last line (the initrd),
        # then one up to the dom0 kernel's line, which does not wrap.
        for key in "\x0e" * 5 + "\x10" + "\x05":   # Ctrl-N x5, Ctrl-P, Ctrl-E
            child.send(key)
            time.sleep(1.5)
        time.sleep(0.5)
        # GRUB redraws the line for every key over serial: one at a time.
        for ch in OPTIONS:
            child.send(ch)
            time.sleep(0.15)
        time.sleep(1)
        child.send("\x18")                   # Ctrl-X: boot
        m = con.expect(re.compile(r"xenlive ready([^\r\n]*)"), 400, '"xenlive ready"')
        if "degraded" in m.group(1):
            raise Failed(f"dom0 start-up failed: xenlive ready{m.group(1)}")
        con.send("")
        con.expect(PROMPT, 60, "a root shell without the TUI (xenlive.ui=shell)")
        cmdline = con.check("cat /proc/cmdline")
        if "xenlive.autostart=tiny:2" not in cmdline:
            raise Failed(f"the option did not reach the kernel: {cmdline}")
        print(f"  dom0 command line: {cmdline.strip()}")
        if "NO-TUI" not in con.check("ps w | grep '[x]enlive ui' || echo NO-TUI"):
            raise Failed("the TUI runs although xenlive.ui=shell")
        print("  xenlive.ui=shell: root shell, no TUI")
        for name in ("tiny-1", "tiny-2"):
            line = con.wait_for_file_text(f"/var/log/xen/console/guest-{name}.log",
                                          "xenlive-guest up", 300)
            print(f"  autostart: {line}")

        # The scriptable lifecycle on those two guests.
        lst = con.check("xenlive list")
        if not re.search(r"(?m)^\s*\d+\s+tiny-1\s+tiny\s+pv\b", lst):
            raise Failed(f"xenlive list does not show tiny-1 as a pv tiny guest:\n{lst}")
        out = con.check("xenlive stop tiny-2", timeout=180)
        if "stopped tiny-2" not in out or "tiny-2" in con.check("xl list"):
            raise Failed(f"xenlive stop tiny-2: {out}")
        print("  stop: tiny-2 shut down, its config removed")
        out = con.check("xenlive save tiny-1", timeout=300)
        if "tiny-1" in con.check("xl list") or "tiny-1.save" not in con.check("ls /run/xenlive/saves"):
            raise Failed(f"xenlive save tiny-1: {out}")
        print(f"  save: {out.strip()}")
        out = con.check("xenlive restore tiny-1", timeout=300)
        if "tiny-1" not in con.check("xl list") or con.check("ls /run/xenlive/saves").strip():
            raise Failed(f"xenlive restore tiny-1: {out}")
        print(f"  restore: {out.strip()}; the save file is gone")
        rc, out = con.sh("xenlive stop no-such-guest")
        if rc != 1 or out.strip() != "xenlive: no domain named no-such-guest":
            raise Failed(f"stop of an unknown guest: exit {rc}: {out}")
        con.poweroff()
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(run_test(test, __doc__.splitlines()[0]))
