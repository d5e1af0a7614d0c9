"""What every part of the benchmark measures with: a booted QEMU machine.

Timeline records when each piece of the serial console arrived (host
clock), so boot phases can be read from the lines that Xen, the dom0
kernel and dom0 print.  dom0() runs dom0.sh's measurements at dom0's root
shell (its memory, Xen's, launches, guests' up markers, the TUI's CPU).
Booting and the shell are tests/boot/qemu_console.py's.
"""
import bisect
import contextlib
import hashlib
import json
import os
import re
import shlex
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "boot"))
from qemu_console import TOP, TUI_HEADER, Console, Failed, Screen, boot  # noqa: E402

__all__ = ["TOP", "TUI_HEADER", "Console", "Failed", "Timeline", "machine", "dom0", "images", "spread"]

DOM0_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dom0.sh")


class Timeline:
    """A pexpect log that keeps the console text and when each piece arrived."""

    def __init__(self):
        self.start = time.monotonic()
        self.chunks, self.ends, self.times = [], [], []
        self.length = 0

    def write(self, data):
        self.chunks.append(data)
        self.length += len(data)
        self.ends.append(self.length)
        self.times.append(time.monotonic() - self.start)

    def flush(self):
        pass

    def text(self):
        return "".join(self.chunks)

    def when(self, pattern, pos=0):
        """(seconds, end offset) of the first match of pattern from pos:
        when the piece holding its last character arrived."""
        m = re.compile(pattern).search(self.text(), pos)
        if not m:
            raise Failed(f"no /{pattern}/ on the console")
        return self.times[bisect.bisect_left(self.ends, m.end())], m.end()

    def when_screen(self, pattern, pos):
        """Seconds until a VT100 fed the console from pos shows pattern."""
        screen = Screen()
        for i in range(bisect.bisect_right(self.ends, pos), len(self.chunks)):
            begin = self.ends[i] - len(self.chunks[i])
            screen.write(self.chunks[i][max(0, pos - begin):])
            if re.search(pattern, screen.text()):
                return self.times[i]
        raise Failed(f"no /{pattern.pattern}/ on the console's screen")

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.text())


@contextlib.contextmanager
def machine(iso, mem, log_path, qemu_args=None):
    """Boots the ISO (mem MiB; qemu_args: more QEMU options, a disk) to
    dom0's root shell, with dom0.sh typed in, and yields (Console,
    Timeline); then powers it off and saves the console to log_path."""
    timeline = Timeline()
    con = None
    try:
        con, _ = boot(iso=iso, log=timeline, mem=mem, qemu_args=qemu_args)
        install_dom0_sh(con)
        yield con, timeline
        con.poweroff()
    finally:
        if con:
            con.close()
        timeline.save(log_path)


def install_dom0_sh(con):
    """Types dom0.sh, without its comments, into /tmp/bench.sh as a
    here-document, and checks it arrived intact (up to three tries)."""
    with open(DOM0_SH) as f:
        lines = [line for line in f.read().splitlines() if not line.lstrip().startswith("#")]
    want = hashlib.sha256("".join(line + "\n" for line in lines).encode()).hexdigest()
    for _ in range(3):
        con.send("cat >/tmp/bench.sh <<'EOF'")
        for line in lines + ["EOF"]:
            con.send(line)
        if con.check("sha256sum /tmp/bench.sh").split()[0] == want:
            return
    raise Failed("dom0.sh did not reach dom0 intact after three tries")


def number(word):
    """A word of dom0.sh's output: an int when whole, so that it can go
    back to dom0's sh (which compares integers only), else a float, or
    the word itself."""
    if re.fullmatch(r"-?\d+", word):
        return int(word)
    return float(word) if re.fullmatch(r"-?[\d.]+", word) else word


def dom0(con, *args, timeout=60):
    """Runs a dom0.sh command; returns the numbers of its "bench" line
    (see number())."""
    out = con.check("sh /tmp/bench.sh " + " ".join(shlex.quote(str(a)) for a in args), timeout)
    m = re.search(r"^bench (.*)$", out, re.M)
    if not m:
        raise Failed(f"`dom0.sh {args[0]}` printed no result:\n{out}")
    return [number(x) for x in m.group(1).split()]


def images(con):
    """xenlive's catalog: {name: entry of `xenlive images --json`}."""
    return {i["name"]: i for i in json.loads(con.check("xenlive images --json"))}


def spread(values, digits=1):
    """The runs column of the table: how many runs, and their range."""
    return (f"{len(values)} ({min(values):.{digits}f}–{max(values):.{digits}f})"
            if len(values) > 1 else "1")
