# shellcheck shell=sh
# Recipe "tiny": BusyBox (dom0's static musl build) and a few files.
image_build() {
    r=$1
    mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/run" \
        "$r/root" "$r/tmp" "$r/etc"
    for d in bin sbin lib; do ln -s "usr/$d" "$r/$d"; done
    install -m 755 "$BUSYBOX" "$r/usr/bin/busybox"
    "$BUSYBOX" --list | while IFS= read -r a; do
        [ "$a" = busybox ] || ln -s busybox "$r/usr/bin/$a"
    done
    ln -s ../bin/busybox "$r/usr/sbin/init"
    run cp -a "$TOP/guest-images/tiny/rootfs/." "$r/"
}
