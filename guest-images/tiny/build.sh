# shellcheck shell=sh
# Recipe "tiny": makes $1/initrd.img, a BusyBox initramfs that is the whole
# guest.  Called by guest-images/stage.sh with the shared helpers loaded.
image_build() {
    out=$1
    r=$W/tiny-root
    mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/root" "$r/tmp"
    for d in bin sbin; do ln -s "usr/$d" "$r/$d"; done
    install -m 755 "$BUSYBOX" "$r/usr/bin/busybox"
    "$BUSYBOX" --list | while IFS= read -r a; do
        [ "$a" = busybox ] || ln -s busybox "$r/usr/bin/$a"
    done
    run cp -a "$TOP/guest-images/tiny/rootfs/." "$r/"
    run mknod -m 600 "$r/dev/console" c 5 1
    (cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
        gzip -9n >"$out/initrd.img" || die "stage guests: packing tiny failed"
    rm -rf "$r"
}
