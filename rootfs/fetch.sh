# shellcheck shell=sh
# Stage "fetch": downloads Debian's binary and source packages.
#
# Makes, in the stage folder:
#   sysroot/      the binary packages (and their dependencies) extracted,
#                 not installed: later stages take single files from it
#   src/NAME/     each source package of rootfs/sources, unpacked with
#                 Debian's patches applied
#   manifest      "package=version sha256:HASH" of every binary package
#                 fetched (the .deb's SHA256), and "NAME-source=version
#                 sha256:HASH" of each source package (its .dsc's)
#
# XENLIVE_MANIFEST=FILE pins the build to the versions in FILE, an ISO's
# /xenlive/manifest: apt is given each package=version of it at priority
# 1001 (its dom0 part here, each image's part in the image stages), and
# the stage fails with one line when the archive no longer serves one of
# them, or serves it with another SHA256.
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

# debs_manifest DIR: "package=version sha256:HASH" of each .deb in DIR.
debs_manifest() {
    for deb in "$1"/*.deb; do
        printf '%s sha256:%s\n' \
            "$(dpkg-deb -f "$deb" Package Version | paste -sd= | sed 's/^Package: //;s/=Version: /=/')" \
            "$(sha256sum "$deb" | cut -d' ' -f1)"
    done | LC_ALL=C sort
}

# pin_section PART: the lines of XENLIVE_MANIFEST's PART ("dom0": up to the
# first "# image" line; NAME: after "# image NAME"), as a file; an empty
# file without XENLIVE_MANIFEST.
pin_section() {
    f=$W/pin-$1
    : >"$f"
    [ -n "${XENLIVE_MANIFEST:-}" ] || { echo "$f"; return 0; }
    [ -r "$XENLIVE_MANIFEST" ] || die "XENLIVE_MANIFEST: cannot read $XENLIVE_MANIFEST"
    if [ "$1" = dom0 ]; then
        sed -n '/^# image /q; /^[a-z0-9][^ =]*=[^ ]* sha256:/p' "$XENLIVE_MANIFEST" >"$f"
    else
        sed -n "/^# image $1\$/,/^# image /{/^[a-z0-9][^ =]*=[^ ]* sha256:/p}" \
            "$XENLIVE_MANIFEST" >"$f"
    fi
    echo "$f"
}

# pin_hook PINS: an mmdebstrap setup hook that pins apt to each binary
# package=version of the file PINS (apt_preferences(5), priority 1001:
# that version even if older, or nothing); empty without pins.
pin_hook() {
    grep -v -- '-source=' "$1" | sed 's/ .*//' | awk -F= 'NF == 2 {
        printf "Package: %s\nPin: version %s\nPin-Priority: 1001\n\n", $1, $2 }' >"$1.pref"
    [ -s "$1.pref" ] || { echo true; return 0; }
    echo "mkdir -p \"\$1/etc/apt/preferences.d\" && cp '$1.pref' \"\$1/etc/apt/preferences.d/xenlive-pin\""
}

# pin_check PINS GOT: with pins, every pinned line must be in GOT (the
# manifest this build made) exactly: the same version and SHA256.
pin_check() {
    [ -s "$1" ] || return 0
    while IFS= read -r line; do
        grep -qxF "$line" "$2" && continue
        name=${line%%=*}
        have=$(grep "^$name=" "$2" | head -n 1)
        die "XENLIVE_MANIFEST pins ${line%% *} (${line#* }), but the archive gave ${have:-nothing}: it no longer serves that version"
    done <"$1"
}

fetch_binaries() {
    step "extract $(echo "$FETCH_PACKAGES" | wc -w) Debian packages and their dependencies"
    # extract: unpack only, no maintainer scripts; we only harvest files.
    # The apt cache is kept: its .debs give the manifest, then it all goes
    # (pkgcache.bin and srcpkgcache.bin differ from build to build: make
    # repro found them).
    # shellcheck disable=SC2016 # mmdebstrap expands $1 (the new root)
    run mmdebstrap --variant=extract --skip=cleanup/apt/cache \
        --include="$(echo "$FETCH_PACKAGES" | tr -s ' ' ',' | sed 's/^,//;s/,$//')" \
        --setup-hook="$(pin_hook "$(pin_section dom0)")" \
        "$DEBIAN_SUITE" "$W/sysroot" "$APT_DIR/binary.list"
    debs_manifest "$W/sysroot/var/cache/apt/archives" >"$W/manifest"
    rm -rf "$W/sysroot/var/cache/apt" "$W/sysroot/etc/apt/preferences.d/xenlive-pin"
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
        want=$(sed -n "s/^$pkg-source=\([^ ]*\) .*/\1/p" "$(pin_section dom0)")
        (cd "$W/dl/$pkg" && run env APT_CONFIG="$APT_DIR/apt.conf" \
            apt-get source --download-only "$pkg${want:+=$want}")
        run dpkg-source --no-check -x "$W/dl/$pkg"/*.dsc "$W/src/$pkg"
        printf '%s sha256:%s\n' "$(sed -n 's/^Version: /'"$pkg"'-source=/p' "$W/dl/$pkg"/*.dsc)" \
            "$(sha256sum "$W/dl/$pkg"/*.dsc | cut -d' ' -f1)" >>"$W/manifest"
    done
    rm -rf "$W/dl"
}

fetch_run() {
    fetch_binaries
    fetch_sources
    pin_check "$(pin_section dom0)" "$W/manifest"
}

build_fetch() {
    . "$TOP/hypervisor/version.conf"
    need mmdebstrap mmdebstrap
    need dpkg-source dpkg-dev
    apt_setup
    FETCH_PACKAGES="xen-hypervisor-$XEN_SERIES-amd64 xen-utils-$XEN_SERIES $KERNEL_PACKAGE $(list_file "$TOP/rootfs/packages")"
    stage fetch "$(hash_inputs "$TOP/rootfs/fetch.sh" "$TOP/hypervisor/version.conf" \
        "$TOP/rootfs/packages" "$TOP/rootfs/sources" "$APT_DIR/sources.list" \
        "pins:${XENLIVE_MANIFEST:+$(cat "$XENLIVE_MANIFEST")}")" fetch_run
}
