#!/usr/bin/python3
"""Unpacks an initramfs made of concatenated (zstd) newc cpio archives.

    tests/offline/unpack_initrd.py INITRD DIR

The kernel unpacks every archive of the file, one after the other; GNU cpio
stops at the first archive's trailer, hence this small reader.  Device
nodes are skipped (this runs without privileges on the files).
"""
import os
import stat
import subprocess
import sys


def unpack(data, dest):
    pos, archives = 0, 0
    while True:
        pos = data.find(b"070701", pos)
        if pos < 0:
            return archives
        hdr = data[pos:pos + 110]
        fields = [int(hdr[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, filesize, namesize = fields[1], fields[6], fields[11]
        name_start = pos + 110
        name = data[name_start:name_start + namesize - 1].decode()
        body = (name_start + namesize + 3) & ~3
        content = data[body:body + filesize]
        pos = (body + filesize + 3) & ~3
        if name == "TRAILER!!!":
            archives += 1
            continue
        path = os.path.join(dest, name)
        if stat.S_ISDIR(mode):
            os.makedirs(path, exist_ok=True)
        elif stat.S_ISLNK(mode):
            if os.path.lexists(path):
                os.unlink(path)
            os.symlink(content.decode(), path)
        elif stat.S_ISREG(mode):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.lexists(path):
                os.unlink(path)
            with open(path, "wb") as f:
                f.write(content)
            os.chmod(path, stat.S_IMODE(mode))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    raw = subprocess.run(["zstd", "-dcq", sys.argv[1]], check=True,
                         stdout=subprocess.PIPE).stdout
    n = unpack(raw, sys.argv[2])
    print(f"{n} archives")


if __name__ == "__main__":
    main()
