#!/usr/bin/python3
"""Moving a guest between two xenlive machines.

    tests/boot/migrate_test.py [--net bridged|nat] [--firmware F] [--media M]
                               [--log FILE]

Boots out/xenlive.iso twice under QEMU/TCG at once, machines A and B, each
with its own -uuid (so its own MAC salt) and 1024 MiB, joined by a QEMU
socket network on the host's loopback (listen= on A, connect= on B), the
machines' LAN, where A is 192.168.77.1 and B 192.168.77.2.

--net bridged (the default, as make test runs it): the LAN card is each
machine's only card, booted with xenlive.net=bridged (typed into GRUB), so
it is a port of xenbr0 and guests sit on the LAN.  A also plays the
classroom's router: a dnsmasq there (the test's, not xenlive's) hands out
the LAN's guest addresses, 192.168.77.100-199.  The guest keeps its LAN
address through each move, and the other machine's ping of it answers
again once it has moved.

--net nat: each machine has QEMU user networking (its uplink) and the LAN
as a second card; guests are on each machine's private network and keep
their NAT address (dnsmasq's reservation moves with them).

With the real `xenlive` in each dom0 it checks:
  - a move to a machine that is not paired is refused with one line, and
    nothing changes on either side;
  - `xenlive pair` (B's boot password, read from B's console) pairs both
    ways: `xenlive info` on each lists the other, and B reaches A's dom0
    without a password;
  - too little memory on B (a big guest runs there) is refused with one
    line, exit 3, nothing left on either side;
  - a Tiny guest on A with a file in /tmp, its uptime and a ping running
    inside it (to A's dom0 bridged, its gateway in NAT) moves to B
    (`xenlive migrate tiny-1 192.168.77.2`, timed, the pause reported).
    B already runs a tiny-1, so the guest takes B's next name, tiny-2 (the
    documented rule).  On B: the same file, its uptime went on, its ping
    answers again, its address is the one it had, `ssh tiny-2` from B's
    dom0 reaches it (bridged: B's /etc/hosts has the address its agent
    wrote again into B's xenstore), the vif's MAC is the one it had on A
    and differs from B's own tiny-1; on A nothing is left (no domain,
    config, loop device or vif);
  - then it moves back, B to A, with the same checks on A and nothing left
    on B but B's own tiny-1.
"""
import concurrent.futures
import os
import re
import socket
import time
import uuid

from qemu_console import Failed, boot, run_test

LOGDIR = "/var/log/xen/console"
MARKER = "xenlive-guest up"
LAN = {"A": "192.168.77.1", "B": "192.168.77.2"}
LAN_MAC = {"A": "52:54:00:77:00:01", "B": "52:54:00:77:00:02"}
MEM = 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The LAN's DHCP server in bridged mode, on A: the classroom's router.
LAN_DHCP = ("dnsmasq --conf-file=/dev/null --port=0 --interface=xenbr0 --bind-interfaces"
            " --dhcp-range=192.168.77.100,192.168.77.199,255.255.255.0,1h"
            " --dhcp-option=option:router,192.168.77.1 --dhcp-leasefile=/run/lan.leases"
            " --pid-file=/run/lan-dnsmasq.pid")


class Machine:
    def __init__(self, label, con, net):
        self.label = label
        self.con = con
        self.lan = LAN[label]
        self.net = net
        self.card = None
        self.guest_ip = {}  # bridged: a guest's LAN address, by name

    def sh(self, command, timeout=120):
        return self.con.sh(command, timeout)

    def check(self, command, timeout=120):
        try:
            return self.con.check(command, timeout)
        except Failed as e:
            raise Failed(f"on {self.label}: {e}")

    def state(self):
        """What a move must not leave behind: domains (but Domain-0),
        configs and marks, loop devices, vifs."""
        doms = sorted(self.check("xl list | awk 'NR > 2 { print $1 }'").split())
        cfgs = sorted(self.check("ls /run/xenlive/domains").split())
        loops = int(self.check("losetup -a | wc -l").strip())
        vifs = sorted(self.check("ls /sys/class/net | grep '^vif' || :").split())
        return {"domains": doms, "configs": cfgs, "loops": loops, "vifs": vifs}

    def settled(self, want):
        """state() once it is WANT, or after 30 s as it is then: a loop
        device is released a moment after its domain goes (blkback lets
        go of it, then the block script detaches it)."""
        for _ in range(10):
            st = self.state()
            if st == want:
                break
            time.sleep(3)
        return st

    def mac(self, name):
        """The MAC of NAME's vif as Xen has it (xl network-list)."""
        return self.check(f"xl network-list {name} | awk 'NR == 2 {{ print $3 }}'").strip()


def boot_machine(args, label, logfile, lan):
    """Boots machine LABEL with LAN (a QEMU socket -netdev) as its only
    card (bridged) or its second one (nat), and gives dom0 its LAN
    address."""
    log = open(logfile, "w", encoding="utf-8") if logfile else None
    qemu = ["-uuid", str(uuid.uuid4())]
    if args.net == "bridged":
        con, ready = boot(args.firmware, args.media, args.iso, log, mem=MEM, qemu_args=qemu,
                          netdev=lan, mac=LAN_MAC[label], grub_options=" xenlive.net=bridged")
    else:
        qemu += ["-netdev", f"{lan},id=lan", "-device", f"e1000,netdev=lan,mac={LAN_MAC[label]}"]
        con, ready = boot(args.firmware, args.media, args.iso, log, mem=MEM, qemu_args=qemu)
    print(f"  {label}: xenlive ready after {ready:.1f} s")
    m = Machine(label, con, args.net)
    if args.net == "bridged":
        # Dom0's address is on xenbr0, with the card a port of it.  The LAN
        # has no DHCP server for dom0s: its DHCP client stops, and the
        # test gives the address (README: a LAN without DHCP).
        ports = m.check("brctl show xenbr0")
        m.card = (m.check("ls /sys/class/net/xenbr0/brif").split() or ["(none)"])[0]
        if not m.card.startswith("eth"):
            raise Failed(f"on {label}, xenbr0's port is not the network card:\n{ports}")
        m.check("kill $(cat /run/udhcpc.xenbr0.pid) 2>/dev/null; "
                f"ip addr add {m.lan}/24 dev xenbr0")
        if label == "A":
            m.check(LAN_DHCP)
    else:
        # The LAN card: the one with our MAC; the test gives it its address.
        card = m.check(f"grep -l {LAN_MAC[label]} /sys/class/net/*/address").strip().split("/")[4]
        m.check(f"ip addr add {m.lan}/24 dev {card} && ip link set {card} up")
        m.card = card
    return m


def one_line(rc, out, want_rc, text, what):
    lines = [l for l in out.splitlines() if l.strip()]
    if rc != want_rc or len(lines) != 1 or text not in lines[0]:
        raise Failed(f"{what}: wanted exit {want_rc} and one line with '{text}', got exit {rc}:\n{out}")
    return lines[0]


def in_guest(m, name, command):
    """COMMAND in guest NAME through `ssh NAME` from M's dom0: dnsmasq
    resolves NAME in NAT mode, dom0's /etc/hosts (the address the guest's
    agent reports) in bridged mode."""
    out = m.check(f"ssh {name} '{command}' </dev/null", timeout=180).strip().splitlines()
    return out[-1] if out else ""


def guest_up(m, name):
    m.con.wait_for_file_text(f"{LOGDIR}/guest-{name}.log", MARKER, 300)
    if m.net == "bridged":
        line = m.con.wait_for_file_text(f"{LOGDIR}/guest-{name}.log", "xenlive-guest address", 60)
        found = re.search(r"xenlive-guest address: \S+ (192\.168\.77\.\d+)/", line)
        if not found:
            raise Failed(f"{name} on {m.label} has no LAN address from A's DHCP server: {line}")
        m.guest_ip[name] = found.group(1)


def start_ping(m, ip):
    """M's dom0 pings IP, once a second, in the background."""
    m.check(f"(ping -i 1 {ip} >/tmp/ping-{ip}.log 2>&1 </dev/null & echo $! >/tmp/ping-{ip}.pid)")


def ping_replies(m, ip):
    return int(m.check(f"grep -c 'bytes from' /tmp/ping-{ip}.log || :").strip() or 0)


def move(src, dst, name):
    """xenlive migrate NAME DST on SRC; returns (new name, seconds, pause).
    Bridged, DST pings the guest throughout, and its pings answer again
    once the guest runs there, at the address it had."""
    ip = src.guest_ip.get(name)
    if ip:
        start_ping(dst, ip)
        for _ in range(15):
            if ping_replies(dst, ip) > 0:
                break
            time.sleep(2)
        else:
            raise Failed(f"{dst.label} does not reach {name} at {ip} on {src.label} across the LAN")
    t0 = time.monotonic()
    rc, out = src.sh(f"xenlive migrate {name} {dst.lan}", timeout=900)
    secs = time.monotonic() - t0
    if rc != 0:
        raise Failed(f"xenlive migrate {name} {dst.lan} on {src.label} exited {rc}:\n{out}")
    m = re.search(rf"moved {name} to {re.escape(dst.lan)} as (\S+) in ([\d.]+) s "
                  r"\(suspend and move: paused ([\d.]+) s\)", out)
    if not m:
        raise Failed(f"unexpected migrate output:\n{out}")
    print(f"  {src.label}->{dst.label}: {m.group(0)} (command {secs:.1f} s)")
    new = m.group(1)
    if ip:
        dst.guest_ip[new] = ip
        src.guest_ip.pop(name)
        before = ping_replies(dst, ip)
        for _ in range(20):
            after = ping_replies(dst, ip)
            if after > before + 2:
                break
            time.sleep(2)
        else:
            raise Failed(f"{dst.label}'s ping of {new} ({ip}) does not answer after the move")
        dst.check(f"kill $(cat /tmp/ping-{ip}.pid)")
        have = in_guest(dst, new, "ip -4 -o addr show eth0")
        if f" {ip}/" not in have:
            raise Failed(f"{new} lost its LAN address {ip} on the way to {dst.label}: {have}")
        print(f"  {dst.label} pinged {new} at {ip} through the move: {after} replies; "
              "it kept its address")
    return new, float(m.group(2)), float(m.group(3))


def check_continuity(m, name, token, up_before, pings_before):
    if in_guest(m, name, "cat /tmp/state") != token:
        raise Failed(f"{name} on {m.label} lost its /tmp/state")
    up = float(in_guest(m, name, "cut -d\" \" -f1 /proc/uptime"))
    if up < up_before:
        raise Failed(f"{name}'s uptime went back on {m.label}: {up} < {up_before}")
    # The ping the guest runs (to its gateway, 10.99.0.1 on either
    # machine, in NAT mode; to A's dom0 across the LAN, bridged) answers
    # again after the move.
    pings = pings_before
    for _ in range(20):
        pings = int(in_guest(m, name, "grep -c \"bytes from\" /tmp/ping.log"))
        if pings > pings_before + 2:
            break
        time.sleep(2)
    else:
        raise Failed(f"{name}'s ping does not answer on {m.label}: {pings} replies, "
                     f"{pings_before} before the move")
    print(f"  on {m.label}: {name} has its /tmp/state, uptime {up:.0f} s (was {up_before:.0f}), "
          f"its ping answers ({pings} replies, {pings_before} before)")
    return up, pings


def test(args, log):
    port = free_port()
    base = args.log[:-4] if args.log and args.log.endswith(".log") else args.log
    logs = {k: (f"{base}-{k}.log" if base else None) for k in "AB"}
    t_start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        fa = pool.submit(boot_machine, args, "A", logs["A"],
                         f"socket,listen=127.0.0.1:{port}")
        time.sleep(3)  # A listens before B connects
        fb = pool.submit(boot_machine, args, "B", logs["B"],
                         f"socket,connect=127.0.0.1:{port}")
        machines = []
        try:
            a = fa.result()
            machines.append(a)
            b = fb.result()
            machines.append(b)
        except Exception:
            for f in (fa, fb):
                if f.done() and not f.exception():
                    f.result().con.close()
            raise
    try:
        run(a, b)
        print(f"  suite {time.monotonic() - t_start:.0f} s")
    finally:
        for m in machines:
            m.con.close()


def run(a, b):
    a.check(f"ping -c 1 -W 5 {b.lan}", timeout=60)
    print(f"  A ({a.lan} on {a.card}) and B ({b.lan} on {b.card}) reach each other")

    # The guest to move, and on B a big guest that leaves it too little
    # memory: half of what it has.
    # 64 MiB: it keeps an SSH server, a ping and the test's files through
    # two moves; Tiny's default, 32 MiB, leaves about 5 MiB to programs.
    a.check("xenlive launch tiny -m 64", timeout=300)
    mem = int(a.check("xl list tiny-1 | awk 'NR == 2 { print $3 }'").strip())
    free_b = int(b.check("xl info free_memory").strip())
    b.check(f"xenlive launch tiny -m {free_b - mem // 2}", timeout=300)
    guest_up(a, "tiny-1")
    token = f"state-{os.getpid()}"
    in_guest(a, "tiny-1", f"echo {token} > /tmp/state")
    target = LAN["A"] if a.net == "bridged" else "10.99.0.1"
    in_guest(a, "tiny-1", f"ping -i 1 {target} >/tmp/ping.log 2>&1 </dev/null & echo started")
    mac_a = a.mac("tiny-1")

    # Not paired: one line, nothing changes.
    before_a, before_b = a.state(), b.state()
    rc, out = a.sh(f"xenlive migrate tiny-1 {b.lan}")
    print("  unpaired: " + one_line(rc, out, 1, f"{b.lan} is not paired", "a move to an unpaired machine"))
    if a.state() != before_a or b.state() != before_b:
        raise Failed(f"a refused move changed something: A {before_a} -> {a.state()}, "
                     f"B {before_b} -> {b.state()}")

    # Pairing, with B's boot password from B's console.
    password = b.check("cat /run/xenlive/password").strip()
    out = a.check(f"DROPBEAR_PASSWORD='{password}' xenlive pair {b.lan}", timeout=180)
    print("  " + out.strip().splitlines()[-1])
    for m, other in ((a, b), (b, a)):
        if other.lan not in m.check("xenlive info | grep paired:"):
            raise Failed(f"xenlive info on {m.label} does not list {other.lan} as paired")
    # Both ways: B logs in to A with its own key, no password.
    if b.check(f"dbclient -i /root/.ssh/id_dropbear root@{a.lan} hostname </dev/null",
               timeout=120).strip().splitlines()[-1] != "xenlive":
        raise Failed("B does not reach A's dom0 with its key")
    print("  xenlive info lists the other machine on both; B logs in to A with its key")

    # Too little memory on B: one line, exit 3, nothing changes.
    before_a, before_b = a.state(), b.state()
    rc, out = a.sh(f"xenlive migrate tiny-1 {b.lan}", timeout=180)
    print("  full: " + one_line(rc, out, 3, f"not enough memory on {b.lan} for tiny-1",
                                "a move to a full machine"))
    if a.state() != before_a or b.state() != before_b:
        raise Failed(f"a refused move changed something: A {before_a} -> {a.state()}, "
                     f"B {before_b} -> {b.state()}")

    # B's big guest goes; a normal tiny-1 takes its place: the name collides.
    b.check("xenlive destroy tiny-1", timeout=120)
    b.check("xenlive launch tiny", timeout=300)
    guest_up(b, "tiny-1")
    mac_b1 = b.mac("tiny-1")
    b_own = b.state()  # B with its own tiny-1 only

    up = float(in_guest(a, "tiny-1", "cut -d\" \" -f1 /proc/uptime"))
    pings = int(in_guest(a, "tiny-1", "grep -c \"bytes from\" /tmp/ping.log"))
    if pings < 1:
        raise Failed("the guest's ping to its gateway does not answer on A")

    # A -> B: B runs a tiny-1, so it arrives as tiny-2.
    name, _, _ = move(a, b, "tiny-1")
    if name != "tiny-2":
        raise Failed(f"tiny-1 arrived on B as {name}, not tiny-2 (B runs its own tiny-1)")
    empty = {"domains": [], "configs": [], "loops": 0, "vifs": []}
    sa = a.settled(empty)
    if sa != empty:
        raise Failed(f"A kept something after the move: {sa}")
    sb = b.state()
    if sb["domains"] != ["tiny-1", "tiny-2"] or sb["configs"] != ["tiny-1.cfg", "tiny-2.cfg"]:
        raise Failed(f"B after the move: {sb}")
    mac = b.mac(name)
    if mac != mac_a or mac == mac_b1:
        raise Failed(f"MACs: {name} {mac} on B, {mac_a} on A; B's tiny-1 {mac_b1}")
    print(f"  A keeps nothing; the MAC stayed {mac} (B's tiny-1: {mac_b1})")
    up, pings = check_continuity(b, name, token, up, pings)
    if "tiny-2" not in b.check("xenlive list"):
        raise Failed("xenlive list on B does not show tiny-2")

    # B -> A: the name is free there, so it comes back as tiny-2.
    name, _, _ = move(b, a, name)
    sb = b.settled(b_own)
    if sb["domains"] != ["tiny-1"] or sb["configs"] != ["tiny-1.cfg"] or sb["loops"] != 1:
        raise Failed(f"B kept something after the move back: {sb}")
    sa = a.state()
    if sa["domains"] != [name] or sa["configs"] != [f"{name}.cfg"] or sa["loops"] != 1:
        raise Failed(f"A after the move back: {sa}")
    if a.mac(name) != mac_a:
        raise Failed(f"{name}'s MAC changed on the way back: {a.mac(name)}, was {mac_a}")
    check_continuity(a, name, token, up, pings)
    print(f"  B keeps only its own tiny-1; {name} is back on A with its MAC")


if __name__ == "__main__":
    import sys
    sys.exit(run_test(test, __doc__.splitlines()[0], lambda p: p.add_argument(
        "--net", choices=["bridged", "nat"], default="bridged", help="the machines' xenlive.net")))
