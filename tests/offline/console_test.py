#!/usr/bin/python3
"""The QEMU tests' console driver, Console.sh (tests/boot/qemu_console.py),
against a fake dom0 shell on a pty: no QEMU.

    tests/offline/console_test.py

The fake shell answers each typed line the way dom0's does, with Xen's own
lines landing where the real serial line puts them: inside a marker
("__RC=0(XEN) [...] uart interrupt ...\\n__"), and inside the output.  It
checks that:
  - a marker split by a Xen line still ends the command, with its exit code;
  - a command that prints slowly, with pauses longer than the driver's 2 s
    poll, gives its output once, not repeated;
  - a Xen line inside a command's output is taken out of it, so that
    numbers a test parses stay numbers ("5 (XEN) ...\\n17 3" reads "5 17 3",
    which broke crash in CI);
  - `xl dmesg` read through XEN_DMESG keeps its lines, prefix renamed;
  - a command that never finishes times out with the console's last lines.
"""
import os
import sys
import textwrap

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "boot"))
from qemu_console import PROMPT, XEN_DMESG, Console, Failed  # noqa: E402

FAKE_SHELL = "XEN_DMESG = %r\n" % XEN_DMESG + textwrap.dedent(r'''
    import re, sys, time
    XEN = "(XEN) [   35.615259] uart interrupt taking more than 4ms, switched to polling\n"
    def out(s):
        sys.stdout.write(s); sys.stdout.flush()
    out("xenlive:~# ")
    for line in sys.stdin:
        cmd = re.search(r"OUT; (.*); echo", line).group(1)
        out("__OUT__\n")
        if cmd == "split":
            out("hello\n__RC=0" + XEN + "__\nxenlive:~# ")
        elif cmd == "slow":
            time.sleep(5); out("line1\n"); time.sleep(3)
            out("line2\n" + XEN + "__RC=3__\n" + "xenlive:~# ")
        elif cmd == "counts":
            out("5 " + XEN + "17 3\n__RC=0__\nxenlive:~# ")
        elif cmd == XEN_DMESG:
            out("[xen] Event channel information for domain 1:\n[xen]     1 [0/0/  -   ]\n")
            out("__R" + XEN + "C=1" + XEN + "2__\nxenlive:~# ")
        elif cmd == "hang":
            out("working\n")
            time.sleep(3600)
''')


def main():
    child = pexpect.spawn(sys.executable, ["-c", FAKE_SHELL], encoding="utf-8", timeout=30)
    con = Console(child)
    con.expect(PROMPT, 10, "the fake shell's prompt")
    failures = []

    def want(what, got, expected):
        if got != expected:
            failures.append(f"{what}: got {got!r}, wanted {expected!r}")
        else:
            print(f"  {what}: {got!r}")

    want("a marker split by a Xen line", con.sh("split", timeout=20), (0, "hello"))
    rc, output = con.sh("slow", timeout=30)
    want("a slow command's exit code", rc, 3)
    want("a slow command's output, once", [l for l in output.splitlines() if "line" in l],
         ["line1", "line2"])
    want("a Xen line inside a command's output", con.sh("counts", timeout=20), (0, "5 17 3"))
    rc, output = con.sh(XEN_DMESG, timeout=20)
    want("xl dmesg's exit code, its digits split by Xen lines", rc, 12)
    want("xl dmesg's lines kept", output.splitlines()[:2],
         ["[xen] Event channel information for domain 1:", "[xen]     1 [0/0/  -   ]"])
    con.diagnose = lambda: "(no dom0 here)"
    try:
        con.sh("hang", timeout=4)
        failures.append("a command that never ends did not time out")
    except Failed as e:
        want("a hung command's failure shows the console's last lines",
             "working" in str(e) and "timed out after 4s" in str(e), True)
    child.close(force=True)
    for f in failures:
        print(f"  FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
