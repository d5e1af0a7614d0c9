#!/bin/sh
# make-fixture-repo.sh DIR: a local RPM repository, laid out like CentOS
# Stream 9's (DIR/BaseOS/x86_64/os/, DIR/AppStream/x86_64/os/), for the test
# of guest-images/centos.  It holds small noarch stand-ins, one for each name
# in guest-images/centos/packages, built with rpmbuild and indexed with
# createrepo_c.  They are NOT CentOS: each holds a marker file
# /usr/share/xenlive-fixture/NAME, a %doc file, and only the few paths that
# the recipe and image_systemd_setup use.  They are unsigned (build with
# CENTOS_GPGCHECK=0).  Besides, never asked for by the recipe:
#   kernel                (BaseOS)     must stay out of the image
#   xenlive-fixture-weak  (AppStream)  a weak dependency of systemd's
#                                      stand-in; must stay out too
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
b=$out/rpmbuild
rm -rf "$b" "$out/BaseOS" "$out/AppStream"
mkdir -p "$b/trees" "$b/lists" "$b/SPECS" \
    "$out/BaseOS/x86_64/os/Packages" "$out/AppStream/x86_64/os/Packages"

names="$(sed -e 's/#.*//' "$TOP/guest-images/centos/packages" | tr -s '[:space:]' '\n' | sed '/^$/d')
kernel
xenlive-fixture-weak"

# placeholder FILE: a stand-in for a program; never run.
placeholder() {
    mkdir -p "$(dirname "$1")"
    printf '# xenlive test fixture: placeholder for %s, not a program\n' "${1#"$t"}" >"$1"
    chmod 755 "$1"
}

# unit FILE: a stand-in systemd unit with an [Install] section.
unit() {
    mkdir -p "$(dirname "$1")"
    printf '%s\n' '[Unit]' "Description=xenlive test fixture: ${1##*/}" '' \
        '[Service]' 'ExecStart=/bin/true' '' '[Install]' 'WantedBy=multi-user.target' >"$1"
}

# Each package's tree, and its file list for %files.
for name in $names; do
    t=$b/trees/$name
    mkdir -p "$t/usr/share/xenlive-fixture" "$t/usr/share/doc/$name"
    printf "xenlive test fixture: a stand-in for CentOS Stream 9's %s, not CentOS\n" \
        "$name" >"$t/usr/share/xenlive-fixture/$name"
    printf 'documentation of the %s stand-in\n' "$name" >"$t/usr/share/doc/$name/README"
    owns=
    case $name in
        filesystem)
            # CentOS's layout: /bin, /sbin and /lib are links into /usr.
            owns="/etc /var /var/cache /var/lib /var/log /root /tmp /run /proc /sys /dev
                  /usr /usr/bin /usr/sbin /usr/lib /usr/lib64 /usr/share"
            for d in $owns; do mkdir -p "$t$d"; done
            for d in bin sbin lib lib64; do ln -s "usr/$d" "$t/$d"; done ;;
        centos-stream-release)
            mkdir -p "$t/usr/lib" "$t/etc"
            printf '%s\n' 'NAME="xenlive test fixture"' 'ID=xenlive-fixture' \
                'PRETTY_NAME="xenlive test fixture (stand-ins, not CentOS)"' >"$t/usr/lib/os-release"
            ln -s ../usr/lib/os-release "$t/etc/os-release" ;;
        bash)
            placeholder "$t/usr/bin/bash"
            ln -s bash "$t/usr/bin/sh" ;;
        systemd)
            owns="/etc/systemd /etc/systemd/system /usr/lib/systemd /usr/lib/systemd/system"
            mkdir -p "$t/etc/systemd/system"
            placeholder "$t/usr/lib/systemd/systemd"
            unit "$t/usr/lib/systemd/system/console-getty.service"
            # What the real package's scriptlet (systemd-machine-id-setup)
            # leaves in a fresh root; image_scrub must empty it.
            printf '0123456789abcdef0123456789abcdef\n' >"$t/etc/machine-id" ;;
        util-linux) placeholder "$t/usr/sbin/agetty" ;;
        hostname) placeholder "$t/usr/bin/hostname" ;;
        dbus-broker) unit "$t/usr/lib/systemd/system/dbus-broker.service" ;;
        NetworkManager)
            owns="/etc/NetworkManager /etc/NetworkManager/system-connections"
            mkdir -p "$t/etc/NetworkManager/system-connections"
            unit "$t/usr/lib/systemd/system/NetworkManager.service" ;;
        openssh-server)
            unit "$t/usr/lib/systemd/system/sshd.service"
            # On CentOS ssh-keygen is in "openssh", a dependency.
            placeholder "$t/usr/bin/ssh-keygen"
            # A host key left behind, as a careless build could leave one;
            # image_scrub must remove it.
            mkdir -p "$t/etc/ssh"
            printf 'not a key: xenlive test fixture\n' >"$t/etc/ssh/ssh_host_ed25519_key" ;;
        kernel)
            mkdir -p "$t/usr/lib/modules/0.0.0-fixture"
            : >"$t/usr/lib/modules/0.0.0-fixture/modules.dep" ;;
    esac
    {
        for d in $owns; do printf '%%dir %s\n' "$d"; done
        (cd "$t" && find . -mindepth 1 ! -type d) | sed 's|^\.||' | LC_ALL=C sort |
            sed 's|^/usr/share/doc/|%doc /usr/share/doc/|'
    } >"$b/lists/$name"
done

# One spec, one binary package per name (the source package is never built).
spec=$b/SPECS/xenlive-fixture.spec
{
    cat <<EOF
Name: xenlive-fixture
Version: 0
Release: 1
Summary: Stand-ins for CentOS Stream 9 packages (xenlive test fixture)
License: MIT
BuildArch: noarch
# Files only: no stripping, compressing or byte-compiling.
%global __os_install_post %{nil}

%description
Stand-ins for CentOS Stream 9 packages, for xenlive's recipe test.

%install
EOF
    for name in $names; do printf 'cp -a %s/. %%{buildroot}/\n' "$b/trees/$name"; done
    for name in $names; do
        printf '\n%%package -n %s\n' "$name"
        printf "Summary: Stand-in for CentOS Stream 9's %s (xenlive test fixture)\n" "$name"
        # No dependencies found in file contents: only the ones given here.
        printf 'AutoReqProv: no\n'
        [ "$name" != systemd ] || printf 'Recommends: xenlive-fixture-weak\n'
        printf '%%description -n %s\nNot CentOS: a marker file and a few paths.\n' "$name"
        printf '%%files -n %s -f %s\n' "$name" "$b/lists/$name"
    done
} >"$spec"

# _topdir: rpmbuild's tree here, not ~/rpmbuild.  --nodeps: there are no
# build dependencies, and Debian's rpm database would not know them.
rpmbuild --quiet --nodeps --define "_topdir $b" -bb "$spec" >"$b/rpmbuild.log" 2>&1 || {
    tail -n 20 "$b/rpmbuild.log" >&2
    echo "make-fixture-repo.sh: rpmbuild failed" >&2
    exit 1
}
for rpm in "$b"/RPMS/noarch/*.rpm; do
    case ${rpm##*/} in
        xenlive-fixture-weak-*) mv "$rpm" "$out/AppStream/x86_64/os/Packages/" ;;
        *) mv "$rpm" "$out/BaseOS/x86_64/os/Packages/" ;;
    esac
done
for repo in BaseOS AppStream; do
    createrepo_c --quiet "$out/$repo/x86_64/os" >/dev/null
done
rm -rf "$b"
echo "fixture: $(find "$out" -name '*.rpm' | wc -l) stand-in RPMs in $out/{BaseOS,AppStream}"
