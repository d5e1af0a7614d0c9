#!/usr/bin/python3
"""Boots out/xenlive.iso in QEMU (TCG) and checks dom0 with plain xl.

    tests/boot/boot_test.py --firmware bios|uefi --media cd|usb [--log FILE]

Passes when the boot reaches "xenlive ready" (not degraded), `xl info`
reports the Xen series of hypervisor/version.conf, tty1 has a shell, and a tiny BusyBox PV guest started
with `xl create` prints its marker on its console (through xenconsoled's
log) and is destroyed.  Its disk, the Tiny image, makes xl run Debian's
block hotplug script under BusyBox: a loop device must come and go.
Prints the seconds from QEMU start to "xenlive ready": a figure to
report, not a threshold.
"""
import re
import sys
import time

from qemu_console import XEN_SERIES, Failed, boot, run_test

TINY = "/run/xenlive/images/tiny/rootfs.squashfs"
GUEST_CFG = f"""name = "selftest"
type = "pv"
kernel = "/usr/share/xenlive/guest/vmlinux"
ramdisk = "/usr/share/xenlive/guest/initrd.img"
memory = 128
extra = "console=hvc0 xenlive.name=selftest"
disk = [ "format=raw, vdev=xvda, access=ro, target={TINY}" ]
"""
GUEST_MARKER = "xenlive-guest up"
LOG = "/var/log/xen/console/guest-selftest.log"


def test(args, log):
    con, ready = boot(args.firmware, args.media, args.iso, log)
    try:
        print(f"  xenlive ready after {ready:.1f} s")
        info = con.check("xl info")
        v = re.search(r"xen_version\s*:\s*(\S+)", info)
        if not v or not v.group(1).startswith(XEN_SERIES + "."):
            raise Failed(f"xl info did not report Xen {XEN_SERIES}:\n{info}")
        print(f"  xl info: Xen {v.group(1)}")

        # The screen (tty1) has a root shell too, as the serial line does.
        con.check("ls -l /proc/[0-9]*/fd/0 2>/dev/null | grep -q /dev/tty1")
        print("  shells on hvc0 and tty1")

        lines = " ".join(f"'{line}'" for line in GUEST_CFG.splitlines())
        con.check(f"printf '%s\\n' {lines} > /tmp/selftest.cfg")
        con.check("xl create /tmp/selftest.cfg", timeout=120)
        loops = con.check("losetup -a")
        if TINY not in loops:
            raise Failed(f"the block hotplug script set up no loop device:\n{loops}")
        print("  block hotplug script: loop device attached")
        t0 = time.monotonic()
        out = con.wait_for_file_text(LOG, GUEST_MARKER, 180)
        print(f"  guest console: {out} ({time.monotonic() - t0:.1f} s)")
        con.check("xl destroy selftest")
        out = con.check("xl list")
        if "selftest" in out:
            raise Failed(f"the guest is still listed after xl destroy:\n{out}")
        # check(): a losetup that fails (exit status not 0, which con.sh
        # reads from its __RC= marker) fails the test, instead of its empty
        # output passing for "no loop device left".
        loops = con.check("sleep 2; losetup -a")
        if TINY in loops:
            raise Failed(f"the loop device outlived the guest:\n{loops}")
        con.poweroff()
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(run_test(test, __doc__.splitlines()[0]))
