#!/usr/bin/python3
"""Boots out/xenlive.iso in QEMU (TCG) and drives dom0's serial console.

    tests/boot/boot_test.py --firmware bios|uefi --media cd|usb [--log FILE]

Passes when the boot reaches "xenlive ready" (not degraded), `xl info`
reports Xen 4.17, tty1 has a shell, and a tiny BusyBox PV guest started
with `xl create` (with a read-only disk, so that Debian's block hotplug
script runs) prints its marker on its console (through xenconsoled's log)
and is destroyed, its loop device with it.  Prints the seconds from QEMU start to "xenlive ready": a figure
to report, not a threshold.
"""
import argparse
import os
import re
import sys
import time

import pexpect

sys.stdout.reconfigure(line_buffering=True)

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = "xenlive:~# "
GUEST_CFG = """name = "selftest"
type = "pv"
kernel = "/usr/share/xenlive/guest/vmlinux"
ramdisk = "/usr/share/xenlive/images/tiny/initrd.img"
memory = 128
extra = "console=hvc0"
disk = [ "format=raw, vdev=xvda, access=ro, target=/tmp/selftest.img" ]
"""
GUEST_MARKER = "xenlive-tiny: up"


class Failed(Exception):
    pass


class Console:
    def __init__(self, child):
        self.child = child

    def expect(self, pattern, timeout, what):
        try:
            self.child.expect(pattern, timeout=timeout)
        except pexpect.TIMEOUT:
            raise Failed(f"timed out after {timeout}s waiting for {what}")
        except pexpect.EOF:
            raise Failed(f"QEMU exited while waiting for {what}")
        return self.child.match

    def send(self, line):
        """Types a line.  Xen's serial input drops characters that arrive
        faster than dom0 reads them, so type in short bursts."""
        line += "\r"
        for i in range(0, len(line), 16):
            self.child.send(line[i:i + 16])
            time.sleep(0.05)

    def sh(self, command, timeout=60):
        """Runs a shell command; returns (exit code, output).  The markers
        are printed with printf so that the echoed command line, which the
        terminal may wrap anywhere, never matches them."""
        self.send(f"printf '__%s__\\n' OUT; {command}; echo \"__RC=$?__\"")
        self.expect("__OUT__", timeout, f"`{command}`")
        m = self.expect(re.compile(r"__RC=(\d+)__"), timeout, f"`{command}`")
        output = self.child.before
        self.expect(PROMPT, 10, "the prompt")
        return int(m.group(1)), output.replace("\r", "").strip("\n")

    def check(self, command, timeout=60):
        rc, out = self.sh(command, timeout)
        if rc != 0:
            raise Failed(f"`{command}` exited {rc}:\n{out}")
        return out


def boot(args):
    env = dict(os.environ, XENLIVE_ACCEL="tcg")
    cmd = [os.path.join(TOP, "iso", "run-qemu.sh"), "--firmware", args.firmware,
           "--media", args.media, "--iso", args.iso, "--mem", "2048"]
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    start = time.monotonic()
    child = pexpect.spawn(cmd[0], cmd[1:], env=env, encoding="utf-8",
                          codec_errors="replace", logfile=log, timeout=60)
    con = Console(child)
    try:
        m = con.expect(re.compile(r"xenlive ready([^\r\n]*)"), 300, '"xenlive ready"')
        ready = time.monotonic() - start
        if "degraded" in m.group(1):
            raise Failed(f"dom0 start-up failed: xenlive ready{m.group(1)}")
        print(f"  xenlive ready after {ready:.1f} s")
        con.send("")
        con.expect(PROMPT, 30, "a root shell on the serial console")

        info = con.check("xl info")
        v = re.search(r"xen_version\s*:\s*(\S+)", info)
        if not v or not v.group(1).startswith("4.17."):
            raise Failed(f"xl info did not report Xen 4.17:\n{info}")
        print(f"  xl info: Xen {v.group(1)}")

        lines = " ".join(f"'{line}'" for line in GUEST_CFG.splitlines())
        # The screen (tty1) has a root shell too, as the serial line does.
        con.check("ls -l /proc/[0-9]*/fd/0 2>/dev/null | grep -q /dev/tty1")
        print("  shells on hvc0 and tty1")

        con.check(f"printf '%s\\n' {lines} > /tmp/selftest.cfg")
        # The disk makes xl run Debian's block hotplug script (bash, flock,
        # losetup) under BusyBox: it must set up a loop device.
        con.check("dd if=/dev/zero of=/tmp/selftest.img bs=1M count=4 2>/dev/null")
        con.check("xl create /tmp/selftest.cfg", timeout=120)
        loops = con.check("losetup -a")
        if "/tmp/selftest.img" not in loops:
            raise Failed(f"the block hotplug script set up no loop device:\n{loops}")
        print("  block hotplug script: loop device attached")
        t0 = time.monotonic()
        log_file = "/var/log/xen/console/guest-selftest.log"
        rc, out = con.sh(f"i=0; until grep -q '{GUEST_MARKER}' {log_file} 2>/dev/null; do "
                         f"i=$((i+1)); [ $i -gt 180 ] && break; sleep 1; done; "
                         f"grep '{GUEST_MARKER}' {log_file}", timeout=240)
        if rc != 0:
            _, tail = con.sh(f"tail -n 20 {log_file}; xl list")
            raise Failed(f"the guest never printed '{GUEST_MARKER}':\n{tail}")
        print(f"  guest console: {out.strip()} ({time.monotonic() - t0:.1f} s)")
        con.check("xl destroy selftest")
        out = con.check("xl list")
        if "selftest" in out:
            raise Failed(f"the guest is still listed after xl destroy:\n{out}")
        rc, loops = con.sh("sleep 2; losetup -a")
        if "/tmp/selftest.img" in loops:
            raise Failed(f"the loop device outlived the guest:\n{loops}")
        con.send("poweroff")
        con.expect(pexpect.EOF, 60, "QEMU to exit after poweroff")
    finally:
        if child.isalive():
            child.terminate(force=True)
        if log:
            log.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--firmware", choices=["bios", "uefi"], required=True)
    p.add_argument("--media", choices=["cd", "usb"], required=True)
    p.add_argument("--iso", default=os.path.join(TOP, "out", "xenlive.iso"))
    p.add_argument("--log", help="write the whole console here")
    args = p.parse_args()
    try:
        boot(args)
    except Failed as e:
        print(f"  FAILED: {e}")
        if args.log:
            print(f"  console log: {args.log}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
