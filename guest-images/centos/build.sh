# shellcheck shell=sh
# Recipe "centos": CentOS Stream 9 made with dnf --installroot from the
# BaseOS and AppStream repositories (guest-images/centos/packages).
#
#   CENTOS_MIRROR    the CentOS Stream 9 tree holding BaseOS/ and AppStream/
#                    (default: the public mirror below)
#   CENTOS_GPGCHECK  1 (default): packages must be signed with the CentOS key
#                    (RPM-GPG-KEY-centosofficial, fingerprint
#                    99DB 70FA E1D7 CE22 7FB6 4882 05B5 55B3 8483 C65D);
#                    0: no signature check (for a local test repository)
#
# When the mirror cannot be reached the build goes on without this image.
# dnf's cache (metadata and packages) is kept in $XENLIVE_CACHE/dnf.

CENTOS_DEFAULT_MIRROR=https://mirror.stream.centos.org/9-stream

# centos_reachable MIRROR: both repositories answer, within 20 s in all.
centos_reachable() {
    set -- "$1/BaseOS/x86_64/os/repodata/repomd.xml" \
        "$1/AppStream/x86_64/os/repodata/repomd.xml"
    printf '+ probe %s\n' "$*" >>"$LOG"
    # timeout(1) also bounds a hanging name lookup, which urlopen's own
    # timeout does not cover.
    timeout 20 python3 -c '
import sys, urllib.request
for url in sys.argv[1:]:
    try:
        urllib.request.urlopen(url, timeout=8).read(1)
    except Exception as e:
        sys.exit("%s: %s" % (url, e))
' "$@" >>"$LOG" 2>&1
}

# centos_dnf_conf DIR MIRROR GPGCHECK: the build's own dnf configuration,
# with the two repositories in it; the host's /etc is never read.
centos_dnf_conf() {
    cat <<EOF
[main]
# Inside the install root; image_build links it to \$XENLIVE_CACHE/dnf.
cachedir=/var/cache/dnf
# Keep downloaded packages, so that a rebuild downloads nothing again.
keepcache=True
tsflags=nodocs
# No repositories but the two below, and no variables: nothing from the
# host's /etc/dnf or /etc/yum.repos.d, nor from the root.
reposdir=$1/repos.d
varsdir=$1/vars
skip_if_unavailable=False
# There is no os-release in the empty root to take the platform from;
# AppStream's modules need it.
module_platform_id=platform:el9
# Guests boot Debian's kernel; a CentOS kernel in the image is dead weight.
excludepkgs=kernel*

[baseos]
name=CentOS Stream 9 - BaseOS
baseurl=$2/BaseOS/x86_64/os/
gpgcheck=$3
gpgkey=file://$TOP/guest-images/centos/RPM-GPG-KEY-centosofficial

[appstream]
name=CentOS Stream 9 - AppStream
baseurl=$2/AppStream/x86_64/os/
gpgcheck=$3
gpgkey=file://$TOP/guest-images/centos/RPM-GPG-KEY-centosofficial
EOF
}

image_build() {
    r=$1
    mirror=${CENTOS_MIRROR:-$CENTOS_DEFAULT_MIRROR}
    mirror=${mirror%/}
    gpgcheck=${CENTOS_GPGCHECK:-1}
    case $gpgcheck in
        0|1) ;;
        *) die "CENTOS_GPGCHECK is '$gpgcheck'; it must be 0 or 1" ;;
    esac
    need python3 python3
    step "probe the CentOS mirror ($mirror)"
    if ! centos_reachable "$mirror"; then
        image_unavailable "no CentOS mirror reachable at build time ($mirror)"
        return 0
    fi
    need dnf dnf

    d=$W/dnf
    mkdir -p "$d/repos.d" "$d/vars" "$d/home" "$XENLIVE_CACHE/dnf" "$r/var/cache"
    centos_dnf_conf "$d" "$mirror" "$gpgcheck" >"$d/dnf.conf"
    # Debian's rpm keeps its database in ~/.rpmdb, which in the root would
    # be /root/.rpmdb, where CentOS's rpm and dnf never look; ~/.rpmmacros
    # (HOME is ours) puts it where CentOS has it.  Translations are left
    # out (only C.utf8), as container images do.
    printf '%%_dbpath /var/lib/rpm\n%%_install_langs C.utf8\n' >"$d/home/.rpmmacros"
    # dnf always puts cachedir inside the install root; the link takes it
    # out, to the build cache.  It is removed after the install.
    ln -s "$XENLIVE_CACHE/dnf" "$r/var/cache/dnf"

    step "dnf install CentOS Stream 9 (guest-images/centos/packages)"
    # --noplugins: the host's dnf plugins have no business in a CentOS root.
    # shellcheck disable=SC2046 # a list of package names
    run env HOME="$d/home" dnf -y -c "$d/dnf.conf" --installroot="$r" \
        --releasever=9 --noplugins --nodocs \
        --setopt=install_weak_deps=False \
        install $(list_file "$TOP/guest-images/centos/packages")
    rm -f "$r/var/cache/dnf" "$r"/var/log/dnf*.log "$r/var/log/hawkey.log"
    # The packages, for the ISO's manifest (read before the fold below,
    # with the same ~/.rpmmacros, so no database file is left behind).
    env HOME="$d/home" rpm --root "$r" -qa --qf '%{NAME}=%{EPOCHNUM}:%{VERSION}-%{RELEASE}\n' |
        LC_ALL=C sort >"$IMAGE_MANIFEST" || die "stage $STAGE: rpm cannot list the packages"
    # rpm and dnf leave their SQLite databases in WAL mode, with -wal and
    # -shm files beside them, which a read-only squashfs can never fold
    # in.  Folded now; rpm returns to WAL mode by itself when it next writes.
    for db in "$r/var/lib/rpm/rpmdb.sqlite" "$r/var/lib/dnf/history.sqlite"; do
        [ ! -f "$db" ] || run python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=DELETE")
db.close()' "$db"
    done

    step "enable sshd, NetworkManager (DHCP on eth0) and the D-Bus broker"
    # What `systemctl enable` makes; the packages' presets may have made
    # the same links already.
    lib=/usr/lib/systemd/system
    units=$r/etc/systemd/system
    for u in sshd NetworkManager dbus-broker; do
        [ -f "$r$lib/$u.service" ] ||
            die "stage $STAGE: $lib/$u.service is missing from the CentOS root"
    done
    mkdir -p "$units/multi-user.target.wants"
    ln -sf "$lib/sshd.service" "$units/multi-user.target.wants/sshd.service"
    ln -sf "$lib/NetworkManager.service" "$units/multi-user.target.wants/NetworkManager.service"
    ln -sf "$lib/NetworkManager.service" "$units/dbus-org.freedesktop.NetworkManager.service"
    ln -sf "$lib/dbus-broker.service" "$units/dbus.service"
    nm=$r/etc/NetworkManager/system-connections
    mkdir -p "$nm"
    # NetworkManager ignores keyfiles that others can read.
    (umask 077 && printf '%s\n' '[connection]' 'id=eth0' 'type=ethernet' \
        'interface-name=eth0' '' '[ipv4]' 'method=auto' '' '[ipv6]' 'method=auto' \
        >"$nm/eth0.nmconnection")
    image_systemd_setup "$r"
}
