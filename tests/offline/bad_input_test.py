#!/usr/bin/env python3
"""bad_input_test.py: every xenlive command fed bad arguments.

Runs src/build/test/xenlive-fake (make -C src fake: the whole program
with the fake backend, AddressSanitizer and UBSan) with, for each
command of `xenlive help`: a missing argument and an extra one, an empty
string and a 300-character one, a leading '-', a name holding '/', ';',
a space or a newline, bytes that are not UTF-8, and numbers out of range
(0, -1, 2^31, 2^63, 12abc) for each numeric option.  Each case must exit
1, 2 or 3 with exactly one line on stderr that starts with "xenlive: ",
and never trip a sanitizer.  The files are in a fresh temporary folder
for each case (XENLIVE_* variables), with the tiny and debian images.

    tests/offline/bad_input_test.py [--binary PATH] [-v]

A command missing from the table below fails the test: a new command
gets its rows here.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LONG = "x" * 300
NOT_UTF8 = b"\xff\xfe\xc3("
NUMBERS = ["0", "-1", str(2 ** 31), str(2 ** 63), "12abc", "", LONG]
NAMES = ["", LONG, "-x", "a/b", "../tiny-1", "a;b", "tiny-1;reboot", "a b", "a\nb",
         NOT_UTF8, b"tiny-\xff"]


def name_cases(cmd):
    """CMD with one bad NAME each, missing, and with an extra argument."""
    cases = [[cmd], [cmd, "tiny-1", "extra"]]
    cases += [[cmd, n] for n in NAMES]
    return cases


def option_cases(prefix, options, valid=()):
    """PREFIX with each numeric OPTION given each bad number (but VALID
    ones), or none."""
    cases = []
    for opt in options:
        cases.append(prefix + [opt])
        cases += [prefix + [opt, n] for n in NUMBERS if n not in valid]
    return cases


def flag_cases(cmd, ok_args):
    """A command taking only OK_ARGS (flags): anything else is refused."""
    cases = [[cmd] + ok_args + ["extra"], [cmd, ""], [cmd, LONG], [cmd, "-x"], [cmd, "--jso"],
             [cmd, "a/b"], [cmd, "a;b"], [cmd, "a b"], [cmd, NOT_UTF8]]
    return cases


TABLE = {
    "help": [["help", ""], ["help", LONG], ["help", "-x"], ["help", "a/b"],
             ["help", "list", "extra"], ["help", NOT_UTF8], ["help", "a\nb"]],
    "images": flag_cases("images", ["--json"]),
    "list": flag_cases("list", ["--json"]),
    "info": flag_cases("info", ["--json"]),
    "known-hosts": flag_cases("known-hosts", []),
    "destroy": name_cases("destroy"),
    "stop": name_cases("stop") + [["stop", "--all", "extra"], ["stop", "--al"]],
    "console": name_cases("console"),
    "save": name_cases("save"),
    "restore": name_cases("restore"),
    # ssh takes COMMAND... after NAME: an extra word is a command, so the
    # extra case is a first word starting with '-', which it refuses.
    "ssh": [c for c in name_cases("ssh") if c[1:] != ["tiny-1", "extra"]]
           + [["ssh", "tiny-1", "-oProxyCommand=x"]],
    "launch": name_cases("launch")
              + option_cases(["launch", "tiny"], ["-n", "-m", "--vcpus"])
              + [["launch", "tiny", "--type"], ["launch", "tiny", "--type", "hvm"],
                 ["launch", "tiny", "--type", ""], ["launch", "tiny", "-x"],
                 ["launch", "tiny", "--vcpus", "1", "extra"]],
    # run NAME APP [ARGS] | NAME -- COMMAND... | --image IMAGE APP; "run
    # NAME" alone lists NAME's image's applications, so it is no bad input.
    "run": [c for c in name_cases("run") if c[1:] != ["tiny-1"]]
           + [["run", "tiny-1", "--"], ["run", "tiny-1", NOT_UTF8],
              ["run", "tiny-1", LONG], ["run", "tiny-1", "-x"], ["run", "--image"],
              ["run", "--image", "tiny"], ["run", "--image", ""], ["run", "--image", LONG, "web"],
              ["run", "--image", "a/b", "web"], ["run", "--image", "tiny", "nosuchapp"],
              ["run", "--image", "tiny", "mem-fill", "12abc"]],
    # exec NAME -- COMMAND...
    "exec": name_cases("exec")
            + [["exec", "tiny-1", "--"], ["exec", "tiny-1", "ls"], ["exec", "tiny-1", "-x"],
               ["exec", "a;b", "--", "ls"], ["exec", NOT_UTF8, "--", "ls"]],
    "saves": flag_cases("saves", []),
    # pair HOST: a bad HOST is refused before any dbclient runs.
    "pair": name_cases("pair") + [["pair", "-oProxyCommand=x"], ["pair", "host:22"],
                                  ["pair", "user@host"]],
    # migrate NAME HOST
    "migrate": [["migrate"], ["migrate", "tiny-1"], ["migrate", "tiny-1", "localhost", "extra"]]
               + [["migrate", n, "localhost"] for n in NAMES]
               + [["migrate", "tiny-1", h] for h in ["", LONG, "-x", "a/b", "a;b", "a b",
                                                     NOT_UTF8, "-oProxyCommand=x"]],
    # peer accept|info|take|done|drop: what pair and migrate run over SSH.
    "peer": [["peer"], ["peer", "nosuch"], ["peer", LONG], ["peer", NOT_UTF8],
             ["peer", "accept"], ["peer", "accept", "ssh-ed25519", "AAAA", "x", "y"],
             ["peer", "accept", "a", "b", "c", "d", "e"], ["peer", "done"],
             ["peer", "info"], ["peer", "take"], ["peer", "drop"]]
            + [["peer", verb, n] for verb in ["done", "take", "drop"] for n in NAMES]
            + [["peer", "info", n, "0" * 64] for n in NAMES],
    # -i 2147483648 is a valid count of refreshes (any unsigned is).
    "top": option_cases(["top", "--batch"], ["-d"])
           + option_cases(["top", "--batch"], ["-i"], valid=[str(2 ** 31)])
           + [["top", "--batch", "-i", "1", "extra"], ["top", "--batch", "-s"],
              ["top", "--batch", "-s", ""], ["top", "--batch", "-s", LONG],
              ["top", "--batch", "-s", NOT_UTF8], ["top", "--batch", "-x"],
              ["top", "--batch", "-rx"], ["top", "--batch", "-d", "nan"],
              ["top", "--batch", "-d", "inf"], ["top", "--batch", "-d", "1e400"]],
    # Without a terminal (stdin here is /dev/null) ui checks its options,
    # then refuses to start: either way one line.
    "ui": option_cases(["ui"], ["-d"]) + [["ui", "extra"], ["ui", "-s", LONG], ["ui", "-x"],
                                          ["ui", "-b"], ["ui", "-i", "3"], ["ui", NOT_UTF8]],
}


def make_tree(tmp):
    """The files a command may read: the tiny and debian images, the guest
    kernel, empty run, ssh and console log folders."""
    env = dict(os.environ)
    paths = {
        "XENLIVE_IMAGES": os.path.join(tmp, "images"),
        "XENLIVE_GUEST_DIR": os.path.join(tmp, "guest"),
        "XENLIVE_RUN_DIR": os.path.join(tmp, "run"),
        "XENLIVE_SSH_DIR": os.path.join(tmp, "ssh"),
        "XENLIVE_CONSOLE_LOG_DIR": os.path.join(tmp, "log"),
    }
    for p in paths.values():
        os.makedirs(p)
    for image in ("tiny", "debian"):
        d = os.path.join(paths["XENLIVE_IMAGES"], image)
        os.makedirs(d)
        shutil.copy(os.path.join(TOP, "guest-images", image, "image.conf"), d)
        open(os.path.join(d, "rootfs.squashfs"), "wb").close()
    for f in ("vmlinux", "initrd.img"):
        open(os.path.join(paths["XENLIVE_GUEST_DIR"], f), "wb").close()
    env.update(paths)
    env["ASAN_OPTIONS"] = "exitcode=99:detect_leaks=1"
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1:exitcode=98"
    env.pop("SSH_CONNECTION", None)
    env["PATH"] = "/nonexistent"  # no dbclient, no xl: nothing real is run
    return env


def show(argv):
    return " ".join(repr(a) if a == "" or " " in str(a) or "\n" in str(a) else
                    (a.decode("latin-1") if isinstance(a, bytes) else a)[:40] for a in argv)


def run_case(binary, argv, verbose):
    """None when ARGV was refused as it should be, else what went wrong."""
    with tempfile.TemporaryDirectory() as tmp:
        env = make_tree(tmp)
        try:
            p = subprocess.run([binary] + argv, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30,
                               cwd=tmp)
        except subprocess.TimeoutExpired:
            return "did not finish in 30 s"
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if verbose:
        print(f"    {show(argv)}: exit {p.returncode}: {err.rstrip()[:150]}")
    if p.returncode not in (1, 2, 3):
        return f"exit {p.returncode}, stderr {err[:2000]!r}"
    if len(lines) != 1 or not lines[0].startswith("xenlive: ") or not err.endswith("\n"):
        return f"exit {p.returncode}, stderr is not one 'xenlive: ' line: {err[:2000]!r}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(TOP, "src/build/test/xenlive-fake"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    if not os.access(args.binary, os.X_OK):
        print(f"bad_input_test: no {args.binary} (make -C src fake)")
        return 1
    helptext = subprocess.run([args.binary, "help"], stdout=subprocess.PIPE, check=True,
                              env=make_tree(tempfile.mkdtemp())).stdout.decode()
    commands = [line.split()[0] for line in helptext.splitlines() if line.startswith("  ")]
    failed = 0
    total = 0
    missing = [c for c in commands if c not in TABLE]
    for c in missing:
        print(f"  FAIL  {c}: a command without rows in bad_input_test.py's TABLE")
        failed += 1
    for cmd in commands:
        bad = 0
        for argv in TABLE.get(cmd, []):
            total += 1
            why = run_case(args.binary, argv, args.verbose)
            if why:
                bad += 1
                print(f"  FAIL  xenlive {show(argv)}: {why}")
        failed += bad
        print(f"  {'ok  ' if not bad else 'FAIL'}  {cmd}: {len(TABLE.get(cmd, []))} cases"
              + (f", {bad} failed" if bad else ""))
    # The fail-safe: an unknown command and no command at all.
    for argv in (["no-such-command"], [NOT_UTF8], [""]):
        total += 1
        why = run_case(args.binary, argv, args.verbose)
        if why:
            failed += 1
            print(f"  FAIL  xenlive {show(argv)}: {why}")
    print(f"bad_input_test: {total} cases over {len(commands)} commands, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
