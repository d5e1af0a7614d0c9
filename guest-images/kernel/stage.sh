# shellcheck shell=sh
# Stage "kernel": xenlive's own guest kernel, built from Debian's Linux
# source in exactly the version of the binary kernel that the fetch stage
# took (its manifest), with a small configuration of our own.
#
# Makes, in the stage folder:
#   vmlinux   the guest kernel as a plain ELF (stripped like the one inside
#             a bzImage), which the guests stage ships when
#             GUEST_KERNEL=xenlive (guest-images/kernel/guest-kernel.conf)
#   config    its final .config, for the offline checks
#   version   the Debian source package and version it was built from
#
# Configuration: `make tinyconfig`, then `make xen.config`, then the
# fragment guest-images/kernel/xenlive.config merged with the kernel's own
# scripts/kconfig/merge_config.sh, then olddefconfig; then each option of
# the fragment is checked in the final .config.
#
# The source comes from the binary package linux-source-X.Y (Debian's
# patched tree as a tarball), fetched with the build's own apt sources;
# `apt-get source linux` cannot be used, since the security suite's source
# files are not served everywhere.  The tree is deleted after the build.

KERNEL_FRAGMENT=$TOP/guest-images/kernel/xenlive.config

# fragment_options FILE: the option lines of a Kconfig fragment, that is
# "CONFIG_X=..." and "# CONFIG_X is not set"; other comments are reasons.
fragment_options() {
    grep -E '^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$' "$1"
}

# kernel_check_config FRAGMENT CONFIG: dies naming the first option of
# FRAGMENT that CONFIG does not have.  "is not set" also holds when the
# option is missing from CONFIG (its dependencies are off).
kernel_check_config() {
    fragment_options "$1" >"$W/fragment.options"
    while IFS= read -r opt; do
        case $opt in
            '# '*)
                name=${opt#\# }
                name=${name%% *}
                ! grep -q "^$name=" "$2" ;;
            *)
                name=${opt%%=*}
                grep -qxF "$opt" "$2" ;;
        esac || die "stage kernel: ${1#"$TOP"/}: '$opt' did not take effect (.config has: $(grep -E "^(# )?${name}[= ]" "$2" || echo nothing))"
    done <"$W/fragment.options"
    rm "$W/fragment.options"
}

kernel_source() {
    step "download $KSRC_PACKAGE $KSRC_VERSION (Debian's Linux source, the binary kernel's version)"
    run env APT_CONFIG="$APT_DIR/apt.conf" apt-get update
    env APT_CONFIG="$APT_DIR/apt.conf" apt-cache madison "$KSRC_PACKAGE" 2>/dev/null |
        awk -F'|' -v v="$KSRC_VERSION" '{ gsub(/ /, "", $2) } $2 == v { found = 1 } END { exit !found }' ||
        die "stage kernel: $KSRC_PACKAGE $KSRC_VERSION (the version of the binary kernel) is not served by the build's apt sources ($APT_DIR/sources.list)"
    mkdir -p "$W/dl"
    (cd "$W/dl" && run env APT_CONFIG="$APT_DIR/apt.conf" \
        apt-get download "$KSRC_PACKAGE=$KSRC_VERSION")
    step "unpack /usr/src/$KSRC_PACKAGE.tar.xz"
    dpkg-deb --fsys-tarfile "$W/dl/${KSRC_PACKAGE}_"*.deb |
        tar -xO "./usr/src/$KSRC_PACKAGE.tar.xz" | tar -xJ -C "$W" ||
        die "stage kernel: cannot unpack /usr/src/$KSRC_PACKAGE.tar.xz from $KSRC_PACKAGE $KSRC_VERSION"
    rm -rf "$W/dl"
    K=$W/$KSRC_PACKAGE
    [ -f "$K/Makefile" ] || die "stage kernel: no kernel tree at $K after unpacking"
}

kernel_configure() {
    step "configure: tinyconfig, xen.config, guest-images/kernel/xenlive.config"
    # ARCH=x86_64: without it tinyconfig makes a 32-bit kernel.
    run make -C "$K" ARCH=x86_64 tinyconfig
    run make -C "$K" ARCH=x86_64 xen.config
    run env ARCH=x86_64 "$K/scripts/kconfig/merge_config.sh" -m -O "$K" "$K/.config" "$KERNEL_FRAGMENT"
    run make -C "$K" ARCH=x86_64 olddefconfig
    step "check that every option of guest-images/kernel/xenlive.config took effect"
    kernel_check_config "$KERNEL_FRAGMENT" "$K/.config"
}

kernel_build() {
    step "make vmlinux ($(nproc) jobs)"
    # The version string (uname -v) gets the stage's epoch and fixed names
    # instead of the time, user and host, so a build is reproducible.
    run make -C "$K" ARCH=x86_64 -j"$(nproc)" \
        KBUILD_BUILD_TIMESTAMP="$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH")" \
        KBUILD_BUILD_USER=xenlive KBUILD_BUILD_HOST=xenlive KBUILD_BUILD_VERSION=1 vmlinux
    # As arch/x86/boot/compressed does for a bzImage: no symbols, no
    # .comment; the Xen ELF notes stay.
    run objcopy -R .comment -S "$K/vmlinux" "$W/vmlinux"
    cp "$K/.config" "$W/config"
    printf '%s=%s\n' "$KSRC_PACKAGE" "$KSRC_VERSION" >"$W/version"
    rm -rf "$K"
}

kernel_run() {
    kernel_source
    kernel_configure
    kernel_build
}

# kernel_source_version: sets KSRC_PACKAGE and KSRC_VERSION from the fetch
# stage's manifest (linux-image-6.12.118+deb13-amd64=6.12.118-1, maybe
# followed by " sha256:...", gives linux-source-6.12 and 6.12.118-1).
kernel_source_version() {
    line=$(grep -E '^linux-image-[0-9][^=]*=' "$FETCH/manifest") ||
        die "stage kernel: no linux-image-X.Y... package in $FETCH/manifest"
    [ "$(printf '%s\n' "$line" | wc -l)" -eq 1 ] ||
        die "stage kernel: more than one kernel in $FETCH/manifest: $(printf '%s' "$line" | tr '\n' ' ')"
    KSRC_VERSION=${line#*=}
    KSRC_VERSION=${KSRC_VERSION%% *}
    KSRC_PACKAGE=linux-source-$(printf '%s' "$KSRC_VERSION" | cut -d. -f1,2)
}

build_kernel() {
    . "$TOP/hypervisor/version.conf"
    . "$TOP/guest-images/kernel/guest-kernel.conf"
    # Built when the guests run it, or when asked for by name.
    case "$GUEST_KERNEL:$NAMED_STAGES" in
        xenlive:* | *" kernel "*) ;;
        *) msg "==> kernel: not used (GUEST_KERNEL=$GUEST_KERNEL), skipped"; return 0 ;;
    esac
    need flex flex
    need bison bison
    need bc bc
    need objcopy binutils
    [ -f /usr/include/libelf.h ] ||
        die "missing libelf headers (Debian package 'libelf-dev'): run './build.sh deps' as root"
    FETCH=$(stage_dir fetch)
    kernel_source_version
    apt_setup
    set_epoch "$TOP/guest-images/kernel/stage.sh" "$KERNEL_FRAGMENT"
    stage kernel "$(hash_inputs "$TOP/guest-images/kernel/stage.sh" "$KERNEL_FRAGMENT" \
        "epoch:$SOURCE_DATE_EPOCH" "source:$KSRC_PACKAGE=$KSRC_VERSION")" kernel_run
}
