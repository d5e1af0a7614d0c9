"""Drives the serial console of out/xenlive.iso booted in QEMU (TCG).

Shared by the boot tests: start QEMU through iso/run-qemu.sh, wait for
"xenlive ready", run shell commands at dom0's root prompt and read their
output and exit code.
"""
import os
import re
import sys
import time

import pexpect
import pyte

sys.stdout.reconfigure(line_buffering=True)

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = "xenlive:~# "

# A line Xen printed on the serial line (its log shares it with dom0's
# console): it can land inside dom0's output, even inside a marker
# ("__RC=0(XEN) [ 35.6] uart interrupt taking more than 4ms, ...\n__").
# Console.sh's markers match with any number of such lines between any two
# of their characters, and its output has them taken out, so that a count
# a test parses is never broken by one (as crash's was, in CI: "invalid
# literal for int(): '(XEN)'").  A test that reads `xl dmesg` through it
# renames that prefix in dom0 first (see XEN_DMESG).
XEN_LINE = re.compile(r"\(XEN\)[^\n]*\n")
XEN_LINES = r"(?:\(XEN\)[^\n]*\n)*"
# `xl dmesg` with its "(XEN)" prefix renamed, so that Console.sh keeps its lines.
XEN_DMESG = "xl dmesg | sed 's/^(XEN)/[xen]/'"


def split_ok(literal):
    """A regex source for LITERAL with Xen's lines allowed inside it."""
    return XEN_LINES.join(re.escape(c) for c in literal)


OUT_MARK = re.compile(split_ok("__OUT__"))
RC_MARK = re.compile(split_ok("__RC=") + XEN_LINES + r"(\d(?:" + XEN_LINES + r"\d)*)" + XEN_LINES
                     + split_ok("__"))
PROMPT_MARK = re.compile(split_ok(PROMPT))


def pin():
    """The release pin, hypervisor/version.conf, as a dict (XEN_SERIES, ...)."""
    values = {}
    with open(os.path.join(TOP, "hypervisor", "version.conf")) as f:
        for line in f:
            m = re.match(r"([A-Z_]+)=(\S*)", line)
            if m:
                values[m.group(1)] = m.group(2)
    return values


XEN_SERIES = pin()["XEN_SERIES"]
# The TUI's header line, as rendered on the screen.
TUI_HEADER = re.compile(r"xenlive +Xen " + re.escape(XEN_SERIES) + r"\.\S* +up .* running")


def last_lines(text, lines=20):
    """The last LINES lines of console TEXT, without carriage returns."""
    return "\n".join(text.replace("\r", "").splitlines()[-lines:])


class Failed(Exception):
    pass


class Screen:
    """What a VT100 terminal on the serial line shows (pyte emulates it)."""

    def __init__(self, columns=80, lines=24):
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.Stream(self.screen)

    def write(self, text):
        self.stream.feed(text)

    def flush(self):
        pass

    def text(self):
        return "\n".join(line.rstrip() for line in self.screen.display)


class Console:
    def __init__(self, child):
        self.child = child
        self.screen = Screen()
        child.logfile_read = self.screen

    def pump(self, seconds):
        """Reads (and renders) the console for a while."""
        try:
            self.child.expect(pexpect.TIMEOUT, timeout=seconds)
        except pexpect.EOF:
            raise Failed("QEMU exited")

    def wait_screen(self, pattern, timeout, what):
        """Waits until the rendered screen matches pattern; returns the text."""
        end = time.monotonic() + timeout
        while True:
            text = self.screen.text()
            if re.search(pattern, text):
                return text
            if time.monotonic() > end:
                raise Failed(f"timed out after {timeout}s waiting for {what}; the screen:\n{text}")
            try:
                self.child.expect(pexpect.TIMEOUT, timeout=0.5)
            except pexpect.EOF:
                raise Failed(f"QEMU exited while waiting for {what}")

    def expect(self, pattern, timeout, what):
        try:
            self.child.expect(pattern, timeout=timeout)
        except pexpect.TIMEOUT:
            raise Failed(f"timed out after {timeout}s waiting for {what}; the console's last "
                         f"lines:\n{self.tail()}")
        except pexpect.EOF:
            raise Failed(f"QEMU exited while waiting for {what}")
        return self.child.match

    def tail(self, lines=20):
        """The last lines the console printed since the last match."""
        before = self.child.before
        return last_lines(before, lines) if isinstance(before, str) else ""

    def diagnose(self):
        """After a command hung: interrupts it and returns what dom0 shows
        (processes, domains, memory), for the failure message."""
        try:
            self.child.send("\x03")
            self.child.expect(PROMPT, timeout=60)
            self.send("printf '__%s__\\n' DIAG; ps | grep -v 'xl create' | tail -n 30; xl list; "
                      "grep -E '^(MemFree|MemAvailable)' /proc/meminfo; printf '__%s__\\n' END")
            self.child.expect("__DIAG__", timeout=60)
            self.child.expect("__END__", timeout=120)
            return self.child.before.replace("\r", "").strip("\n")
        except (pexpect.TIMEOUT, pexpect.EOF):
            return "(dom0 did not answer after Ctrl-C)"

    def send(self, line, enter=True):
        """Types a line.  Xen's serial input drops characters that arrive
        faster than dom0 reads them, so type in short bursts."""
        if enter:
            line += "\r"
        for i in range(0, len(line), 16):
            self.child.send(line[i:i + 16])
            time.sleep(0.05)

    # Seconds for a typed line's first marker: the shell prints it before
    # anything else, so when it does not come the line lost characters
    # on the way (Xen drops serial input a busy dom0 does not read) and
    # the shell still waits for the rest: Ctrl-C, and type it again.
    TYPED_LINE_SECONDS = 120
    TYPED_LINE_TRIES = 3

    def wait_marker(self, regex, timeout, text=""):
        """Reads the console until REGEX matches what it printed after TEXT;
        returns (match, text before it, text after it), or None after
        TIMEOUT seconds.  Everything read is consumed: what came after the
        match is returned, for the next call.  (Not pexpect's expect: on a
        timeout its `before` holds everything since its last match, so
        adding it up every 2 s repeated the output, and the matching ran
        over a text growing as the square of the time.)"""
        end = time.monotonic() + timeout
        # What an earlier expect() read and left in pexpect's buffer.
        raw = text + self.child.buffer
        self.child.buffer = ""
        fresh = True
        while True:
            if fresh:
                m = regex.search(raw)
                if m:
                    return m, raw[:m.start()], raw[m.end():]
            left = end - time.monotonic()
            if left <= 0:
                self.unmatched = raw
                return None
            try:
                raw += self.child.read_nonblocking(65536, timeout=min(left, 2))
                fresh = True
            except pexpect.TIMEOUT:
                fresh = False
            except pexpect.EOF:
                raise Failed("QEMU exited")

    def sh(self, command, timeout=60):
        """Runs a shell command; returns (exit code, output).  The markers
        are printed with printf so that the echoed command line, which the
        terminal may wrap anywhere, never matches them."""
        line = f"printf '__%s__\\n' OUT; {command}; echo \"__RC=$?__\""
        for attempt in range(1, self.TYPED_LINE_TRIES + 1):
            self.send(line)
            started = self.wait_marker(OUT_MARK, self.TYPED_LINE_SECONDS)
            if started:
                break
            if attempt == self.TYPED_LINE_TRIES:
                raise Failed(f"timed out: `{command}` typed {attempt} times, never ran")
            print(f"  note: `{command[:60]}` did not start (typed input lost?); typing it again")
            self.child.send("\x03")
            self.expect(PROMPT, 60, "the prompt after Ctrl-C")
        done = self.wait_marker(RC_MARK, timeout, started[2])
        if not done:
            raise Failed(f"timed out after {timeout}s waiting for `{command}`; the console's "
                         f"last lines:\n{last_lines(self.unmatched)}\nafter Ctrl-C, dom0 shows:\n{self.diagnose()}")
        m, output, rest = done
        if not self.wait_marker(PROMPT_MARK, 10, rest):
            raise Failed(f"no prompt after `{command}`")
        output = XEN_LINE.sub("", output.replace("\r", ""))
        return int(XEN_LINE.sub("", m.group(1))), output.strip("\n")

    def check(self, command, timeout=60):
        rc, out = self.sh(command, timeout)
        if rc != 0:
            raise Failed(f"`{command}` exited {rc}:\n{out}")
        return out

    def wait_for_file_text(self, path, text, seconds):
        """Waits until the file has a line containing text; returns it."""
        rc, out = self.sh(f"i=0; until grep -q '{text}' {path} 2>/dev/null; do "
                          f"i=$((i+1)); [ $i -gt {seconds} ] && break; sleep 1; done; "
                          f"grep '{text}' {path}", timeout=seconds * 2 + 60)
        if rc != 0:
            _, tail = self.sh(f"tail -n 15 {path}")
            raise Failed(f"no '{text}' in {path} after {seconds} s; it ends:\n{tail}")
        return out.strip()

    def install(self, path, text):
        """Writes TEXT to the executable file PATH in dom0, a few lines
        per printf (dom0's BusyBox has no base64), typed while dom0 is
        idle, so that later commands are short: typed input can lose
        characters when dom0 is busy."""
        self.check(f": > {path}")
        chunk = []
        for line in text.splitlines() + [None]:
            if chunk and (line is None or sum(len(c) + 3 for c in chunk) + len(line) > 300):
                self.check(f"printf '%s\\n' {' '.join(chunk)} >> {path}")
                chunk = []
            if line is not None:
                chunk.append("'" + line.replace("'", "'\\''") + "'")
        self.check(f"chmod +x {path}")

    def poweroff(self):
        self.send("poweroff")
        self.expect(pexpect.EOF, 180, "QEMU to exit after poweroff")

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)




def grub_append(con, options):
    """At the GRUB menu on the serial line, as a person would: e, to the
    dom0 kernel's line, append OPTIONS (a string starting with a blank),
    then Ctrl-X boots it."""
    child = con.child
    con.expect("automatically in", 120, "the GRUB menu")
    child.send("e")
    con.expect("multiboot2", 30, "GRUB's editor")
    con.pump(1)
    # The entry: echo, multiboot2, module2 vmlinuz, module2 initrd.
    # GRUB's editor keys (Emacs-like); escape sequences for the arrow
    # keys reach it over serial as text.  Ctrl-N moves by screen line
    # and Xen's long line wraps, so: to the last line (the initrd),
    # then one up to the dom0 kernel's line, which does not wrap.
    for ctrl in "\x0e" * 5 + "\x10" + "\x05":  # Ctrl-N x5, Ctrl-P, Ctrl-E
        child.send(ctrl)
        con.pump(1.5)
    con.pump(0.5)
    # GRUB redraws the line for every key over serial: one at a time,
    # reading the redraw meanwhile so that the serial line never stalls.
    for ch in options:
        child.send(ch)
        con.pump(0.15)
    con.pump(1)
    child.send("\x18")                   # Ctrl-X: boot


def boot(firmware="bios", media="cd", iso=None, log=None, mem=2048, shell=True,
         ssh_port=None, qemu_args=None, grub_options=None, netdev=None, mac=None):
    """Starts QEMU, waits for "xenlive ready" and the TUI, then (shell)
    leaves it with q for the root prompt; returns (Console, seconds to
    ready).  Console.boot_text is what the console printed before the
    ready line.  ssh_port forwards 127.0.0.1:ssh_port to dom0's port 22;
    qemu_args are more QEMU options (a second disk); grub_options are
    typed at the end of dom0's kernel line in GRUB's editor (grub_append);
    netdev replaces the network card's user networking and mac sets its
    MAC (run-qemu.sh --netdev, --mac).  grub_options start with a space
    (they go right after the last option on the line)."""
    env = dict(os.environ, XENLIVE_ACCEL="tcg")
    cmd = [os.path.join(TOP, "iso", "run-qemu.sh"), "--firmware", firmware,
           "--media", media, "--iso", iso or os.path.join(TOP, "out", "xenlive.iso"),
           "--mem", str(mem)]
    if ssh_port:
        cmd += ["--ssh-port", str(ssh_port)]
    if netdev:
        cmd += ["--netdev", netdev]
    if mac:
        cmd += ["--mac", mac]
    if qemu_args:
        cmd += ["--", *qemu_args]
    start = time.monotonic()
    child = pexpect.spawn(cmd[0], cmd[1:], env=env, encoding="utf-8",
                          codec_errors="replace", logfile=log, timeout=60)
    con = Console(child)
    if grub_options:
        grub_append(con, grub_options)
    m = con.expect(re.compile(r"xenlive ready([^\r\n]*)\r*\n"), 400, '"xenlive ready"')
    ready = time.monotonic() - start
    con.boot_text = con.child.before
    if "degraded" in m.group(1):
        raise Failed(f"dom0 start-up failed: xenlive ready{m.group(1)}")
    con.screen = Screen()
    con.child.logfile_read = con.screen
    # The serial console starts the TUI; q leaves it for the root shell.
    # Xen's own messages can land on its header ("uart interrupt taking
    # more than 4ms"), which ncurses does not redraw unless it changes:
    # Ctrl-L repaints the screen, as a person would press it.
    try:
        con.wait_screen(TUI_HEADER, 30, "the xenlive TUI on the serial console")
    except Failed:
        con.child.send("\x0c")
        con.wait_screen(TUI_HEADER, 60, "the xenlive TUI on the serial console, after Ctrl-L")
    if shell:
        con.child.send("q")
        con.expect(PROMPT, 30, "a root shell after q")
    return con, ready


def run_test(test, description, options=None):
    """Command-line wrapper: --firmware, --media, --iso, --log, --mem, and
    the test's own, which options(parser) adds; runs test(args, log) and
    turns Failed into exit code 1."""
    import argparse
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--firmware", choices=["bios", "uefi"], default="bios")
    p.add_argument("--media", choices=["cd", "usb"], default="cd")
    p.add_argument("--iso", default=os.path.join(TOP, "out", "xenlive.iso"))
    p.add_argument("--log", help="write the whole console here")
    p.add_argument("--mem", type=int, default=2048, help="the QEMU machine's memory, MiB")
    if options:
        options(p)
    args = p.parse_args()
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    try:
        test(args, log)
    except Failed as e:
        print(f"  FAILED: {e}")
        if args.log:
            print(f"  console log: {args.log}")
        return 1
    finally:
        if log:
            log.close()
    return 0
