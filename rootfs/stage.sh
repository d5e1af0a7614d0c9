# shellcheck shell=sh
# Stage "rootfs": the dom0 root filesystem, as one initramfs.
#
# Takes BusyBox and Dropbear from the "programs" stage (rootfs/programs.sh).
# Makes, in the stage folder:
#   (in the root: /usr/bin/xenlive, built from src/ with the host's gcc
#   against the fetched suite's headers and libraries (--sysroot), so that
#   it links the libxl dom0 ships; its libraries come with the closure)
#   rootfs.cpio.zst   the dom0 root (newc cpio, zstd): the kernel unpacks it
#                     into RAM and runs /init (BusyBox init) from it
#   rootfs.files      the archive's file list, for the offline checks
#
# The root is "usr-merged" (/bin, /sbin, /lib, /lib64 are links into /usr),
# like Debian's, so Debian's programs find their loader and libraries.
# Assembly order: skeleton, BusyBox, Dropbear, Debian files (rootfs/files),
# their libraries, kernel modules (rootfs/modules), then overlays/*/ in order.

rootfs_xenlive() {
    step "build the xenlive command (src/), against $DEBIAN_SUITE's libxen-dev"
    run make -C "$TOP/src" B="$W/xenlive-build" SYSROOT="$FETCH/sysroot" \
        PREFIX_MAP="-ffile-prefix-map=$TOP/src=src -ffile-prefix-map=$W=/build -ffile-prefix-map=$FETCH/sysroot="
}

rootfs_skeleton() {
    step "lay out the root"
    R=$W/root
    for d in usr/bin usr/sbin usr/lib/$MULTIARCH usr/lib64 dev proc sys run tmp \
        etc root mnt var/log var/lib var/cache; do
        mkdir -p "$R/$d"
    done
    for d in bin sbin lib lib64; do ln -s "usr/$d" "$R/$d"; done
    ln -s ../run "$R/var/run"
    ln -s ../run/lock "$R/var/lock"
    chmod 1777 "$R/tmp"
    chmod 700 "$R/root"
    # The kernel opens /dev/console before it runs /init.
    run mknod -m 600 "$R/dev/console" c 5 1
    ln -s usr/sbin/init "$R/init"
}

rootfs_install_xenlive() {
    # Stripped: debug information is for the developers' own builds.
    run strip -o "$R/usr/bin/xenlive" "$W/xenlive-build/xenlive"
    chmod 755 "$R/usr/bin/xenlive"
    rm -rf "$W/xenlive-build"
}

rootfs_install_busybox() {
    step "install BusyBox and its applet links"
    install -m 755 "$PROGRAMS/busybox" "$R/usr/bin/busybox"
    "$PROGRAMS/busybox" --list-full | while IFS= read -r path; do
        name=${path##*/}
        case $path in
            *sbin/*) dest=$R/usr/sbin/$name; target=../bin/busybox ;;
            *)       dest=$R/usr/bin/$name;  target=busybox ;;
        esac
        [ -e "$dest" ] || ln -s "$target" "$dest"
    done
}

# copy_from_sysroot PATH: copies one file or folder of the fetched packages.
copy_from_sysroot() {
    src=$FETCH/sysroot$1
    [ -e "$src" ] || die "stage rootfs: rootfs/files: $1 is not in the fetched packages"
    mkdir -p "$R$(dirname "$1")"
    # A Debian program replaces a BusyBox applet link of the same name.
    [ -d "$src" ] || rm -f "$R$1"
    run cp -a "$src" "$R$(dirname "$1")/"
}

rootfs_install_files() {
    step "install Debian's Xen tools, bash, flock, losetup (rootfs/files)"
    for path in $(list_file "$TOP/rootfs/files" | sed "s/@XEN@/$XEN_SERIES/g"); do
        copy_from_sysroot "$path"
    done
    for f in "$R/usr/lib/xen-$XEN_SERIES/bin"/*; do
        ln -s "../lib/xen-$XEN_SERIES/bin/${f##*/}" "$R/usr/sbin/${f##*/}"
    done
    # xenstore is one program that acts on the name it is called by.
    for verb in chmod exists list ls read rm watch write; do
        ln -s xenstore "$R/usr/bin/xenstore-$verb"
    done
}

# elf_needed: the NEEDED sonames of every dynamic ELF file in the root.
elf_needed() {
    find "$R" -type f | while IFS= read -r f; do
        [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
        readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
    done | LC_ALL=C sort -u
}

rootfs_install_libraries() {
    step "add the shared-library closure of the programs"
    libdir=$R/usr/lib/$MULTIARCH
    while :; do
        added=0
        for so in $(elf_needed); do
            [ -e "$libdir/$so" ] && continue
            found=
            for d in lib/$MULTIARCH usr/lib/$MULTIARCH lib usr/lib; do
                if [ -e "$FETCH/sysroot/$d/$so" ]; then found=$FETCH/sysroot/$d/$so; break; fi
            done
            [ -n "$found" ] ||
                die "stage rootfs: no package fetched provides $so (add it to rootfs/packages)"
            run cp -L "$found" "$libdir/$so"
            added=$((added + 1))
        done
        [ "$added" -gt 0 ] || break
    done
    ln -s "../lib/$MULTIARCH/ld-linux-x86-64.so.2" "$R/usr/lib64/ld-linux-x86-64.so.2"
}

# install_modules LIST ROOT: copies the kernel modules named in the file
# LIST, and those they depend on, into ROOT/usr/lib/modules/$KVER and
# indexes them there.  Shared with the guest initramfs (guests stage).
# A module the kernel has built in (modules.builtin) needs nothing.
# Debian compresses modules (.ko.xz); they are stored uncompressed, as the
# initramfs around them is compressed already and BusyBox's modprobe then
# needs no decompressor.
install_modules() {
    src=$FETCH/sysroot/lib/modules/$KVER
    dst=$2/usr/lib/modules/$KVER
    mkdir -p "$dst"
    : >"$W/modules.want"
    for name in $(list_file "$1"); do
        pattern=$(printf '%s' "$name" | sed 's/[-_]/[-_]/g')
        if line=$(grep -E "(^|/)$pattern\\.ko(\\.xz|\\.zst)?:" "$src/modules.dep"); then
            printf '%s\n' "$line" | tr -d ':' | tr ' ' '\n' >>"$W/modules.want"
        else
            grep -qE "(^|/)$pattern\\.ko\$" "$src/modules.builtin" ||
                die "stage $STAGE: ${1#"$TOP"/}: no module '$name' in kernel $KVER"
        fi
    done
    # shellcheck disable=SC2013 # module paths have no spaces
    for ko in $(LC_ALL=C sort -u "$W/modules.want"); do
        mkdir -p "$dst/$(dirname "$ko")"
        case $ko in
            *.ko.xz)  xz -dc "$src/$ko" >"$dst/${ko%.xz}" ;;
            *.ko.zst) zstd -qdc "$src/$ko" >"$dst/${ko%.zst}" ;;
            *)        cp "$src/$ko" "$dst/$ko" ;;
        esac || die "stage $STAGE: cannot unpack module $ko"
    done
    rm "$W/modules.want"
    for f in modules.order modules.builtin modules.builtin.modinfo; do
        cp "$src/$f" "$dst/$f"
    done
    run depmod -b "$2/usr" "$KVER"
}

rootfs_install_modules() {
    step "add kernel modules (rootfs/modules) and what they depend on"
    install_modules "$TOP/rootfs/modules" "$R"
}

# rootfs_overlays: copies each overlays/NAME/ onto the root.  No two
# overlays may ship the same path, so their order never matters; the
# start-up order is the one numbering of /etc/rc.d/NN-step.
rootfs_overlays() {
    dup=$(cd "$TOP/overlays" && find . -mindepth 2 ! -type d | cut -d/ -f3- | LC_ALL=C sort | uniq -d)
    [ -z "$dup" ] || die "stage rootfs: more than one overlay ships $(echo "$dup" | head -n 1)"
    for o in "$TOP"/overlays/*/; do
        step "apply overlay ${o#"$TOP"/}"
        run cp -a "$o." "$R/"
    done
}

rootfs_pack() {
    step "pack the root as a zstd cpio archive"
    (cd "$R" && find . | LC_ALL=C sort) >"$W/rootfs.files"
    normalize_tree "$R"
    # -19: smaller means less for GRUB to read from the medium; the kernel
    # unpacks zstd fast at any level.  --reproducible: no device or inode
    # numbers of the build machine.
    (cd "$R" && cpio -o -H newc -R 0:0 --reproducible --quiet <"$W/rootfs.files") |
        zstd -q -19 -T0 >"$W/rootfs.cpio.zst" ||
        die "stage rootfs: packing the root failed"
    rm -rf "$R"
}

rootfs_run() {
    rootfs_xenlive
    rootfs_skeleton
    rootfs_install_busybox
    rootfs_install_dropbear
    rootfs_install_xenlive
    rootfs_install_files
    rootfs_install_libraries
    rootfs_install_modules
    rootfs_overlays
    rootfs_pack
}

build_rootfs() {
    . "$TOP/hypervisor/version.conf"
    need readelf binutils
    need depmod kmod
    need cpio cpio
    need zstd zstd
    FETCH=$(stage_dir fetch)
    PROGRAMS=$(stage_dir programs)
    KVER=$(cat "$(stage_dir hypervisor)/kernel-version")
    set_epoch "$TOP/rootfs/stage.sh" "$TOP/rootfs/files" "$TOP/rootfs/modules" \
        "$TOP/rootfs/dropbear.sh" "$TOP/overlays" "$TOP/src"
    stage rootfs "$(hash_inputs "$TOP/rootfs/stage.sh" "$TOP/rootfs/files" "$TOP/rootfs/modules" \
        "$TOP/rootfs/dropbear.sh" "$TOP/overlays" "$TOP/src" \
        "fetch:${FETCH##*/}" "programs:${PROGRAMS##*/}" "epoch:$SOURCE_DATE_EPOCH")" rootfs_run
}
