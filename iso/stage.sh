# shellcheck shell=sh
# Stage "iso": the hybrid ISO, out/xenlive.iso.
#
# Makes, in the stage folder, xenlive.iso: one image that boots
#   - from CD/DVD (El Torito) with a legacy BIOS or with UEFI, and
#   - from a USB stick it is written to raw (MBR and GPT/EFI partition).
# grub-mkrescue builds it with xorriso from GRUB's i386-pc and x86_64-efi
# images.  The ISO contains:
#   /boot/xen.gz        Xen (hypervisor stage)
#   /boot/vmlinuz       the dom0 kernel (hypervisor stage)
#   /boot/initrd.img    rootfs.cpio.zst + guests.cpio.zst, concatenated
#   /boot/grub/grub.cfg from iso/grub.cfg.in
#   /xenlive/images/NAME/  each guest image (image.conf, rootfs.squashfs, apps);
#                       dom0 copies them into RAM at boot
#   /xenlive/manifest   what went in: the suite, then "package=version
#                       sha256:HASH" of dom0's packages and, after a
#                       "# image NAME" line, of each image's; also the
#                       stage's "manifest" and out/xenlive.manifest
#                       (XENLIVE_MANIFEST takes it to pin a rebuild)
# out/xenlive.iso is replaced only once the new image is complete.

# The volume label, which dom0 finds the medium by (one definition).
ISO_LABEL_CONF=$TOP/overlays/images/etc/xenlive/medium.conf

iso_grub_cfg() {
    # shellcheck disable=SC1091
    . "$HYPERVISOR/cmdline.conf"
    sed -e "s|@VERSION@|$VERSION|g" \
        -e "s|@XEN_SERIES@|$XEN_SERIES|g" \
        -e "s|@XEN_CMDLINE@|$XEN_CMDLINE|g" \
        -e "s|@DOM0_CMDLINE@|$DOM0_CMDLINE|g" \
        -e "s|@DOM0_CMDLINE_SAFE@|$DOM0_CMDLINE_SAFE|g" \
        -e "s|@XEN_CMDLINE_SERIAL@|$XEN_CMDLINE_SERIAL|g" \
        -e "s|@DOM0_CMDLINE_SERIAL@|$DOM0_CMDLINE_SERIAL|g" \
        "$TOP/iso/grub.cfg.in"
}

# iso_debian_kernel_memory CONF: image.conf's MEMORY_MIB and MIN_MEMORY_MIB
# are measured with xenlive's guest kernel; with GUEST_KERNEL=debian (the
# bench's "before") each guest also carries Debian's kernel and modules,
# DEBIAN_KERNEL_EXTRA_MIB more (guest-images/kernel/guest-kernel.conf).
iso_debian_kernel_memory() {
    awk -v extra="$DEBIAN_KERNEL_EXTRA_MIB" -F= '
        /^(MEMORY_MIB|MIN_MEMORY_MIB)=[0-9]+$/ { print $1 "=" $2 + extra; next }
        { print }' "$1" >"$1.new"
    mv "$1.new" "$1"
}

iso_run() {
    t=$W/tree
    mkdir -p "$t/boot/grub"
    step "lay out the ISO tree"
    cp "$HYPERVISOR/xen.gz" "$HYPERVISOR/vmlinuz" "$t/boot/"
    cat "$ROOTFS/rootfs.cpio.zst" "$GUESTS/guests.cpio.zst" >"$t/boot/initrd.img"
    iso_grub_cfg >"$t/boot/grub/grub.cfg"
    grep -q '@[A-Z_]*@' "$t/boot/grub/grub.cfg" && die "stage iso: unfilled @...@ in grub.cfg"
    for name in $IMAGES; do
        mkdir -p "$t/xenlive/images/$name"
        cp "$(stage_dir "image-$name")"/image.conf "$t/xenlive/images/$name/"
        [ "$GUEST_KERNEL" = xenlive ] ||
            iso_debian_kernel_memory "$t/xenlive/images/$name/image.conf"
        [ ! -f "$(stage_dir "image-$name")/apps" ] ||
            cp "$(stage_dir "image-$name")/apps" "$t/xenlive/images/$name/"
        [ ! -f "$(stage_dir "image-$name")/rootfs.squashfs" ] ||
            cp "$(stage_dir "image-$name")/rootfs.squashfs" "$t/xenlive/images/$name/"
    done
    # What went in: the dom0 side (fetch stage), then each image's own
    # packages, under a "# image NAME" line.
    {
        echo "xenlive $VERSION"
        echo "debian-suite=$DEBIAN_SUITE"
        cat "$FETCH/manifest"
        for name in $IMAGES; do
            m=$(stage_dir "image-$name")/manifest
            [ ! -s "$m" ] || { echo "# image $name"; cat "$m"; }
        done
    } >"$t/xenlive/manifest"
    cp "$t/xenlive/manifest" "$W/manifest"
    step "make the hybrid BIOS/UEFI image with grub-mkrescue"
    # shellcheck disable=SC1090 # LABEL=
    . "$ISO_LABEL_CONF"
    # Fixed dates and UUIDs, from SOURCE_DATE_EPOCH: grub-mkrescue names
    # the ISO's UUID after the current time (time(), which faketime pins to
    # the epoch) and searches for it from its embedded config, so xorriso
    # is given the same date for the volume and for every file.
    iso_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S00)
    run faketime -f "@$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S')" \
        grub-mkrescue -o "$W/xenlive.iso" "$t" -- -volid "$LABEL" \
        -- -as mkisofs --modification-date="$iso_date" --set_all_file_dates "$iso_date"
    rm -rf "$t"
}

build_iso() {
    . "$TOP/hypervisor/version.conf"
    need grub-mkrescue grub-common
    need xorriso xorriso
    need mformat mtools
    need faketime faketime
    [ -d /usr/lib/grub/i386-pc ] || die "missing GRUB BIOS images (Debian package 'grub-pc-bin')"
    [ -d /usr/lib/grub/x86_64-efi ] || die "missing GRUB UEFI images (Debian package 'grub-efi-amd64-bin')"
    # GUEST_KERNEL (and DEBIAN_KERNEL_EXTRA_MIB): the memory in image.conf
    # follows the guests' kernel.
    # shellcheck source=guest-images/kernel/guest-kernel.conf
    . "$TOP/guest-images/kernel/guest-kernel.conf"
    FETCH=$(stage_dir fetch)
    HYPERVISOR=$(stage_dir hypervisor)
    ROOTFS=$(stage_dir rootfs)
    GUESTS=$(stage_dir guests)
    VERSION=$(cd "$TOP" && git describe --always --dirty 2>/dev/null || echo unknown)
    IMAGES='' images_hash=
    for recipe in "$TOP"/guest-images/*/image.conf; do
        name=${recipe%/image.conf}
        name=${name##*/}
        IMAGES="$IMAGES $name"
        d=$(stage_dir "image-$name")
        images_hash="$images_hash $name:${d##*/}"
    done
    # The ISO's date: the last commit that changed anything the build reads.
    set_epoch "$TOP/build.sh" "$TOP/hypervisor" "$TOP/rootfs" "$TOP/overlays" \
        "$TOP/guest-images" "$TOP/iso" "$TOP/src"
    stage iso "$(hash_inputs "$TOP/iso" "$ISO_LABEL_CONF" "$TOP/guest-images/kernel/guest-kernel.conf" "$VERSION" "epoch:$SOURCE_DATE_EPOCH" "hypervisor:${HYPERVISOR##*/}" \
        "rootfs:${ROOTFS##*/}" "guests:${GUESTS##*/}" "fetch:${FETCH##*/}" \
        "images:$images_hash")" iso_run
    mkdir -p "$OUT"
    # Copy next to the target, then rename: out/xenlive.iso is never partial.
    cp "$(stage_dir iso)/xenlive.iso" "$OUT/.xenlive.iso.work"
    mv "$OUT/.xenlive.iso.work" "$OUT/xenlive.iso"
    cp "$(stage_dir iso)/manifest" "$OUT/xenlive.manifest"
    msg "    out/xenlive.iso: $(du -m "$OUT/xenlive.iso" | cut -f1) MiB"
}
