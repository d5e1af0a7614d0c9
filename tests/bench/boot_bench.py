"""Boot: seconds from QEMU's start to `xenlive ready` and to the TUI, in
phases, beside a reference: the same Xen, dom0 kernel and GRUB menu with
a BusyBox init that prints one line and powers off.  The ratio says what
our dom0 userland costs.  Also dom0's memory in use once booted.

Phases, each ending when its line reaches the serial console (host clock):
  firmware + GRUB  Xen's first line (includes GRUB's 5 s menu timeout)
  Xen              Xen's last boot line, "Freed N kB init memory", after
                   which it starts dom0.  (The dom0 kernel's own first line
                   comes seconds later: the kernel keeps its log until hvc0
                   registers, then prints it all at once.)
  dom0 kernel      the kernel's "Run /init as init process"
  dom0 userland    "xenlive ready" (the reference: its init's line)
  TUI              the TUI's header drawn on the serial console
"""
import os
import shutil
import stat
import subprocess

import pexpect

from machine import TOP, TUI_HEADER, Console, Timeline, dom0, machine

XEN_FIRST = r"\(XEN\) "
XEN_LAST = r"\(XEN\) \[[ \d.]+\] Freed \d+kB init memory"
INIT = r"Run /init as init process"
READY = r"xenlive ready"
REFERENCE = "xenlive-bench reference: init ran"
REFERENCE_INIT = f"""#!/bin/busybox sh
/bin/busybox echo "{REFERENCE}"
exec /bin/busybox poweroff -f
"""


def make_reference_iso(iso_tree, busybox, work):
    """The reference ISO: the ISO's own Xen, kernel and grub.cfg, with an
    initrd holding only BusyBox and an init script."""
    root, tree = os.path.join(work, "ref-initrd"), os.path.join(work, "ref-tree")
    for d in (root, tree):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(root, "bin"))
    os.makedirs(os.path.join(root, "dev"))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    with open(os.path.join(root, "init"), "w") as f:
        f.write(REFERENCE_INIT)
    os.chmod(os.path.join(root, "init"), 0o755)
    os.mknod(os.path.join(root, "dev", "console"), 0o600 | stat.S_IFCHR, os.makedev(5, 1))
    os.makedirs(os.path.join(tree, "boot", "grub"))
    for f in ("xen.gz", "vmlinuz", "grub/grub.cfg"):
        shutil.copy(os.path.join(iso_tree, "boot", f), os.path.join(tree, "boot", f))
    subprocess.run(f"find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | zstd -q -19 "
                   f">{tree}/boot/initrd.img", shell=True, cwd=root, check=True)
    iso = os.path.join(work, "reference.iso")
    subprocess.run(["grub-mkrescue", "-o", iso, tree, "--", "-volid", "XENLIVE_REF"],
                   check=True, capture_output=True)
    shutil.rmtree(root)
    shutil.rmtree(tree)
    return iso


def phases(timeline, end):
    """{phase: seconds} of one boot, up to the line end."""
    grub, _ = timeline.when(XEN_FIRST)
    xen, _ = timeline.when(XEN_LAST)
    kernel, _ = timeline.when(INIT)
    done, pos = timeline.when(end)
    return {"total": done, "firmware + GRUB": grub, "Xen": xen - grub,
            "dom0 kernel": kernel - xen, "dom0 userland": done - kernel}, pos


def boot_ours(iso, log):
    with machine(iso, 2048, log) as (con, timeline):
        p, pos = phases(timeline, READY)
        p["TUI drawn"] = timeline.when_screen(TUI_HEADER, pos) - p["total"]
        p["used"], p["free used"] = dom0(con, "used")
    return p


def boot_reference(iso, log):
    timeline = Timeline()
    child = pexpect.spawn(os.path.join(TOP, "iso", "run-qemu.sh"), ["--iso", iso, "--mem", "2048"],
                          env=dict(os.environ, XENLIVE_ACCEL="tcg"), encoding="utf-8",
                          codec_errors="replace", logfile=timeline)
    con = Console(child)
    try:
        con.expect(REFERENCE, 400, "the reference init's line")
        con.expect(pexpect.EOF, 120, "QEMU to exit after the reference's poweroff")
    finally:
        con.close()
        timeline.save(log)
    return phases(timeline, REFERENCE)[0]


def run(bench):
    busybox = os.path.join(bench.stage_dir("programs"), "busybox")
    ref_iso = make_reference_iso(bench.iso_tree, busybox, bench.work)
    ours, ref = [], []
    for i in range(bench.runs):
        ours.append(boot_ours(bench.iso, bench.log(f"boot-{i + 1}")))
        ref.append(boot_reference(ref_iso, bench.log(f"boot-reference-{i + 1}")))
        bench.progress(f"boot {i + 1}/{bench.runs}: ready after {ours[-1]['total']:.1f} s ("
                       + ", ".join(f"{k} {v:.1f}" for k, v in list(ours[-1].items())[1:6])
                       + f"); reference {ref[-1]['total']:.1f} s")
    for phase, what in (("total", "QEMU start to `xenlive ready`"),
                        ("firmware + GRUB", "firmware + GRUB, to Xen's first line (5 s menu)"),
                        ("Xen", "Xen, to its last boot line"),
                        ("dom0 kernel", "dom0 kernel, to `Run /init`"),
                        ("dom0 userland", "dom0 userland, to `xenlive ready`")):
        bench.seconds("Boot", what, [b[phase] for b in ours],
                      vs=("the reference", [r[phase] for r in ref]))
    bench.seconds("Boot", "TUI drawn on the serial console, after `xenlive ready`",
                  [b["TUI drawn"] for b in ours])
    bench.seconds("Boot", "reference: QEMU start to its init's line",
                  [r["total"] for r in ref])
    bench.mib("Footprint", "dom0 memory used after boot, MemTotal - MemAvailable "
              "(TUI on tty1, shell on the serial line)", [b["used"] / 1024 for b in ours],
              "includes the guest images copied into RAM (tmpfs)")
    bench.mib("Footprint", "dom0 memory used after boot, `free`", [b["free used"] / 1024 for b in ours],
              "no page cache or tmpfs")
