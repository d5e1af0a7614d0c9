# shellcheck shell=sh
# Recipe "debian": Debian ($DEBIAN_SUITE) made with mmdebstrap (minbase plus
# guest-images/debian/packages), from the build's own apt sources.
image_build() {
    r=$1
    step "mmdebstrap Debian $DEBIAN_SUITE (minbase + guest-images/debian/packages)"
    # Documentation, man pages and translations are left out: nobody reads
    # them on a demo guest, and they are a fifth of the image.  The .debs
    # are kept until their SHA256 is in the manifest (skip cleanup).
    # shellcheck disable=SC2016 # mmdebstrap expands $1 (the new root)
    run mmdebstrap --variant=minbase --skip=cleanup/apt/cache \
        --include="$(list_file "$TOP/guest-images/debian/packages" | tr -s ' ' ',' | sed 's/^,//;s/,$//')" \
        --setup-hook="$(pin_hook "$(pin_section debian)")" \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
        "$DEBIAN_SUITE" "$r" "$APT_DIR/binary.list"
    debs_manifest "$r/var/cache/apt/archives" >"$IMAGE_MANIFEST"
    # apt's binary caches are made again from the lists when needed, and
    # hold the time they were made (tests/repro.sh found pkgcache.bin).
    rm -rf "$r/var/cache/apt/archives" "$r"/var/cache/apt/*.bin \
        "$r/etc/apt/preferences.d/xenlive-pin"
    mkdir -p "$r/var/cache/apt/archives/partial"
    pin_check "$(pin_section debian)" "$IMAGE_MANIFEST"
    # DHCP on every Ethernet interface, through systemd-networkd.
    mkdir -p "$r/etc/systemd/network"
    printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' >"$r/etc/systemd/network/80-dhcp.network"
    ln -sf /lib/systemd/system/systemd-networkd.service \
        "$r/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
    image_systemd_setup "$r"
}
