#!/usr/bin/python3
"""Guest images in RAM: launch, share, identity, out of memory.

    tests/boot/guests_test.py [--firmware F] [--media M] [--log FILE]

Boots out/xenlive.iso under QEMU/TCG (2 GiB) and checks, with the real
`xenlive` command in dom0:
  - the catalog: Tiny and Debian ready; CentOS ready or "not included";
  - `xenlive launch tiny` and `xenlive launch debian -n 3` reach each
    image's up marker in /var/log/xen/console/guest-NAME.log, and Tiny's
    start-up prints no error;
  - each guest has its own hostname, machine-id and SSH host key;
  - `xenlive top --batch` (libxenstat) shows every domain that xentop does;
  - the three Debian guests share dom0's one copy of the image: their loop
    devices all read the same file in RAM, and dom0's used memory grows by
    less than one image;
  - `xenlive destroy` leaves no domain, config or loop device;
  - filling the machine: with every guest gone, Tiny at its default size
    until memory runs out stops with the needed/free line and exit code 3;
    at least as many guests as `xenlive images` promised run, each up and
    answering `ssh NAME true`, in a clean state; a launch that cannot fit
    at all creates nothing.
"""
import json
import re
import sys
import time

from qemu_console import Failed, boot, run_test

LOGDIR = "/var/log/xen/console"
MARKER = "xenlive-guest up"
# launch.c's refusal when dom0's spare (MemAvailable above its reserve)
# cannot take one more guest's share.
DOM0_SHORT = (r"dom0 is short of memory for ((?:tiny|debian)-\d+): (\d+) MiB available, "
              r"a guest takes (\d+) and dom0 keeps (\d+), and dom0 is at its most")


def used_kib(con):
    """Dom0's memory in use (MemTotal - MemAvailable), KiB."""
    out = con.check("awk '/^MemTotal/ {t=$2} /^MemAvailable/ {a=$2} END {print t-a}' /proc/meminfo")
    return int(out.strip())


def launch(con, args, expect_rc=0, timeout=300):
    rc, out = con.sh(f"xenlive launch {args}", timeout)
    if rc != expect_rc:
        raise Failed(f"`xenlive launch {args}` exited {rc} (wanted {expect_rc}):\n{out}")
    return out


def check_clean_state(con):
    """Every domain but dom0 has a config and a loop device; nothing else."""
    doms = con.check("xl list | awk 'NR > 2 { print $1 }' | sort").split()
    cfgs = con.check("ls /run/xenlive/domains | sed 's/\\.cfg$//' | sort").split()
    loops = int(con.check("losetup -a | wc -l").strip())
    if doms != cfgs:
        raise Failed(f"domains {doms} and configs {cfgs} differ")
    if loops != len(doms):
        raise Failed(f"{loops} loop devices for {len(doms)} guests")
    return doms


def test(args, log):
    con, ready = boot(args.firmware, args.media, args.iso, log)
    try:
        print(f"  xenlive ready after {ready:.1f} s")
        images = con.check("xenlive images")
        print("  " + images.replace("\n", "\n  "))
        for name in ("tiny", "debian"):
            if not re.search(rf"^{name}\b.*\bready\b", images, re.M):
                raise Failed(f"image {name} is not ready:\n{images}")
        centos = re.search(r"^centos\b.*", images, re.M)
        if not centos:
            raise Failed("the catalog has no CentOS entry")
        centos_built = "not included" not in centos.group(0)

        # Tiny, then three Debian guests.
        t0 = time.monotonic()
        print("  " + launch(con, "tiny"))
        line = con.wait_for_file_text(f"{LOGDIR}/guest-tiny-1.log", MARKER, 180)
        print(f"  tiny-1 up after {time.monotonic() - t0:.1f} s: {line}")
        # The guest initramfs copies the kernel's modules into every image;
        # it once failed on Tiny, whose /lib pointed nowhere.
        rc, out = con.sh(f"grep -E \"can't|No such file\" {LOGDIR}/guest-tiny-1.log")
        if rc == 0:
            raise Failed(f"tiny-1's start-up printed errors:\n{out}")

        before = used_kib(con)
        t0 = time.monotonic()
        print("  " + launch(con, "debian -n 3").replace("\n", "\n  "))
        lines = {}
        for i in (1, 2, 3):
            lines[i] = con.wait_for_file_text(f"{LOGDIR}/guest-debian-{i}.log", MARKER, 400)
            print(f"  debian-{i} up after {time.monotonic() - t0:.1f} s: {lines[i]}")
            if f"up: debian-{i} " not in lines[i]:
                raise Failed(f"debian-{i} does not call itself debian-{i}: {lines[i]}")
        after = used_kib(con)

        # Identity: SSH host keys and machine-ids differ between guests.
        keys = {re.search(r"ssh (\S+)", lines[i]).group(1) for i in lines}
        if len(keys) != 3 or "none" in keys:
            raise Failed(f"SSH host keys are not one per guest: {keys}")
        ids = con.check("sed -n 's/.*xenlive.machine_id=\\([0-9a-f]*\\).*/\\1/p' "
                        "/run/xenlive/domains/debian-*.cfg | sort -u | wc -l")
        if ids.strip() != "3":
            raise Failed(f"machine-ids are not one per guest ({ids.strip()} distinct)")
        print("  identity: own hostname, machine-id and SSH host key per guest")

        # xenlive top --batch reads libxenstat: every domain, every refresh,
        # with xentop's view of the same domains.
        # Both in one command line, timed by dom0's clock: a domain's CPU
        # seconds may grow by at most its vCPUs times the seconds between.
        out = con.check("s=$(date +%s); xenlive top --batch -d 1 -i 2 >/tmp/top.out && "
                        "xentop -b -i 1 >/tmp/xentop.out; e=$(date +%s); echo elapsed $((e - s))",
                        timeout=180)
        elapsed = int(re.search(r"elapsed (\d+)", out).group(1))
        top = con.check("cat /tmp/top.out")
        xentop = con.check("cat /tmp/xentop.out")
        for name in ("Domain-0", "tiny-1", "debian-1", "debian-2", "debian-3"):
            rows = [l for l in top.splitlines() if l.split()[:1] == [name]]
            if len(rows) != 2:
                raise Failed(f"top --batch shows {name} {len(rows)} times, wanted 2:\n{top}")
            if name not in xentop:
                raise Failed(f"xentop does not list {name}:\n{xentop}")
        if top.count("CPU(%)") != 2:
            raise Failed(f"top --batch did not print two refreshes:\n{top}")
        # Same numbers as xentop: memory exactly, vCPUs exactly, CPU seconds
        # within what the time between the two commands allows.
        last = top[top.rindex("CPU(%)"):].splitlines()[1:]
        mine = {l.split()[0]: l.split() for l in last if l.strip()}
        xt_head = xentop.splitlines()[0].split()
        for l in xentop.splitlines()[1:]:
            f = l.split()
            if not f or f[0] not in mine:
                continue
            x = dict(zip(xt_head, f))
            m = mine[f[0]]
            if m[5] != x["MEM(k)"] or m[7] != x["VCPUS"]:
                raise Failed(f"{f[0]}: top --batch {m} and xentop {x} disagree on memory or vCPUs")
            allowed = int(x["VCPUS"]) * (elapsed + 1) + 1
            if abs(int(m[3]) - int(x["CPU(sec)"])) > allowed:
                raise Failed(f"{f[0]}: CPU seconds {m[3]} vs xentop {x['CPU(sec)']}, more apart "
                             f"than {allowed} ({x['VCPUS']} vCPUs, {elapsed} s between)")
        print("  top --batch: 2 refreshes; memory, vCPUs and CPU seconds agree with xentop -b")

        # Sharing: one file in RAM behind every Debian guest's disk.
        image = "/run/xenlive/images/debian/rootfs.squashfs"
        backing = con.check(f"losetup -a | grep -c '{image}'").strip()
        size_kib = int(con.check(f"du -k {image} | cut -f1").strip())
        grown = after - before
        print(f"  sharing: {backing} loop devices on {image}; dom0 used "
              f"+{grown // 1024} MiB for 3 guests, image {size_kib // 1024} MiB")
        if backing != "3":
            raise Failed(f"{backing} loop devices read {image}, expected 3")
        if grown >= size_kib:
            raise Failed(f"dom0 grew by {grown} KiB, more than one image ({size_kib} KiB)")

        if centos_built:
            print("  " + launch(con, "centos"))
            line = con.wait_for_file_text(f"{LOGDIR}/guest-centos-1.log", MARKER, 400)
            print(f"  centos-1: {line}")
        else:
            print(f"  centos: {centos.group(0).split('  ')[-1].strip()} (not launched)")

        # Destroy cleans up.
        con.check("xenlive destroy debian-2")
        time.sleep(2)
        doms = check_clean_state(con)
        if "debian-2" in doms:
            raise Failed("debian-2 survived xenlive destroy")
        print(f"  destroy: clean; running {' '.join(doms)}")

        # Fill the machine: every guest away, then Tiny at its default size
        # until refused.  The count must reach what `xenlive images`
        # promised, and every guest must be up and answer over SSH.
        con.check("for d in $(xl list | awk 'NR > 2 { print $1 }'); do xenlive destroy $d; done", 300)
        time.sleep(2)
        if check_clean_state(con):
            raise Failed("xenlive destroy of every guest left guests")
        tiny = json.loads(con.check("xenlive images --json"))
        tiny = next(i for i in tiny if i["name"] == "tiny")
        promised = tiny["fits"]
        free = con.check("xl info | sed -n 's/^free_memory *: //p'").strip()
        used0 = used_kib(con)
        # In batches of 8, each up before the next: 49 guests booting at
        # once starve dom0 under TCG, and libxl gives Debian's block hotplug
        # script 40 s.  The last batch stops at the memory refusal.
        batch = 8
        t0 = time.monotonic()
        launched = 0
        while True:
            rc, out = con.sh(f"xenlive launch tiny -n {batch}", 900)
            if rc == 0:
                launched += batch
            elif rc == 3:
                # "launched K of 8 ...; stopped: NAME needs N MiB, F MiB free", or
                # when the first of the batch does not fit, the one-guest line.
                m = re.search(rf"launched (\d+) of {batch} tiny guests; stopped: (tiny-\d+) needs "
                              r"(\d+) MiB, (\d+) MiB free", out)
                one = re.search(r"not enough memory for (tiny-\d+): needs (\d+) MiB, (\d+) MiB free",
                                out)
                if m:
                    count, need, have = int(m.group(1)), int(m.group(3)), int(m.group(4))
                elif one:
                    count, need, have = 0, int(one.group(2)), int(one.group(3))
                elif dom0 := re.search(DOM0_SHORT, out):
                    # Dom0's spare ran out first: the promise counts it too.
                    dm = re.search(rf"launched (\d+) of {batch}", out)
                    count = int(dm.group(1)) if dm else 0
                    have = int(dom0.group(2))
                    need = int(dom0.group(3)) + int(dom0.group(4))
                else:
                    raise Failed(f"exit 3 without the stop line:\n{out}")
                if need <= have:
                    raise Failed(f"stopped although {need} MiB fit in {have} MiB")
                launched += count
            else:
                raise Failed(f"`xenlive launch tiny -n {batch}` exited {rc}:\n{out}")
            for name in re.findall(r"launched (tiny-\d+) ", out):
                con.wait_for_file_text(f"{LOGDIR}/guest-{name}.log", MARKER, 900)
            if rc == 3:
                break
            if launched > promised + batch:
                raise Failed(f"{launched} launched, never refused ({promised} promised)")
        print(f"  fill: tiny at {tiny['memory_mib']} MiB, {free} MiB free, {promised} promised: "
              f"{launched} launched in batches of {batch}, then: {out.strip().splitlines()[-1]}")
        doms = check_clean_state(con)
        tinies = [d for d in doms if d.startswith("tiny-")]
        if len(tinies) != launched or len(tinies) < promised:
            raise Failed(f"{len(tinies)} tiny guests run; launched {launched}, "
                         f"xenlive images promised {promised}")
        up = time.monotonic() - t0
        answered = 0
        for name in tinies:
            rc, out = con.sh(f"ssh {name} true", 120)
            if rc != 0:
                raise Failed(f"ssh {name} true exited {rc}:\n{out}")
            answered += 1
        per_guest = (used_kib(con) - used0) / 1024 / len(tinies)
        print(f"  fill: {len(tinies)} tiny guests (promised {promised}), all up after {up:.0f} s, "
              f"{answered} answered ssh; clean state; dom0 uses {per_guest:.1f} MiB more per guest")

        # A launch that cannot fit at all: more than the machine has.  (Not
        # a plain `launch debian`: when dom0's spare ended the fill, its
        # MemAvailable moves by a few MiB and a Debian guest may then fit.)
        rc, out = con.sh("xenlive launch debian -m 8192")
        if rc != 3 or not re.fullmatch(r"xenlive: not enough memory for debian-\d+: "
                                       r"needs \d+ MiB, \d+ MiB free", out.strip()):
            raise Failed(f"a launch that cannot fit: exit {rc}:\n{out}")
        if check_clean_state(con) != doms:
            raise Failed("a refused launch changed the running guests")
        print(f"  refused: {out.strip()}")
        con.poweroff()
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(run_test(test, __doc__.splitlines()[0]))
