#!/usr/bin/python3
"""Suspend to disk, and moving a guest to localhost.

    tests/boot/save_disk_test.py [--firmware F] [--media M] [--log FILE]
                                 [--moves N]

Makes a 600 MiB virtual disk with `mkfs.ext4 -L XENLIVE-DATA`, boots
out/xenlive.iso under QEMU/TCG with it, and checks, with the real
`xenlive` command in dom0:
  - start-up mounts the volume (one line) and `xenlive info` says saves go
    there;
  - a Tiny guest with a file in its /tmp is saved to the volume
    (`xenlive save`, timed): .save, .meta (the image's SHA256), .cfg; no
    domain, loop device or config left; `xenlive saves` lists it on disk;
  - after powering off and booting again with the same disk, `xenlive
    restore` (timed) brings it back: its file is there and its uptime went
    on from where it was;
  - `xenlive migrate NAME localhost`, three times (--moves N; each timed, the pause
    reported): the guest keeps its file and its uptime goes on; only the
    new name has a domain, a config and a loop device;
  - `xenlive pair 127.0.0.1` (dom0's own dropbear): a wrong password is one
    line, the right one pairs; `xenlive migrate NAME 127.0.0.1` then moves
    the guest through dbclient, with the same checks;
  - with the volume nearly full, `xenlive save` is refused with one line,
    the guest still runs and no file is left in saves/;
  - a Debian guest, in the second boot, moved to localhost three times
    (--moves N) with the same checks.
Each guest keeps a counter in /tmp/counter (a loop adds one every
second): after each move it has gone on counting.
"""
import os
import re
import subprocess
import tempfile
import time

from qemu_console import Failed, boot, run_test

LOGDIR = "/var/log/xen/console"
MARKER = "xenlive-guest up"
SAVES = "/mnt/xenlive-data/saves"
# dom0's key is new at each boot, and a guest trusts the one it was
# launched with: the first boot's key is kept on the volume for the second.
KEY = "/mnt/xenlive-data/first-boot-key"
# The second boot's own key, for a guest launched then.
KEY2 = "/root/.ssh/id_dropbear"


def make_volume(path, mib=600):
    with open(path, "wb") as f:
        f.truncate(mib << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "XENLIVE-DATA", path], check=True)


# A counter the guest keeps: one more in /tmp/counter every second.
COUNTER = ("i=0; while :; do i=$((i + 1)); echo $i >/tmp/counter; sleep 1; done "
           ">/dev/null 2>&1 </dev/null & echo started")


def guest_address(con, name):
    line = con.wait_for_file_text(f"{LOGDIR}/guest-{name}.log", "xenlive-guest address", 300)
    m = re.search(r"xenlive-guest address: \S+ (10\.99\.0\.\d+)/", line)
    if not m:
        raise Failed(f"{name} has no address: {line}")
    return m.group(1)


def in_guest(con, address, command, key=KEY):
    """COMMAND in the guest at ADDRESS, logged in with dom0's KEY (the
    first boot's by default)."""
    return con.check(f"dbclient -y -y -i {key} root@{address} '{command}'",
                     timeout=120).strip().splitlines()[-1]


def timed(con, command, timeout=600):
    t0 = time.monotonic()
    rc, out = con.sh(command, timeout)
    return rc, out, time.monotonic() - t0


def check_only(con, name):
    """NAME is the one guest: one domain, config and loop device."""
    doms = con.check("xl list | awk 'NR > 2 { print $1 }'").split()
    cfgs = con.check("ls /run/xenlive/domains").split()
    loops = int(con.check("losetup -a | wc -l").strip())
    if doms != [name] or cfgs != [f"{name}.cfg"] or loops != 1:
        raise Failed(f"wanted only {name}: domains {doms}, configs {cfgs}, {loops} loop devices")


def move_over_ssh(con, name, address, token, up_before):
    """Pairing with this machine's own SSH server (127.0.0.1, dbclient and
    dropbear, as with another machine): a wrong password is one line; the
    right one pairs; then a move goes through dbclient."""
    rc, out = con.sh("DROPBEAR_PASSWORD=wrong-password xenlive pair 127.0.0.1", timeout=120)
    lines = [l for l in out.splitlines() if l.strip()]
    if rc != 1 or len(lines) != 1 or "refused the login" not in lines[0]:
        _, raw = con.sh("DROPBEAR_PASSWORD=wrong-password dbclient -y 127.0.0.1 true </dev/null 2>&1 | tail -n 4",
                        timeout=120)
        print(f"  dbclient itself said:\n{raw}")
        raise Failed(f"pairing with a wrong password: exit {rc}:\n{out}")
    print(f"  wrong password: {lines[0]}")
    out = con.check("DROPBEAR_PASSWORD=$(cat /run/xenlive/password) xenlive pair 127.0.0.1",
                    timeout=120)
    print(f"  {out.strip().splitlines()[-1]}")
    if "127.0.0.1" not in con.check("xenlive info | grep paired:"):
        raise Failed("xenlive info does not list 127.0.0.1 as paired")
    return move(con, name, "127.0.0.1", address, token, up_before, "over dbclient")


def move(con, name, host, address, token, up_before, what, key=KEY):
    """`xenlive migrate NAME HOST`: prints its line; the guest is the only
    one, keeps its /tmp/state, its uptime and its counter go on.  Returns
    the new name and uptime."""
    count_before = int(in_guest(con, address, "cat /tmp/counter", key))
    rc, out, secs = timed(con, f"xenlive migrate {name} {host}")
    if rc != 0:
        raise Failed(f"xenlive migrate {name} {host} exited {rc}:\n{out}")
    m = re.search(rf"moved (\S+) to {re.escape(host)} as (\S+) in ([\d.]+) s \(suspend and "
                  r"move: paused ([\d.]+) s\)", out)
    if not m:
        raise Failed(f"unexpected migrate output:\n{out}")
    print(f"  {what}: {m.group(0)} (command {secs:.1f} s)")
    name = m.group(2)
    check_only(con, name)
    if in_guest(con, address, "cat /tmp/state", key) != token:
        raise Failed(f"{name} lost its /tmp/state")
    up = float(in_guest(con, address, "cut -d\" \" -f1 /proc/uptime", key))
    if up < up_before:
        raise Failed(f"{name}'s uptime went back: {up} < {up_before}")
    for _ in range(10):
        count = int(in_guest(con, address, "cat /tmp/counter", key))
        if count > count_before:
            break
        time.sleep(1)
    else:
        raise Failed(f"{name}'s counter stopped at {count} after the move (was {count_before})")
    return name, up


def first_boot(args, log, disk):
    con, ready = boot(args.firmware, args.media, args.iso, log,
                      qemu_args=["-drive", f"file={disk},format=raw,if=virtio"])
    try:
        print(f"  xenlive ready after {ready:.1f} s")
        m = re.search(r"xenlive: data volume (\S+) \(ext4\) mounted at /mnt/xenlive-data[^\r\n]*",
                      con.boot_text)
        if not m:
            raise Failed("no 'data volume ... mounted' line at start-up")
        print(f"  {m.group(0)}")
        info = con.check("xenlive info")
        if not re.search(r"saves:\s+0, new ones to disk \S+ \(ext4\) at /mnt/xenlive-data", info):
            raise Failed(f"xenlive info does not say saves go to the volume:\n{info}")
        con.check(f"cp /root/.ssh/id_dropbear {KEY}")
        # 64 MiB: an SSH server and the test's files through a save, a reboot
        # and five moves.  At Tiny's default, 32 MiB (about 5 MiB left to
        # programs), the guest refused SSH after its third move.
        con.check("xenlive launch tiny -m 64", timeout=300)
        con.wait_for_file_text(f"{LOGDIR}/guest-tiny-1.log", MARKER, 300)
        address = guest_address(con, "tiny-1")
        token = f"state-{os.getpid()}"
        in_guest(con, address, f"echo {token} > /tmp/state")
        in_guest(con, address, COUNTER)
        up_before = float(in_guest(con, address, "cut -d\" \" -f1 /proc/uptime"))

        migrate_rounds = args.moves
        name = "tiny-1"
        for i in range(migrate_rounds):
            name, up_before = move(con, name, "localhost", address, token, up_before,
                                   f"migrate {i + 1}")
        if migrate_rounds:
            print(f"  after {migrate_rounds} moves {name} still has its /tmp/state; uptime {up_before:.0f} s")
        name, up_before = move_over_ssh(con, name, address, token, up_before)
        # Each move gives the guest dom0's key for the new host, once.
        dups = in_guest(con, address, "sort /root/.ssh/authorized_keys | uniq -d | wc -l")
        keys = in_guest(con, address, "wc -l < /root/.ssh/authorized_keys")
        if dups != "0":
            raise Failed(f"{name}'s authorized_keys repeats {dups} lines after the moves")
        print(f"  {name}'s authorized_keys: {keys} lines, none repeated")

        rc, out, secs = timed(con, f"xenlive save {name}")
        if rc != 0:
            raise Failed(f"xenlive save {name} exited {rc}:\n{out}")
        print(f"  {out.strip()} ({secs:.1f} s)")
        files = con.check(f"ls {SAVES}").split()
        if sorted(files) != sorted([f"{name}.save", f"{name}.meta", f"{name}.cfg"]):
            raise Failed(f"saves/ holds {files}")
        sha = con.check("sed -n 's/^SHA256=//p' /run/xenlive/images/tiny/image.conf").strip()
        if f"SHA256={sha}" not in con.check(f"cat {SAVES}/{name}.meta"):
            raise Failed("the .meta does not record the image's SHA256")
        if con.check("xl list | awk 'NR > 2'").strip() or con.check("losetup -a").strip():
            raise Failed("a domain or loop device is left after the save")
        print("  " + con.check("xenlive saves").replace("\n", "\n  "))
        con.check("sync")
        con.poweroff()
        return name, address, token, up_before
    finally:
        con.close()


def second_boot(args, log, disk, name, address, token, up_before):
    con, ready = boot(args.firmware, args.media, args.iso, log,
                      qemu_args=["-drive", f"file={disk},format=raw,if=virtio"])
    try:
        saves = con.check("xenlive saves")
        if not re.search(rf"(?m)^{name}\s+disk\s+\d+\s+tiny\s", saves):
            raise Failed(f"after the reboot xenlive saves does not list {name} on disk:\n{saves}")
        rc, out, secs = timed(con, f"xenlive restore {name}")
        if rc != 0:
            raise Failed(f"xenlive restore {name} exited {rc}:\n{out}")
        print(f"  after a reboot: {out.strip()} ({secs:.1f} s)")
        if in_guest(con, address, "cat /tmp/state") != token:
            raise Failed(f"{name} lost its /tmp/state across save, reboot and restore")
        up = float(in_guest(con, address, "cut -d\" \" -f1 /proc/uptime"))
        if up < up_before:
            raise Failed(f"{name}'s uptime went back: {up} < {up_before}")
        count = int(in_guest(con, address, "cat /tmp/counter"))
        time.sleep(2)
        if int(in_guest(con, address, "cat /tmp/counter")) <= count:
            raise Failed(f"{name}'s counter stopped at {count} after the restore")
        print(f"  {name} has its /tmp/state; uptime {up:.0f} s (was {up_before:.0f} s); "
              f"its counter goes on from {count}")
        check_only(con, name)
        if con.check(f"ls {SAVES}").strip():
            raise Failed("the save's files are left after the restore")
        print("  the save's files are gone; one domain, config and loop device")

        # Nearly full: about 20 MiB free, less than any guest needs.
        con.check("free=$(df -m /mnt/xenlive-data | awk 'NR == 2 {print $4}'); "
                  "dd if=/dev/zero of=/mnt/xenlive-data/fill bs=1M count=$((free - 20)) 2>/dev/null",
                  timeout=300)
        rc, out = con.sh(f"xenlive save {name}", timeout=120)
        lines = [l for l in out.splitlines() if l.strip()]
        if rc != 1 or len(lines) != 1 or "not enough space to save" not in lines[0]:
            raise Failed(f"a save into a full volume: exit {rc}:\n{out}")
        print(f"  full volume: {lines[0]}")
        check_only(con, name)
        if con.check(f"ls {SAVES}").strip():
            raise Failed("a refused save left a file")
        con.check("rm /mnt/xenlive-data/fill")
        con.check(f"xenlive destroy {name}", timeout=120)
        debian_moves(args, con, token)
        con.poweroff()
    finally:
        con.close()


def debian_moves(args, con, token):
    """A Debian guest (Debian's default size) moved to localhost
    args.moves times, with move()'s checks: its file, uptime and counter."""
    con.check("xenlive launch debian", timeout=300)
    con.wait_for_file_text(f"{LOGDIR}/guest-debian-1.log", MARKER, 600)
    address = guest_address(con, "debian-1")
    in_guest(con, address, f"echo {token} > /tmp/state", KEY2)
    in_guest(con, address, COUNTER, KEY2)
    up = float(in_guest(con, address, "cut -d\" \" -f1 /proc/uptime", KEY2))
    name = "debian-1"
    for i in range(args.moves):
        name, up = move(con, name, "localhost", address, token, up, f"debian, migrate {i + 1}",
                        KEY2)
    count = in_guest(con, address, "cat /tmp/counter", KEY2)
    print(f"  after {args.moves} moves {name} has its /tmp/state; uptime {up:.0f} s; "
          f"its counter at {count}")


def test(args, log):
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "data.img")
        make_volume(disk)
        name, address, token, up = first_boot(args, log, disk)
        second_boot(args, log, disk, name, address, token, up)


if __name__ == "__main__":
    import sys
    sys.exit(run_test(test, __doc__.splitlines()[0], lambda p: p.add_argument(
        "--moves", type=int, default=3, help="moves to localhost of each guest")))
