#!/usr/bin/env python3
"""tui_terminal_test.py: the full-screen view in the terminals people use.

Runs `xenlive ui` of src/build/test/xenlive-fake (make -C src fake: the
program on the fake backend, with ASan and UBSan) in a tmux pane on this
machine, and reads the screen back with tmux capture-pane.  The pane sees only
the terminfo entries the case names (a mount namespace: run as root):

  - TERM=xterm-kitty with no entry for it: the view comes
    up on xterm-256color, with one notice line on stderr and in the
    status line; q exits 0.
  - TERM empty: the same on vt100.
  - TERM=dumb: exit 1, one line naming TERM=dumb and top --batch.
  - TERM=xterm-kitty and no entry but dumb: exit 1, one line.
  - 10x3 and 3x10 panes: "terminal too small (needs 40x10, has WxH)";
    enlarged to 80x24 the view is drawn; q exits 0.

    tests/offline/tui_terminal_test.py [--binary PATH] [-v]
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIEW_MARK = "xenlive  Xen 4.20.0-fake"  # the view's first line, on the fake host
# Where Debian's ncurses looks for terminfo entries (infocmp -D).
SYSTEM_TERMINFO = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]


class Pane:
    """One tmux server with one pane running CMD at WIDTH x HEIGHT."""

    def __init__(self, tmp, cmd, width, height):
        self.socket = os.path.join(tmp, "tmux.sock")
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height),
                  cmd)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.socket] + list(args), check=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout.decode()

    def screen(self):
        return self.tmux("capture-pane", "-p")

    def wait_for(self, predicate, what, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}; the screen:\n{self.screen()}")

    def close(self):
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], stderr=subprocess.DEVNULL)


def terminfo_dir(tmp, names):
    """A terminfo folder holding only NAMES, compiled from this machine's."""
    d = os.path.join(tmp, "terminfo")
    os.makedirs(d, exist_ok=True)
    for name in names:
        src = subprocess.run(["infocmp", "-x", name], check=True,
                             stdout=subprocess.PIPE).stdout
        subprocess.run(["tic", "-x", "-o", d, "-"], input=src, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return d


def run_ui(binary, tmp, term, terminfo, width, height):
    """Start the view in a pane; returns the pane and the files its stderr
    and exit status go to (the pane stays open after it exits)."""
    env = {
        "XENLIVE_IMAGES": os.path.join(tmp, "images"),
        "XENLIVE_GUEST_DIR": os.path.join(tmp, "guest"),
        "XENLIVE_RUN_DIR": os.path.join(tmp, "run"),
        "XENLIVE_SSH_DIR": os.path.join(tmp, "ssh"),
        "XENLIVE_CONSOLE_LOG_DIR": os.path.join(tmp, "log"),
        "TERMINFO": terminfo,
        "TERM": term,
        "ASAN_OPTIONS": "exitcode=99",
        "UBSAN_OPTIONS": "halt_on_error=1:exitcode=98",
    }
    for key in ("XENLIVE_IMAGES", "XENLIVE_GUEST_DIR", "XENLIVE_RUN_DIR", "XENLIVE_SSH_DIR",
                "XENLIVE_CONSOLE_LOG_DIR"):
        os.makedirs(env[key], exist_ok=True)
    tiny = os.path.join(env["XENLIVE_IMAGES"], "tiny")
    os.makedirs(tiny, exist_ok=True)
    shutil.copy(os.path.join(TOP, "guest-images/tiny/image.conf"), tiny)
    open(os.path.join(tiny, "rootfs.squashfs"), "wb").close()
    err = os.path.join(tmp, "stderr")
    rc = os.path.join(tmp, "rc")
    for f in (err, rc):
        if os.path.exists(f):
            os.remove(f)
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    # ncurses looks in TERMINFO and then in the system's folders anyway:
    # in a mount namespace of its own, those show TERMINFO's entries only.
    mounts = [f"mount --bind {shlex.quote(terminfo)} {d}" for d in SYSTEM_TERMINFO
              if os.path.isdir(d)]
    inner = " && ".join(mounts + [f"env -u SSH_CONNECTION {assigns} {shlex.quote(binary)} ui"])
    cmd = f"unshare -m sh -c {shlex.quote(inner)} 2>{err}; echo $? >{rc}; sleep 600"
    return Pane(tmp, cmd, width, height), err, rc


def wait_exit(rc, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if os.path.exists(rc) and open(rc).read().strip():
            return int(open(rc).read())
        time.sleep(0.3)
    raise AssertionError("the view did not exit")


def read(path):
    return open(path, errors="replace").read()


def check_fallback(binary, term, want, width=80, height=24):
    with tempfile.TemporaryDirectory() as tmp:
        info = terminfo_dir(tmp, ["xterm-256color", "xterm", "vt100", "dumb"])
        pane, err, rc = run_ui(binary, tmp, term, info, width, height)
        try:
            text = pane.wait_for(lambda t: VIEW_MARK in t and "tiny-1" in t, "the view")
            notice = (f"no terminfo entry for TERM={term} here; using {want}" if term
                      else f"TERM is empty or not set; using {want}")
            assert notice in text, f"no notice '{notice}' in the status line:\n{text}"
            pane.tmux("send-keys", "q")
            code = wait_exit(rc)
            assert code == 0, f"exit {code}, stderr {read(err)!r}"
            assert read(err) == f"xenlive: {notice}\n", f"stderr {read(err)!r}"
        finally:
            pane.close()


def check_refused(binary, term, names, want):
    with tempfile.TemporaryDirectory() as tmp:
        info = terminfo_dir(tmp, names)
        pane, err, rc = run_ui(binary, tmp, term, info, 80, 24)
        try:
            code = wait_exit(rc)
            lines = read(err).splitlines()
            assert code == 1, f"exit {code}, stderr {read(err)!r}"
            assert len(lines) == 1 and lines[0].startswith("xenlive: ") and want in lines[0], \
                f"stderr {read(err)!r}, wanted one line with {want!r}"
        finally:
            pane.close()


def check_small(binary, width, height):
    with tempfile.TemporaryDirectory() as tmp:
        info = terminfo_dir(tmp, ["xterm-256color"])
        pane, err, rc = run_ui(binary, tmp, "xterm-256color", info, width, height)
        try:
            want = f"terminal too small (needs 40x10, has {width}x{height})"
            # The notice wraps over the pane's lines: read them as one.
            joined = pane.wait_for(
                lambda t: "".join(l.ljust(width)[:width] for l in t.splitlines()).startswith(
                    want[:width * height]), "the too-small notice")
            assert VIEW_MARK not in joined
            pane.tmux("send-keys", "d")  # ignored while too small: no launch
            pane.tmux("resize-window", "-x", "80", "-y", "24")
            text = pane.wait_for(lambda t: VIEW_MARK in t and "tiny-1" in t,
                                 "the view after enlarging")
            assert "too small" not in text and "debian" not in text, text
            pane.tmux("send-keys", "q")
            code = wait_exit(rc)
            assert code == 0 and read(err) == "", f"exit {code}, stderr {read(err)!r}"
        finally:
            pane.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(TOP, "src/build/test/xenlive-fake"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"tui_terminal_test: no {args.binary} (make -C src fake)")
        return 1
    if not shutil.which("tmux"):
        print("tui_terminal_test: needs tmux (apt-get install tmux)")
        return 1
    b = args.binary
    cases = [
        ("TERM=xterm-kitty falls back to xterm-256color",
         lambda: check_fallback(b, "xterm-kitty", "xterm-256color")),
        ("TERM empty falls back to vt100", lambda: check_fallback(b, "", "vt100")),
        ("TERM=dumb is refused in one line",
         lambda: check_refused(b, "dumb", ["dumb", "vt100"], "TERM=dumb cannot move the cursor")),
        ("no entry at all is refused in one line",
         lambda: check_refused(b, "xterm-kitty", ["dumb"],
                               "no terminfo entry for TERM=xterm-kitty, nor for xterm-256color")),
        ("10x3: too small, then drawn when enlarged", lambda: check_small(b, 10, 3)),
        ("3x10: too small, then drawn when enlarged", lambda: check_small(b, 3, 10)),
    ]
    failed = 0
    for what, fn in cases:
        try:
            fn()
            print(f"  ok    {what}")
        except (AssertionError, subprocess.CalledProcessError) as e:
            failed += 1
            print(f"  FAIL  {what}: {e}")
    print(f"tui_terminal_test: {len(cases)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
