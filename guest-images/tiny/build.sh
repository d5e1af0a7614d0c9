# shellcheck shell=sh
# Recipe "tiny": BusyBox (dom0's static musl build), Dropbear (dom0's static
# musl build, $PROGRAMS/dropbearmulti) and a few files.
image_build() {
    r=$1
    # usr/lib: /lib points there, and the guest initramfs copies the
    # kernel's modules into /lib/modules.
    mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/usr/lib" "$r/proc" "$r/sys" "$r/dev" "$r/run" \
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
    install -m 755 "$PROGRAMS/dropbearmulti" "$r/usr/bin/dropbearmulti"
    ln -s ../bin/dropbearmulti "$r/usr/sbin/dropbear"
    for p in dbclient dropbearkey scp; do ln -s dropbearmulti "$r/usr/bin/$p"; done
    # The guest agent (programs stage), started by inittab.
    install -m 755 "$PROGRAMS/xenlive-agent" "$r/usr/sbin/xenlive-agent"
    run cp -a "$TOP/guest-images/tiny/rootfs/." "$r/"
    # Dropbear reads authorized_keys only if nobody but root can write
    # /root, /root/.ssh and the file (the initramfs writes the file).
    mkdir -p "$r/root/.ssh"
    chmod 700 "$r/root" "$r/root/.ssh"
    chmod 600 "$r/etc/shadow"
}
