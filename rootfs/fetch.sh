# shellcheck shell=sh
# Stage "fetch": downloads Debian's binary and source packages.
#
# Makes, in the stage folder:
#   sysroot/      the binary packages (and their dependencies) extracted,
#                 not installed: later stages take single files from it
#   src/NAME/     each source package of rootfs/sources, unpacked with
#                 Debian's patches applied
#   manifest      package=version of everything fetched
#
# The build has its own apt configuration under $XENLIVE_CACHE/apt, with
# deb-src enabled; the host's sources are read (for the mirror) but never
# changed.  Set XENLIVE_MIRROR / XENLIVE_SECURITY_MIRROR to use other mirrors.

# list_file FILE: the words of a list file, without comments.
list_file() {
    sed -e 's/#.*//' "$1" | tr -s ' \t\n' ' '
}

# host_mirror PATTERN: the first URI in the host's apt sources matching PATTERN.
host_mirror() {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources 2>/dev/null |
        sed -n -e 's/^URIs:[[:space:]]*//p' \
               -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' |
        tr ' ' '\n' | grep -E "$1" | head -n 1
}

# apt_setup: writes the build's own apt configuration and sources.
apt_setup() {
    mirror=${XENLIVE_MIRROR:-$(host_mirror '/debian/?$')}
    security=${XENLIVE_SECURITY_MIRROR:-$(host_mirror '/debian-security/?$')}
    [ -n "$mirror" ] ||
        die "no Debian mirror found in /etc/apt/sources*; set XENLIVE_MIRROR"
    APT_DIR=$XENLIVE_CACHE/apt
    mkdir -p "$APT_DIR/state/lists/partial" "$APT_DIR/cache/archives/partial"
    key=/usr/share/keyrings/debian-archive-keyring.gpg
    {
        for t in deb deb-src; do
            printf '%s [signed-by=%s] %s %s main\n' "$t" "$key" "$mirror" "$DEBIAN_SUITE"
            printf '%s [signed-by=%s] %s %s-updates main\n' "$t" "$key" "$mirror" "$DEBIAN_SUITE"
            [ -z "$security" ] ||
                printf '%s [signed-by=%s] %s %s-security main\n' "$t" "$key" "$security" "$DEBIAN_SUITE"
        done
    } >"$APT_DIR/sources.list"
    grep '^deb ' "$APT_DIR/sources.list" >"$APT_DIR/binary.list"
    cat >"$APT_DIR/apt.conf" <<EOF
Dir::Etc::SourceList "$APT_DIR/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::State "$APT_DIR/state";
Dir::Cache "$APT_DIR/cache";
APT::Get::Only-Source "true";
EOF
}

fetch_binaries() {
    step "extract $(echo "$FETCH_PACKAGES" | wc -w) Debian packages and their dependencies"
    # extract: unpack only, no maintainer scripts; we only harvest files.
    # The apt cache is kept: its .debs give the manifest, then go.
    run mmdebstrap --variant=extract --skip=cleanup/apt/cache \
        --include="$(echo "$FETCH_PACKAGES" | tr -s ' ' ',' | sed 's/^,//;s/,$//')" \
        "$DEBIAN_SUITE" "$W/sysroot" "$APT_DIR/binary.list"
    for deb in "$W"/sysroot/var/cache/apt/archives/*.deb; do
        dpkg-deb -f "$deb" Package Version | paste -sd= | sed 's/^Package: //;s/=Version: /=/'
    done | LC_ALL=C sort >"$W/manifest"
    rm -rf "$W/sysroot/var/cache/apt/archives"
    step "index the kernel modules (extracted packages ran no depmod)"
    for kdir in "$W"/sysroot/lib/modules/*; do
        run depmod -b "$W/sysroot" "${kdir##*/}"
    done
    step "check the Xen version is $XEN_SERIES"
    grep -q "^xen-hypervisor-$XEN_SERIES-amd64=$XEN_SERIES\\." "$W/manifest" ||
        die "stage fetch: xen-hypervisor-$XEN_SERIES-amd64 is not version $XEN_SERIES.x (see $W/manifest)"
}

fetch_sources() {
    step "update the build's apt source indexes"
    run env APT_CONFIG="$APT_DIR/apt.conf" apt-get update
    mkdir -p "$W/src"
    for pkg in $(list_file "$TOP/rootfs/sources"); do
        step "download and unpack source package $pkg"
        mkdir -p "$W/dl/$pkg"
        (cd "$W/dl/$pkg" && run env APT_CONFIG="$APT_DIR/apt.conf" \
            apt-get source --download-only "$pkg")
        run dpkg-source --no-check -x "$W/dl/$pkg"/*.dsc "$W/src/$pkg"
        sed -n 's/^Version: /'"$pkg"'-source=/p' "$W/dl/$pkg"/*.dsc >>"$W/manifest"
    done
    rm -rf "$W/dl"
}

fetch_run() {
    fetch_binaries
    fetch_sources
}

build_fetch() {
    . "$TOP/hypervisor/version.conf"
    need mmdebstrap mmdebstrap
    need dpkg-source dpkg-dev
    apt_setup
    FETCH_PACKAGES="xen-hypervisor-$XEN_SERIES-amd64 xen-utils-$XEN_SERIES $KERNEL_PACKAGE $(list_file "$TOP/rootfs/packages")"
    stage fetch "$(hash_inputs "$TOP/rootfs/fetch.sh" "$TOP/hypervisor/version.conf" \
        "$TOP/rootfs/packages" "$TOP/rootfs/sources" "$APT_DIR/sources.list")" fetch_run
}
