# shellcheck shell=sh
# Stage "guests": the guest kernel and the guest images.
#
# Makes, in the stage folder:
#   guests.cpio.zst   an initramfs segment, unpacked in dom0 on top of the
#                     dom0 root (iso/stage.sh concatenates the two), holding
#     /usr/share/xenlive/guest/vmlinux          the guest kernel
#     /usr/share/xenlive/images/NAME/image.conf each image's metadata
#     /usr/share/xenlive/images/NAME/...        what its recipe made
#
# The guest kernel is Debian's, the same as dom0's, stored as a plain ELF
# vmlinux: Xen's domain builder then maps it as is, with no decompression at
# each launch.  Each recipe is guest-images/NAME/{image.conf,build.sh}.

# vmlinux_from_bzimage IN OUT: the kernel inside a bzImage (XZ payload).
vmlinux_from_bzimage() {
    off=$(grep -abo "$(printf '\3757zXZ')" "$1" | head -n 1 | cut -d: -f1)
    [ -n "$off" ] || die "stage guests: no XZ payload in $1"
    # xz reports trailing garbage after the payload; the output is complete.
    tail -c +"$((off + 1))" "$1" | xz -dc >"$2" 2>/dev/null || :
    [ "$(head -c 4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ] ||
        die "stage guests: the kernel in $1 did not decompress to an ELF file"
}

# guests_build_image RECIPE-DIR DEST: runs one recipe into DEST/NAME.
guests_build_image() {
    name=${1##*/}
    step "build image $name"
    mkdir -p "$2/$name"
    cp "$1/image.conf" "$2/$name/image.conf"
    . "$1/build.sh"
    image_build "$2/$name"
}

guests_run() {
    g=$W/root/usr/share/xenlive
    mkdir -p "$g/guest" "$g/images"
    step "extract the guest kernel (vmlinux) from Debian's vmlinuz"
    vmlinux_from_bzimage "$HYPERVISOR/vmlinuz" "$g/guest/vmlinux"
    for recipe in "$TOP"/guest-images/*/image.conf; do
        guests_build_image "${recipe%/image.conf}" "$g/images"
    done
    step "pack the guest files as an initramfs segment"
    (cd "$W/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
        zstd -q -19 -T0 >"$W/guests.cpio.zst" || die "stage guests: packing failed"
    (cd "$W/root" && find . -type f -exec ls -l {} +) >"$W/guests.files"
    rm -rf "$W/root"
}

build_guests() {
    need xz xz-utils
    HYPERVISOR=$(stage_dir hypervisor)
    ROOTFS=$(stage_dir rootfs)
    # shellcheck disable=SC2034 # used by the recipes
    BUSYBOX=$ROOTFS/busybox
    stage guests "$(hash_inputs "$TOP/guest-images" \
        "hypervisor:${HYPERVISOR##*/}" "rootfs:${ROOTFS##*/}")" guests_run
}
