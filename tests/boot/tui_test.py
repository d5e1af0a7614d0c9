#!/usr/bin/python3
"""The xenlive TUI on the serial console, driven as a person would.

    tests/boot/tui_test.py [--log FILE] [--screen FILE]

Boots out/xenlive.iso under QEMU/TCG; on the serial line (TERM=vt100, no
colour) the TUI must come up by itself after "xenlive ready".  Renders
what a VT100 shows (pyte) and checks: the header (Xen of the pinned series, guests
running, how many more fit), `t` launches a Tiny guest whose row appears
and goes to running, `q` leaves for a root shell, `exit` returns to the
TUI, `s` on tiny-1 shuts it down and the next `t` reuses the name tiny-1
(one path per guest operation: the TUI's keys go through guests.c as the
commands do).  Writes the screen with the guest running to --screen (for the
README).
"""
import re
import sys
import time

from qemu_console import PROMPT, TUI_HEADER, Failed, Screen, boot, run_test

SCREEN_FILE = None


def test(args, log):
    con, ready = boot(args.firmware, args.media, args.iso, log, shell=False)
    try:
        print(f"  xenlive ready after {ready:.1f} s; TUI drawn")
        text = con.wait_screen(r"fits:.*tiny", 30, "how many more guests fit")
        header = [l for l in text.splitlines() if TUI_HEADER.search(l)][0]
        print(f"  header: {header.strip()}")

        t0 = time.monotonic()
        con.child.send("t")
        con.wait_screen(r"(?m)^.*\btiny-1\b", 180, "the tiny-1 row after pressing t")
        print(f"  t: tiny-1 row after {time.monotonic() - t0:.1f} s")
        text = con.wait_screen(r"1 guest running", 60, "the header to count the guest")
        # Let the guest boot and a few refreshes draw its CPU and sparkline.
        con.pump(20)
        text = con.screen.text()
        if not re.search(r"(?m)^.*\btiny-1\b.*\btiny\b", text):
            raise Failed(f"the tiny-1 row does not show its image:\n{text}")
        if SCREEN_FILE:
            with open(SCREEN_FILE, "w", encoding="utf-8") as f:
                f.write(text.rstrip() + "\n")
            print(f"  screen written to {SCREEN_FILE}")

        con.child.send("q")
        con.expect(PROMPT, 30, "a root shell after q")
        out = con.check("xl list | awk 'NR > 2 { print $1 }'")
        if out.split() != ["tiny-1"]:
            raise Failed(f"after t, xl list shows {out.split()}, wanted tiny-1")
        print("  q: root shell; xl list shows tiny-1")

        con.screen = Screen()
        con.child.logfile_read = con.screen
        con.send("exit")
        con.wait_screen(TUI_HEADER, 30, "the TUI again after exit")
        print("  exit: back in the TUI")

        # One path per guest operation: the TUI's s goes through the same
        # code as xenlive stop, so once the guest is gone its config goes
        # and the next launch reuses its name.
        con.child.send("j")
        con.pump(2)
        con.child.send("s")
        con.wait_screen(r"shutting down tiny-1", 30, "'shutting down tiny-1' after s")
        t0 = time.monotonic()
        con.wait_screen(r"0 guests running", 120, "tiny-1 gone after s")
        print(f"  s: tiny-1 shut down after {time.monotonic() - t0:.1f} s")
        con.child.send("t")
        con.wait_screen(r"launched tiny-1\b", 180, "the name tiny-1 reused by the next t")
        print("  t again: the name tiny-1 is reused")
        con.child.send("q")
        con.expect(PROMPT, 30, "a root shell after q")
        out = con.check("ls /run/xenlive/domains")
        if out.split() != ["tiny-1.cfg"]:
            raise Failed(f"after s and t, /run/xenlive/domains holds {out.split()}, wanted tiny-1.cfg")
        con.screen = Screen()
        con.child.logfile_read = con.screen
        con.send("exit")
        con.wait_screen(TUI_HEADER, 30, "the TUI again after exit")
        con.child.send("q")
        con.expect(PROMPT, 30, "a root shell after q")
        con.poweroff()
    finally:
        con.close()


if __name__ == "__main__":
    if "--screen" in sys.argv:
        i = sys.argv.index("--screen")
        SCREEN_FILE = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    sys.exit(run_test(test, __doc__.splitlines()[0]))
