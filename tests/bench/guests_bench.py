"""Guests: launch time, density, and the TUI's CPU with many guests.

launch   Seconds from `xenlive launch IMAGE` to the image's up marker in
         the guest's console log, and to the command's return (it runs
         `xl create`); then `xl create` alone on the same config, after
         `xl destroy` of the guest (same name, same devices, nothing else
         running).  Timed with dom0's clock; the marker is polled each 0.25 s.
density  Guests launched until refused (exit 3), Tiny then Debian, each
         from an empty machine.  What each guest costs the host: its own
         memory (xentop), Xen's overhead (Xen's free memory lost beyond
         the guests' memory) and dom0's (its used memory grown), measured
         once the guests are up or BENCH_SETTLE seconds have passed.  The
         naive alternative, a copy of the image in RAM per guest, is
         measured as dom0's growth per copy in its tmpfs.
aims     A Debian guest in 128 MiB and a Tiny guest at its image's minimum
         (MIN_MEMORY_MIB in image.conf): seconds to the up marker, the guest's own MemTotal and
         MemAvailable read over SSH (`xenlive ssh`), and the Pss of the
         `xl` process that stays in dom0 beside it.  Then the guest agent's
         cost in each: its CPU over 60 s of the guest's own clock, as % of
         the guest's CPU time, and its RSS.
tui      utime + stime of the TUI on tty1 (1 s refresh) over
         BENCH_TUI_SECONDS, as % of one CPU, with no guests and with
         BENCH_TUI_GUESTS Tiny guests.
"""
import os
import re
from statistics import median

import footprint_bench
from machine import Failed, dom0, images, machine, spread

CLK_TCK = 100  # USER_HZ, the unit of /proc/PID/stat times, on every x86 Linux
UP_LIMIT = 400  # seconds a launched guest gets to print its up marker


def launch_up(con, image, marker, mib=""):
    """Launches one guest (of mib MiB when given) and waits for its up
    marker; (its name, seconds to `xenlive launch` returning, to the
    marker)."""
    rc, late, a, b, c, name = dom0(con, "launch", image, marker, UP_LIMIT, mib,
                                   timeout=UP_LIMIT + 120)
    what = f"xenlive launch {image}" + (f" -m {mib}" if mib else "")
    if rc != 0:
        raise Failed(f"`{what}` exited {rc:.0f} (see the console log)")
    if late:
        raise Failed(f"{name} (`{what}`): no up marker within {UP_LIMIT} s")
    return name, b - a, c - a


def launch_once(con, image, marker):
    """(seconds to the up marker, to `xenlive launch` returning, of `xl
    create` alone); leaves no guest."""
    name, returned, up = launch_up(con, image, marker)
    rc, xa, xb = dom0(con, "xl-create", name, timeout=300)
    if rc != 0:
        raise Failed(f"`xl create` of {name}'s config exited {rc:.0f}")
    return up, returned, xb - xa


def launch(bench):
    with machine(bench.iso, 2048, bench.log("launch")) as (con, _):
        catalog = images(con)
        centos = catalog.get("centos", {"available": False, "status": "no CentOS recipe"})
        names = ["tiny", "debian"] + (["centos"] if centos["available"] else [])
        up = {}
        for image in names:
            runs = []
            for i in range(bench.runs):
                runs.append(launch_once(con, image, catalog[image]["up_marker"]))
                bench.progress(f"launch {image} {i + 1}/{bench.runs}: up after {runs[-1][0]:.1f} s, "
                               f"`xenlive launch` returned after {runs[-1][1]:.1f} s, "
                               f"`xl create` alone {runs[-1][2]:.1f} s")
            up[image] = [r[0] for r in runs]
            bench.results[("up", image)] = up[image]
            alone = [r[2] for r in runs]
            # Issue 15's aim: Tiny's launch to up within 2x `xl create` alone.
            bench.seconds("Launch", f"{image}: `xenlive launch` to the up marker", up[image],
                          vs=None if image == "tiny" else ("tiny", up["tiny"]),
                          note=f"×{median(up[image]) / median(alone):.2f} of `xl create` alone "
                               f"({median(alone):.1f} s)" + ("; aim ≤ ×2" if image == "tiny" else ""))
            bench.seconds("Launch", f"{image}: `xenlive launch` returns (it runs `xl create`)",
                          [r[1] for r in runs], vs=("launch to up", up[image]))
            bench.seconds("Launch", f"{image}: `xl create` alone, same config",
                          alone, vs=("`xenlive launch` returning", [r[1] for r in runs]))
    if not centos["available"]:
        bench.row("Launch", "centos", "not measured", "", centos["status"])


def launch_many(con, image, count, settle, marker):
    """Launches up to count guests, then waits at most settle seconds for
    them to come up; returns (launched, up, how the launching stopped)."""
    rc, launched = dom0(con, "launch-many", image, count, timeout=count * 120 + 60)
    stop = con.check("tail -n 1 /tmp/bench.out")
    if launched == 0:
        raise Failed(f"`xenlive launch {image} -n {count}` exited {rc:.0f}: {stop}")
    up, = dom0(con, "wait-up", marker, launched, settle, timeout=settle + 120)
    stop = re.sub(r"^xenlive: launched \d+ of \d+ \S+ guests; stopped: ", "", stop)
    how = {0: "all launched", 3: "refused (exit 3)"}.get(rc, f"stopped by exit {rc:.0f}: {stop}")
    return launched, up, how


def fill(con, image, entry, settle):
    """Launches the image until refused; what each guest costs the host."""
    free0, = dom0(con, "xen-free")
    used0, _ = dom0(con, "used")
    count, up, how = launch_many(con, image, int(free0 // entry["memory_mib"]) + 1, settle,
                                 entry["up_marker"])
    free1, = dom0(con, "xen-free")
    used1, _ = dom0(con, "used")
    guests_kib, = dom0(con, "guest-memory")
    dom0(con, "destroy-all", timeout=900)
    guests = guests_kib / 1024
    return {"count": count, "up": up, "how": how, "pool": free0, "guest": guests / count,
            "xen": (free0 - free1 - guests) / count, "dom0": (used1 - used0) / 1024 / count}


def density(bench):
    """BENCH_RUNS passes (a boot each) per machine size; the medians of
    their figures."""
    for mem in bench.density_mem:
        gib = f"{mem / 1024:g} GiB"
        runs = {image: [] for image in bench.density_images}
        for n in range(bench.runs):
            with machine(bench.iso, mem, bench.log(f"density-{mem}-{n + 1}")) as (con, _):
                catalog = images(con)
                for image in runs:
                    copy = dom0(con, "copy", image, n)[0] / 1024  # its median: across passes
                    dom0(con, "uncopy")
                    f = fill(con, image, catalog[image], bench.settle)
                    f["copy"] = copy
                    f["host"] = f["guest"] + f["xen"] + f["dom0"]
                    runs[image].append(f)
                    bench.progress(f"density {gib} {n + 1}/{bench.runs}: {f['count']} {image} "
                                   f"guests, {f['how']} ({f['up']} up); each {f['guest']:.0f} MiB + Xen "
                                   f"{f['xen']:.2f} + dom0 {f['dom0']:.2f} MiB; a copy of the image "
                                   f"{copy:.1f} MiB")
        for image, fs in runs.items():
            m = {k: median(f[k] for f in fs) for k in ("count", "pool", "guest", "xen", "dom0",
                                                        "copy", "host")}
            shared = int(m["pool"] // (m["guest"] + m["xen"]))
            naive = int(m["pool"] // (m["guest"] + m["xen"] + m["copy"]))
            hows = sorted({f["how"] for f in fs})
            bench.results[("density", mem, image)] = m
            bench.row("Density", f"{gib} machine: {image} guests until refused", f"{m['count']:g}",
                      spread([f["count"] for f in fs], 0), f"{m['count'] / (mem / 1024):.1f} per GiB; "
                      f"{', '.join(hows)}; by the cost per guest {shared} fit, {naive} with an "
                      f"image copy each (naive)")
            ups = ", ".join(f"{f['up']} of {f['count']}" for f in fs)
            bench.row("Density", f"{gib}: host memory per {image} guest", f"{m['host']:.1f} MiB",
                      spread([f["host"] for f in fs]), f"guest {m['guest']:.0f} + Xen {m['xen']:.2f} "
                      f"+ dom0 {m['dom0']:.2f} MiB ({ups} up when measured); naive adds "
                      f"{m['copy']:.1f} MiB per copy")


def before(bench):
    """Tiny's launch to up and its density, in the largest density
    machine, on an ISO built with Debian's generic guest kernel
    (GUEST_KERNEL=debian, guest-images/kernel/guest-kernel.conf) into
    out/bench/before-out; beside this run's figures on xenlive's kernel
    when the launch and density parts ran too."""
    out = os.path.join(bench.work, "before-out")
    bench.progress("before: ./build.sh with GUEST_KERNEL=debian (the guests and iso stages)")
    footprint_bench.build(dict(os.environ, GUEST_KERNEL="debian", OUT=out))
    mem = max(bench.density_mem)
    gib = f"{mem / 1024:g} GiB"
    with machine(os.path.join(out, "xenlive.iso"), mem, bench.log("before")) as (con, _):
        tiny = images(con)["tiny"]
        ups = []
        for i in range(bench.runs):
            ups.append(launch_once(con, "tiny", tiny["up_marker"])[0])
            bench.progress(f"before: tiny {i + 1}/{bench.runs} up after {ups[-1]:.1f} s")
        f = fill(con, "tiny", tiny, bench.settle)
    host = f["guest"] + f["xen"] + f["dom0"]
    bench.progress(f"before: {f['count']} tiny guests in {gib}, {f['how']} ({f['up']} up); "
                   f"each {host:.1f} MiB")
    kernel = f"Debian's generic guest kernel, tiny at {tiny['memory_mib']} MiB"
    ours = bench.results.get(("up", "tiny"))
    bench.seconds("Before", f"tiny: `xenlive launch` to the up marker ({kernel})", ups,
                  note=f"xenlive's kernel: ×{median(ours) / median(ups):.2f} of it "
                       f"({median(ours):.1f} s)" if ours else "xenlive's kernel: launch part not run")
    d = bench.results.get(("density", mem, "tiny"))
    bench.row("Before", f"{gib} machine: tiny guests until refused ({kernel})", f"{f['count']}", "1",
              f"{f['how']} ({f['up']} up); xenlive's kernel: {d['count']:g}, "
              f"×{d['count'] / f['count']:.2f} of it" if d else
              f"{f['how']} ({f['up']} up); xenlive's kernel: density part not run")
    bench.row("Before", f"{gib}: host memory per tiny guest ({kernel})", f"{host:.1f} MiB", "1",
              f"guest {f['guest']:.0f} + Xen {f['xen']:.2f} + dom0 {f['dom0']:.2f} MiB; xenlive's "
              f"kernel: {d['host']:.1f} MiB, ×{d['host'] / host:.2f} of it" if d else
              f"guest {f['guest']:.0f} + Xen {f['xen']:.2f} + dom0 {f['dom0']:.2f} MiB")


def aims(bench):
    """Debian in 128 MiB, Tiny at the minimum: up, and usable over SSH."""
    with machine(bench.iso, 2048, bench.log("aims")) as (con, _):
        catalog = images(con)
        for image, mib in (("debian", 128), ("tiny", catalog["tiny"]["min_memory_mib"])):
            name, _, up = launch_up(con, image, catalog[image]["up_marker"], mib)
            rc, total, avail = dom0(con, "guest-mem", name, timeout=120)
            xl_kib, = dom0(con, "xl-pss")
            arc, *agent = dom0(con, "agent-cost", name, 60, timeout=240)
            dom0(con, "destroy-all", timeout=300)
            if rc != 0 or not total:
                raise Failed(f"`xenlive ssh {name} cat /proc/meminfo` exited {rc:.0f}")
            bench.progress(f"aims: {name} in {mib} MiB up after {up:.1f} s; "
                           f"MemTotal {total / 1024:.0f} MiB, MemAvailable {avail / 1024:.0f} MiB")
            bench.row("Aims", f"{image} guest in {mib} MiB: `xenlive launch` to the up marker",
                      f"{up:.1f} s", "1", f"then over SSH the guest has MemTotal "
                      f"{total / 1024:.0f} MiB, MemAvailable {avail / 1024:.0f} MiB; its `xl` "
                      f"process in dom0: {xl_kib / 1024:.2f} MiB (Pss)")
            if arc != 0 or len(agent) != 3 or not all(isinstance(x, int) for x in agent) \
                    or not agent[1]:
                bench.row("Aims", f"xenlive-agent in a {image} guest", "not measured", "1",
                          f"`agent-cost` exited {arc:.0f}")
                continue
            ticks, all_ticks, rss = agent
            bench.row("Aims", f"xenlive-agent in a {image} guest ({mib} MiB): CPU over 60 s",
                      f"{ticks / all_ticks * 100:.2f} % of the guest's CPU", "1",
                      f"{ticks:.0f} of {all_ticks:.0f} ticks; RSS {rss / 1024:.2f} MiB "
                      f"(aims: under 0.5 %, under 1 MiB)")


def tui_cpu(con, seconds):
    """% of one CPU the TUI on tty1 used over the next seconds."""
    ticks, start, end = dom0(con, "tui-cpu", seconds, timeout=seconds + 60)
    return ticks / CLK_TCK / (end - start) * 100


def tui(bench):
    """BENCH_RUNS windows of BENCH_TUI_SECONDS each, idle then busy."""
    with machine(bench.iso, bench.tui_mem, bench.log("tui")) as (con, _):
        idle = [tui_cpu(con, bench.tui_seconds) for _ in range(bench.runs)]
        bench.progress(f"tui: {median(idle):.2f} % of a CPU with no guests")
        count, up, how = launch_many(con, "tiny", bench.tui_guests, bench.settle,
                                     images(con)["tiny"]["up_marker"])
        busy = [tui_cpu(con, bench.tui_seconds) for _ in range(bench.runs)]
        bench.progress(f"tui: {median(busy):.2f} % of a CPU with {count} Tiny guests ({up} up)")
    bench.row("TUI", f"`xenlive ui` (tty1, 1 s refresh), {count} Tiny guests ({up} up)",
              f"{median(busy):.2f} % of one CPU", f"{spread(busy, 2)}, {bench.tui_seconds} s each",
              (f"×{median(busy) / median(idle):.1f} of no guests ({median(idle):.2f} %)"
               if median(idle) else "no guests: 0 %")
              + ("" if count == bench.tui_guests else f"; {bench.tui_guests} asked, {how}"))
