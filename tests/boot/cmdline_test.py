#!/usr/bin/python3
"""The xenlive.* kernel options, typed into GRUB's editor as a person would.

    tests/boot/cmdline_test.py [--log FILE]

At the GRUB menu (on the serial line) presses e, goes to the dom0 kernel
line, appends
    xenlive.ui=shell xenlive.autostart=tiny:2 xenlive.net=bridged
    xenlive.password=PASSWORD xenlive.sshkey="ssh-ed25519 KEY test"
and boots with Ctrl-X.  Then:
  - the serial console gives a root shell without the TUI;
  - tiny-1 and tiny-2 come up on their own, on the LAN (QEMU's DHCP server
    gives them 10.0.2.x addresses), and tiny-1 cannot reach dom0's SSH;
  - over SSH (QEMU forwards a port of this host to dom0's 22), the given
    password works and the test's own key works without one;
  - the scriptable lifecycle: `xenlive list` (image, type), `stop`, `save`
    to RAM and `restore`, and an unknown name;
  - with dom0's memory filled to 20 MiB available, a launch grows dom0
    and its guest comes up; with dom0 pinned (xl mem-set), a launch is
    refused and creates nothing.
"""
import os
import re
import subprocess
import sys
import tempfile

import pexpect

from net_test import SSH_OPTS, free_port, host_ssh
from qemu_console import PROMPT, TOP, Console, Failed, grub_append, run_test

PASSWORD = "classroom-42"


def key_pair(folder):
    """A fresh ed25519 key pair; returns (private key file, public line)."""
    key = os.path.join(folder, "id_ed25519")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key],
                   check=True)
    with open(key + ".pub") as f:
        return key, f.read().strip()


def check_bridged(con):
    """tiny-1 has a LAN address from QEMU's DHCP server; it cannot open
    dom0's SSH port."""
    line = con.wait_for_file_text("/var/log/xen/console/guest-tiny-1.log",
                                  "xenlive-guest address", 60)
    m = re.search(r"xenlive-guest address: \S+ (10\.0\.2\.\d+)/", line)
    if not m:
        raise Failed(f"tiny-1 has no LAN address: {line}")
    if "eth0" not in con.check("brctl show xenbr0"):
        raise Failed("eth0 is not a port of xenbr0")
    print(f"  xenlive.net=bridged: tiny-1 is {m.group(1)} on the LAN; eth0 is a port of xenbr0")
    dom0 = con.check("ip -4 addr show dev xenbr0 | awk '/inet / {sub(/\\/.*/, \"\", $2); print $2}'")
    rc, out = con.sh(f"dbclient -y -y root@{m.group(1)} timeout 10 nc {dom0.strip()} 22 </dev/null",
                     timeout=120)
    if rc == 0 or "refused" not in out.lower():
        raise Failed(f"tiny-1 reached dom0's SSH in bridged mode (exit {rc}):\n{out}")
    print("  bridged: tiny-1 -> dom0 port 22 refused")


def check_logins(port, key):
    rc, out = host_ssh(port, PASSWORD, "xl list")
    if rc != 0 or "Domain-0" not in out:
        raise Failed(f"xenlive.password did not let ssh in (exit {rc}):\n{out}")
    p = subprocess.run(["ssh", *SSH_OPTS, "-o", "BatchMode=yes", "-i", key, "-p", str(port),
                        "root@127.0.0.1", "echo key-ok"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0 or "key-ok" not in p.stdout:
        raise Failed(f"xenlive.sshkey did not let the key in (exit {p.returncode}):\n"
                     f"{p.stdout}{p.stderr}")
    print("  ssh: xenlive.password and xenlive.sshkey both let root in")


def dom0_mib(con):
    """Dom0's memory as Xen counts it (xl list), MiB."""
    return int(con.check("xl list Domain-0 | awk 'NR == 2 { print $3 }'"))


def fill_dom0(con, left):
    """Fills dom0's memory with a tmpfs file (/mnt/fill, mounted by the
    caller) until LEFT MiB are available; returns what was available."""
    avail = int(con.check("awk '/^MemAvailable/ {print int($2 / 1024)}' /proc/meminfo"))
    con.check(f"dd if=/dev/zero of=/mnt/fill/f{avail} bs=1M count={avail - left} 2>/dev/null",
              120)
    return avail


def check_dom0_grows(con):
    """With dom0's available memory taken by a tmpfs file down to 20 MiB, a
    launch grows dom0 (its balloon target, up to dom0_mem's max:) and the
    guest comes up.  With dom0 pinned at its size (xl mem-set, which also
    sets Xen's max for it), the same is refused (exit 3, one line) and
    creates nothing."""
    before = dom0_mib(con)
    con.check("mkdir -p /mnt/fill && mount -t tmpfs -o size=100% fill /mnt/fill")
    try:
        avail = fill_dom0(con, 20)
        rc, out = con.sh("xenlive launch tiny", 300)
        grown = dom0_mib(con)
        m = re.search(r"launched (tiny-\d+)", out)
        if rc != 0 or not m:
            raise Failed(f"a launch with dom0 at 20 MiB available: exit {rc}:\n{out}")
        if grown < before + 15:
            raise Failed(f"a launch with dom0 at 20 MiB available: dom0 has {grown} MiB, "
                         f"was {before}; it did not grow")
        con.wait_for_file_text(f"/var/log/xen/console/guest-{m.group(1)}.log",
                               "xenlive-guest up", 300)
        print(f"  dom0 grows: with {avail} MiB of dom0 filled to 20, {m.group(1)} launched "
              f"and up; dom0 {before} -> {grown} MiB")
        # Pinned: Xen's max for dom0 becomes its size (xl mem-set enforces).
        con.check(f"xl mem-set Domain-0 {grown}m")
        now = con.check("xl list | awk 'NR > 1 {print $1}'; ls /run/xenlive/domains")
        avail = fill_dom0(con, 20)
        rc, out = con.sh("xenlive launch tiny")
    finally:
        con.check("umount /mnt/fill")
    m = re.fullmatch(r"xenlive: dom0 is short of memory for tiny-\d+: (\d+) MiB available, "
                     r"a guest takes (\d+) and dom0 keeps (\d+), and dom0 is at its most, "
                     r"\d+ MiB \(dom0_mem's max: on Xen's command line\)", out.strip())
    if rc != 3 or not m or int(m.group(1)) >= int(m.group(2)) + int(m.group(3)):
        raise Failed(f"a launch with dom0 pinned and at 20 MiB available: exit {rc}:\n{out}")
    if con.check("xl list | awk 'NR > 1 {print $1}'; ls /run/xenlive/domains") != now:
        raise Failed("a launch refused for dom0's memory left a domain or a config")
    print(f"  dom0 reserve: pinned, with {avail} MiB of dom0 filled to 20: {out.strip()}")


def test(args, log):
    env = dict(os.environ, XENLIVE_ACCEL="tcg")
    port = free_port()
    key, public = key_pair(tempfile.mkdtemp())
    options = (f" xenlive.ui=shell xenlive.autostart=tiny:2 xenlive.net=bridged"
               f" xenlive.password={PASSWORD} xenlive.sshkey=\"{public}\"")
    child = pexpect.spawn(os.path.join(TOP, "iso", "run-qemu.sh"),
                          ["--firmware", args.firmware, "--media", args.media, "--iso", args.iso,
                           "--ssh-port", str(port)],
                          env=env, encoding="utf-8", codec_errors="replace", logfile=log, timeout=60)
    con = Console(child)
    try:
        grub_append(con, options)
        m = con.expect(re.compile(r"xenlive ready([^\r\n]*)\r*\n"), 400, '"xenlive ready"')
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
        check_bridged(con)
        check_logins(port, key)

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
        check_dom0_grows(con)
        rc, out = con.sh("xenlive stop no-such-guest")
        if rc != 1 or out.strip() != "xenlive: no domain named no-such-guest":
            raise Failed(f"stop of an unknown guest: exit {rc}: {out}")
        con.poweroff()
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(run_test(test, __doc__.splitlines()[0]))
