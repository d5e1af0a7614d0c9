"""Footprint: the ISO's size and what it holds, and build time.

Sizes come from the benchmarked ISO's own files (Xen, the dom0 kernel, the
initrd, each guest image).  The initrd is two zstd archives, the dom0 root
and the guest kernel with its initramfs; their sizes come from the rootfs
and guests stage folders when those match the ISO's initrd.

Build time: `./build.sh` with everything cached (a first, untimed run
makes sure it is), the median of BENCH_RUNS runs.  With BENCH_COLD=1,
also BENCH_RUNS builds, each into an empty, temporary XENLIVE_CACHE: they
download Debian's packages again (mmdebstrap fetches into each new root;
nothing shares an archive cache), so the fetch stage's own time is shown
apart.
"""
import glob
import os
import re
import shutil
import subprocess
import time
from statistics import median

from machine import TOP, Failed


def mib(path):
    return os.path.getsize(path) / 2**20


def unpacked_mib(path):
    out = subprocess.run(f"zstd -dc '{path}' | wc -c", shell=True, check=True,
                         capture_output=True, text=True).stdout
    return int(out) / 2**20


def sizes(bench):
    iso = mib(bench.iso)

    def share(m):
        return f"{m / iso * 100:.0f} % of the ISO"

    bench.row("Footprint", "ISO", f"{iso:.1f} MiB", "1", "")
    for what, path in (("Xen (xen.gz)", "boot/xen.gz"), ("dom0 kernel (vmlinuz)", "boot/vmlinuz")):
        m = mib(os.path.join(bench.iso_tree, path))
        bench.row("Footprint", what, f"{m:.1f} MiB", "1", share(m))
    initrd = os.path.join(bench.iso_tree, "boot", "initrd.img")
    bench.row("Footprint", "dom0 initrd (zstd)", f"{mib(initrd):.1f} MiB", "1",
              f"{share(mib(initrd))}; {unpacked_mib(initrd):.1f} MiB unpacked")
    parts = (("dom0 root", os.path.join(bench.stage_dir("rootfs"), "rootfs.cpio.zst")),
             ("guest kernel and initramfs", os.path.join(bench.stage_dir("guests"), "guests.cpio.zst")))
    if sum(os.path.getsize(p) for _, p in parts) == os.path.getsize(initrd):
        for what, path in parts:
            bench.row("Footprint", f"initrd: {what}", f"{mib(path):.1f} MiB", "1",
                      f"{unpacked_mib(path):.1f} MiB unpacked")
    else:
        bench.row("Footprint", "initrd parts", "not split", "",
                  "the rootfs and guests stage folders do not match this ISO")
    for path in sorted(glob.glob(os.path.join(bench.iso_tree, "xenlive", "images", "*", "rootfs.squashfs"))):
        m = mib(path)
        bench.row("Footprint", f"image {path.split(os.sep)[-2]} (squashfs)", f"{m:.1f} MiB", "1", share(m))


def build(env):
    """Runs ./build.sh; returns (seconds, the stages it built, {stage: seconds})."""
    start = time.monotonic()
    r = subprocess.run([os.path.join(TOP, "build.sh")], cwd=TOP, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if r.returncode != 0:
        raise Failed(f"./build.sh exited {r.returncode}: {(r.stderr or r.stdout).strip()[-500:]}")
    built = re.findall(r"^==> (\S+) \(", r.stdout, re.M)
    times = {s: int(t) for s, t in re.findall(r"^ +(\S+): done in (\d+)s", r.stdout, re.M)}
    return seconds, built, times


def builds(bench):
    env = dict(os.environ, OUT=os.path.join(bench.work, "build-out"))
    _, built, _ = build(env)
    bench.progress(f"build: the untimed first run built {', '.join(built) or 'nothing'}")
    runs = []
    for i in range(bench.runs):
        runs.append(build(env))
        bench.progress(f"build {i + 1}/{bench.runs}, cached: {runs[-1][0]:.1f} s")
    again = sorted({s for r in runs for s in r[1]})
    bench.seconds("Footprint", "build, everything cached (`./build.sh`)", [r[0] for r in runs],
                  note="rebuilt each time: " + ", ".join(again) if again else "")
    what = "build, cold: empty stage cache, downloads included"
    if not bench.cold:
        bench.row("Footprint", what, "skipped", "", "set BENCH_COLD=1")
        return
    cache = os.path.join(bench.work, "cold-cache")
    colds = []
    for i in range(bench.runs):
        shutil.rmtree(cache, ignore_errors=True)
        bench.progress(f"build {i + 1}/{bench.runs}, cold: this takes minutes")
        try:
            colds.append(build(dict(env, XENLIVE_CACHE=cache, OUT=os.path.join(bench.work, "cold-out"))))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        bench.progress(f"build {i + 1}/{bench.runs}, cold: {colds[-1][0]:.0f} s ({colds[-1][2]})")
    stage = {s: median(c[2].get(s, 0) for c in colds) for s in ("fetch", "kernel", "image-debian")}
    rest = median(c[0] - c[2].get("kernel", 0) for c in colds)
    bench.seconds("Footprint", what, [c[0] for c in colds], vs=("the cached build", [r[0] for r in runs]),
                  note=f"the guest kernel's compile {stage['kernel']:.0f} s, the rest {rest:.0f} s; "
                       f"fetch stage (downloads) {stage['fetch']:.0f} s; the Debian image "
                       f"{stage['image-debian']:.0f} s, its own downloads included (medians)")
