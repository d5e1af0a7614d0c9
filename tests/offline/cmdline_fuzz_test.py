#!/usr/bin/env python3
"""cmdline_fuzz_test.py: dom0's kernel command-line reader, fed random lines.

Dom0's start-up scripts read /proc/cmdline with cmdline_get
(overlays/base/usr/lib/xenlive/cmdline.sh, awk), which libFuzzer cannot
reach.  This runs it with dom0's own BusyBox (sh and awk, from the build
cache's programs stage; the host's sh and awk when there is none, or
--busybox PATH) on random command lines, seeded so a failure repeats:

  - lines made of KEY=VALUE words whose values may hold blanks (quoted),
    '=', ':', ',' and non-ASCII bytes, bare KEYs, keys that start like
    another (xenlive.sshkeyx=), and other words: cmdline_get KEY prints
    the last value given to KEY ("" for a bare KEY) and succeeds, or fails
    when KEY is absent;
  - garbage (unbalanced quotes, control characters, long runs): it
    finishes within 5 s, prints at most one line and no '"';
  - cmdline_unknown names each unknown xenlive.* key once, without its
    value (a fixed table).

    tests/offline/cmdline_fuzz_test.py [--cases N] [--seed S] [--busybox PATH|none]
"""
import argparse
import glob
import os
import random
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CMDLINE_SH = os.path.join(TOP, "overlays/base/usr/lib/xenlive/cmdline.sh")
KEYS = ["xenlive.ui", "xenlive.net", "xenlive.password", "xenlive.sshkey",
        "xenlive.autostart", "xenlive.sshkeyx", "xenlive", "console"]
OTHER_WORDS = ["quiet", "ro", "root=/dev/ram0", "dom0_mem=768M", "xenlive.=x",
               "Xenlive.ui=shell", "xenlive.ui-=x", "=", "==", "-", "--"]
VALUE_PARTS = ["shell", "bridged", "nat", "debian:2", "tiny:5,debian:1", "a=b", "==",
               "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIOMq", "me@laptop", "p\u00e4ss",
               "\u00ff\u00fe", "x" * 300, ":", ",", "'", "$(reboot)", "`id`", "\\", "*", "%s"]


def find_busybox(given):
    if given == "none":
        return None
    if given:
        return given
    cache = os.environ.get("XENLIVE_CACHE", "/var/cache/xenlive")
    current = os.path.join(cache, "stages/programs/current")
    if os.path.exists(current):
        path = os.path.join(open(current).read().strip(), "busybox")
        if os.access(path, os.X_OK):
            return path
    found = sorted(glob.glob(os.path.join(cache, "stages/programs/*/busybox")))
    return found[-1] if found else None


def value(rng):
    """A value: one or more parts, joined by nothing or by a blank."""
    parts = [rng.choice(VALUE_PARTS) for _ in range(rng.randint(1, 3))]
    return rng.choice(["", " "]).join(parts)


def word_for(key, val, rng):
    """KEY=VAL as the kernel line would hold it: quoted when it has a blank."""
    if val is None:
        return key
    if " " in val or rng.random() < 0.2:
        return rng.choice([f'{key}="{val}"', f'"{key}={val}"'])
    return f"{key}={val}"


def well_formed(rng):
    """A line and, for each key, the value cmdline_get must print (None:
    absent)."""
    want = {}
    words = []
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.3:
            words.append(rng.choice(OTHER_WORDS))
            continue
        key = rng.choice(KEYS)
        val = None if rng.random() < 0.15 else value(rng).replace('"', "")
        words.append(word_for(key, val, rng))
        want[key] = "" if val is None else val
    sep = lambda: rng.choice([" ", "  ", "\t", " \t "])  # noqa: E731
    line = rng.choice(["", " "]) + "".join(w + sep() for w in words).rstrip() + "\n"
    return line, want


def garbage(rng):
    alphabet = 'xenlive.sshkey=" \t\\\'=:,\x01\x1b\u00ff\u00e4abc'
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) + "\n"


def cmdline_get(shell, line, key, tmp):
    path = os.path.join(tmp, "cmdline")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(line)
    env = dict(os.environ, XENLIVE_CMDLINE=path)
    env["PATH"] = os.path.join(tmp, "bin") + ":" + env.get("PATH", "/usr/bin:/bin")
    p = subprocess.run(shell + ["-c", '. "$1"; cmdline_get "$2"', "sh", CMDLINE_SH, key],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=5)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr


# cmdline_unknown's cases: a command line, and the keys it must name (in
# order, once each, without values) when dom0 knows xenlive.ui and
# xenlive.net.
UNKNOWN_CASES = [
    ("ro xenlive.ui=shell xenlive.net=nat", ""),
    ("xenlive.autostrat=tiny:2 xenlive.ui=x xenlive.autostrat=y", "xenlive.autostrat\n"),
    ('"xenlive.pasword=has a space" quiet xenlive.uii', "xenlive.pasword\nxenlive.uii\n"),
    ("xenlive xenlive.=x Xenlive.ui=1 xenlive.ui-=2", "xenlive.\nxenlive.ui-\n"),
]


def unknown_cases(shell, tmp):
    """cmdline_unknown on UNKNOWN_CASES; returns the number failed."""
    failed = 0
    path = os.path.join(tmp, "cmdline")
    for line, want in UNKNOWN_CASES:
        with open(path, "w") as f:
            f.write(line + "\n")
        env = dict(os.environ, XENLIVE_CMDLINE=path)
        env["PATH"] = os.path.join(tmp, "bin") + ":" + env.get("PATH", "/usr/bin:/bin")
        p = subprocess.run(shell + ["-c", '. "$1"; cmdline_unknown xenlive.ui xenlive.net', "sh",
                                    CMDLINE_SH], env=env, capture_output=True, text=True, timeout=5)
        if (p.returncode, p.stdout, p.stderr) != (0, want, ""):
            failed += 1
            print(f"  FAIL  cmdline_unknown on {line!r}: exit {p.returncode}, printed "
                  f"{p.stdout!r}, stderr {p.stderr!r}; wanted {want!r}")
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--busybox")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    busybox = find_busybox(args.busybox)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "bin"))
        if busybox:
            os.symlink(busybox, os.path.join(tmp, "bin", "awk"))  # dom0's awk, not the host's
            shell = [busybox, "sh"]
            print(f"cmdline_fuzz_test: BusyBox {busybox}")
        else:
            shell = ["sh"]
            print("cmdline_fuzz_test: no BusyBox built yet; the host's sh and awk")
        failed += unknown_cases(shell, tmp)
        for i in range(args.cases):
            line, want = well_formed(rng)
            for key in KEYS:
                try:
                    rc, out, err = cmdline_get(shell, line, key, tmp)
                except subprocess.TimeoutExpired:
                    rc, out, err = None, "", b"timed out"
                expect = (0, want[key] + "\n") if key in want else (1, "")
                if (rc, out) != expect or err:
                    failed += 1
                    print(f"  FAIL  case {i}: cmdline_get {key} on {line!r}: exit {rc}, "
                          f"printed {out!r}, stderr {err[:200]!r}; wanted exit {expect[0]}, "
                          f"{expect[1]!r}")
            line = garbage(rng)
            try:
                rc, out, err = cmdline_get(shell, line, "xenlive.sshkey", tmp)
                if rc not in (0, 1) or out.count("\n") > 1 or '"' in out or err:
                    failed += 1
                    print(f"  FAIL  garbage {i}: {line!r}: exit {rc}, printed {out!r}, "
                          f"stderr {err[:200]!r}")
            except subprocess.TimeoutExpired:
                failed += 1
                print(f"  FAIL  garbage {i}: {line!r}: did not finish in 5 s")
            if failed > 20:
                break
    print(f"cmdline_fuzz_test: {len(UNKNOWN_CASES)} cmdline_unknown cases, {args.cases} lines x "
          f"{len(KEYS)} keys and {args.cases} garbage lines (seed {args.seed}), {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
