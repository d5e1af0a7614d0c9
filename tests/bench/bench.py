#!/usr/bin/python3
"""make bench: measures out/xenlive.iso under QEMU/TCG and adds one run,
as one table, to docs/BENCHMARKS.md (newest run first; older runs kept).

    tests/bench/bench.py

Parts, in order (tests/bench/README.md says what each figure means):
  boot       boot phases, beside a reference ISO; dom0 memory after boot
  launch     `xenlive launch` to the up marker; `xl create` alone
  density    guests until refused in 2 and 4 GiB machines; cost per guest
  before     Tiny launch and density on an ISO with Debian's generic guest kernel
  aims       Debian in 128 MiB, Tiny at the smallest size allowed: up, over SSH
  tui        the TUI's CPU with many Tiny guests
  sizes      the ISO and what it holds
  build      build time, cached (and cold, with BENCH_COLD=1)

Settings, from the environment:
  BENCH_RUNS=3              runs behind each median
  BENCH_ONLY=boot,launch    only these parts
  BENCH_COLD=1              also time BENCH_RUNS cold builds (minutes each)
  BENCH_DENSITY_MEM=2048,4096   QEMU machine sizes for density, MiB
  BENCH_DENSITY_IMAGES=tiny,debian   images the density part fills them with
  BENCH_TUI_GUESTS=50  BENCH_TUI_MEM=6144  BENCH_TUI_SECONDS=60
  BENCH_SETTLE=600          most seconds to wait for guests to come up
  BENCH_REPORT=docs/BENCHMARKS.md   where the table goes
  BENCH_ISO=out/xenlive.iso         the ISO to measure

The ISO is copied to out/bench/ first, so a rebuild cannot change it under
the run.  Console logs go to out/bench/logs/.  Figures are reported, never
checked; a part that fails leaves a row saying why, and the exit code is 1.
"""
import datetime
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from statistics import median

import boot_bench
import footprint_bench
import guests_bench
import move_bench
from machine import TOP, spread

PARTS = {"boot": ("Boot", boot_bench.run), "launch": ("Launch", guests_bench.launch),
         "density": ("Density", guests_bench.density), "before": ("Before", guests_bench.before),
         "aims": ("Aims", guests_bench.aims),
         "tui": ("TUI", guests_bench.tui), "move": ("Move", move_bench.run),
         "sizes": ("Footprint", footprint_bench.sizes), "build": ("Footprint", footprint_bench.builds)}
REPORT_HEAD = """# Benchmarks

Written by `make bench` (`tests/bench/bench.py`); `tests/bench/README.md`
says what each figure means and how it is measured. Newest run first.
Seconds are measured under QEMU/TCG: compare them within one run, through
the ratios, not across machines.
"""


class Bench:
    """The settings, the benchmarked ISO, and the table being filled."""

    def __init__(self):
        env = os.environ.get
        self.runs = int(env("BENCH_RUNS", "3"))
        self.parts = [p.strip() for p in env("BENCH_ONLY", ",".join(PARTS)).split(",")]
        unknown = set(self.parts) - set(PARTS)
        if unknown:
            sys.exit(f"bench: unknown part(s) {', '.join(sorted(unknown))}; parts: {', '.join(PARTS)}")
        self.cold = env("BENCH_COLD") == "1"
        self.density_mem = [int(m) for m in env("BENCH_DENSITY_MEM", "2048,4096").split(",")]
        self.density_images = [i.strip() for i in env("BENCH_DENSITY_IMAGES", "tiny,debian").split(",")]
        self.tui_guests = int(env("BENCH_TUI_GUESTS", "50"))
        self.tui_mem = int(env("BENCH_TUI_MEM", "6144"))
        self.tui_seconds = int(env("BENCH_TUI_SECONDS", "60"))
        self.settle = int(env("BENCH_SETTLE", "600"))
        self.report = os.path.abspath(env("BENCH_REPORT", os.path.join(TOP, "docs", "BENCHMARKS.md")))
        self.cache = env("XENLIVE_CACHE", "/var/cache/xenlive")
        self.work = os.path.join(TOP, "out", "bench")
        self.iso = os.path.join(self.work, "xenlive.iso")
        self.iso_tree = os.path.join(self.work, "iso")
        self.rows = []
        self.results = {}  # figures a later part compares with: ("up", image), ("density", mem, image)
        os.makedirs(os.path.join(self.work, "logs"), exist_ok=True)
        shutil.copy(env("BENCH_ISO", os.path.join(TOP, "out", "xenlive.iso")), self.iso)
        shutil.rmtree(self.iso_tree, ignore_errors=True)
        subprocess.run(["xorriso", "-osirrox", "on", "-indev", self.iso, "-extract", "/", self.iso_tree],
                       check=True, capture_output=True)

    def stage_dir(self, name):
        """A build stage's current output folder (build.sh's stage_dir)."""
        with open(os.path.join(self.cache, "stages", name, "current")) as f:
            return f.read().strip()

    def log(self, name):
        return os.path.join(self.work, "logs", f"{name}.log")

    def progress(self, message):
        print(f"bench: {message}", flush=True)

    def row(self, group, figure, value, runs, compared):
        self.rows.append((group, figure, value, runs, compared.replace("|", "\\|")))

    def seconds(self, group, figure, values, vs=None, note=""):
        """A median of seconds; vs=(label, values): their ratio."""
        compared = []
        if vs:
            ours, theirs = median(values), median(vs[1])
            compared.append(f"×{ours / theirs:.2f} of {vs[0]} ({theirs:.1f} s; {ours - theirs:+.1f} s)")
        if note:
            compared.append(note)
        self.row(group, figure, f"{median(values):.1f} s", spread(values), "; ".join(compared))

    def mib(self, group, figure, values, note):
        self.row(group, figure, f"{median(values):.1f} MiB", spread(values), note)

    def heading(self):
        with open(os.path.join(self.iso_tree, "boot", "grub", "grub.cfg")) as f:
            version = re.search(r'menuentry "xenlive (\S+):', f.read()).group(1)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        return f"{now}: xenlive {version} on {platform.node()}"

    def machine(self):
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"^model name\s*: (.*)$", f.read(), re.M).group(1)
        with open("/proc/meminfo") as f:
            ram = int(re.search(r"MemTotal: +(\d+)", f.read()).group(1)) / 2**20
        qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
        with open(os.path.join(TOP, "iso", "run-qemu.sh")) as f:
            tcg_cpu = re.search(r"^ *tcg_cpu=(\S+)$", f.read(), re.M).group(1)
        return (f"{cpu}, {os.cpu_count()} CPUs, {ram:.0f} GiB; {qemu}, TCG, -cpu {tcg_cpu}; "
                f"load average at the start {os.getloadavg()[0]:.2f}")


def write_report(bench, durations):
    section = [f"## {bench.heading()}", "", bench.machine() + ".",
               f"BENCH_RUNS={bench.runs}; parts (minutes): "
               + ", ".join(f"{p} ({m:.1f})" for p, m in durations.items()) + ".", "",
               "| Part | Figure | Median | Runs (min–max) | Compared |", "|---|---|---|---|---|"]
    order = [group for group, _ in PARTS.values()]
    for row in sorted(bench.rows, key=lambda r: order.index(r[0])):
        section.append("| " + " | ".join(row) + " |")
    old = REPORT_HEAD
    if os.path.exists(bench.report):
        with open(bench.report) as f:
            old = f.read()
    head, _, runs = old.partition("\n## ")
    os.makedirs(os.path.dirname(bench.report), exist_ok=True)
    with open(bench.report, "w") as f:
        f.write(head.rstrip("\n") + "\n\n" + "\n".join(section) + "\n" + ("\n## " + runs if runs else ""))


def main():
    # On SIGTERM, unwind like Ctrl-C does, so that QEMU is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    bench = Bench()
    durations, failed = {}, []
    for part in bench.parts:
        group, run = PARTS[part]
        bench.progress(f"{part}: starting")
        start = time.monotonic()
        try:
            run(bench)
        except Exception as e:  # noqa: BLE001  one failed part must not lose the others' figures
            failed.append(part)
            why = (str(e).splitlines() or [type(e).__name__])[0]
            bench.row(group, f"{part}: FAILED", "", "", f"{why} (logs: out/bench/logs/)")
            bench.progress(f"{part}: FAILED: {e}")
        durations[part] = (time.monotonic() - start) / 60
        bench.progress(f"{part}: done in {durations[part]:.1f} min")
    write_report(bench, durations)
    bench.progress(f"wrote {bench.report}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
