# shellcheck shell=sh
# Stage "guests": the guest kernel, the guest initramfs and the images.
#
# Makes, in the "guests" stage folder:
#   guests.cpio.zst   an initramfs segment that dom0 unpacks on top of its
#                     root (iso/stage.sh concatenates the two), holding
#     /usr/share/xenlive/guest/vmlinux     the guest kernel as a plain ELF,
#                                          so that no launch has to
#                                          decompress it again: Debian's,
#                                          or with GUEST_KERNEL=xenlive the
#                                          kernel stage's
#     /usr/share/xenlive/guest/kernel.config  (xenlive's kernel only) its
#                                          .config, for the offline checks
#     /usr/share/xenlive/guest/initrd.img  the guest initramfs, shared by
#                                          all images (guest-images/initramfs)
# and one stage "image-NAME" per recipe guest-images/NAME/, cached on its
# own, whose folder holds what the ISO carries in /xenlive/images/NAME/:
#   image.conf        the recipe's metadata, plus AVAILABLE=yes|no and
#                     UNAVAILABLE_REASON when the image could not be built
#   rootfs.squashfs   the image's root, zstd squashfs, read-only
#   manifest          its packages, as the recipe listed them in
#                     $IMAGE_MANIFEST (Debian: "package=version sha256:HASH"
#                     of each .deb; CentOS: name=epoch:version-release);
#                     the ISO's /xenlive/manifest lists them
#   apps              the recipe's applications (guest-images/NAME/apps:
#                     NAME|DESCRIPTION|COMMAND lines), for xenlive run
#
# A recipe is guest-images/NAME/image.conf and build.sh, which defines
# image_build ROOT: fill the empty folder ROOT with the image's root.  It
# may call image_unavailable REASON (then return) and image_systemd_setup,
# and may list its packages (package=version) in $IMAGE_MANIFEST.

# vmlinux_from_bzimage IN OUT: the kernel inside a bzImage, as Linux's own
# scripts/extract-vmlinux finds it: the first payload, of the compressions
# Debian's kernels use (zstd since trixie, XZ before; LZ4 for the cloud
# flavour; gzip), that decompresses to an ELF file.
vmlinux_from_bzimage() {
    for c in "$(printf '\050\265\057\375') zstd -qdc" "$(printf '\3757zXZ') xz -dc" \
        "$(printf '\002\041\114\030') lz4 -dc" "$(printf '\037\213\010') gzip -dc"; do
        magic=${c%% *} tool=${c#* }
        off=$(LC_ALL=C grep -abo "$magic" "$1" | head -n 1 | cut -d: -f1)
        [ -n "$off" ] || continue
        # The decompressors report trailing garbage after the payload;
        # the output is complete.
        # shellcheck disable=SC2086 # the tool and its options
        tail -c +"$((off + 1))" "$1" | $tool >"$2" 2>/dev/null || :
        [ "$(head -c 4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ] && return 0
    done
    die "stage guests: no payload in $1 decompressed to an ELF kernel"
}

# pack_cpio DIR: a newc cpio archive of DIR on stdout, sorted, every time
# SOURCE_DATE_EPOCH, owned by root, without the build machine's inode and
# device numbers.
pack_cpio() {
    normalize_tree "$1"
    (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet)
}

guests_initramfs() {
    step "make the guest initramfs (guest-images/initramfs)"
    r=$W/initramfs
    mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/etc"
    for d in bin sbin lib; do ln -s "usr/$d" "$r/$d"; done
    install -m 755 "$BUSYBOX" "$r/usr/bin/busybox"
    for a in sh mount umount mkdir cat cp sed sleep modprobe setsid cttyhack chmod \
        switch_root uname printf echo; do
        ln -s busybox "$r/usr/bin/$a"
    done
    install -m 755 "$TOP/guest-images/initramfs/init" "$r/init"
    # xenlive's kernel has its drivers built in and no module loader.
    if [ "$GUEST_KERNEL" = debian ]; then
        cp "$TOP/guest-images/initramfs/modules" "$r/etc/modules"
        install_modules "$TOP/guest-images/initramfs/modules" "$r"
    fi
    run mknod -m 600 "$r/dev/console" c 5 1
    pack_cpio "$r" | gzip -9n >"$1" || die "stage guests: packing the guest initramfs failed"
    rm -rf "$r"
}

guests_run() {
    g=$W/root/usr/share/xenlive/guest
    mkdir -p "$g"
    if [ "$GUEST_KERNEL" = xenlive ]; then
        step "take the guest kernel (vmlinux) from the kernel stage"
        run cp "$KERNEL/vmlinux" "$g/vmlinux"
        run cp "$KERNEL/config" "$g/kernel.config"
    else
        step "extract the guest kernel (vmlinux) from Debian's vmlinuz"
        vmlinux_from_bzimage "$HYPERVISOR/vmlinuz" "$g/vmlinux"
    fi
    guests_initramfs "$g/initrd.img"
    step "pack the guest kernel and initramfs as an initramfs segment for dom0"
    pack_cpio "$W/root" | zstd -q -19 -T0 >"$W/guests.cpio.zst" ||
        die "stage guests: packing failed"
    rm -rf "$W/root"
}

# ---------------------------------------------------------------- images

# image_unavailable REASON: for recipes; this build goes on without the image.
image_unavailable() {
    IMAGE_UNAVAILABLE=$1
    msg "    $IMAGE_NAME: not included in this build: $1"
}

# The unit generators a xenlive guest runs (systemd.generator(7)); every
# other one the image has is masked.  PID 1 runs them all, forked, before
# it loads a unit, and kills them after 90 s (systemd's DEFAULT_TIMEOUT_USEC,
# fixed at build time); then it prints "Failed to fork off sandboxing
# environment for executing generators: Protocol error" and freezes for
# good.  Seen: 12 Debian guests launched together in a 2 GiB QEMU (TCG)
# machine, each with about a tenth of a CPU: 4 of the 12 froze so, with all
# 11 generators; none with these masks.  The others are of no use here: no
# fstab (the initramfs mounts the root), no GPT disk, no hibernation, TPM,
# rc.local, SysV scripts or vsock SSH, and console-getty is enabled by name
# (below).  debug-generator
# stays: systemd.mask= and systemd.debug_shell on the guest's command line
# are how a guest that does not come up is looked into.
IMAGE_GENERATORS="systemd-debug-generator"

# image_systemd_setup ROOT: what every systemd image needs as a xenlive
# guest: a root shell on the console without login, SSH host keys made at
# first boot (never shipped in the image), the "up" marker on the console,
# and no more unit generators than it uses (IMAGE_GENERATORS).
image_systemd_setup() {
    r=$1
    units=$r/etc/systemd/system
    mkdir -p "$r/etc/systemd/system-generators"
    for g in "$r"/usr/lib/systemd/system-generators/* "$r"/lib/systemd/system-generators/*; do
        [ -e "$g" ] || continue
        case " $IMAGE_GENERATORS " in
            *" ${g##*/} "*) ;;
            *) ln -sf /dev/null "$r/etc/systemd/system-generators/${g##*/}" ;;
        esac
    done
    mkdir -p "$r/usr/local/sbin" "$units/multi-user.target.wants" "$units/getty.target.wants" \
        "$units/console-getty.service.d"
    # console-getty runs on /dev/console (hvc0) and waits for no device
    # unit, so it comes up without udev having seen hvc0; the serial getty
    # for the same line is masked so that two never fight over it.
    ln -sf /dev/null "$units/serial-getty@hvc0.service"
    ln -sf /lib/systemd/system/console-getty.service "$units/getty.target.wants/console-getty.service"
    cat >"$units/console-getty.service.d/autologin.conf" <<'UNIT'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200,38400,9600 console $TERM
UNIT
    cat >"$units/xenlive-ssh-keygen.service" <<'UNIT'
[Unit]
Description=Make this guest's own SSH host keys
Before=ssh.service sshd.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
UNIT
    # The guest agent (src/agent, programs stage): the guest's own figures
    # in its xenstore subtree, for dom0's USED, OVERLAY, IP and OS.
    install -m 755 "$PROGRAMS/xenlive-agent" "$r/usr/local/sbin/xenlive-agent"
    cat >"$units/xenlive-agent.service" <<'UNIT'
[Unit]
Description=xenlive guest agent: this guest's figures in xenstore

[Service]
ExecStart=/usr/local/sbin/xenlive-agent
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
    cat >"$units/xenlive-guest-up.service" <<'UNIT'
[Unit]
Description=Tell the console that this guest is up
After=getty.target ssh.service sshd.service systemd-user-sessions.service network.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/xenlive-guest-up

[Install]
WantedBy=multi-user.target
UNIT
    # One host key, the one the console shows (see xenlive-guest-up), so
    # that dom0's client never meets a key it was not told about.
    mkdir -p "$r/etc/ssh/sshd_config.d"
    printf '# xenlive: the one host key this guest prints on its console\nHostKey /etc/ssh/ssh_host_ed25519_key\n' \
        >"$r/etc/ssh/sshd_config.d/10-xenlive.conf"
    mkdir -p "$r/usr/local/sbin"
    cat >"$r/usr/local/sbin/xenlive-guest-up" <<'SCRIPT'
#!/bin/sh
# The console lines that tell dom0 (and whoever watches) this guest is up.
# The host key line is how dom0 learns the key (xenlive known-hosts): from
# the guest's own console, not on first use.
# "up" means reachable by name: dom0's dnsmasq learns NAME from the DHCP
# request, so the marker waits (60 s at most) for an IPv4 address, as Tiny's
# does.  Without it, `ssh NAME` right after the marker found no such name.
. /etc/os-release
i=0 addr=''
while [ "$i" -lt 60 ]; do
    # "2: eth0    inet 10.99.0.12/24 brd ...": fields 2 and 4
    line=$(ip -4 -o addr show scope global 2>/dev/null | head -n 1)
    # shellcheck disable=SC2086
    [ -z "$line" ] || { set -- $line; addr="$2 $4"; break; }
    i=$((i + 1))
    sleep 1
done
[ -z "$addr" ] || echo "xenlive-guest address: $addr" >/dev/console
fp=$(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub 2>/dev/null | cut -d' ' -f2)
[ -z "$fp" ] ||
    echo "xenlive-guest hostkey: $(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" >/dev/console
echo "xenlive-guest up: $(hostname) ($PRETTY_NAME), ssh ${fp:-none}" >/dev/console
SCRIPT
    chmod 755 "$r/usr/local/sbin/xenlive-guest-up"
    for u in xenlive-ssh-keygen xenlive-guest-up xenlive-agent; do
        ln -sf "../$u.service" "$units/multi-user.target.wants/$u.service"
    done
}

# image_scrub ROOT: identity is given at launch, never baked into an image.
image_scrub() {
    rm -f "$1"/etc/ssh/ssh_host_*
    [ ! -e "$1/etc/machine-id" ] || : >"$1/etc/machine-id"
    rm -f "$1/var/lib/dbus/machine-id" "$1/etc/hostname"
}

# image_os_release ROOT CONF: fills @VERSION_ID@ and @VERSION_CODENAME@ in
# CONF from ROOT's os-release(5), so that an image's name follows the
# release it was built from (DEBIAN_SUITE) and is written nowhere else.
image_os_release() {
    os=$1/etc/os-release
    [ -e "$os" ] || os=$1/usr/lib/os-release
    id='' codename=''
    if [ -e "$os" ]; then
        id=$(sed -n 's/^VERSION_ID=//p' "$os" | tr -d '"')
        codename=$(sed -n 's/^VERSION_CODENAME=//p' "$os" | tr -d '"')
    fi
    if grep -q '@VERSION_ID@\|@VERSION_CODENAME@' "$2"; then
        [ -n "$id" ] || [ -n "$IMAGE_UNAVAILABLE" ] ||
            die "stage image-$IMAGE_NAME: image.conf uses @VERSION_ID@ but the image has no os-release VERSION_ID"
        sed -i -e "s|@VERSION_ID@|$id|g" -e "s|@VERSION_CODENAME@|$codename|g" "$2"
    fi
}

image_run() {
    # shellcheck disable=SC2034 # the recipes write it
    IMAGE_MANIFEST=$W/manifest
    IMAGE_UNAVAILABLE=
    cp "$TOP/guest-images/$IMAGE_NAME/image.conf" "$W/image.conf"
    [ ! -f "$TOP/guest-images/$IMAGE_NAME/apps" ] ||
        cp "$TOP/guest-images/$IMAGE_NAME/apps" "$W/apps"
    mkdir -p "$W/root"
    # shellcheck disable=SC1090 # the recipe, one per image
    . "$TOP/guest-images/$IMAGE_NAME/build.sh"
    image_build "$W/root"
    image_os_release "$W/root" "$W/image.conf"
    if [ -n "$IMAGE_UNAVAILABLE" ]; then
        printf 'AVAILABLE=no\nUNAVAILABLE_REASON="not included in this build: %s"\n' \
            "$IMAGE_UNAVAILABLE" >>"$W/image.conf"
    else
        image_scrub "$W/root"
        # mksquashfs -reproducible only clamps times to SOURCE_DATE_EPOCH:
        # files older than it (a work tree's, not a fresh clone's) kept
        # their own, and two builds of one commit differed (repro found it).
        normalize_tree "$W/root"
        step "make rootfs.squashfs"
        run mksquashfs "$W/root" "$W/rootfs.squashfs" -comp zstd -Xcompression-level 19 \
            -noappend -no-progress -quiet -reproducible
        printf 'AVAILABLE=yes\nSHA256=%s\n' \
            "$(sha256sum "$W/rootfs.squashfs" | cut -d' ' -f1)" >>"$W/image.conf"
    fi
    rm -rf "$W/root"
}

# build_image NAME: one recipe, as its own cached stage "image-NAME".
build_image() {
    IMAGE_NAME=$1
    # Only recipes that use BusyBox are rebuilt when it changes.
    bb=
    ! grep -q BUSYBOX "$TOP/guest-images/$1/build.sh" ||
        bb="busybox:$(sha256sum <"$BUSYBOX" | cut -c1-16)"
    # Likewise Dropbear (programs stage, $PROGRAMS/dropbearmulti).
    db=
    ! grep -q dropbearmulti "$TOP/guest-images/$1/build.sh" ||
        db="dropbear:$(sha256sum <"$PROGRAMS/dropbearmulti" | cut -c1-16)"
    # And the guest agent, which every image carries: Tiny names it, the
    # systemd images take it through image_systemd_setup (this file).
    ag="agent:$(sha256sum <"$PROGRAMS/xenlive-agent" | cut -c1-16)"
    # A recipe's settings are environment variables named after it
    # (e.g. CENTOS_MIRROR): a new value makes a new image.
    settings=$(env | grep "^$(echo "$1" | tr '[:lower:]' '[:upper:]')_" | LC_ALL=C sort || :)
    # mmdebstrap and mksquashfs take their times from SOURCE_DATE_EPOCH
    # (mksquashfs sets its own time to it; image_run sets every file's).
    set_epoch "$TOP/guest-images/$1" "$TOP/guest-images/stage.sh"
    stage "image-$1" "$(hash_inputs "$TOP/guest-images/$1" "$TOP/guest-images/stage.sh" \
        "$APT_DIR/sources.list" "$bb" "$db" "$ag" "settings:$settings" "epoch:$SOURCE_DATE_EPOCH" \
        "pins:${XENLIVE_MANIFEST:+$(sed -n "/^# image $1\$/,/^# image /p" "$XENLIVE_MANIFEST")}")" image_run
    # An image that could not be built is tried again by the next build.
    d=$(stage_dir "image-$1")
    ! grep -qx 'AVAILABLE=no' "$d/image.conf" || rm -f "$d/.done"
}

build_guests() {
    . "$TOP/hypervisor/version.conf"
    need xz xz-utils
    need zstd zstd
    need mksquashfs squashfs-tools
    need mmdebstrap mmdebstrap
    FETCH=$(stage_dir fetch)
    HYPERVISOR=$(stage_dir hypervisor)
    # shellcheck disable=SC2034 # used by install_modules
    KVER=$(cat "$HYPERVISOR/kernel-version")
    PROGRAMS=$(stage_dir programs)
    # shellcheck disable=SC2034 # used by the recipes
    BUSYBOX=$PROGRAMS/busybox
    apt_setup
    . "$TOP/guest-images/kernel/guest-kernel.conf"
    KERNEL='' kernel_in=''
    if [ "$GUEST_KERNEL" = xenlive ]; then
        KERNEL=$(stage_dir kernel)
        kernel_in="kernel:${KERNEL##*/}"
    fi
    set_epoch "$TOP/guest-images/stage.sh" "$TOP/guest-images/initramfs"
    stage guests "$(hash_inputs "$TOP/guest-images/stage.sh" "$TOP/guest-images/initramfs" "epoch:$SOURCE_DATE_EPOCH" \
        "hypervisor:${HYPERVISOR##*/}" "fetch:${FETCH##*/}" "programs:${PROGRAMS##*/}" \
        "guest-kernel:$GUEST_KERNEL" "$kernel_in")" guests_run
    for recipe in "$TOP"/guest-images/*/image.conf; do
        name=${recipe%/image.conf}
        build_image "${name##*/}"
    done
}
