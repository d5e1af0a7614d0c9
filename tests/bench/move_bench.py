"""Moves and saves: what suspend to disk and moving a guest cost.

move   In a 4 GiB machine, a Tiny and a Debian guest, each up, are moved to
       localhost with `xenlive migrate NAME localhost` (BENCH_RUNS times
       each): the whole move and the pause, both as xenlive migrate reports
       them.  The mode is suspend and move (xl's save stream over a pipe):
       TCG gives no HAP and Debian's Xen has no shadow paging, so the live
       mode cannot run here.  Then each guest is saved and restored: to RAM
       (/run/xenlive/saves), and after a second boot with a XENLIVE-DATA
       disk (ext4, virtio), to the disk.  Seconds of `xenlive save` and
       `xenlive restore` on the host's clock (the serial line adds about
       0.1 s), and the save's size.  Last, two 1 GiB machines, A and B,
       bridged on a QEMU socket LAN (the migrate test's set-up,
       tests/boot/migrate_test.py), are paired, and a Tiny and a Debian
       guest are moved A to B and back, BENCH_RUNS times each way.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import time
import types
from statistics import median

from machine import Failed, images, machine

import migrate_test  # noqa: E402 (tests/boot, put on the path by machine)

MEM = 4096  # MiB: a Debian guest, its save in /run and the move's second copy fit
UP_LIMIT = 400  # seconds a launched guest gets to print its up marker


def timed(con, command, timeout=600):
    """(output, seconds) of a command that must succeed."""
    t0 = time.monotonic()
    out = con.check(command, timeout)
    return out, time.monotonic() - t0


def up_guest(con, image, marker):
    """Launches one guest of the image and waits for its up marker; its name."""
    out = con.check(f"xenlive launch {image}", 300)
    m = re.search(r"^launched (\S+) ", out, re.M)
    if not m:
        raise Failed(f"xenlive launch {image} printed no name:\n{out}")
    con.wait_for_file_text(f"/var/log/xen/console/guest-{m.group(1)}.log", marker, UP_LIMIT)
    return m.group(1)


def between(bench):
    """Two machines, A and B, bridged on a socket LAN; a Tiny and a Debian
    guest moved A to B and back, BENCH_RUNS times each way."""
    args = types.SimpleNamespace(firmware="bios", media="cd", iso=bench.iso, net="bridged")
    port = migrate_test.free_port()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        fa = pool.submit(migrate_test.boot_machine, args, "A", bench.log("move-A"),
                         f"socket,listen=127.0.0.1:{port}")
        time.sleep(3)  # A listens before B connects
        fb = pool.submit(migrate_test.boot_machine, args, "B", bench.log("move-B"),
                         f"socket,connect=127.0.0.1:{port}")
        done = [f.result() for f in (fa, fb) if not f.exception()]
        if len(done) < 2:
            for m in done:
                m.con.close()
            raise Failed(f"a machine did not boot: {(fa.exception() or fb.exception())}")
    a, b = done
    try:
        password = b.check("cat /run/xenlive/password").strip()
        a.check(f"DROPBEAR_PASSWORD='{password}' xenlive pair {b.lan}", timeout=180)
        catalog = images(a.con)
        for image in ("tiny", "debian"):
            name = up_guest(a.con, image, catalog[image]["up_marker"])
            whole, pause = [], []
            for i in range(bench.runs):
                for src, dst in ((a, b), (b, a)):
                    name, secs, paused = migrate_test.move(src, dst, name)
                    whole.append(secs)
                    pause.append(paused)
                    bench.progress(f"move {image} {src.label}->{dst.label} {i + 1}/{bench.runs}: "
                                   f"{secs:.1f} s, paused {paused:.1f} s")
            bench.seconds("Move", f"{image}: `xenlive migrate NAME HOST` between two machines "
                          "(1 GiB each, bridged, a socket LAN), suspend and move", whole,
                          note="A to B and back; the stream goes through dbclient and dropbear")
            bench.seconds("Move", f"{image}: the guest paused during a move between two machines",
                          pause, vs=("the move", whole),
                          note="the 2005 live-migration paper: 60–210 ms downtime, live")
            a.check(f"xenlive destroy {name}", timeout=120)
    finally:
        for m in (a, b):
            m.con.close()


def moves(bench, con, image, name):
    """BENCH_RUNS moves to localhost; the guest's last name."""
    whole, pause = [], []
    for i in range(bench.runs):
        out = con.check(f"xenlive migrate {name} localhost", 900)
        m = re.search(r"moved \S+ to localhost as (\S+) in ([\d.]+) s \(suspend and move: "
                      r"paused ([\d.]+) s\)", out)
        if not m:
            raise Failed(f"unexpected xenlive migrate output:\n{out}")
        name = m.group(1)
        whole.append(float(m.group(2)))
        pause.append(float(m.group(3)))
        bench.progress(f"move {image} {i + 1}/{bench.runs}: {whole[-1]:.1f} s, paused {pause[-1]:.1f} s")
    bench.seconds("Move", f"{image}: `xenlive migrate NAME localhost`, suspend and move", whole,
                  note="the live mode needs HAP or shadow paging, neither here")
    bench.seconds("Move", f"{image}: the guest paused during the move", pause, vs=("the move", whole),
                  note="the 2005 live-migration paper: 60–210 ms downtime, live")
    return name


def save_restore(bench, con, image, name, where):
    """BENCH_RUNS saves and restores of the guest to WHERE (ram or disk)."""
    saves, restores, sizes = [], [], []
    for i in range(bench.runs):
        _, s = timed(con, f"xenlive save {name}")
        listing = json.loads(con.check("xenlive saves --json"))
        entry = next((e for e in listing if e["name"] == name), None)
        if not entry or entry["where"] != where:
            raise Failed(f"xenlive saves does not list {name} in {where}: {listing}")
        sizes.append(entry["size_mib"])
        _, r = timed(con, f"xenlive restore {name}")
        saves.append(s)
        restores.append(r)
        bench.progress(f"save {image} to {where} {i + 1}/{bench.runs}: save {s:.1f} s, "
                       f"restore {r:.1f} s, {sizes[-1]:.0f} MiB")
    bench.seconds("Move", f"{image}: `xenlive save` to {where}", saves,
                  note=f"the save: {median(sizes):.0f} MiB")
    bench.seconds("Move", f"{image}: `xenlive restore` from {where}", restores, vs=("the save", saves))


def run(bench):
    with machine(bench.iso, MEM, bench.log("move-ram")) as (con, _):
        catalog = images(con)
        for image in ("tiny", "debian"):
            name = up_guest(con, image, catalog[image]["up_marker"])
            name = moves(bench, con, image, name)
            save_restore(bench, con, image, name, "ram")
            con.check(f"xenlive destroy {name}", 120)
    disk = os.path.join(bench.work, "data.img")
    with open(disk, "wb") as f:
        f.truncate(1 << 30)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "XENLIVE-DATA", disk], check=True)
    try:
        with machine(bench.iso, MEM, bench.log("move-disk"),
                     qemu_args=["-drive", f"file={disk},format=raw,if=virtio"]) as (con, _):
            catalog = images(con)
            for image in ("tiny", "debian"):
                name = up_guest(con, image, catalog[image]["up_marker"])
                save_restore(bench, con, image, name, "disk")
                con.check(f"xenlive destroy {name}", 120)
    finally:
        os.unlink(disk)
    between(bench)
