# shellcheck shell=sh
# Recipe "tiny": BusyBox (dom0's static musl build) and a few files.
image_build() {
    r=$1
    mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/run" \
        "$r/root" "$r/tmp" "$r/etc"
    for d in bin sbin lib; do ln -s "usr/$d" "$r/$d"; done
    install -m 755 "$BUSYBOX" "$r/usr/bin/busybox"
    # Each applet where BusyBox puts it: the kernel runs /sbin/poweroff
    # when Xen asks the guest to shut down.
    "$BUSYBOX" --list-full | while IFS= read -r path; do
        case $path in
            *sbin/*) ln -s ../bin/busybox "$r/usr/sbin/${path##*/}" ;;
            */busybox) ;;
            *) ln -s busybox "$r/usr/bin/${path##*/}" ;;
        esac
    done
    run cp -a "$TOP/guest-images/tiny/rootfs/." "$r/"
}
