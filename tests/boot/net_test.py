#!/usr/bin/python3
"""Guest networking (nat mode) and SSH, end to end.

    tests/boot/net_test.py [--firmware F] [--media M] [--log FILE]

Boots out/xenlive.iso under QEMU/TCG with user networking, dom0's port 22
forwarded to a free port on this host's 127.0.0.1, and an HTTP server that
this test runs on 127.0.0.1 (the machine sees it at 10.0.2.2).  Checks:
  - the console shows this boot's random root password before "xenlive
    ready"; `xenlive info` shows it locally, and dom0's DHCP address;
  - OpenSSH's client logs into dom0's dropbear with that password (sshpass)
    and runs `xl list`; a wrong and an empty password are refused; over SSH
    `xenlive info` and the TUI do not show the password;
  - two TUIs over SSH at once, beside the consoles' own, at different
    sizes: both show the guests, and one redraws wider after a resize;
  - from dom0, `ssh debian-1` and `xenlive ssh tiny-1` run a command with no
    password, checking the host key each guest printed on its console;
  - guests resolve each other's names and dom0 resolves theirs (dnsmasq);
  - tiny-1 fetches a file from the host's HTTP server through DHCP, the
    bridge and NAT;
  - a guest trying dom0's SSH port, on either of dom0's addresses, is
    refused (nftables).
"""
import functools
import http.server
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading

import pexpect

from qemu_console import TUI_HEADER, Failed, Screen, boot, run_test

MARKER = "xenlive-guest up"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def http_server(folder):
    """Serves folder on 127.0.0.1 in a thread; returns (server, port)."""
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


SSH_OPTS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=30"]


def host_ssh(port, password, command):
    """OpenSSH's client, password only, through sshpass; (exit code, output)."""
    cmd = ["sshpass", "-p", password, "ssh", *SSH_OPTS, "-o", "PubkeyAuthentication=no",
           "-o", "PreferredAuthentications=password,keyboard-interactive",
           "-o", "NumberOfPasswordPrompts=1", "-p", str(port), "root@127.0.0.1", command]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def ssh_tui(port, password, columns, lines, term):
    """`xenlive ui` over SSH on a terminal of the given size and TERM, as a
    student's kitty or tmux would ask for it; (child, Screen)."""
    screen = Screen(columns, lines)
    child = pexpect.spawn("sshpass", ["-p", password, "ssh", *SSH_OPTS, "-t", "-p", str(port),
                                      "root@127.0.0.1", f"TERM={term} xenlive ui"],
                          encoding="utf-8", codec_errors="replace", timeout=60,
                          dimensions=(lines, columns))
    child.logfile_read = screen
    return child, screen


def wait_tui(child, screen, pattern, what, timeout=60):
    for _ in range(timeout * 2):
        if re.search(pattern, screen.text()):
            return screen.text()
        try:
            child.expect(pexpect.TIMEOUT, timeout=0.5)
        except pexpect.EOF:
            raise Failed(f"the TUI over SSH ended while waiting for {what}:\n{screen.text()}")
    raise Failed(f"timed out waiting for {what} in the TUI over SSH:\n{screen.text()}")


def check_ssh_tuis(port, password):
    """Two TUIs over SSH at once, from kitty (TERM=xterm-kitty) and tmux
    (tmux-256color); the small one is resized.  Then a terminal dom0 has
    no entry for falls back with a notice, and TERM=dumb gets one line."""
    small, small_screen = ssh_tui(port, password, 80, 24, "xterm-kitty")
    big, big_screen = ssh_tui(port, password, 132, 40, "tmux-256color")
    try:
        for child, screen, size in ((small, small_screen, "80x24 xterm-kitty"),
                                    (big, big_screen, "132x40 tmux-256color")):
            text = wait_tui(child, screen, r"debian-1[\s\S]*tiny-1|tiny-1[\s\S]*debian-1",
                            f"both guests at {size}")
            if not TUI_HEADER.search(text):
                raise Failed(f"no TUI header at {size}:\n{text}")
            if password in text:
                raise Failed(f"the TUI over SSH shows the root password:\n{text}")
            if "TERM=" in text:
                raise Failed(f"a fallback notice at {size}, whose entry dom0 has:\n{text}")
        print("  two TUIs over SSH (80x24 xterm-kitty, 132x40 tmux-256color) show debian-1 "
              "and tiny-1, no password, no fallback")
        # A wider terminal: SSH passes the new size on, ncurses redraws.
        small_screen.screen.resize(30, 120)
        small.setwinsize(30, 120)
        text = wait_tui(small, small_screen, r"(?m)^.{81,}$", "a line wider than 80 after resize")
        if not re.search(r"tiny-1", text):
            raise Failed(f"after the resize the table lost its rows:\n{text}")
        print("  resize to 120x30: the TUI redraws at the new width")
        for child in (small, big):
            child.send("q")
            child.expect(pexpect.EOF, timeout=30)
        print("  q over SSH ends the TUI and the session (no shell)")
    finally:
        for child in (small, big):
            if child.isalive():
                child.terminate(force=True)
    odd, odd_screen = ssh_tui(port, password, 80, 24, "no-such-terminal")
    try:
        text = wait_tui(odd, odd_screen, r"tiny-1", "the view on a TERM dom0 has no entry for")
        if "TERM=no-such-terminal" not in text:
            raise Failed(f"no fallback notice for TERM=no-such-terminal:\n{text}")
        odd.send("q")
        odd.expect(pexpect.EOF, timeout=30)
    finally:
        if odd.isalive():
            odd.terminate(force=True)
    line = [l for l in text.splitlines() if "TERM=no-such-terminal" in l][0].strip()
    print(f"  TERM=no-such-terminal over SSH: drawn, with: {line}")
    # Wide enough for the line not to wrap on the emulated screen.
    dumb, dumb_screen = ssh_tui(port, password, 200, 24, "dumb")
    dumb.expect(pexpect.EOF, timeout=60)
    dumb.close()
    lines = [l for l in dumb_screen.text().splitlines() if l.strip()]
    if dumb.exitstatus != 1 or len(lines) != 1 or "TERM=dumb" not in lines[0]:
        raise Failed(f"TERM=dumb xenlive ui over SSH: exit {dumb.exitstatus}:\n{lines}")
    print(f"  TERM=dumb over SSH: exit 1, {lines[0].strip()}")


def test(args, log):
    port = free_port()
    folder = tempfile.mkdtemp()
    token = secrets.token_hex(16)
    with open(os.path.join(folder, "probe.txt"), "w") as f:
        f.write(token + "\n")
    server, http_port = http_server(folder)
    con, ready = boot(args.firmware, args.media, args.iso, log, ssh_port=port)
    try:
        print(f"  xenlive ready after {ready:.1f} s; dom0's SSH on 127.0.0.1:{port}")
        m = re.search(r"root password for this boot: (\S+)", con.boot_text)
        if not m:
            raise Failed("the console did not show the root password before xenlive ready")
        password = m.group(1)
        if len(password) < 12:
            raise Failed(f"the random password is short: {password!r}")
        print(f"  console: root password for this boot: {password}")

        # DHCP goes on in the background; the address comes within seconds.
        info = con.check("i=0; until xenlive info | grep -q 'uplink:.*10\\.0\\.2\\.'; do "
                         "i=$((i+1)); [ $i -gt 30 ] && break; sleep 1; done; xenlive info")
        if not re.search(r"uplink:.*10\.0\.2\.\d+", info) or password not in info:
            raise Failed(f"xenlive info on the console lacks the address or password:\n{info}")
        print("  xenlive info (console): uplink address and password shown")
        if "masquerade" not in con.check("nft list ruleset"):
            raise Failed("no masquerade rule loaded")

        rc, out = host_ssh(port, password, "xl list")
        if rc != 0 or "Domain-0" not in out:
            raise Failed(f"ssh with the password did not run xl list (exit {rc}):\n{out}")
        print("  OpenSSH client + sshpass: logged in, xl list shows Domain-0")
        for wrong in ("not-" + password, ""):
            rc, out = host_ssh(port, wrong, "true")
            if rc == 0 or "denied" not in out:
                raise Failed(f"password {wrong!r} was not refused (exit {rc}):\n{out}")
        print("  a wrong and an empty password: Permission denied")
        rc, out = host_ssh(port, password, "xenlive info")
        if rc != 0 or password in out or "shown on the local console" not in out:
            raise Failed(f"xenlive info over SSH (exit {rc}) shows the password or no notice:\n{out}")
        print("  xenlive info over SSH: password not shown")

        con.check("xenlive launch tiny && xenlive launch debian", timeout=300)
        for name in ("tiny-1", "debian-1"):
            line = con.wait_for_file_text(f"/var/log/xen/console/guest-{name}.log", MARKER, 300)
            print(f"  {line}")

        out = con.check("ssh debian-1 uname -n", timeout=120)
        if out.strip().splitlines()[-1] != "debian-1":
            raise Failed(f"ssh debian-1 uname -n: {out}")
        known = con.check("cat /root/.ssh/known_hosts")
        if not re.search(r"(?m)^debian-1 ssh-ed25519 ", known):
            raise Failed(f"debian-1's host key is not in known_hosts:\n{known}")
        print("  dom0: ssh debian-1 uname -n -> debian-1 (no password; host key from its console)")
        out = con.check("xenlive ssh tiny-1 hostname", timeout=120)
        if out.strip().splitlines()[-1] != "tiny-1":
            raise Failed(f"xenlive ssh tiny-1 hostname: {out}")
        print("  dom0: xenlive ssh tiny-1 hostname -> tiny-1")

        con.check("ping -c 1 -W 5 debian-1 && ping -c 1 -W 5 tiny-1.xenlive")
        con.check("ssh tiny-1 ping -c 1 -W 5 debian-1", timeout=120)
        print("  names: dom0 and tiny-1 resolve debian-1; dom0 resolves tiny-1.xenlive")
        out = con.check(f"ssh tiny-1 wget -q -O - http://10.0.2.2:{http_port}/probe.txt",
                        timeout=120)
        if token not in out:
            raise Failed(f"tiny-1 did not fetch the file from the host:\n{out}")
        print("  tiny-1 fetched a file from the host's 127.0.0.1 (DHCP, NAT, bridge)")

        uplink = re.search(r"uplink:\s+\S+\s+(10\.0\.2\.\d+)", info).group(1)
        for address in ("10.99.0.1", uplink):
            rc, out = con.sh(f"ssh tiny-1 timeout 10 nc {address} 22 </dev/null", timeout=120)
            if rc == 0 or "refused" not in out.lower():
                raise Failed(f"tiny-1 reached dom0's SSH at {address} (exit {rc}):\n{out}")
        print("  tiny-1 -> dom0 port 22 (10.99.0.1 and the uplink): connection refused")

        check_ssh_tuis(port, password)
        con.poweroff()
    finally:
        server.shutdown()
        con.close()


if __name__ == "__main__":
    sys.exit(run_test(test, __doc__.splitlines()[0]))
